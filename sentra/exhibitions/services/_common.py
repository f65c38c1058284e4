"""Helpers several service modules share: a background run's start and failure."""

from __future__ import annotations

from django.utils import timezone

from sentra.exhibitions.models import (
    BackgroundRun,
    RunStatus,
)


def _run_fail(run: BackgroundRun, message: str) -> BackgroundRun:
    BackgroundRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return BackgroundRun.objects.get(pk=run.pk)


def _run_start(run: BackgroundRun) -> BackgroundRun | None:
    """Mark a queued run as running; None when it was already taken or finished."""
    taken = BackgroundRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING
    )
    return BackgroundRun.objects.get(pk=run.pk) if taken else None
