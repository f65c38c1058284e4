"""Every bad input gets a clear Indonesian message, and the registry stays as it was."""

import io
from pathlib import Path

import pytest
from django.db import OperationalError
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sentra.imports.models import ImportIssue
from sentra.imports.tests.conftest import registry_state
from sentra.imports.tests.samples import (
    SENTRA_HEADER,
    sentra_row,
    sentra_xlsx,
    sidt_csv,
    sidt_row,
)
from sentra.registry.models import Ikm
from sentra.testing.factories import IkmFactory

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


@pytest.fixture
def before(db):
    IkmFactory(name="Sudah Ada")
    return registry_state()


def _xlsx(build) -> bytes:
    wb = Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sentra_sheet(ws, rows):
    ws.append(SENTRA_HEADER)
    for row in rows:
        ws.append([row.get(h, "") for h in SENTRA_HEADER])


def _rejected(job, *words):
    assert job.status == "rejected", (job.status, job.error)
    for word in words:
        assert word in job.error, job.error


@pytest.mark.parametrize("name", ["kosong.csv", "kosong.xlsx"])
def test_empty_file(run_import, before, name):
    _rejected(run_import(b"", name), "Berkas kosong")
    assert registry_state() == before


def test_header_only(run_import, before):
    _rejected(run_import(sidt_csv([]), "judul.csv"), "hanya berisi judul kolom")
    assert registry_state() == before


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (sidt_csv([sidt_row(0)]), "data.xlsx", ["berakhiran .xlsx", "teks/CSV"]),
        (sentra_xlsx([sentra_row(0)]), "data.csv", ["berakhiran .csv", "Excel (.xlsx)"]),
        (
            b"<html><table><tr><td>a</td></tr></table></html>",
            "data.xls",
            ["HTML", "simpan sebagai .xlsx"],
        ),
        (b"%PDF-1.7 ...", "data.xlsx", ["PDF"]),
        (sidt_csv([sidt_row(0)]), "data.docx", ["tidak didukung"]),
    ],
)
def test_wrong_type_behind_the_extension(run_import, before, content, name, words):
    _rejected(run_import(content, name), *words)
    assert registry_state() == before


def test_corrupt_workbook(run_import, before):
    content = sentra_xlsx([sentra_row(n) for n in range(20)])
    _rejected(run_import(content[: len(content) // 2], "rusak.xlsx"), "Berkas rusak")
    assert registry_state() == before


def test_password_protected_workbook(run_import, before):
    job = run_import((FILES / "terkunci.xlsx").read_bytes(), "terkunci.xlsx", kind="survei")
    _rejected(job, "dilindungi kata sandi")
    assert registry_state() == before


def test_a_formula_without_a_cached_value_costs_its_cell(run_import, before):
    def build(wb):
        _sentra_sheet(wb.active, [sentra_row(1), sentra_row(2)])
        column = get_column_letter(SENTRA_HEADER.index("investasi") + 1)
        wb.active[f"{column}3"] = f"={column}2*2"  # openpyxl stores no cached value

    job = run_import(_xlsx(build), "rumus.xlsx", kind="survei", commit=False)
    assert (job.rows_valid, job.rows_invalid, job.rows_warning) == (2, 0, 1)
    issue = ImportIssue.objects.get(job=job)
    assert (issue.row, issue.column, issue.severity) == (3, "investasi", "warning")
    assert "rumus (formula) tanpa nilai tersimpan" in issue.message
    assert any("investasi berisi rumus" in n for n in job.notes)
    assert registry_state() == before


def test_a_merged_header_cell_is_read_and_the_hidden_name_said(run_import, before):
    def build(wb):
        _sentra_sheet(wb.active, [sentra_row(1)])
        wb.active.merge_cells("B1:C1")  # hides C1 (bentuk_badan_usaha)

    job = run_import(_xlsx(build), "gabung.xlsx", kind="survei", commit=False)
    assert job.status == "validated", job.error
    assert any("Judul kolom kosong di C1" in n for n in job.notes)


def test_a_value_merged_down_belongs_to_every_row_of_the_merge(run_import, before):
    def build(wb):
        _sentra_sheet(wb.active, [sentra_row(1), sentra_row(2), sentra_row(3)])
        wb.active.merge_cells("V2:V3")  # kode_desa, written once for two rows

    job = run_import(_xlsx(build), "gabung.xlsx", kind="survei")
    assert job.status == "committed" and job.created_count == 3
    assert not ImportIssue.objects.filter(job=job).exists()
    assert any("digabung" in n for n in job.notes)
    names = dict(Ikm.objects.values_list("name", "desa_id"))
    assert names["Endek Sumerta 1"] == names["Endek Sumerta 2"]


def test_repeated_header_is_numbered_and_said(run_import, before):
    content = b"nama_usaha,kel_usaha,Nama_Usaha\nA,Dauh Puri,B\n"
    job = run_import(content, "ulang.csv", kind="survei", commit=False)
    assert job.header == ["nama_usaha", "kel_usaha", "Nama_Usaha (2)"]
    assert any("muncul dua kali" in n for n in job.notes)


def test_blank_header_cell_is_named_by_its_letter(run_import, before):
    content = b"nama_usaha,,kel_usaha\nA,x,Dauh Puri\n"
    job = run_import(content, "kosong.csv", kind="survei", commit=False)
    assert job.header == ["nama_usaha", "(kolom B)", "kel_usaha"]
    assert any("Judul kolom kosong di B1" in n for n in job.notes)
    assert job.status == "validated" and job.rows_valid == 1


def test_hidden_sheets_are_named_and_the_visible_one_read(run_import):
    def build(wb):
        hidden = wb.active
        hidden.title = "catatan"
        hidden.append(["bukan", "data"])
        hidden.sheet_state = "hidden"
        _sentra_sheet(wb.create_sheet("IKM 2025"), [sentra_row(1)])

    job = run_import(_xlsx(build), "lembar.xlsx", kind="survei")
    assert job.status == "committed", job.error
    assert "Lembar yang dibaca: 'IKM 2025'." in job.notes
    assert any("Lembar lain tidak dibaca: catatan (tersembunyi)" in n for n in job.notes)


def test_data_only_on_a_hidden_sheet(run_import, before):
    def build(wb):
        wb.active.title = "kosong"
        ws = wb.create_sheet("data")
        _sentra_sheet(ws, [sentra_row(1)])
        ws.sheet_state = "hidden"

    _rejected(run_import(_xlsx(build), "sembunyi.xlsx", kind="survei"), "lembar tersembunyi")
    assert registry_state() == before


def test_file_over_100_mb(tmp_path, before):
    from sentra.imports import services

    path = tmp_path / "besar.csv"
    with path.open("wb") as fh:
        fh.truncate(101 * 1024 * 1024)  # sparse: 101 MB without writing them
    job = services.import_job_create(actor=None, path=path, kind="survei")
    _rejected(job, "terlalu besar (101 MB)", "batasnya 100 MB")
    assert not job.file
    assert registry_state() == before


def test_more_than_a_million_rows(run_import, before):
    content = b"nama_usaha,kel_usaha\n" + b"A,Sanur\n" * 1_000_001
    _rejected(run_import(content, "sejuta.csv", kind="survei"), "batasnya 1.000.000 baris")
    assert registry_state() == before


def test_codes_turned_into_numbers_by_excel_are_reported(run_import, before):
    rows = [
        sentra_row(1),
        sentra_row(2, nik_pemilik=5171031204850010),  # ends in 0: may have been cut
        sentra_row(3, nib=812000000003),
        sentra_row(4, kode_kbli=1311),
        sentra_row(5, kode_pos=80239),
        sentra_row(6, rt=2),
    ]
    job = run_import(sentra_xlsx(rows), "angka.xlsx", kind="survei", commit=False)
    issues = {(i.row, i.column): i.message for i in ImportIssue.objects.filter(job=job)}
    assert set(issues) == {
        (3, "nik_pemilik"),
        (4, "nib"),
        (5, "kode_kbli"),
        (6, "kode_pos"),
        (7, "rt"),
    }
    assert all("tersimpan sebagai angka" in m for m in issues.values())
    assert "5171031204850010" in issues[(3, "nik_pemilik")]
    # Each costs its field only: every row is accepted, with a warning.
    assert (job.rows_valid, job.rows_invalid, job.rows_warning) == (6, 0, 5)
    assert registry_state() == before


def test_xls_workbook(run_import, before):
    job = run_import((FILES / "sentra.xls").read_bytes(), "sentra.xls", kind="survei")
    assert job.status == "committed", job.error
    # Row 3's NIK is a number cell: 16 digits not ending in 0 cannot have been cut by
    # Excel's 15 significant digits, and it passes the NIK check, so it is kept.
    assert (job.rows_valid, job.rows_invalid, job.rows_warning) == (2, 0, 0)
    assert Ikm.objects.get(name="Endek Sumerta 2").owner_nik == "5171031204850003"
    ikm = Ikm.objects.get(name="Endek Sumerta 1")
    assert (ikm.nib, ikm.desa_id, ikm.subsector_id) == ("0812000000001", "51.71.02.1006", "B16-10")


def _ods(rows, *, formula: bool = False) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="data")
    for values in rows:
        tr = TableRow()
        for value in values:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    if formula:
        tr = TableRow()
        tr.addElement(TableCell(valuetype="float", value=2, formula="of:=1+1"))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def test_ods_workbook(run_import):
    rows = [
        ["nama_usaha", "desa", "kode_kbli", "tk_dibayar_laki"],
        ["Tenun Ubung", "Ubung Kaja", "13112", 3],
    ]
    job = run_import(_ods(rows), "survei.ods", kind="survei", commit=False)
    assert (job.status, job.layout) == ("validated", "guessed")  # mapped by header words
    from sentra.imports import services

    services.import_job_set_mapping(
        job=job,
        actor=None,
        mapping={
            "nama_usaha": "name",
            "desa": "_desa",
            "kode_kbli": "kbli",
            "tk_dibayar_laki": "workers_paid_male",
        },
    )
    job = services.import_job_validate(job=job)
    job = services.import_job_commit(job=job, actor=None)
    assert job.status == "committed", job.error
    ikm = Ikm.objects.get(name="Tenun Ubung")
    assert (ikm.desa_id, ikm.kbli_id, ikm.workers_paid_male) == ("51.71.04.2008", "13112", 3)


def test_ods_with_formulas_reads_their_stored_values(run_import, before):
    rows = [["nama_usaha", "desa"], ["Tenun Ubung", "Ubung Kaja"]]
    job = run_import(_ods(rows, formula=True), "rumus.ods", kind="survei", commit=False)
    assert job.status == "validated", job.error
    assert any("rumus (formula)" in n for n in job.notes)


@pytest.mark.parametrize(
    "failure",
    [
        SystemError("proses dihentikan"),
        OperationalError("server closed the connection unexpectedly"),
    ],
    ids=["process-killed", "connection-dropped"],
)
def test_failure_mid_commit_leaves_no_partial_write(run_import, before, monkeypatch, failure):
    from sentra.imports import services
    from sentra.registry import services as registry_services

    monkeypatch.setattr(registry_services, "BULK_BATCH", 2)
    calls = []

    def crash(job, written):
        calls.append(written)
        if len(calls) == 2:
            raise failure

    monkeypatch.setattr(services.commit, "_checkpoint", crash)
    job = run_import(sidt_csv([sidt_row(n) for n in range(6)]), "putus.csv", commit=False)
    job = services.import_job_commit(job=job, actor=None)
    assert calls == [2, 4]  # two batches were written before the crash…
    assert job.status == "commit_failed"
    assert "tidak ada data yang berubah" in job.error
    assert registry_state() == before  # …and rolled back
    monkeypatch.setattr(services.commit, "_checkpoint", lambda job, written: None)
    job = services.import_job_commit(job=job, actor=None)
    assert job.status == "committed" and job.created_count == 6


def test_officer_may_import_only_into_their_kecamatan(run_import, before, officer_barat):
    rows = [sidt_row(0), sidt_row(2)]  # Denpasar Barat, Denpasar Selatan
    job = run_import(sidt_csv(rows), "petugas.csv", actor=officer_barat)
    assert job.status == "committed" and job.created_count == 1
    issue = ImportIssue.objects.get(job=job)
    assert issue.row == 3 and "tidak berwenang" in issue.message
    assert Ikm.objects.filter(name="Pie Susu Dewata 0").exists()
    assert not Ikm.objects.filter(name="Pie Susu Dewata 2").exists()


def test_a_reader_failing_halfway_is_reported(run_import, before, monkeypatch):
    from sentra.imports import validate

    def broken(self, row, cells, cell_issues=None):
        raise RuntimeError("panic in the reader")

    monkeypatch.setattr(validate.RowValidator, "validate", broken)
    job = run_import(sidt_csv([sidt_row(0)]), "aneh.csv")
    _rejected(job, "tidak dapat dibaca sampai habis (RuntimeError)", "Tidak ada data yang berubah")
    assert registry_state() == before
