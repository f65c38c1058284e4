"""Background runs (selection, student search): their progress bar and its htmx poll."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sentra.accounts.permissions import (
    require_manage_exhibitions,
)
from sentra.exhibitions import services
from sentra.exhibitions.models import (
    BackgroundRun,
    RunKind,
)

# Queued for long: no db_worker is taking tasks (say so instead of a silent wait).
STALE_QUEUE_SECONDS = 20


def _run_context(run: BackgroundRun) -> dict:
    """What the progress bar shows: percent, best so far, seconds left."""
    p = dict(run.progress or {})
    elapsed = float(p.get("elapsed") or 0)
    if run.kind == RunKind.SELECTION:
        limit = float(p.get("limit") or services.SELECTION_TIME_LIMIT)
        percent = min(99, int(100 * elapsed / limit)) if limit else 0
        left: float | None = max(0.0, limit - elapsed)
    else:
        percent = int(p.get("percent") or 0)
        # The rest at the pace so far; unknown until some work is done.
        left = elapsed * (100 - percent) / percent if percent else None
    if not run.running:
        percent = 100
    waited = (timezone.now() - run.created_at).total_seconds()
    return {
        "run": run,
        "run_progress": {**p, "percent": percent, "left": left},
        "worker_missing": run.status == "antre" and waited > STALE_QUEUE_SECONDS,
    }


@require_safe
def run_progress(request, pk: int):
    """htmx partial, polled while a run works; reloads the page once it is done."""
    run = get_object_or_404(BackgroundRun, pk=pk)
    if run.kind == RunKind.STUDENT_MATCH:
        require_manage_exhibitions(request.user)
    response = render(request, "exhibitions/_run_progress.html", _run_context(run))
    if not run.running and request.htmx:
        response["HX-Refresh"] = "true"
    return response
