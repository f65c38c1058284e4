"""Background work (django.tasks): an uploaded daftar hadir matched to the registry.

The engine prepares the whole registry for every list (seconds at today's size, about a
minute at 100×), more than a request should wait; the page polls the run instead.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task

from sentra.coaching import services
from sentra.coaching.models import AttendanceRun

logger = logging.getLogger(__name__)


@task()
def attendance_match_task(run_id: int) -> str:
    run = AttendanceRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"  # replaced by a newer upload before a worker took it
    try:
        run = services.attendance_run_match(run=run)
    except Exception:  # the service has stored the failure on the run
        logger.exception("attendance run %s crashed", run_id)
        raise
    return run.status


def attendance_run_start(*, run: AttendanceRun) -> None:
    """Queue the matching once the request that created the run has committed (so the
    worker finds the row)."""
    run_id = run.pk
    transaction.on_commit(lambda: attendance_match_task.enqueue(run_id))
