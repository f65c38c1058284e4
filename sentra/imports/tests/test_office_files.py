"""Files as the office and its field surveys make them: every data row lands, every
conversion is said, a bad value costs its field and not the record."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sentra.imports.models import ImportIssue, ImportJob, Severity
from sentra.imports.tests.clerk import NIK_CUT, NIK_KEPT, ROWS, clerk_workbook
from sentra.linkage.models import CandidatePair
from sentra.registry.models import Ikm, IkmSource
from sentra.testing.factories import valid_nik

pytestmark = pytest.mark.django_db


def _check_clerk_result(job: ImportJob) -> None:
    assert job.status == "committed", (job.status, job.error)
    assert job.created_count == len(ROWS) and job.rows_invalid == 0
    notes = " ".join(job.notes)
    assert "DATA IKM 2024" in notes and "Rekap" in notes  # which sheet, and the other one
    assert "JUMLAH" in notes and "Mengetahui" in notes and "NIP." in notes
    assert "Omzet/Bulan (Rp)" in notes and "dikali 12" in notes
    assert "Jumlah TK" in notes and "rumus" in notes
    assert "Tenaga Kerja L" in notes  # the guessed mapping is listed
    by_name = {i.name: i for i in Ikm.objects.all()}
    assert set(by_name) == {r[0] for r in ROWS}

    pie = by_name["Pie Susu Men Tempe"]
    assert pie.owner_nik == NIK_KEPT  # a number that cannot have been cut is kept
    assert pie.owner_phone == "081234567890"  # the 0 the number cell dropped
    assert (pie.workers_paid_male, pie.workers_paid_female, pie.workers_total) == (2, 3, 5)
    assert pie.started_year == 2015 and pie.investment == 750_000
    assert pie.annual_turnover == 36_000_000  # Rp 3.000.000 a month
    assert pie.address == "Jl. Gunung Agung 12" and pie.desa.name == "Padangsambian"
    assert pie.owner_email == "usaha1@contoh.id" and pie.incomplete_fields == []

    endek = by_name["Endek Ayu"]
    assert endek.owner_nik == "" and endek.incomplete_fields == ["owner_nik"]
    assert endek.started_year == 2010  # Excel serial 40179 = 2010-01-01
    assert endek.investment == 2_500_000 and endek.owner_phone == "081234567891"
    warning = ImportIssue.objects.get(job=job, row=7, column="NIK")
    assert warning.severity == Severity.WARNING and NIK_CUT in warning.message

    perak = by_name["Perak Sari"]
    assert perak.owner_nik == valid_nik(serial=3332)  # the apostrophe is gone
    assert perak.investment == 1_500_000 and perak.annual_turnover == 9_000_000
    assert perak.owner_phone == "081337778899"

    dupa = by_name["Dupa Wangi"]
    assert dupa.owner_phone == "" and dupa.incomplete_fields == ["owner_phone"]
    assert dupa.started_year == 2018

    kopi = by_name["Kopi Bubuk Bali"]
    assert kopi.owner_phone == "081805550123"
    assert kopi.investment is None and kopi.incomplete_fields == ["investment"]
    formula = ImportIssue.objects.get(job=job, row=11, column="Investasi (Rp)")
    assert "rumus" in formula.message and formula.severity == Severity.WARNING
    assert job.rows_warning == 3
    # Found by key, not by note text.
    assert IkmSource.objects.filter(import_job=job).count() == len(ROWS)


def test_a_clerks_workbook_lands_from_the_command(tmp_path, capsys):
    path = Path(tmp_path) / "DATA IKM 2024 (final).xlsx"
    path.write_bytes(clerk_workbook())
    call_command("import_ikm", str(path), "--commit")
    out = capsys.readouterr().out
    assert "Pemetaan: Pemetaan ditebak dari judul kolom" in out
    assert "Omzet/Bulan (Rp) → Omzet per tahun" in out
    assert "Tersimpan: 5 IKM baru" in out
    _check_clerk_result(ImportJob.objects.get())


def test_a_clerks_workbook_lands_from_the_web_page(client, admin_user, monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, *a, **k: fn())
    client.force_login(admin_user)
    file = SimpleUploadedFile("data ikm.xlsx", clerk_workbook())
    client.post("/impor/", {"file": file, "kind": "survei"})
    job = ImportJob.objects.get()
    assert job.status == "validated", job.error
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert 'data-testid="rows-warning">3<' in page
    client.post(f"/impor/{job.pk}/simpan/")
    job.refresh_from_db()
    _check_clerk_result(job)

    listing = client.get("/ikm/", {"perlu_dilengkapi": "on", "status": "active"})
    text = listing.content.decode()
    assert "Endek Ayu" in text and "Dupa Wangi" in text and "Pie Susu Men Tempe" not in text
    assert "NIK pemilik" in text  # what is missing, by name
    endek = Ikm.objects.get(name="Endek Ayu")
    assert "Perlu dilengkapi" in client.get(f"/ikm/{endek.pk}/").content.decode()


def test_completing_the_field_takes_the_ikm_off_the_list(run_import):
    job = run_import(clerk_workbook(), "data.xlsx", kind="survei")
    assert job.status == "committed"
    endek = Ikm.objects.get(name="Endek Ayu")
    endek.owner_nik = valid_nik(serial=4561)
    endek.save()
    endek.refresh_from_db()
    assert endek.incomplete_fields == []


def _csv(rows: list[list], delimiter=",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode()


# KoboToolbox "XML values and headers" CSV export (support.kobotoolbox.org, "Exporting
# and downloading your data"): group paths joined with "/", a geopoint question as a
# "lat lon alt precision" column plus _<name>_latitude/_longitude/_altitude/_precision,
# a select-multiple question as its space-separated choices plus one 0/1 column per
# choice, and the metadata _id, _uuid, _submission_time, _validation_status, _notes,
# _status, _submitted_by, __version__, _tags, _index. Kobo's CSV uses ";" by default.
KOBO_HEADER = [
    "start",
    "end",
    "identitas/nama_usaha",
    "identitas/nama_pemilik",
    "identitas/nik",
    "identitas/no_hp",
    "lokasi/kecamatan",
    "lokasi/kelurahan",
    "produk",
    "produk/kain_tenun",
    "produk/perak",
    "lokasi_gps",
    "_lokasi_gps_latitude",
    "_lokasi_gps_longitude",
    "_lokasi_gps_altitude",
    "_lokasi_gps_precision",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]


def test_a_kobo_export_imports_as_it_comes(run_import):
    rows = [KOBO_HEADER]
    for n in range(3):
        rows.append(
            [
                "2024-11-02T09:12:01.000+08:00",
                "2024-11-02T09:20:44.000+08:00",
                f"Tenun Ikat {n}",
                f"Ni Luh Ayu {n}",
                valid_nik(serial=100 + n),
                f"0813377700{n}1",
                "denpasar_timur",
                "sumerta_kelod",
                "kain_tenun perak",
                "1",
                "1",
                "-8.6561 115.2332 30 4.5",
                "-8.6561",
                "115.2332",
                "30",
                "4.5",
                str(2001 + n),
                f"b1f0c4a6-8f3e-4c1e-9a1d-00000000000{n}",
                "2024-11-02T01:20:50",
                "",
                "",
                "submitted_via_web",
                "petugas1",
                "vX7sa",
                "",
                n + 1,
            ]
        )
    job = run_import(
        _csv(rows, ";"), "IKM_survei_2024_-_latest_version_-_False_-_2024-11-03.csv", kind="survei"
    )
    assert job.status == "committed", (job.error, list(ImportIssue.objects.values_list("message")))
    assert job.created_count == 3 and job.rows_invalid == 0
    ikm = Ikm.objects.get(name="Tenun Ikat 1")
    assert ikm.desa.name == "Sumerta Kelod" and ikm.owner_name == "Ni Luh Ayu 1"
    assert str(ikm.latitude) == "-8.656100" and ikm.main_products == "kain_tenun perak"
    assert ikm.data_as_of.isoformat() == "2024-11-02"
    source = IkmSource.objects.get(ikm=ikm)
    assert source.external_id == "b1f0c4a6-8f3e-4c1e-9a1d-000000000001"


# ODK Central CSV export (docs.getodk.org "Central submissions", "Downloading data"):
# SubmissionDate first, group paths joined with "-", a geopoint split into
# <name>-Latitude/-Longitude/-Altitude/-Accuracy, meta-instanceID, then KEY,
# SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected, Status,
# ReviewState, DeviceID, Edits, FormVersion.
ODK_HEADER = [
    "SubmissionDate",
    "identitas-nama_usaha",
    "identitas-pemilik",
    "identitas-telepon",
    "lokasi-kecamatan",
    "lokasi-desa",
    "lokasi-titik-Latitude",
    "lokasi-titik-Longitude",
    "lokasi-titik-Altitude",
    "lokasi-titik-Accuracy",
    "usaha-omzet_per_bulan",
    "meta-instanceID",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
]


def test_an_odk_central_export_imports_as_it_comes(run_import):
    rows = [ODK_HEADER]
    for n in range(2):
        uuid = f"uuid:7d3c6b52-1f1e-4f7b-8a43-00000000000{n}"
        rows.append(
            [
                "2024-10-05T03:14:15.926Z",
                f"Ukiran Kayu {n}",
                f"I Nyoman Sutha {n}",
                f"+62 812 3900 11{n}2",
                "Denpasar Utara",
                "Peguyangan Kangin",
                "-8.6167",
                "115.2056",
                "45.2",
                "3.9",
                "4000000",
                uuid,
                uuid,
                "17",
                "enumerator01",
                "0",
                "0",
                "",
                "approved",
                "collect:abc",
                "0",
                "2024101501",
            ]
        )
    job = run_import(_csv(rows), "ikm_survei.csv", kind="survei")
    assert job.status == "committed", (job.error, list(ImportIssue.objects.values_list("message")))
    assert job.created_count == 2
    ikm = Ikm.objects.get(name="Ukiran Kayu 1")
    assert ikm.owner_name == "I Nyoman Sutha 1" and ikm.owner_phone == "081239001112"
    assert ikm.annual_turnover == 48_000_000 and str(ikm.longitude) == "115.205600"
    assert IkmSource.objects.get(ikm=ikm).external_id.startswith("uuid:7d3c6b52")


def test_two_rows_with_one_nib_keep_both_and_go_to_review(run_import):
    header = ["Nama Usaha", "NIB", "Kelurahan", "Kecamatan", "Produk"]
    rows = [
        header,
        ["Pie Susu Dewata", "9120001234567", "Sanur Kaja", "Denpasar Selatan", "pie susu"],
        ["Pie Susu Dewata Sanur", "9120001234567", "Sanur Kaja", "Denpasar Selatan", "pie"],
    ]
    job = run_import(_csv(rows), "nib ganda.csv", kind="survei")
    assert job.status == "committed" and job.created_count == 2
    first = Ikm.objects.get(nib="9120001234567")
    second = Ikm.objects.get(name="Pie Susu Dewata Sanur")
    assert second.nib == "" and second.main_products == "pie"
    pair = CandidatePair.objects.get()
    assert {pair.ikm_a_id, pair.ikm_b_id} == {first.pk, second.pk}
    assert "baris 2" in ImportIssue.objects.get(job=job, row=3).message


def test_only_rows_without_a_name_or_a_place_are_refused(run_import):
    header = ["Nama Usaha", "Kelurahan", "NIK", "KBLI", "Investasi"]
    rows = [
        header,
        ["", "Sanur Kaja", "", "", ""],
        ["Tanpa Tempat", "", "", "", ""],
        ["Salah Semua", "Sanur Kaja", "12345", "99999", "banyak"],
    ]
    job = run_import(_csv(rows), "campur.csv", kind="survei")
    assert job.status == "committed" and job.rows_invalid == 2 and job.created_count == 1
    ikm = Ikm.objects.get()
    assert sorted(ikm.incomplete_fields) == ["investment", "kbli", "owner_nik"]
    # The downloadable report tells the refused rows from the one saved with warnings.
    from sentra.imports.report import report_table

    header, report = report_table(job=job)
    outcome = {r[0] or r[1]: r[-4:] for r in report}
    assert header[-3:] == ["status_impor", "ditolak_karena", "peringatan_impor"]
    assert outcome["Sanur Kaja"][1] == "ditolak" and outcome["Sanur Kaja"][2]
    assert outcome["Tanpa Tempat"][1] == "ditolak" and not outcome["Tanpa Tempat"][3]
    salah = outcome["Salah Semua"]
    assert salah[1] == "disimpan dengan peringatan" and not salah[2]
    assert "NIK" in salah[3] and "KBLI" in salah[3] and "Investasi" in salah[3]


def _bomb(tmp_path) -> bytes:
    """An .xlsx of a few MB whose sheet unpacks to far more than the limit."""
    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Nama Usaha", "Kelurahan"])
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # 450 MB of padding inside the sheet: compresses ~1000:1.
                with dst.open(item.filename, "w", force_zip64=True) as fh:
                    fh.write(data[: -len(b"</worksheet>")])
                    chunk = b"<!--" + b" " * (1024 * 1024 - 7) + b"-->"
                    for _ in range(450):
                        fh.write(chunk)
                    fh.write(b"</worksheet>")
            else:
                dst.writestr(item, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_parsing(run_import, tmp_path):
    import subprocess
    import sys

    content = _bomb(tmp_path)
    assert len(content) < 5 * 1024 * 1024
    job = run_import(content, "bom.xlsx", kind="survei")
    assert job.status == "rejected" and "setelah dibuka" in job.error
    # Its peak memory, in a fresh process of its own (this one has run other tests):
    # the reader refuses it without ever holding the unpacked sheet.
    path = tmp_path / "bom.xlsx"
    path.write_bytes(content)
    script = (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sentra.settings')\n"
        "django.setup()\n"
        "from pathlib import Path\n"
        "from sentra.imports.readers import read_table\n"
        "from sentra.imports.readers.base import FileRejected\n"
        "try:\n"
        f"    read_table(Path({str(path)!r}), original_name='bom.xlsx')\n"
        "except FileRejected:\n"
        # VmHWM, the peak of this process's own memory: ru_maxrss would carry over the
        # peak of the (large) test process it was forked from.
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "    print('rejected', hwm.split()[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out[0] == "rejected"
    assert int(out[1]) < 300 * 1024, out  # kB


def test_a_sheet_declaring_too_many_cells_is_refused(run_import, settings):
    from openpyxl import Workbook

    settings.SENTRA_IMPORT_MAX_CELLS = 1000
    wb = Workbook()
    wb.active.append(["Nama Usaha", "Kelurahan"])
    wb.active["Z100"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    job = run_import(buf.getvalue(), "besar.xlsx", kind="survei")
    assert job.status == "rejected" and "A1:Z100" in job.error and "2.600" in job.error


def test_a_csv_cell_over_the_parser_limit_says_so(run_import):
    content = b'Nama Usaha,Kelurahan\n"' + b"x" * 200_000 + b'",Sanur Kaja\n'
    job = run_import(content, "panjang.csv", kind="survei")
    assert job.status == "rejected" and "batas" in job.error and "131.072" in job.error


def test_the_stored_phone_is_shown_the_indonesian_way(client, admin_user):
    from sentra.testing.factories import IkmFactory

    ikm = IkmFactory(owner_phone="081234567890", owner_email="pemilik@contoh.id")
    client.force_login(admin_user)
    page = client.get(f"/ikm/{ikm.pk}/").content.decode()
    assert "0812-3456-7890" in page


# KoboToolbox XLSX export with "Labels" as the value and header format (support.
# kobotoolbox.org, "Exporting and downloading your data"): the first sheet is named
# after the form (cut to 31 characters) and holds one row per submission, headed by the
# question labels with the group labels before them ("Identitas Usaha/Nama Usaha");
# choices as their labels; a geopoint as its "lat lon alt precision" text plus the
# columns _<label>_latitude … _<label>_precision as numbers; _id a number,
# _submission_time an ISO text; each repeat group on its own sheet with _index,
# _parent_table_name and _parent_index, after the main one.
KOBO_LABEL_HEADER = [
    "start",
    "end",
    "Identitas Usaha/Nama Usaha",
    "Identitas Usaha/Nama Pemilik",
    "Identitas Usaha/NIK Pemilik",
    "Identitas Usaha/Nomor HP/WA",
    "Lokasi/Kecamatan",
    "Lokasi/Desa/Kelurahan",
    "Lokasi/Alamat",
    "Produk utama",
    "Lokasi/Titik lokasi usaha",
    "_Titik lokasi usaha_latitude",
    "_Titik lokasi usaha_longitude",
    "_Titik lokasi usaha_altitude",
    "_Titik lokasi usaha_precision",
    "Tenaga kerja/Laki-laki",
    "Tenaga kerja/Perempuan",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]


def test_a_kobo_xlsx_export_with_labels_imports_as_it_comes(run_import):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Pendataan IKM Kota Denpasar 20"  # the form title, cut to 31 characters
    ws.append(KOBO_LABEL_HEADER)
    people = [("Endek Sari Mas", "Ni Made Suartini", "Denpasar Selatan", "Sesetan")]
    people += [("Perak Dewata", "I Wayan Sudarma", "Denpasar Barat", "Padangsambian")]
    for n, (business, owner, kec, desa) in enumerate(people):
        ws.append(
            [
                "2025-03-04T08:01:10.112+08:00",
                "2025-03-04T08:09:51.870+08:00",
                business,
                owner,
                valid_nik(serial=420 + n),  # a text question: the export keeps text
                f"+62 813-3880-{n}455",
                kec,  # choices exported as their labels
                desa,
                f"Jl. Raya Sesetan No. {10 + n}",
                "Kain endek dan selendang" if n == 0 else "Perhiasan perak",
                f"-8.6912{n} 115.21{n}1 12.0 5.0",
                -8.6912 - n / 100_000,
                115.2101 + n / 10_000,
                12.0,
                5.0,
                2,
                3 + n,
                1_804_112 + n,
                f"5c2d2bd1-7f3e-4a3e-b5a1-0000000000{n}{n}",
                "2025-03-04T00:10:02",
                "",
                "",
                "submitted_via_web",
                "enumerator_dinas",
                "vhpkF3Jv7xVwH8z",
                "",
                n + 1,
            ]
        )
    repeat = wb.create_sheet("Produk")  # a repeat group: one row per product, not an IKM
    repeat.append(["Nama produk", "Harga (Rp)", "_index", "_parent_table_name", "_parent_index"])
    repeat.append(["Selendang endek", 350000, 1, ws.title, 1])
    repeat.append(["Cincin perak", 1250000, 2, ws.title, 2])
    buf = io.BytesIO()
    wb.save(buf)
    job = run_import(
        buf.getvalue(),
        "Pendataan_IKM_Kota_Denpasar_2025_-_all_versions_-_labels_-_2025-03-05-02-11-09.xlsx",
        kind="survei",
    )
    assert job.status == "committed", (job.error, list(ImportIssue.objects.values_list("message")))
    assert job.created_count == 2 and job.rows_invalid == 0
    assert "Produk" in " ".join(job.notes)  # the other sheet is named, not imported
    endek = Ikm.objects.get(name="Endek Sari Mas")
    assert endek.owner_name == "Ni Made Suartini" and endek.desa.name == "Sesetan"
    assert endek.owner_nik == valid_nik(serial=420) and endek.owner_phone == "081338800455"
    assert (endek.workers_paid_male, endek.workers_paid_female) == (2, 3)
    assert str(endek.latitude) == "-8.691200" and str(endek.longitude) == "115.210100"
    assert endek.address == "Jl. Raya Sesetan No. 10"
    assert endek.data_as_of.isoformat() == "2025-03-04"
    source = IkmSource.objects.get(ikm=endek)
    assert source.external_id == "5c2d2bd1-7f3e-4a3e-b5a1-000000000000"
    perak = Ikm.objects.get(name="Perak Dewata")
    assert perak.desa.name == "Padangsambian" and perak.workers_paid_female == 4
