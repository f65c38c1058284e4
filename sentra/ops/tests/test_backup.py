"""Backup, change, restore: the data and the uploaded files are as they were.

Real processes on a database of their own (SQLite file, or PostgreSQL when the suite
runs there): `manage.py backup` while another process keeps writing, then edits,
a deletion, a new record and a changed upload, then `manage.py restore`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sentra.testing.databases import ROOT, own_database_env, run_child

own_database = pytest.fixture(own_database_env)

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from datetime import date
    from pathlib import Path
    import django
    django.setup()
    from django.conf import settings
    from sentra.registry.models import Ikm
    from sentra.testing.factories import IkmFactory

    step = sys.argv[1]
    media = Path(settings.MEDIA_ROOT) / "imports"
    if step == "seed":
        for n in range(5):
            IkmFactory(
                name=f"Usaha Asli {n}", owner_email=f"asli{n}@contoh.co.id",
                owner_phone=f"08123400{n:04d}", nib=f"91200000000{n:02d}",
            )
        media.mkdir(parents=True, exist_ok=True)
        (media / "berkas.csv").write_text("nama;nik\\nUsaha Asli;5171031204850001\\n")
    elif step == "change":
        first = Ikm.objects.order_by("pk").first()
        first.name = "Diubah Sesudah Cadangan"
        first.save()
        Ikm.objects.order_by("pk").last().delete()
        IkmFactory(name="Baru Sesudah Cadangan", owner_email="baru@contoh.co.id")
        (media / "berkas.csv").write_text("ditimpa")
        (media / "baru.csv").write_text("baru")
    elif step == "write-while-backup":
        # The server keeps writing while the backup runs.
        until = time.monotonic() + float(sys.argv[2])
        n = 0
        while time.monotonic() < until:
            IkmFactory(name=f"Selama Cadangan {n}", owner_email=f"selama{n}@contoh.co.id")
            n += 1
        print(n)
    elif step == "state":
        rows = list(Ikm.objects.order_by("pk").values_list("pk", "name", "owner_phone", "nib"))
        files = {p.name: p.read_text() for p in sorted(media.glob("*"))} if media.exists() else {}
        print(json.dumps({"rows": rows, "files": files}))
    """
)


def _state(env) -> dict:
    return json.loads(run_child(env, CHILD, "state").strip().splitlines()[-1])


def _manage(env, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_it_backs_up_changes_and_restores_everything_as_it_was(own_database, tmp_path):
    env = own_database
    run_child(env, CHILD, "seed")
    # A writer runs during the backup: the copy is consistent at one moment (SQLite's
    # backup API restarts on a change; pg_dump reads one snapshot).
    writer = subprocess.Popen(
        [sys.executable, "-c", CHILD, "write-while-backup", "4"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    backup = Path(_manage(env, "backup", "--dir", str(tmp_path / "cadangan")).splitlines()[-1])
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err[-2000:]
    assert int(out.strip()) > 0
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "media.tar.gz",
        "database.pgdump" if "postgres" in env["DATABASE_URL"] else "database.sqlite3",
    }

    # What the backup holds: every seeded row, and the writer's rows up to some moment.
    run_child(env, CHILD, "change")
    changed = _state(env)
    assert "Diubah Sesudah Cadangan" in [r[1] for r in changed["rows"]]

    _manage(env, "restore", str(backup), "--yes")
    restored = _state(env)
    names = [r[1] for r in restored["rows"]]
    assert names[:5] == [f"Usaha Asli {n}" for n in range(5)]
    assert "Diubah Sesudah Cadangan" not in names and "Baru Sesudah Cadangan" not in names
    assert [r[3] for r in restored["rows"][:5]] == [f"91200000000{n:02d}" for n in range(5)]
    assert restored["files"] == {"berkas.csv": "nama;nik\nUsaha Asli;5171031204850001\n"}
    # The writer's rows in the backup are a prefix: no row after a missing one.
    during = [int(n.rsplit(" ", 1)[1]) for n in names if n.startswith("Selama Cadangan")]
    assert during == list(range(len(during)))

    # The server goes on on the restored data: a new record gets a fresh key.
    run_child(env, CHILD, "change")
    assert len(_state(env)["rows"]) == len(restored["rows"])


def test_a_damaged_backup_is_refused_and_changes_nothing_and_old_ones_go(own_database, tmp_path):
    env = own_database
    run_child(env, CHILD, "seed")
    backup = Path(_manage(env, "backup", "--dir", str(tmp_path / "cadangan")).splitlines()[-1])
    run_child(env, CHILD, "change")
    before = _state(env)
    dump = next(p for p in backup.iterdir() if p.name.startswith("database."))
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])  # a truncated copy
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup), "--yes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "rusak" in done.stderr
    assert _state(env) == before

    # Older backups go with --keep (the nightly timer keeps 14).
    folder = tmp_path / "cadangan"
    made = [_manage(env, "backup", "--dir", str(folder), "--keep", "2") for _ in range(2)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(Path(m).name for m in made)
