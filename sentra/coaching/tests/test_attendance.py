"""The daftar hadir upload: a clerk's list read, matched to the registry by the linkage
engine in the background (an AttendanceRun the page polls), confirmed row by row, and
the ticked IKM added through the coaching service."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sentra.audit.models import AuditEntry
from sentra.coaching import attendance, services
from sentra.coaching.attendance import attendance_columns, attendance_match
from sentra.coaching.models import Activity, AttendanceRun, Category, Programme
from sentra.coaching.tests.attendance_files import attendance_csv, attendance_xlsx
from sentra.imports.areas_match import AreaMatcher
from sentra.testing.factories import IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    programme = Programme.objects.create(
        category=Category.objects.get(code="kriya"), year=2026, name="Kriya 2026", organiser="D"
    )
    return Activity.objects.create(
        programme=programme,
        kind="pelatihan",
        title="Pelatihan pengemasan",
        date=date(2026, 3, 12),
        place="Aula Dinas",
    )


@pytest.fixture
def registry():
    """The registry as it stands: the people of the list (as registered, not as the
    clerk wrote them) among others."""
    areas = AreaMatcher()

    def desa(name):
        return areas.match_desa(name).code

    for _n in range(30):
        IkmFactory()
    return {
        "sukarmini": IkmFactory(
            name="Endek Sari Warna",
            owner_name="Ni Made Sukarmini",
            owner_sex="P",
            owner_phone="081239001111",
            address="Jl. Gunung Agung No. 12",
            desa_id=desa("Padangsambian"),
        ),
        "sudarma": IkmFactory(
            name="Perak Sudarma",
            owner_name="I Wayan Sudarma",
            owner_phone="081239002222",
            address="Jl. Pulau Kawe 3",
            desa_id=desa("Dauh Puri Kauh"),
        ),
        "lestari": IkmFactory(
            name="Pie Susu Bu Ayu",
            owner_name="Ni Luh Putu Ayu Lestari",
            owner_sex="P",
            owner_phone="081239003333",
            address="Jl. Noja 9",
            desa_id=desa("Kesiman"),
        ),
    }


def _upload(content, name="daftar hadir pelatihan.xlsx"):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload a list as the page does, let the task run (the immediate backend, once
    the request has committed) and open the run's page."""

    def post(activity, content, name="daftar hadir pelatihan.xlsx"):
        url = f"/pembinaan/kegiatan/{activity.pk}/daftar-hadir/"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"file": _upload(content, name)})
        assert response.status_code == 302, response.content.decode()[:500]
        run = AttendanceRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert response["Location"] == f"/pembinaan/daftar-hadir/{run.pk}/"
        return run, client.get(response["Location"])

    return post


def test_columns_are_guessed_from_the_words_clerks_write():
    header = ["No.", "Nama", "Nama Usaha", "No. HP", "Alamat/Desa", "Tanda Tangan", "Jabatan"]
    assert attendance_columns(header) == {
        "Nama": "owner_name",
        "Nama Usaha": "name",
        "No. HP": "owner_phone",
        "Alamat/Desa": "_desa",
    }
    assert attendance_columns(["NO", "NAMA PESERTA", "ASAL", "TTD"]) == {
        "NAMA PESERTA": "owner_name",
        "ASAL": "address",
    }


def test_a_clerks_list_is_matched_row_by_row(admin_user, activity, registry):
    result = attendance_match(
        upload=_upload(attendance_xlsx()), activity=activity, viewer=admin_user
    )
    # Title rows, the blank row and the signature block are not people.
    assert [r.row for r in result.rows] == [7, 8, 10, 11]
    by_name = {r.typed["owner_name"]: r for r in result.rows}
    assert by_name["Ni Made Sukarmini"].ikm == registry["sukarmini"]
    # A typo in the name: the business, phone and desa still say who it is.
    assert by_name["I Wayan Sudrama"].ikm == registry["sudarma"]
    # The phone typed as a number (the 0 dropped by Excel) reads as the same phone.
    lestari = by_name["Ni Luh Putu Ayu Lestari"]
    assert lestari.ikm == registry["lestari"]
    assert lestari.typed["owner_phone"] == "81239003333"
    assert any(e["field"] == "phone" for e in lestari.evidence)
    for r in result.matched:
        assert r.ticked and r.selectable and r.probability >= 0.9 and r.evidence
    (unknown,) = result.unmatched
    assert unknown.typed["owner_name"] == "Komang Adi Pranata"
    assert unknown.reason == "Tidak ditemukan di registri IKM." and not unknown.selectable
    assert any("tanda tangan" in note for note in result.notes)


def test_the_same_list_as_csv_reads_the_same(admin_user, activity, registry):
    result = attendance_match(
        upload=_upload(attendance_csv(), "daftar_hadir.csv"), activity=activity, viewer=admin_user
    )
    assert {r.ikm for r in result.matched} == set(registry.values())
    assert [r.typed["owner_name"] for r in result.unmatched] == ["Komang Adi Pranata"]


def test_confirm_page_then_ticked_rows_become_participants(
    client, admin_user, activity, registry, upload
):
    activity.participants.add(registry["sukarmini"], through_defaults={})
    client.force_login(admin_user)
    run, response = upload(activity, attendance_xlsx())
    assert run.status == AttendanceRun.Status.DONE
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sudah menjadi peserta kegiatan ini." in page
    assert "Komang Adi Pranata" in page and "Tidak ditemukan di registri IKM." in page
    assert f'name="ikm_ids" value="{registry["sudarma"].pk}"' in page
    assert f'name="ikm_ids" value="{registry["sukarmini"].pk}"' not in page
    # The officer unticks one row and confirms the other.
    response = client.post(
        f"/pembinaan/kegiatan/{activity.pk}/peserta/", {"ikm_ids": [registry["sudarma"].pk]}
    )
    assert response.status_code == 302
    assert set(activity.participants.values_list("pk", flat=True)) == {
        registry["sukarmini"].pk,
        registry["sudarma"].pk,
    }
    entry = AuditEntry.objects.get(action="add_participants", object_id=str(activity.pk))
    assert entry.changes == {"participants": [None, [registry["sudarma"].pk]]}


def test_an_officer_sees_and_ticks_only_his_kecamatan(
    client, officer_barat, activity, registry, upload
):
    client.force_login(officer_barat)
    _run, response = upload(activity, attendance_xlsx())
    page = response.content.decode()
    # Denpasar Barat: his own, phone shown; Kesiman is Denpasar Timur: masked, not tickable.
    assert "0812-3900-1111" in page
    assert "81239003333" not in page and "081239003333" not in page
    assert "•••••••3333" in page
    assert f'value="{registry["lestari"].pk}"' not in page
    assert "di luar kecamatan tugas Anda" in page
    # The unknown person's number is masked too: no kecamatan allows it.
    assert "085737004444" not in page


def test_viewer_may_not_upload(client, viewer, activity):
    client.force_login(viewer)
    url = f"/pembinaan/kegiatan/{activity.pk}/daftar-hadir/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": _upload(attendance_xlsx())}).status_code == 403


def test_a_file_without_a_name_column_is_refused_with_the_reason(client, admin_user, activity):
    client.force_login(admin_user)
    content = b"Tanggal;Jumlah\r\n12-03-2026;25\r\n"
    response = client.post(
        f"/pembinaan/kegiatan/{activity.pk}/daftar-hadir/", {"file": _upload(content, "x.csv")}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Kolom nama peserta tidak ditemukan" in page
    response = client.post(
        f"/pembinaan/kegiatan/{activity.pk}/daftar-hadir/", {"file": _upload(b"x", "x.pdf")}
    )
    assert "Berkas harus xlsx" in response.content.decode()


def test_a_doubtful_proposal_is_shown_but_not_ticked(admin_user, activity, registry):
    # The registry says the owner is a man; "Ni" on the list says a woman.
    registry["sukarmini"].owner_sex = "L"
    registry["sukarmini"].save()
    result = attendance_match(
        upload=_upload(attendance_xlsx()), activity=activity, viewer=admin_user
    )
    row = next(r for r in result.rows if r.typed["owner_name"] == "Ni Made Sukarmini")
    assert row.ikm == registry["sukarmini"] and row.selectable and not row.ticked
    assert 0.5 <= row.probability < 0.9
    assert row.reason == "Kemiripan belum meyakinkan: periksa sebelum mencentang."
    assert any(e["field"] == "sex" for e in row.against)


def test_the_task_matches_the_rows_and_stores_the_proposals(admin_user, activity, registry):
    run = services.attendance_run_create(
        actor=admin_user, activity=activity, upload=_upload(attendance_xlsx())
    )
    assert run.status == AttendanceRun.Status.QUEUED and run.total == 4 and not run.result
    assert AuditEntry.objects.filter(action="attendance_upload", object_id=str(run.pk)).exists()
    run = services.attendance_run_match(run=run)
    run.refresh_from_db()
    assert run.status == AttendanceRun.Status.DONE and run.percent == 100 and run.done == 4
    assert run.started_at and run.finished_at and not run.error
    assert [r["row"] for r in run.rows] == [7, 8, 10, 11]
    found = [r.get("ikm_id") for r in run.result]
    assert found == [registry["sukarmini"].pk, registry["sudarma"].pk, registry["lestari"].pk, None]
    assert all(r["probability"] >= 0.9 and r["evidence"] for r in run.result[:3])
    # A run already taken (a second worker, a retry) is left as it is.
    assert services.attendance_run_match(run=run).result == run.result


def test_a_failure_is_stored_on_the_run_and_said_on_the_page(
    client, admin_user, activity, registry, monkeypatch
):
    run = services.attendance_run_create(
        actor=admin_user, activity=activity, upload=_upload(attendance_xlsx())
    )

    def broken(*args, **kwargs):
        raise RuntimeError("mesin pencocokan rusak")

    monkeypatch.setattr(services, "attendance_propose", broken)
    with pytest.raises(RuntimeError):
        services.attendance_run_match(run=run)
    run.refresh_from_db()
    assert run.status == AttendanceRun.Status.FAILED and "rusak" in run.error
    client.force_login(admin_user)
    page = client.get(f"/pembinaan/daftar-hadir/{run.pk}/").content.decode()
    assert 'data-testid="attendance-failed"' in page and 'data-testid="attendance-form"' in page
    assert "hx-get" not in page


def test_the_page_shows_the_progress_and_polls_it(client, admin_user, activity):
    run = services.attendance_run_create(
        actor=admin_user, activity=activity, upload=_upload(attendance_xlsx())
    )
    client.force_login(admin_user)
    url = f"/pembinaan/daftar-hadir/{run.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="attendance-progress"' in page
    assert f'hx-get="/pembinaan/daftar-hadir/{run.pk}/kemajuan/"' in page
    assert "menunggu giliran" in page and 'data-testid="worker-missing"' not in page
    # Queued for long with no worker taking it: the page says so.
    AttendanceRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    page = client.get(f"{url}kemajuan/").content.decode()
    assert 'data-testid="worker-missing"' in page
    # Half-way through, 10 s in: percent, rows done and time left.
    AttendanceRun.objects.filter(pk=run.pk).update(
        status="running", stage="perbandingan", percent=50,
        started_at=timezone.now() - timedelta(seconds=10),
    )  # fmt: skip
    page = client.get(f"{url}kemajuan/").content.decode()
    assert 'data-testid="progress-percent">50 %<' in page
    assert 'data-testid="progress-rows">0 / 4 baris<' in page
    assert "sisa waktu ± 10 detik" in page
    assert "membandingkan calon pasangan" in page
    assert 'data-testid="worker-missing"' not in page
    # Finished: the poll asks htmx to reload the page, which shows the rows to confirm.
    AttendanceRun.objects.filter(pk=run.pk).update(
        status="done", percent=100, done=4, result=[{}, {}, {}, {}],
        finished_at=timezone.now(),
    )  # fmt: skip
    response = client.get(f"{url}kemajuan/", headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert 'data-testid="attendance-unmatched"' in page and "hx-get" not in page


def test_only_the_uploader_and_admins_open_a_run(client, officer_barat, admin_user, activity):
    from sentra.accounts.models import Role
    from sentra.testing.factories import DENPASAR_TIMUR, UserFactory

    run = services.attendance_run_create(
        actor=officer_barat, activity=activity, upload=_upload(attendance_xlsx())
    )
    other = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_TIMUR])
    for user, code in ((officer_barat, 200), (admin_user, 200), (other, 403)):
        client.force_login(user)
        assert client.get(f"/pembinaan/daftar-hadir/{run.pk}/").status_code == code
        assert client.get(f"/pembinaan/daftar-hadir/{run.pk}/kemajuan/").status_code == code


def test_a_list_longer_than_the_old_cap_is_matched_and_the_new_limit_is_said(
    client, admin_user, activity, registry, upload, monkeypatch
):
    lines = ["No.;Nama;Nama Usaha;No. HP"]
    lines += [f"{n};Peserta Nomor {n};Usaha {n};0812{n:07d}" for n in range(1, 701)]
    lines.append("701;Ni Made Sukarmini;Endek Sari Warna;081239001111")
    content = ("\r\n".join(lines) + "\r\n").encode()
    client.force_login(admin_user)
    run, response = upload(activity, content, "hadir-besar.csv")
    run.refresh_from_db()
    assert run.total == 701 and run.status == AttendanceRun.Status.DONE and run.done == 701
    assert run.result[-1]["ikm_id"] == registry["sukarmini"].pk
    page = response.content.decode()
    assert f'name="ikm_ids" value="{registry["sukarmini"].pk}"' in page
    # The stated limit: a longer file is refused on the form, with the number.
    monkeypatch.setattr(attendance, "MAX_ROWS", 500)
    response = client.post(
        f"/pembinaan/kegiatan/{activity.pk}/daftar-hadir/",
        {"file": _upload(content, "hadir-besar.csv")},
    )
    assert response.status_code == 200
    assert "Daftar hadir lebih dari 500 baris" in response.content.decode()
