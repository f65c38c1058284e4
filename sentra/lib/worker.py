"""Is a background worker taking tasks? Said on the pages that wait for one.

django-tasks-db keeps no heartbeat. No worker is running when work has waited in the
queue for longer than SENTRA_WORKER_STALE_SECONDS (the job itself, still queued, or any
task left READY in the task table) while no task is RUNNING; with one running, the
worker is busy and the rest wait their turn.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

OK, BUSY, MISSING = "", "busy", "missing"


def _task_table() -> bool:
    return "django_tasks_db" in str(settings.TASKS.get("default", {}).get("BACKEND", ""))


def worker_state(*, queued_since: datetime | None = None) -> str:
    """OK, BUSY or MISSING. `queued_since`: when the page's own job was queued, if it
    has not started yet."""
    stale = timezone.now() - timedelta(seconds=settings.SENTRA_WORKER_STALE_SECONDS)
    waiting = queued_since is not None and queued_since < stale
    if not _task_table():
        return MISSING if waiting else OK  # tasks run at once here: a queued job is stuck
    from django_tasks_db.models import DBTaskResult

    waiting = waiting or DBTaskResult.objects.ready().filter(enqueued_at__lt=stale).exists()
    if not waiting:
        return OK
    return BUSY if DBTaskResult.objects.running().exists() else MISSING
