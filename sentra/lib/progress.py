"""Progress of long background work: percentage, rows done and time left, and the small
board the worker writes it to.

Time left is elapsed / done × remaining, said only once a few percent are done (before
that the rate says little). The worker (`manage.py db_worker`) and the web server are two
processes, and an import's commit runs in one transaction whose writes no other
connection sees until the end; so the worker also notes where it is in a JSON file per
job under SENTRA_PROGRESS_DIR (the web server and the worker run on one machine).
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import ngettext

# Below this share done, or this many seconds in, no time left is said.
ETA_FROM_PERCENT = 3
ETA_FROM_SECONDS = 2.0


@dataclass(frozen=True)
class Progress:
    done: int | None
    total: int | None
    percent: int | None  # None: the amount of work is not known (an indeterminate bar)
    left: float | None  # seconds; None until a few percent are done
    stage: str = ""

    @property
    def left_label(self) -> str:
        """The time left in words, rounded up: "± 40 detik", "± 3 menit", "± 2 jam"."""
        if self.left is None:
            return ""
        seconds = max(1, round(self.left))
        if seconds < 60:
            return ngettext("± %(n)s detik", "± %(n)s detik", seconds) % {"n": seconds}
        minutes = -(-seconds // 60)
        if minutes < 120:
            return ngettext("± %(n)s menit", "± %(n)s menit", minutes) % {"n": minutes}
        hours = -(-minutes // 60)
        return ngettext("± %(n)s jam", "± %(n)s jam", hours) % {"n": hours}


def estimate(
    *, done: float | None, total: float | None, elapsed: float, stage: str = ""
) -> Progress:
    """Where the work is: `done` of `total` after `elapsed` seconds."""
    if not total or done is None:
        return Progress(
            done=None, total=int(total) if total else None, percent=None, left=None, stage=stage
        )
    done = min(max(done, 0), total)
    percent = int(100 * done / total)
    left = None
    if done and percent >= ETA_FROM_PERCENT and elapsed >= ETA_FROM_SECONDS:
        left = elapsed / done * (total - done)
    return Progress(done=int(done), total=int(total), percent=percent, left=left, stage=stage)


def _path(key: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)
    return Path(settings.SENTRA_PROGRESS_DIR) / f"{safe}.json"


def _write(key: str, data: dict[str, Any]) -> None:
    path = _path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)  # a reader sees the old note or the new one, never half
    except OSError:
        pass  # progress is a courtesy: the work itself must not fail over it


def board_start(key: str, *, stage: str, total: int | None = None) -> None:
    """A stage begins now (its clock starts from here)."""
    _write(key, {"stage": stage, "started": time.time(), "done": 0, "total": total})


def board_report(key: str, *, done: int, total: int | None = None) -> None:
    note = board_read(key) or {"stage": "", "started": time.time(), "total": None}
    note["done"] = done
    if total is not None:
        note["total"] = total
    _write(key, note)


def board_read(key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def board_elapsed(note: dict[str, Any] | None, *, stage: str | None = None) -> float:
    """Seconds since the noted stage began (0 without a note, or for another stage)."""
    if not note or (stage is not None and note.get("stage") != stage):
        return 0.0
    return max(0.0, time.time() - float(note.get("started") or time.time()))


def board_clear(key: str) -> None:
    _path(key).unlink(missing_ok=True)
