from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from sentra.imports import services
from sentra.imports.models import ImportJob
from sentra.imports.tests.samples import sidt_csv, sidt_row
from sentra.registry.models import IkmSource

pytestmark = pytest.mark.django_db


def _age(job: ImportJob, days: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_it_deletes_old_upload_files_and_keeps_report_and_provenance(run_import):
    job = run_import(sidt_csv([sidt_row(n) for n in range(3)]), "sidt.csv")
    assert job.status == "committed", job.error
    stored = Path(job.file.path)
    assert stored.exists()
    _age(job, 31)

    assert services.import_files_purge(older_than_days=30) == 1

    job.refresh_from_db()
    assert not stored.exists() and not job.file
    assert (job.rows_valid, job.created_count) == (3, 3)  # the job's record stays
    # and every row's provenance: file name, sheet and row
    assert IkmSource.objects.filter(reference__startswith="sidt.csv").count() == 3
    assert services.import_files_purge(older_than_days=30) == 0


def test_it_keeps_recent_files(run_import):
    old = run_import(sidt_csv([sidt_row(1)]), "a.csv")
    recent = run_import(sidt_csv([sidt_row(2)]), "b.csv")
    _age(old, 40)
    _age(recent, 10)

    call_command("import_files_purge", "--days", "30", stdout=StringIO())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file
    assert recent.file and Path(recent.file.path).exists()


def test_the_job_page_says_the_file_was_deleted(run_import, client, admin_user):
    job = run_import(sidt_csv([sidt_row(1)]), "sidt.csv")
    _age(job, 31)
    services.import_files_purge(older_than_days=30)
    client.force_login(admin_user)
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert 'data-testid="file-purged"' in page
    assert 'data-testid="report-all"' not in page
