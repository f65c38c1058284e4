"""Reads for the import pages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from sentra.accounts.models import Role
from sentra.imports.models import ImportIssue, ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("created_by")
    if user.role != Role.ADMIN:
        qs = qs.filter(created_by=user)
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
