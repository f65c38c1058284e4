from pathlib import Path

import pytest


@pytest.fixture
def run_import(tmp_path):
    """Upload `content` as `name`, validate it, and commit it unless told not to."""
    from sentra.imports import services, tasks

    def _run(content: bytes, name: str, *, kind="sidt", actor=None, commit=True, **kwargs):
        path = Path(tmp_path) / name
        path.write_bytes(content)
        job = services.import_job_create(actor=actor, path=path, kind=kind, **kwargs)
        if job.status == "rejected":
            return job
        job = services.import_job_validate(job=job)
        if commit and job.status == "validated":
            job = tasks.commit_then_queue_duplicates(job=job, actor=actor)
        return job

    return _run


def registry_state():
    """Everything an import may write, to show that a failed one wrote nothing."""
    from sentra.audit.models import AuditEntry
    from sentra.registry.models import Ikm, IkmSource

    return (
        sorted(Ikm.objects.values_list("pk", "name", "data_as_of", "updated_at")),
        IkmSource.objects.count(),
        # Entries about the registry; the upload of the job itself is audited too.
        AuditEntry.objects.exclude(model__startswith="imports.").count(),
    )
