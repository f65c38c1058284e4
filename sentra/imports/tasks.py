"""Background work (django.tasks): validation and commit each run as a task.

The task receives the job id only; everything else is read from the job row, so a task
enqueued by the web page and one run by `manage.py import_ikm` do the same thing.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.tasks import task

from sentra.imports import services
from sentra.imports.models import ImportJob, JobStatus

logger = logging.getLogger(__name__)


@task()
def validate_import(job_id: int) -> str:
    job = ImportJob.objects.get(pk=job_id)
    try:
        job = services.import_job_validate(job=job)
    except Exception:  # never leave a job "in progress" forever
        logger.exception("import %s: validation crashed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=JobStatus.REJECTED,
            error="Pemeriksaan berkas gagal karena kesalahan sistem; tidak ada data yang berubah.",
        )
        raise
    return job.status


@task()
def commit_import(job_id: int, actor_id: int | None) -> str:
    job = ImportJob.objects.get(pk=job_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    job = services.import_job_commit(job=job, actor=actor)
    return job.status


@task()
def find_import_duplicates(job_id: int) -> None:
    services.import_job_find_duplicates(job=ImportJob.objects.get(pk=job_id))
