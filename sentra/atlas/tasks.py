"""Background work: rebuilding the atlas analytics tables (django.tasks).

The enqueueing lives here beside the task, so the rebuild itself (`summary.refresh`)
never imports the task that runs it.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.tasks import task

from sentra.atlas import summary
from sentra.atlas.models import Cell, ProductCell, YearCell
from sentra.lib.freshness import request_rebuild


@task()
def refresh_summaries() -> float:
    return summary.refresh().seconds or 0.0


def request_refresh() -> bool:
    """Enqueue one rebuild unless one is already pending; True if this call enqueued."""
    return request_rebuild(summary.refresh_state(), enqueue=refresh_summaries.enqueue)


def request_refresh_on_commit(**_kwargs: Any) -> None:
    """Signal receiver for audited writes: rebuild once the change is committed."""
    transaction.on_commit(request_refresh)


def refresh_after_demo(*, stdout: Any) -> None:
    """Bulk loads write no audit entries: rebuild the atlas analytics tables here, after
    the planner statistics they are built with, and give them statistics of their own."""
    state = summary.refresh()
    stdout.write(f"  tabel analitik atlas: {state.seconds:.1f} detik")
    with connection.cursor() as cursor:
        for model in (Cell, YearCell, ProductCell):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
