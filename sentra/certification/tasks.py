"""Background work (django.tasks): the planner runs as a task, and so does the recount of
the certification page's figures (`progress_current` reads them and asks for it).

The task receives the draft id only; everything else is read from the draft row. It
never leaves a draft "in progress": any crash ends it as failed with a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from sentra.certification import selectors, services
from sentra.certification.messages import PLAN_CRASHED
from sentra.certification.models import DraftStatus, PlanDraft, ProgressSnapshot
from sentra.lib.cache import data_version

logger = logging.getLogger(__name__)


@task()
def solve_plan_draft(draft_id: int) -> str:
    try:
        draft = services.plan_draft_run(draft=PlanDraft.objects.get(pk=draft_id))
    except Exception:
        logger.exception("plan draft %s: planner crashed", draft_id)
        PlanDraft.objects.filter(pk=draft_id).update(
            status=DraftStatus.FAILED, error=str(PLAN_CRASHED)
        )
        raise
    return draft.status


def plan_draft_enqueue(draft: PlanDraft) -> None:
    """Solve the draft in the worker once the request that queued it has committed."""
    draft_id = draft.pk
    transaction.on_commit(lambda: solve_plan_draft.enqueue(draft_id))


# --- the certification page's snapshot ---------------------------------------------------

# A requested recompute that no worker has done after this long is done by the next
# request (no worker running, or one stuck): figures are never further behind.
RETRY_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Freshness:
    built_at: datetime | None
    stale: bool  # the data changed since; a recompute is on its way


@task()
def refresh_progress() -> float:
    return services.progress_snapshot_refresh().seconds or 0.0


def request_progress_refresh() -> bool:
    """Enqueue one recompute unless one is already pending; True if this call enqueued."""
    claimed = ProgressSnapshot.objects.filter(
        pk=selectors.progress_snapshot().pk, pending=False
    ).update(pending=True, requested_at=timezone.now())
    if claimed:
        refresh_progress.enqueue()
    return bool(claimed)


def request_progress_refresh_on_commit(**_kwargs: Any) -> None:
    """Signal receiver for audited writes: recompute once the change is committed."""
    transaction.on_commit(request_progress_refresh)


def progress_current(*, today: date | None = None) -> tuple[selectors.ProgressFigures, Freshness]:
    """The page's figures from the snapshot, asking for a recompute when the data moved
    on: the first request after a change stays fast and says the figures' time."""
    today = today or timezone.localdate()
    snap = selectors.progress_snapshot()
    version = data_version()
    if snap.built_at is None:
        snap = services.progress_snapshot_refresh(today=today)  # never built: build now
    elif snap.built_version != version or snap.built_on != today:
        overdue = snap.requested_at and snap.requested_at < timezone.now() - RETRY_AFTER
        if snap.pending and overdue:
            snap = services.progress_snapshot_refresh(today=today)
        else:
            request_progress_refresh()
            snap = selectors.progress_snapshot()  # the immediate backend has recomputed
    stale = snap.built_version != version or snap.built_on != today
    figures = selectors.with_labels(selectors.figures_from_json(snap.figures))
    return figures, Freshness(snap.built_at, stale)


def progress_after_demo(*, stdout: Any) -> None:
    """Bulk demo loads write no audit entries: count the figures once they are in."""
    snap = services.progress_snapshot_refresh()
    stdout.write(f"  angka halaman sertifikasi: {snap.seconds:.1f} detik")
