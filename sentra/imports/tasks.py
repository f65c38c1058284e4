"""Background work (django.tasks): validation and commit each run as a task.

The task receives the job id only; everything else is read from the job row, so a task
enqueued by the web page and one run by `manage.py import_ikm` do the same thing.
Queuing lives here, beside the tasks: tasks call services, services never import tasks.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
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
    return commit_then_queue_duplicates(job=job, actor=actor).status


@task()
def find_import_duplicates(job_id: int) -> None:
    services.import_job_find_duplicates(job=ImportJob.objects.get(pk=job_id))


def commit_then_queue_duplicates(*, job: ImportJob, actor) -> ImportJob:
    """Phase 2, then the duplicate search as its own task: the rows are saved and the
    job says so while the search runs (it grows with the registry; 7–50 s for 100,000
    new rows against 400,000)."""
    job = services.import_job_commit(job=job, actor=actor)
    if job.status == JobStatus.COMMITTED:
        find_import_duplicates.enqueue(job.pk)
        job.refresh_from_db()  # an immediate backend has added its note already
    return job


def start_validation(*, job: ImportJob) -> None:
    """Queue phase 1 (after the job row is committed, so the worker can see it)."""
    services.import_job_reset_stale(job=job)
    job_id = job.pk
    transaction.on_commit(lambda: validate_import.enqueue(job_id))


def request_commit(*, job: ImportJob, actor) -> ImportJob:
    """Queue phase 2; the job shows "being saved" at once."""
    job = services.import_job_mark_committing(job=job)
    job_id, actor_id = job.pk, getattr(actor, "pk", None)
    transaction.on_commit(lambda: commit_import.enqueue(job_id, actor_id))
    return job
