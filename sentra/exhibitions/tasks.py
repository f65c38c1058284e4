"""Background work (django.tasks): the selection solver and the search of every student
in the whole registry (at 100× today's registry the engine needs minutes, more than a
request may take). Each task gets the run's id; the page polls the run's progress."""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.exhibitions import services
from sentra.exhibitions.models import BackgroundRun, RunKind, RunStatus

logger = logging.getLogger(__name__)


def _crashed(run_id: int) -> None:
    logger.exception("exhibition run %s crashed", run_id)
    BackgroundRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED,
        error=_("Proses berhenti karena galat; hubungi admin."),
        finished_at=timezone.now(),
    )


@task()
def selection_run_task(run_id: int) -> str:
    try:
        run = services.selection_run_background(run=BackgroundRun.objects.get(pk=run_id))
    except Exception:
        _crashed(run_id)
        raise
    return run.status


@task()
def student_links_find_task(run_id: int) -> str:
    try:
        run = services.student_links_run_background(run=BackgroundRun.objects.get(pk=run_id))
    except Exception:
        _crashed(run_id)
        raise
    return run.status


def run_enqueue(run: BackgroundRun) -> None:
    """Start the run's task once the request that queued it has committed."""
    run_id = run.pk
    chosen = selection_run_task if run.kind == RunKind.SELECTION else student_links_find_task
    transaction.on_commit(lambda: chosen.enqueue(run_id))
