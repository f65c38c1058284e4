"""A database of its own for tests that run real second processes (kill, race, backup).

The test's own database lives inside a transaction (or in memory on SQLite), invisible to
another process; these tests give their child processes a migrated database instead: a
temporary SQLite file, or a temporary PostgreSQL database when the suite runs on
PostgreSQL. Use it as a fixture: `own_database = pytest.fixture(own_database_env)`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def own_database_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment (DATABASE_URL, SENTRA_VAR_DIR …) for child processes; dropped after."""
    server: dict = {}
    name = ""
    if connection.vendor == "postgresql":
        import psycopg

        params = dict(settings.DATABASES["default"])
        name = f"sentra_own_{uuid.uuid4().hex[:10]}"
        server = {
            "host": params.get("HOST") or "127.0.0.1",
            "port": params.get("PORT") or 5432,
            "user": params.get("USER") or "postgres",
            "password": params.get("PASSWORD") or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**server) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        auth = server["user"] + (f":{server['password']}" if server["password"] else "")
        url = f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "sentra.settings",
        "SENTRA_VAR_DIR": str(tmp_path / "var"),
        "SENTRA_TESTING": "1",
        "LOG_LEVEL": "CRITICAL",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    yield env
    if server:
        import psycopg

        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(env: dict[str, str], script: str, *args: object, timeout: int = 300) -> str:
    """Run `script` (Python source that calls django.setup()) in a new process; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
