"""Backup and restore of the database and the uploaded files (MEDIA_ROOT).

A backup is one folder `sentra-YYYYmmdd-HHMMSS/` holding
  - `database.sqlite3`: SQLite's online backup API (`sqlite3.Connection.backup`), a
    consistent copy taken page by page while the server keeps reading and writing, or
  - `database.pgdump`: `pg_dump --format=custom` (restored with `pg_restore`),
  - `media.tar.gz`: the uploaded files (import files hold NIK and phone numbers: the
    backup folder needs the same protection as the database),
  - `manifest.json`: engine, time, size and SHA-256 of each file; a restore checks it
    first, so a truncated or tampered backup is refused before anything is replaced.

django-dbbackup was considered: its release declares Django ≤ 6.0, and its SQLite restore
writes the file over a live database whose WAL may still hold newer pages; the sqlite3
backup API in both directions has neither problem and is a few lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
PREFIX = "sentra-"


class BackupError(Exception):
    pass


def _database() -> dict:
    return connections["default"].settings_dict


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Basis data %(vendor)s tidak didukung.") % {"vendor": vendor})
    return vendor


def _pg_env() -> dict[str, str]:
    db = _database()
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    db = _database()
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            _("%(cmd)s gagal: %(err)s") % {"cmd": cmd[0], "err": done.stderr.strip()[-2000:]}
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(target: Path) -> str:
    engine = _engine()
    if engine == "sqlite":
        name = "database.sqlite3"
        source = sqlite3.connect(str(_database()["NAME"]), timeout=30)
        try:
            with sqlite3.connect(target / name) as copy:
                # Pages in steps so that writers are never held off for long.
                source.backup(copy, pages=4096)
            copy.close()
        finally:
            source.close()
    else:
        name = "database.pgdump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target / name), *_pg_args()]
        )
    return name


def _dump_media(target: Path) -> str:
    name = "media.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / name, "w:gz") as tar:
        if media.exists():
            for child in sorted(media.iterdir()):
                tar.add(child, arcname=child.name)
    return name


def backup_create(*, directory: Path, keep: int | None = None) -> Path:
    """Write a complete backup into a new folder under `directory`; returns its path.

    Written under a temporary name and renamed at the end, so a folder named
    `sentra-…` is always complete. With `keep`, only the newest `keep` backups stay.
    """
    engine = _engine()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    final = directory / f"{PREFIX}{stamp}"
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=directory))
    try:
        files = [_dump_database(work), _dump_media(work)]
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": timezone.now().isoformat(),
            "files": {
                name: {"bytes": (work / name).stat().st_size, "sha256": _sha256(work / name)}
                for name in files
            },
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep:
        for old in backup_list(directory=directory)[keep:]:
            shutil.rmtree(old)
    return final


def backup_list(*, directory: Path) -> list[Path]:
    """Complete backups under `directory`, newest first."""
    if not directory.exists():
        return []
    found = [p for p in directory.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _checked_manifest(path: Path) -> dict:
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(path)s bukan cadangan Sentra: %(err)s") % {"path": path, "err": exc}
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Format cadangan tidak dikenal."))
    if manifest.get("engine") != _engine():
        raise BackupError(
            _("Cadangan dari %(backup)s tidak dapat dipulihkan ke %(current)s.")
            % {"backup": manifest.get("engine"), "current": _engine()}
        )
    for name, meta in manifest["files"].items():
        file = path / name
        if not file.exists() or _sha256(file) != meta["sha256"]:
            raise BackupError(
                _("Berkas %(name)s rusak atau hilang; tidak ada yang diubah.") % {"name": name}
            )
    return manifest


def _restore_database(path: Path, manifest: dict) -> None:
    connections["default"].close()
    if manifest["engine"] == "sqlite":
        source = sqlite3.connect(path / "database.sqlite3")
        target = sqlite3.connect(str(_database()["NAME"]), timeout=60)
        try:
            # The backup API writes through SQLite's own locking and WAL, so other
            # connections see either the old or the restored database, never a mix.
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *_pg_args(),
                str(path / "database.pgdump"),
            ]
        )


def _restore_media(path: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".restore-", dir=media.parent))
    with tarfile.open(path / "media.tar.gz", "r:gz") as tar:
        # The "data" filter refuses absolute paths, links out of the folder and devices.
        tar.extractall(fresh, filter="data")
    old = media.with_name(f".{media.name}-before-restore-{datetime.now():%Y%m%d%H%M%S%f}")
    if media.exists():
        media.rename(old)
    fresh.rename(media)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, path: Path) -> dict:
    """Replace the database and the uploaded files with the backup at `path`.

    The backup is checked in full first (manifest, engine, checksums): a bad backup
    changes nothing. Stop the web server and the worker first; SQLite stays consistent
    even if they run, but their open requests would write into the restored data.
    """
    manifest = _checked_manifest(path)
    _restore_database(path, manifest)
    _restore_media(path)
    return manifest
