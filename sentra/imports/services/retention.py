"""Deleting uploaded files (they hold NIK and phone numbers) after their time."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from sentra.imports.models import ImportJob, JobStatus
from sentra.imports.services.staging import _cache_path

logger = logging.getLogger(__name__)

# --- retention ---------------------------------------------------------------------------

FINISHED = {JobStatus.COMMITTED, JobStatus.REJECTED, JobStatus.COMMIT_FAILED, JobStatus.VALIDATED}


def import_files_purge(*, older_than_days: int, now: datetime | None = None) -> int:
    """Delete uploaded files (and their validated rows) of jobs that ended more than
    `older_than_days` ago; returns how many jobs lost their file.

    An uploaded file is a copy of somebody's list with NIK and phone numbers: it is kept
    only while the office may still need it (to re-download the row report). The job,
    its row report, each record's provenance (file name, sheet, row) and the audit trail
    stay.
    """
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    expired = list(
        ImportJob.objects.filter(status__in=FINISHED, updated_at__lt=cutoff).exclude(file="")
    )
    for job in expired:
        job.file.delete(save=False)
        _cache_path(job).unlink(missing_ok=True)
    # update(), not save(): updated_at keeps the date the job ended.
    ImportJob.objects.filter(pk__in=[j.pk for j in expired]).update(file="")
    if expired:
        logger.info("import files purged: %s jobs", len(expired))
    return len(expired)
