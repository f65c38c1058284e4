from datetime import date

import pytest

from sentra.audit.models import AuditEntry
from sentra.imports.models import ImportIssue
from sentra.imports.tests.conftest import registry_state
from sentra.imports.tests.samples import SIDT_HEADER, sidt_csv, sidt_row
from sentra.registry.models import Ikm, IkmSource

pytestmark = pytest.mark.django_db


def test_sidt_header_is_the_49_columns_of_the_export():
    assert len(SIDT_HEADER) == 49
    assert "tk_not_dibayar_disabil_perempua" in SIDT_HEADER


def test_it_imports_a_sidt_export_as_it_comes(run_import):
    job = run_import(sidt_csv([sidt_row(n) for n in range(5)]), "sidt.csv")
    assert job.status == "committed", job.error
    assert job.layout == "sidt"
    assert (job.rows_valid, job.rows_invalid, job.created_count) == (5, 0, 5)
    ikm = Ikm.objects.get(name="Pie Susu Dewata 0")
    assert ikm.desa_id == "51.71.03.2004"  # "DAUH PURI KLOD" = Dauh Puri Kelod
    assert ikm.kecamatan_id == "51.71.03"
    assert ikm.nib == "0912000000000"  # leading zero kept
    assert ikm.owner_sex == "L" and ikm.owner_education == "sma"
    assert ikm.legal_form == "perorangan"
    assert ikm.kbli_id == "10710"
    assert ikm.workers_total == 4 and ikm.workers_unpaid_disabled_female == 0
    assert ikm.data_as_of == date(2024, 11, 2)
    assert ikm.owner_region == "DAUH PURI KLOD, DENPASAR BARAT, KOTA DENPASAR, BALI"
    assert ikm.owner_address.endswith("RT 001")
    assert Ikm.objects.get(name="Pie Susu Dewata 1").desa_id == "51.71.03.1010"  # Padang Sambian
    assert Ikm.objects.get(name="Pie Susu Dewata 2").desa_id == "51.71.01.2009"  # Densel
    source = IkmSource.objects.get(ikm=ikm)
    assert source.kind == "sidt" and source.external_id == "700000"
    assert source.reference == "sidt.csv › CSV › baris 2"
    entry = AuditEntry.objects.get(model="registry.ikm", object_id=str(ikm.pk))
    assert entry.action == "create" and entry.source == source.reference
    assert entry.note == f"Impor #{job.pk}"
    from sentra.imports.selectors import import_job_ikm_ids

    assert import_job_ikm_ids(job=job) == sorted(Ikm.objects.values_list("pk", flat=True))
    assert entry.changes["name"] == [None, "Pie Susu Dewata 0"]


def test_reimporting_the_same_file_changes_nothing(run_import):
    content = sidt_csv([sidt_row(n) for n in range(4)])
    run_import(content, "sidt.csv")
    before = registry_state()
    again = run_import(content, "sidt-lagi.csv")
    assert again.status == "committed"
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert registry_state() == before


def test_a_new_export_of_the_same_data_changes_nothing(run_import):
    run_import(sidt_csv([sidt_row(n) for n in range(3)]), "a.csv")
    before = registry_state()
    # Pulled again later: other file, same records, same updated_at.
    rows = [sidt_row(n, pulled_at="2025-02-01 09:00:00") for n in range(3)]
    job = run_import(sidt_csv(rows), "b.csv")
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 3)
    assert registry_state() == before


def test_newer_data_update_and_older_data_do_not(run_import):
    run_import(sidt_csv([sidt_row(0), sidt_row(1)]), "a.csv")
    rows = [
        sidt_row(0, updated_at="2025-03-01 10:00:00", tk_dibayar_laki="5"),
        sidt_row(1, updated_at="2023-01-01 10:00:00", tk_dibayar_laki="9"),
    ]
    job = run_import(sidt_csv(rows), "b.csv")
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    newer = Ikm.objects.get(name="Pie Susu Dewata 0")
    assert newer.workers_paid_male == 5 and newer.workers_total == 8
    assert newer.data_as_of == date(2025, 3, 1)
    assert Ikm.objects.get(name="Pie Susu Dewata 1").workers_paid_male == 1
    update = AuditEntry.objects.get(model="registry.ikm", object_id=str(newer.pk), action="update")
    assert update.changes["workers_paid_male"] == [1, 5]
    assert "b.csv" in update.source
    assert IkmSource.objects.filter(ikm=newer).count() == 2


def test_bad_rows_are_reported_and_only_valid_rows_committed(run_import):
    rows = [
        sidt_row(0),
        sidt_row(1, nik_pengusaha="5.17103120485E+15"),
        sidt_row(2, kode_kbli="1071"),
        sidt_row(3, kel_usaha="Kuta", kab_usaha="KABUPATEN BADUNG"),
        sidt_row(4, kel_usaha="Legian"),
        sidt_row(5, tahun_mulai_operasi="2999"),
        sidt_row(6, nama_usaha=""),
        sidt_row(7),
    ]
    job = run_import(sidt_csv(rows), "campur.csv", commit=False)
    assert job.status == "validated"
    # Refused: outside the city, a desa not in it, no name. The rest lose a field only.
    assert (job.rows_valid, job.rows_invalid, job.rows_warning) == (5, 3, 3)
    issues = {(i.row, i.column): i.message for i in ImportIssue.objects.filter(job=job)}
    assert "notasi ilmiah" in issues[(3, "nik_pengusaha")]
    assert "nol di depan hilang" in issues[(4, "kode_kbli")]
    assert "di luar Kota Denpasar" in issues[(5, "kab_usaha")]
    assert "tidak ada di Kota Denpasar" in issues[(6, "kel_usaha")]
    assert "Tahun mulai harus antara 1900" in issues[(7, "tahun_mulai_operasi")]
    assert (8, "nama_usaha") in issues
    assert registry_state() == ([], 0, 0)  # validation writes nothing

    from sentra.imports.services import import_job_commit

    job = import_job_commit(job=job, actor=None)
    assert job.status == "committed" and job.created_count == 5
    assert sorted(Ikm.objects.values_list("name", flat=True)) == [
        f"Pie Susu Dewata {n}" for n in (0, 1, 2, 5, 7)
    ]
    missing = dict(Ikm.objects.values_list("name", "incomplete_fields"))
    assert missing["Pie Susu Dewata 1"] == ["owner_nik"]
    assert missing["Pie Susu Dewata 2"] == ["kbli"]
    assert missing["Pie Susu Dewata 5"] == ["started_year"]
    assert missing["Pie Susu Dewata 0"] == []


def test_duplicate_ids_inside_one_file_are_reported(run_import):
    rows = [sidt_row(0), sidt_row(1, id_data_badan_usaha="700000")]
    job = run_import(sidt_csv(rows), "dup.csv", commit=False)
    issue = ImportIssue.objects.get(job=job)
    assert issue.row == 3 and "sama dengan baris 2" in issue.message


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ",", False), ("utf-8", ";", True), ("cp1252", ";", False)],
)
def test_encodings_and_delimiters(run_import, encoding, delimiter, bom):
    rows = [sidt_row(0, nama_usaha="Kopi Bubuk Ñoman"), sidt_row(1)]
    content = sidt_csv(rows, delimiter=delimiter, encoding=encoding)
    if bom:
        content = b"\xef\xbb\xbf" + content
    job = run_import(content, "sidt.csv")
    assert job.status == "committed", job.error
    assert Ikm.objects.filter(name="Kopi Bubuk Ñoman").exists()
