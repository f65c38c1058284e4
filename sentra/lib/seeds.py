"""Configuration rows that data migrations seed (coaching categories, certification
schemes). A table flush (demo --replace, transactional tests) empties them; `reseed`
runs those migrations' RunPython code again. Every seed is idempotent (get_or_create).
"""

from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

SEEDED_APPS = {"coaching", "certification"}


def reseed() -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if app_label not in SEEDED_APPS:
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                # The seeds use only get_model and schema_editor.connection.
                operation.code(apps, SimpleNamespace(connection=connection))  # type: ignore[arg-type]
