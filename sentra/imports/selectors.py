"""Reads for the import pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from sentra.accounts.permissions import import_jobs_scope
from sentra.imports.models import ImportIssue, ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("created_by")
    scope = import_jobs_scope(user)
    if scope is False:
        return qs.none()
    if scope is not None:
        qs = qs.filter(created_by_id=scope)
    return qs


def import_issue_summary(*, job: ImportJob) -> QuerySet:
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
    """IKM created (action="create") or updated ("update") by a committed job, from the
    audit trail: e.g. for the deduplication to look at what an import brought in."""
    from sentra.audit.models import AuditEntry

    qs = AuditEntry.objects.filter(model="registry.ikm", note=f"Impor #{job.pk}")
    if action:
        qs = qs.filter(action=action)
    return sorted(int(pk) for pk in qs.values_list("object_id", flat=True))
