"""Background work (django.tasks): the planner runs as a task, and so does the recount of
the certification page's figures (`progress_current` reads them and asks for it).

The task receives the draft id only; everything else is read from the draft row. It
never leaves a draft "in progress": any crash ends it as failed with a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from sentra.certification import selectors, services
from sentra.certification.messages import PLAN_CRASHED
from sentra.certification.models import DraftStatus, PlanDraft
from sentra.lib.freshness import keep_current, request_rebuild

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


@dataclass(frozen=True)
class Freshness:
    built_at: datetime | None
    stale: bool  # the data changed since; a recompute is on its way


@task()
def refresh_progress() -> float:
    return services.progress_snapshot_refresh().seconds or 0.0


def request_progress_refresh() -> bool:
    """Enqueue one recompute unless one is already pending; True if this call enqueued."""
    return request_rebuild(selectors.progress_snapshot(), enqueue=refresh_progress.enqueue)


def request_progress_refresh_on_commit(**_kwargs: Any) -> None:
    """Signal receiver for audited writes: recompute once the change is committed."""
    transaction.on_commit(request_progress_refresh)


def progress_current(*, today: date | None = None) -> tuple[selectors.ProgressFigures, Freshness]:
    """The page's figures from the snapshot, asking for a recompute when the data moved
    on (the rule: `sentra.lib.freshness`): the first request after a change stays fast
    and says the figures' time."""
    day = today or timezone.localdate()
    kept = keep_current(
        selectors.progress_snapshot(),
        rebuild=lambda: services.progress_snapshot_refresh(today=day),
        enqueue=request_progress_refresh,
        today=day,
    )
    figures = selectors.with_labels(selectors.figures_from_json(kept.row.figures))
    return figures, Freshness(kept.row.built_at, kept.stale)


def progress_after_demo(*, stdout: Any) -> None:
    """Bulk demo loads write no audit entries: count the figures once they are in."""
    snap = services.progress_snapshot_refresh()
    stdout.write(f"  angka halaman sertifikasi: {snap.seconds:.1f} detik")
