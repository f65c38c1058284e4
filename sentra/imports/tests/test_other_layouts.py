"""Files as other offices and systems make them: a title block above the header, and
column names that are neither Sentra's nor SIDT's."""

import io

import pytest
from openpyxl import Workbook

from sentra.imports import services
from sentra.imports.header_guess import guess_mapping
from sentra.imports.models import ImportIssue
from sentra.imports.targets import IGNORE
from sentra.imports.tests.samples import SENTRA_HEADER, sentra_row
from sentra.registry.models import Ikm

pytestmark = pytest.mark.django_db

OFFICE_HEADER = [
    "No",
    "Nama Perusahaan / Pelaku Usaha",
    "Nama Pemilik",
    "NIK Pemilik",
    "Alamat Usaha",
    "Desa/Kelurahan",
    "Kecamatan",
    "Jenis Produk",
    "No. Telp/HP",
    "NIB",
    "Tanggal Terbit NIB",
    "KBLI",
    "Judul KBLI",
    "Tenaga Kerja L",
    "Tenaga Kerja P",
    "Nilai Investasi (Rp)",
    "Tahun Berdiri",
]


def test_the_mapping_guess_reads_other_systems_headers_by_their_words():
    guess = guess_mapping(OFFICE_HEADER)
    assert guess == {
        "No": IGNORE,
        "Nama Perusahaan / Pelaku Usaha": "name",
        "Nama Pemilik": "owner_name",
        "NIK Pemilik": "owner_nik",
        "Alamat Usaha": "address",
        "Desa/Kelurahan": "_desa",
        "Kecamatan": "_kecamatan",
        "Jenis Produk": "main_products",
        "No. Telp/HP": "owner_phone",
        "NIB": "nib",
        "Tanggal Terbit NIB": IGNORE,
        "KBLI": "kbli",
        "Judul KBLI": IGNORE,
        "Tenaga Kerja L": "workers_paid_male",
        "Tenaga Kerja P": "workers_paid_female",
        "Nilai Investasi (Rp)": "investment",
        "Tahun Berdiri": "started_year",
    }


def test_the_mapping_guess_reads_a_hand_made_list():
    guess = guess_mapping(["No.", "No. KTP", "Nama Lengkap", "Alamat Lengkap", "Nama Usaha"])
    assert list(guess.values()) == [IGNORE, "owner_nik", "owner_name", "address", "name"]


def _workbook(rows_above: list[list], header: list, rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows_above:
        ws.append(row)
    ws.append(header)
    for row in rows:
        ws.append(row)
    if rows_above:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_title_block_above_the_header_is_skipped_and_named(run_import):
    title = [["DATA IKM KOTA DENPASAR TAHUN 2025"], ["Sumber: Bidang Perindustrian"], []]
    rows = [[sentra_row(n).get(h, "") for h in SENTRA_HEADER] for n in (1, 2)]
    rows[1][SENTRA_HEADER.index("kode_desa")] = "51.71.99.9999"
    rows[1][SENTRA_HEADER.index("desa_kelurahan")] = "Antah Berantah"
    job = run_import(_workbook(title, SENTRA_HEADER, rows), "dinas.xlsx", kind="survei")

    assert job.layout == "sentra"  # recognised although the header is on row 4
    assert job.status == "committed", job.error
    assert job.created_count == 1
    assert any("Baris 1–2" in n and "DATA IKM KOTA DENPASAR" in n for n in job.notes)
    issue = ImportIssue.objects.get(job=job)
    assert issue.row == 6  # the sheet's own row number: 3 title rows, header, first row
    assert Ikm.objects.filter(name="Endek Sumerta 1").exists()


def test_a_csv_with_a_title_line_and_semicolons(run_import):
    content = (
        b"Daftar IKM binaan 2025\n"
        b"\n"
        b"Nama Usaha;Nama Pemilik;Desa/Kelurahan;Kecamatan;Jenis Produk\n"
        b"Pie Susu Dewata;I Made Sudarma;Dauh Puri Kelod;Denpasar Barat;pie susu\n"
    )
    job = run_import(content, "binaan.csv", kind="survei", commit=False)
    assert (job.status, job.layout) == ("validated", "guessed")
    assert job.header == [
        "Nama Usaha",
        "Nama Pemilik",
        "Desa/Kelurahan",
        "Kecamatan",
        "Jenis Produk",
    ]
    job = services.import_job_set_mapping(
        job=job, actor=None, mapping=guess_mapping(job.header), profile_name=""
    )
    job = services.import_job_validate(job=job)
    assert (job.status, job.rows_valid, job.rows_invalid) == ("validated", 1, 0)
    job = services.import_job_commit(job=job, actor=None)
    ikm = Ikm.objects.get(name="Pie Susu Dewata")
    assert (ikm.owner_name, ikm.desa_id, ikm.main_products) == (
        "I Made Sudarma",
        "51.71.03.2004",
        "pie susu",
    )


def test_a_workers_total_alone_is_kept_as_workers_without_detail(run_import):
    assert guess_mapping(["Nama Usaha", "Jumlah Tenaga Kerja"])["Jumlah Tenaga Kerja"] == (
        "workers_unspecified"
    )
    # Beside the split columns the total is their sum: not counted twice.
    assert guess_mapping(["Jumlah TK", "TK L", "TK P"]) == {
        "Jumlah TK": IGNORE,
        "TK L": "workers_paid_male",
        "TK P": "workers_paid_female",
    }
    content = b"Nama Usaha;Desa/Kelurahan;Jumlah Tenaga Kerja\nEndek Ayu;Sumerta Kelod;7 orang\n"
    job = run_import(content, "tk.csv", kind="survei", commit=False)
    job = services.import_job_set_mapping(
        job=job, actor=None, mapping=guess_mapping(job.header), profile_name=""
    )
    job = services.import_job_commit(job=services.import_job_validate(job=job), actor=None)
    assert job.status == "committed", job.error
    ikm = Ikm.objects.get(name="Endek Ayu")
    assert (ikm.workers_unspecified, ikm.workers_total, ikm.workers_male) == (7, 7, 0)
