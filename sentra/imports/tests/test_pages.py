import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sentra.imports.models import ImportJob, MappingProfile
from sentra.imports.tests.conftest import registry_state
from sentra.imports.tests.samples import sidt_csv, sidt_row
from sentra.registry.models import Ikm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(monkeypatch):
    """The views queue tasks with transaction.on_commit; each test runs in a transaction
    that never commits, so run the callbacks when they are registered."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, *a, **k: fn())


def _upload(client, content: bytes, name: str, **data):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post("/impor/", {"file": file, "kind": "survei", **data})


def test_it_uploads_validates_reports_and_commits(client, admin_user):
    client.force_login(admin_user)
    rows = [sidt_row(0), sidt_row(1, kode_kbli="1071"), sidt_row(2)]
    response = _upload(client, sidt_csv(rows), "sidt.csv")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{job.pk}/"
    assert job.status == "validated" and job.kind == "sidt"  # tasks run inline in tests
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Ekspor Satu Data UMKM (SIDT)" in page
    assert "kemungkinan angka nol di depan hilang" in page
    assert "Simpan 3 baris yang sah" in page  # the bad KBLI costs its field only

    report = client.get(f"/impor/{job.pk}/laporan.xlsx")
    ws = load_workbook(io.BytesIO(report.content)).active
    values = list(ws.values)
    assert values[0][-4:] == ("baris_asal", "status_impor", "ditolak_karena", "peringatan_impor")
    assert len(values) == 4
    # The bad KBLI is a warning (the row was saved without it), not a refusal.
    assert values[2][-4:-2] == (3, "disimpan dengan peringatan") and values[2][-2] in (None, "")
    assert "kode_kbli" in values[2][-1]
    assert values[1][-3] == "bersih" and not values[1][-2] and not values[1][-1]
    assert values[1][values[0].index("nib")] == "0912000000000"
    only = load_workbook(
        io.BytesIO(client.get(f"/impor/{job.pk}/laporan.xlsx?baris=bermasalah").content)
    )
    assert len(list(only.active.values)) == 2

    response = client.post(f"/impor/{job.pk}/simpan/")
    job.refresh_from_db()
    assert job.status == "committed" and job.created_count == 3
    assert Ikm.objects.get(name="Pie Susu Dewata 1").incomplete_fields == ["kbli"]
    assert "IKM baru disimpan" in client.get(f"/impor/{job.pk}/").content.decode()


def test_progress_partial_refreshes_the_page_when_done(client, admin_user):
    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(0)]), "sidt.csv")
    job = ImportJob.objects.get()
    response = client.get(f"/impor/{job.pk}/progres/", headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    ImportJob.objects.filter(pk=job.pk).update(status="validating", processed=5, total=10)
    response = client.get(f"/impor/{job.pk}/progres/", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_unknown_layout_asks_for_a_mapping_saved_as_a_profile(client, admin_user):
    client.force_login(admin_user)
    # No column the header words place in the city: a person says which one it is.
    content = b"Nama Perusahaan;Lokasi;Jumlah TK Pria\nTenun Ubung;Ubung Kaja;3\n"
    _upload(client, content, "pameran.csv", kind="pameran")
    job = ImportJob.objects.get()
    assert job.status == "mapping"
    form = client.get(f"/impor/{job.pk}/pemetaan/").content.decode()
    assert '<option value="name" selected>' in form  # guessed from "Nama Perusahaan"
    response = client.post(
        f"/impor/{job.pk}/pemetaan/",
        {
            "col_0": "name",
            "col_1": "_desa",
            "col_2": "workers_paid_male",
            "profile_name": "Daftar pameran",
        },
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "validated" and job.rows_valid == 1
    client.post(f"/impor/{job.pk}/simpan/")
    assert Ikm.objects.get().workers_paid_male == 3

    # The next file with the same columns needs no mapping.
    _upload(client, content.replace(b"Tenun Ubung", b"Tenun Baru"), "pameran2.csv")
    second = ImportJob.objects.latest("pk")
    assert second.status == "validated" and second.layout == "profile"
    assert second.profile == MappingProfile.objects.get(name="Daftar pameran")
    from sentra.audit.models import AuditEntry

    saved = AuditEntry.objects.get(model="imports.mappingprofile", action="create")
    assert saved.changes["mapping"][1]["Nama Perusahaan"] == "name"


def test_mapping_without_required_columns_is_refused(client, admin_user):
    client.force_login(admin_user)
    _upload(client, b"a,b\n1,2\n", "x.csv")
    job = ImportJob.objects.get()
    response = client.post(f"/impor/{job.pk}/pemetaan/", {"col_0": "name", "col_1": "_ignore"})
    assert response.status_code == 200
    assert "Kolom wajib belum dipetakan: Desa/kelurahan" in response.content.decode()


def test_rejected_file_shows_the_reason(client, admin_user):
    client.force_login(admin_user)
    before = registry_state()
    _upload(client, b"PK\x03\x04rusak", "rusak.xlsx")
    job = ImportJob.objects.get()
    page = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Berkas rusak" in page
    assert registry_state() == before


def test_upload_form_refuses_other_types(client, admin_user):
    client.force_login(admin_user)
    response = _upload(client, b"x", "foto.jpg")
    assert response.status_code == 200
    assert "Jenis berkas .jpg tidak didukung" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_viewers_and_analysts_cannot_import(client, viewer, analyst):
    for user in (viewer, analyst):
        client.force_login(user)
        assert client.get("/impor/").status_code == 403


def test_officers_see_only_their_own_jobs(client, admin_user, officer_barat):
    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(0)]), "sidt.csv")
    job = ImportJob.objects.get()
    client.force_login(officer_barat)
    assert client.get(f"/impor/{job.pk}/").status_code == 403
    assert client.post(f"/impor/{job.pk}/simpan/").status_code == 403
    assert not Ikm.objects.exists()


def test_command_checks_then_commits(tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "sidt.csv"
    path.write_bytes(sidt_csv([sidt_row(0), sidt_row(1, nib="12345")]))
    call_command("import_ikm", str(path))
    out = capsys.readouterr().out
    assert "0 ditolak, 1 diterima dengan peringatan, 1 bersih" in out
    assert "baris 3 [nib] (peringatan)" in out
    assert not Ikm.objects.exists()
    call_command("import_ikm", str(path), "--commit")
    assert "Tersimpan: 2 IKM baru" in capsys.readouterr().out
    call_command("import_ikm", str(path), "--commit")
    assert "Tersimpan: 0 IKM baru, 0 diperbarui, 2 tidak berubah" in capsys.readouterr().out
    assert Ikm.objects.count() == 2


def test_command_reports_a_rejected_file(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="Berkas kosong"):
        call_command("import_ikm", str(path), "--commit")


def test_command_names_a_missing_profile_in_the_active_language(tmp_path):
    from django.core.management import CommandError, call_command
    from django.utils import translation

    path = tmp_path / "daftar.csv"
    path.write_bytes(b"kolom aneh;lain\nsatu;dua\n")
    with pytest.raises(CommandError, match="Profil Hilang tidak ada. Profil: -"):
        call_command("import_ikm", str(path), "--profile", "Hilang")
    with translation.override("en"), pytest.raises(CommandError, match="Profile Hilang"):
        call_command("import_ikm", str(path), "--profile", "Hilang")


def test_a_commit_whose_worker_died_can_be_restarted(client, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(0)]), "sidt.csv")
    job = ImportJob.objects.get()
    # The worker took the job, then the process was killed: one transaction, nothing written.
    ImportJob.objects.filter(pk=job.pk).update(status="committing")
    assert client.post(f"/impor/{job.pk}/ulang/").status_code == 302
    assert not Ikm.objects.exists()  # not stale yet: still running
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert "Jalankan ulang" in client.get(f"/impor/{job.pk}/").content.decode()
    client.post(f"/impor/{job.pk}/ulang/")
    job.refresh_from_db()
    assert job.status == "committed" and Ikm.objects.count() == 1


def test_progress_shows_percent_rows_and_time_left_then_the_commit(client, admin_user):
    from sentra.imports.selectors import COMMIT_WRITING, progress_key
    from sentra.lib import progress

    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(0)]), "sidt.csv")
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="validating", processed=2000, total=10000)
    progress.board_start(progress_key(job), stage="validating")
    html = client.get(f"/impor/{job.pk}/progres/").content.decode()
    assert 'data-testid="progress-percent">20 %<' in html
    assert 'data-testid="progress-rows">2.000 / 10.000 baris<' in html
    assert "dihitung setelah beberapa persen" in html  # the clock has just started
    note = progress.board_read(progress_key(job))
    note["started"] -= 60
    progress._write(progress_key(job), note)
    html = client.get(f"/impor/{job.pk}/progres/").content.decode()
    assert "sisa waktu ± 4 menit" in html  # 60 s for 2,000 rows → 240 s for 8,000

    # The commit's rows come from the board (its transaction hides them until the end).
    ImportJob.objects.filter(pk=job.pk).update(status="committing")
    html = client.get(f"/impor/{job.pk}/progres/").content.decode()
    assert "menyiapkan penyimpanan" in html and "<progress></progress>" in html
    progress.board_start(progress_key(job), stage=COMMIT_WRITING, total=5000)
    progress.board_report(progress_key(job), done=1000)
    html = client.get(f"/impor/{job.pk}/progres/").content.decode()
    assert "menulis ke registri" in html and "1.000 / 5.000 baris" in html


def test_a_commit_notes_its_rows_on_the_board(client, admin_user, monkeypatch):
    from sentra.imports.selectors import COMMIT_WRITING, progress_key
    from sentra.lib import progress

    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(i) for i in range(3)]), "sidt.csv")
    job = ImportJob.objects.get()
    client.post(f"/impor/{job.pk}/simpan/")
    note = progress.board_read(progress_key(job))
    assert (note["stage"], note["done"], note["total"]) == (COMMIT_WRITING, 3, 3)


def test_a_file_waiting_for_long_says_no_worker_is_running(client, admin_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(0)]), "sidt.csv")
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="uploaded")
    html = client.get(f"/impor/{job.pk}/progres/").content.decode()
    assert 'data-testid="worker-missing"' not in html
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    html = client.get(f"/impor/{job.pk}/").content.decode()
    assert "Pemroses latar belakang tidak berjalan" in html and "manage.py db_worker" in html


def test_an_upload_and_a_saved_mapping_are_audited(client, admin_user):
    from sentra.audit.models import AuditEntry

    client.force_login(admin_user)
    _upload(client, sidt_csv([sidt_row(0)]), "sidt.csv")
    job = ImportJob.objects.get()
    entry = AuditEntry.objects.get(model="imports.importjob", object_id=str(job.pk))
    assert entry.action == "upload" and entry.actor == admin_user
    assert entry.changes["original_name"] == [None, "sidt.csv"]
    assert entry.changes["sha256"][1] == job.sha256 and len(job.sha256) == 64
