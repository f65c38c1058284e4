"""Background work: the registry-wide duplicate pass (django.tasks)."""

from typing import Any

from django.tasks import task


@task
def find_duplicates_task(*, run_id: int, user_id: int | None = None) -> int:
    from sentra.accounts.models import User
    from sentra.linkage.models import DedupeRun
    from sentra.linkage.services import find_duplicates

    actor = User.objects.filter(pk=user_id).first() if user_id else None
    run = find_duplicates(actor=actor, run=DedupeRun.objects.get(pk=run_id))
    return run.found


def dedupe_start(*, actor: Any) -> bool:
    """Start a pass in the background unless one is under way; True if started."""
    from sentra.linkage.services import dedupe_run_create

    run = dedupe_run_create(actor=actor)
    if run is None:
        return False
    find_duplicates_task.enqueue(run_id=run.pk, user_id=run.started_by_id)
    return True
