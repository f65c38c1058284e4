"""Import jobs: storing an upload (or a file on disk) and choosing its mapping."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from sentra.audit.services import actor_user, audit_log
from sentra.imports.layouts import header_signature
from sentra.imports.models import ImportJob, JobStatus, MappingProfile
from sentra.imports.readers.base import max_bytes, too_large_message
from sentra.imports.targets import IGNORE, TARGETS

# --- job creation -----------------------------------------------------------------------


@transaction.atomic
def import_job_create(
    *,
    actor: Any,
    upload: UploadedFile[Any] | None = None,
    path: Path | None = None,
    kind: str,
    data_as_of: date | None = None,
    sheet_name: str = "",
) -> ImportJob:
    """Store an uploaded file (or a file on disk, for the command) as a new job."""
    from django.core.files import File

    if upload is not None:
        # Django sets both on every upload it hands to a view.
        name, size = upload.name or "", upload.size or 0
    else:
        assert path is not None
        name, size = path.name, path.stat().st_size
    if size > max_bytes():
        # Refused before hashing or storing it.
        refused = ImportJob(
            created_by=actor_user(actor),
            original_name=name[:255],
            sha256="",
            size=size,
            kind=kind,
            data_as_of=data_as_of,
            sheet_name=sheet_name,
            status=JobStatus.REJECTED,
            error=too_large_message(size),
        )
        return _saved_and_audited(refused, actor)
    digest = hashlib.sha256()
    content: File[Any]
    if upload is not None:
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        content = upload
    else:
        assert path is not None
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                digest.update(chunk)
        content = File(path.open("rb"), name=path.name)
    job = ImportJob(
        created_by=actor_user(actor),
        original_name=name[:255],
        sha256=digest.hexdigest(),
        size=size,
        kind=kind,
        data_as_of=data_as_of,
        sheet_name=sheet_name,
    )
    job.file.save(name, content, save=False)
    if upload is None:
        content.close()
    return _saved_and_audited(job, actor)


@transaction.atomic
def _saved_and_audited(job: ImportJob, actor: Any) -> ImportJob:
    job.save()
    # Who brought which file in (its name and hash; its rows are audited at commit).
    fields = ("original_name", "sha256", "size", "kind", "status")
    audit_log(
        actor=actor,
        obj=job,
        action="upload",
        changes={f: [None, getattr(job, f)] for f in fields},
    )
    return job


# --- mapping ----------------------------------------------------------------------------


@transaction.atomic
def import_job_set_mapping(
    *, job: ImportJob, actor: Any, mapping: dict[str, str], profile_name: str = ""
) -> ImportJob:
    """Use this mapping for the job; with a name, also save it as a reusable profile."""
    clean = {h: (t if t in TARGETS else IGNORE) for h, t in mapping.items() if h in job.header}
    profile = None
    if profile_name:
        profile = MappingProfile.objects.create(
            name=profile_name[:100],
            kind=job.kind,
            mapping=clean,
            signature=header_signature(job.header),
            created_by=actor_user(actor),
        )
        audit_log(actor=actor, obj=profile, action="create", changes={"mapping": [None, clean]})
    job.mapping = clean
    job.profile = profile
    job.status = JobStatus.UPLOADED
    job.error = ""
    job.save()
    return job


@transaction.atomic
def import_job_use_profile(*, job: ImportJob, profile: MappingProfile) -> ImportJob:
    """Validate this job with a saved mapping profile (the command's --profile)."""
    job.mapping = {h: profile.mapping.get(h, IGNORE) for h in profile.mapping}
    job.profile = profile
    job.save(update_fields=["mapping", "profile", "updated_at"])
    return job


def import_job_reset_stale(*, job: ImportJob) -> None:
    """A validation whose worker went silent starts again from "uploaded"."""
    if job.stale and job.status in (JobStatus.UPLOADED, JobStatus.VALIDATING):
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.UPLOADED, updated_at=timezone.now()
        )
