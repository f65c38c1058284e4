"""Background work (django.tasks): the planner runs as a task.

The task receives the draft id only; everything else is read from the draft row. It
never leaves a draft "in progress": any crash ends it as failed with a message.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task

from sentra.certification import services
from sentra.certification.messages import PLAN_CRASHED
from sentra.certification.models import DraftStatus, PlanDraft

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
