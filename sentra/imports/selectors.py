"""Reads for the import pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet

from sentra.accounts.permissions import import_jobs_scope
from sentra.imports.models import ImportIssue, ImportJob, JobStatus
from sentra.lib.progress import Progress, board_elapsed, board_read, estimate

# The stages of a commit on the progress board: planning (reading the registry), writing.
COMMIT_PLANNING, COMMIT_WRITING = "commit_planning", "commit_writing"


def progress_key(job: ImportJob) -> str:
    return f"import-{job.pk}"


def import_job_progress(*, job: ImportJob) -> Progress:
    """Rows done, percentage and time left of the validation or the commit."""
    note = board_read(progress_key(job))
    if job.status == JobStatus.VALIDATING:
        return estimate(
            done=job.processed,
            total=job.total,
            elapsed=board_elapsed(note, stage=JobStatus.VALIDATING),
            stage=JobStatus.VALIDATING,
        )
    if job.status == JobStatus.COMMITTING and note and note.get("stage") == COMMIT_WRITING:
        return estimate(
            done=note.get("done"),
            total=note.get("total"),
            elapsed=board_elapsed(note),
            stage=COMMIT_WRITING,
        )
    stage = COMMIT_PLANNING if job.status == JobStatus.COMMITTING else str(job.status)
    return estimate(done=None, total=None, elapsed=0, stage=stage)


def import_job_list(*, user: Any) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("created_by")
    scope = import_jobs_scope(user)
    if scope is False:
        return qs.none()
    if scope is not None:
        qs = qs.filter(created_by_id=scope)
    return qs


def import_issue_summary(*, job: ImportJob) -> QuerySet[Any, Mapping[str, Any]]:
    """How often each column fails, largest first: the first thing to fix in the file."""
    return (
        ImportIssue.objects.filter(job=job)
        .values("column")
        .annotate(n=Count("id"), rows=Count("row", distinct=True))
        .order_by("-n", "column")
    )


def import_issues(*, job: ImportJob) -> QuerySet[ImportIssue]:
    return ImportIssue.objects.filter(job=job).order_by("row", "id")


def import_job_ikm_ids(*, job: ImportJob, action: str | None = None) -> list[int]:
    """IKM created (action="create") or updated ("update") by a committed job: each
    record's IkmSource points at the job that brought it; a created record's first
    source is that job's."""
    from django.db.models import F, OuterRef, Subquery

    from sentra.registry.models import IkmSource

    qs = IkmSource.objects.filter(import_job=job)
    if action:
        first = Subquery(
            IkmSource.objects.filter(ikm=OuterRef("ikm")).order_by("pk").values("pk")[:1]
        )
        qs = qs.annotate(first=first)
        qs = qs.filter(pk=F("first")) if action == "create" else qs.exclude(pk=F("first"))
    return sorted(set(qs.values_list("ikm_id", flat=True)))


def import_personal_columns(*, job: ImportJob) -> dict[str, str]:
    """The file's columns that the job's mapping reads into personal fields (NIK, phone,
    e-mail, birth date), each with its field: their cells are personal data wherever
    they are shown."""
    from sentra.accounts.permissions import PERSONAL_FIELDS

    return {h: t for h, t in (job.mapping or {}).items() if t in PERSONAL_FIELDS}
