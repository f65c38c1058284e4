"""Validation and commit run batch by batch through a staging file of signed frames:
the result is the one of a single batch, and a staging file not written by this server
for this job, in this format, is refused."""

from __future__ import annotations

import pytest

from sentra.imports.models import ImportIssue
from sentra.imports.services import staging, validation
from sentra.imports.tests.conftest import registry_state
from sentra.imports.tests.samples import sentra_row, sentra_xlsx, sidt_csv, sidt_row
from sentra.linkage.models import CandidatePair
from sentra.registry.models import Ikm

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_batches(monkeypatch):
    monkeypatch.setattr(validation, "BATCH_ROWS", 2)


def test_repeats_are_found_across_batches(run_import, tiny_batches):
    # Rows 2 and 7 (the sheet's numbering) share a NIB, in different batches of two.
    rows = [sentra_row(n) for n in range(7)]
    rows[5]["nib"] = rows[0]["nib"]
    from sentra.imports.services import import_job_commit

    job = run_import(sentra_xlsx(rows), "ulang.xlsx", kind="survei", commit=False)
    job = import_job_commit(job=job, actor=None)  # without the duplicate search after it
    assert job.status == "committed", job.error
    assert (job.rows_valid, job.rows_warning, job.created_count) == (7, 1, 7)
    warning = ImportIssue.objects.get(job=job, severity="warning")
    assert warning.row == 7 and "sama dengan baris 2" in warning.message
    assert Ikm.objects.filter(nib=rows[0]["nib"]).count() == 1
    assert Ikm.objects.filter(nib="").count() + Ikm.objects.filter(nib__isnull=True).count() == 1
    pair = CandidatePair.objects.get()
    pair_ids = [pair.ikm_a_id, pair.ikm_b_id]
    names = set(Ikm.objects.filter(pk__in=pair_ids).values_list("name", flat=True))
    assert names == {"Endek Sumerta 0", "Endek Sumerta 5"}


def test_a_repeated_id_in_a_later_batch_is_an_error(run_import, tiny_batches):
    rows = [sidt_row(n) for n in range(5)]
    rows[4]["id_data_badan_usaha"] = rows[0]["id_data_badan_usaha"]
    job = run_import(sidt_csv(rows), "id.csv")
    assert job.status == "committed", job.error
    assert (job.rows_valid, job.rows_invalid, job.created_count) == (4, 1, 4)
    issue = ImportIssue.objects.get(job=job)
    assert issue.row == 6 and "sama dengan baris 2" in issue.message
    assert Ikm.objects.count() == 4


def _validated(run_import, name: str = "tahap.csv"):
    return run_import(sidt_csv([sidt_row(n) for n in range(3)]), name, commit=False)


def test_a_staging_file_of_the_old_format_is_refused_with_a_message(run_import):
    from sentra.imports.services import import_job_commit

    job = _validated(run_import)
    path = staging._cache_path(job)
    path.write_bytes(b"\x00" * 32 + b"\x80\x05]\x94.")  # a signature and a pickle, as before
    before = registry_state()
    job = import_job_commit(job=job, actor=None)
    assert job.status == "commit_failed"
    assert "versi Sentra sebelumnya" in job.error
    assert registry_state() == before


@pytest.mark.parametrize("damage", ["truncated", "altered", "missing"])
def test_a_damaged_staging_file_writes_nothing(run_import, damage):
    from sentra.imports.services import import_job_commit

    job = _validated(run_import)
    path = staging._cache_path(job)
    blob = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(blob[:-40])  # the closing frame is gone
    elif damage == "altered":
        path.write_bytes(blob[:-50] + bytes([blob[-50] ^ 1]) + blob[-49:])
    else:
        path.unlink()
    before = registry_state()
    job = import_job_commit(job=job, actor=None)
    assert job.status == "commit_failed"
    assert "tidak ditemukan" in job.error
    assert registry_state() == before


def test_frames_of_another_job_are_refused(run_import):
    from sentra.imports.services import import_job_commit

    first = _validated(run_import, "satu.csv")
    second = run_import(sidt_csv([sidt_row(n) for n in range(3, 6)]), "dua.csv", commit=False)
    staging._cache_path(second).write_bytes(staging._cache_path(first).read_bytes())
    job = import_job_commit(job=second, actor=None)
    assert job.status == "commit_failed" and "tidak ditemukan" in job.error


def test_a_file_rejected_halfway_leaves_no_issues_and_no_staging(run_import, monkeypatch):
    from sentra.imports.readers.base import FileRejected

    monkeypatch.setattr(validation, "BATCH_ROWS", 1)
    real = validation.RowValidator.validate
    calls = []

    def validate(self, row, cells, cell_issues=None):
        calls.append(row)
        if len(calls) == 4:
            raise FileRejected("rusak di tengah")
        return real(self, row, cells, cell_issues)

    monkeypatch.setattr(validation.RowValidator, "validate", validate)
    rows = [sidt_row(n) for n in range(5)]
    rows[0]["nik_pengusaha"] = "123"  # a warning on the first row, written before the end
    job = run_import(sidt_csv(rows), "tengah.csv")
    assert job.status == "rejected" and job.error == "rusak di tengah"
    assert not ImportIssue.objects.filter(job=job).exists()
    assert not staging._cache_path(job).exists()
