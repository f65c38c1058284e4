"""On SQLite, an FTS5 trigram index gives the list's substring search an index.

See sentra/registry/search_index.py; a post_migrate handler keeps it whole when a
later migration rebuilds the table.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from sentra.registry.search_index import ensure_sqlite_fts

    ensure_sqlite_fts(schema_editor.connection)


def backwards(apps, schema_editor):
    from sentra.registry.search_index import drop_sqlite_fts

    drop_sqlite_fts(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_trigram")]
    operations = [migrations.RunPython(forwards, backwards)]
