"""The valid rows between the two phases: a file of signed frames, one per batch.

Validation appends each batch of valid rows as it is decided (`StagingWriter`); the
commit reads them back a batch at a time (`staged_batches`), so neither phase holds
the whole file's rows. Each frame is pickled for speed and signed with the server's
key, its job and its place in the file, so that only what this server wrote for this
job, in this order, is ever unpickled; a closing frame proves the file is complete.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from sentra.imports.models import ImportJob
from sentra.imports.validate import RowResult

# Rows per batch of validation, planning and commit: large enough that the queries and
# inserts of a batch cost little per row, small enough that a batch's rows, instances
# and audit entries stay a few megabytes.
BATCH_ROWS = 2000

# The first bytes of a staging file of this format. Files written before it (one signed
# pickle of every row) start otherwise and are refused with a message (StagingOld).
MAGIC = b"SENTRA-STAGING-2\n"
_LENGTH = 8  # bytes of a frame's payload length, big-endian
_SIGNATURE = 32


class StagingMissing(Exception):
    """No staging file, or one that is not intact (truncated, altered, another job's)."""


class StagingOld(Exception):
    """A staging file of the earlier format: the file must be validated again."""


def _cache_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "valid" / f"{job.pk}.pickle"


def _sign(job_id: int, index: int, payload: bytes) -> bytes:
    message = b"%d:%d:" % (job_id, index) + payload
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


class StagingWriter:
    """Appends batches of valid rows to the job's staging file; `close()` seals it."""

    def __init__(self, job: ImportJob) -> None:
        self.job_id = job.pk
        self.path = _cache_path(job)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: BinaryIO = self.path.open("wb")
        self._fh.write(MAGIC)
        self._index = 0

    def _frame(self, payload: bytes) -> None:
        self._fh.write(len(payload).to_bytes(_LENGTH, "big"))
        self._fh.write(_sign(self.job_id, self._index, payload))
        self._fh.write(payload)
        self._index += 1

    def write(self, rows: list[RowResult]) -> None:
        if not rows:
            return
        self._frame(
            pickle.dumps(
                [(r.row, r.fields, r.external_id, r.sentra_id, r.same_as) for r in rows],
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        )

    def close(self) -> None:
        self._frame(b"")  # the closing frame: an empty payload
        self._fh.close()

    def discard(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)


def staged_batches(job: ImportJob) -> Iterator[list[RowResult]]:
    """The staged rows, one batch at a time. Raises StagingMissing or StagingOld (at
    once for a missing or old file; at the bad frame for a damaged one)."""
    path = _cache_path(job)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise StagingMissing from None
    head = fh.read(len(MAGIC))
    if head != MAGIC:
        fh.close()
        raise StagingOld
    return _frames(fh, job.pk)


def _frames(fh: BinaryIO, job_id: int) -> Iterator[list[RowResult]]:
    with fh:
        index = 0
        while True:
            head = fh.read(_LENGTH + _SIGNATURE)
            if len(head) < _LENGTH + _SIGNATURE:
                raise StagingMissing  # truncated before its closing frame
            length = int.from_bytes(head[:_LENGTH], "big")
            payload = fh.read(length)
            if len(payload) < length or not hmac.compare_digest(
                head[_LENGTH:], _sign(job_id, index, payload)
            ):
                raise StagingMissing
            if not payload:
                return  # the closing frame
            index += 1
            yield [
                RowResult(row=row, fields=fields, external_id=ext, sentra_id=sid, same_as=same)
                # Signed above: only what this server wrote is unpickled.
                for row, fields, ext, sid, same in pickle.loads(payload)
            ]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import runs.

    An import creates a few million short-lived dicts, strings and model instances;
    reference counting frees each batch's, and the collector's walks over the live
    objects (every module Django loaded) would only cost time. The import makes no
    reference cycles worth collecting meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
