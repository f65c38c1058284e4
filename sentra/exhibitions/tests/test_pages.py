from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from sentra.exhibitions import services
from sentra.exhibitions.models import (
    Application,
    BackgroundRun,
    Exhibition,
    RunKind,
    RunStatus,
    Status,
    Student,
)
from sentra.testing.factories import (
    DESA_TIMUR,
    ApplicationFactory,
    BoothTypeFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _selected(admin_user, **kwargs):
    a = ApplicationFactory(**kwargs)
    services.selection_run(actor=admin_user, exhibition=a.exhibition)
    return Application.objects.get(pk=a.pk)


def test_the_public_sign_up_needs_no_login_and_creates_an_application(client):
    booth = BoothTypeFactory()
    url = f"/pameran/{booth.exhibition.pk}/daftar/"
    page = client.get(url)
    assert page.status_code == 200
    assert "UU No. 27 Tahun 2022" in page.content.decode()
    response = client.post(
        url,
        {
            "business_name": "Tenun Ayu",
            "owner_name": "Ni Luh Ayu",
            "owner_sex": "P",
            "phone": "+62 812-3700-1122",
            "email": "ayu@contoh.id",
            "desa": DESA_TIMUR,
            "address": "Jl. Gatot Subroto No. 3",
            "products": "kain tenun endek",
            "booth_type": booth.pk,
            "consent": "on",
        },
    )
    assert response.status_code == 200 and b"signup-done" in response.content
    a = Application.objects.get()
    assert a.contact_phone == "081237001122" and a.needs_verification


def test_a_bad_sign_up_is_reported_and_nothing_is_written(client):
    booth = BoothTypeFactory()
    response = client.post(
        f"/pameran/{booth.exhibition.pk}/daftar/",
        {"business_name": "X", "owner_name": "Y", "phone": "12345", "desa": DESA_TIMUR},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nomor HP tidak dikenali" in body and "Persetujuan diperlukan" in body
    assert not Application.objects.exists()


def test_public_pages_are_throttled_per_address(client):
    booth = BoothTypeFactory()
    url = f"/pameran/{booth.exhibition.pk}/daftar/"
    codes = [client.post(url, {}, REMOTE_ADDR="10.0.0.7").status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 403
    assert client.post(url, {}, REMOTE_ADDR="10.0.0.8").status_code == 200


def test_the_certificate_code_verifies_publicly_without_personal_data(client, admin_user):
    a = _selected(admin_user, contact_phone="081299887766")
    a = services.attendance_record(actor=admin_user, application=a, attended=True)
    page = client.get(f"/pameran/verifikasi/{a.certificate_code}/")
    body = page.content.decode()
    assert page.status_code == 200 and "verify-ok" in body and a.ikm.name in body
    assert "081299887766" not in body and a.ikm.owner_phone not in body
    assert "verify-unknown" in client.get("/pameran/verifikasi/AAAA2222/").content.decode()


def test_the_outcome_link_lets_the_ikm_record_its_results(client, admin_user):
    a = _selected(admin_user)
    services.attendance_record(actor=admin_user, application=a, attended=True)
    url = f"/pameran/hasil/{a.outcome_token}/"
    response = client.post(url, {"sales": "2500000", "buyer_contacts": "7", "rating": "5"})
    assert response.status_code == 302
    assert a.outcome.sales == 2_500_000 and a.outcome.recorded_by_ikm
    assert client.get("/pameran/hasil/bukan-token/").status_code == 404


def test_the_officer_pages_and_documents(client, admin_user):
    a = _selected(admin_user)
    services.attendance_record(actor=admin_user, application=a, attended=True)
    client.force_login(admin_user)
    detail = client.get(f"/pameran/{a.exhibition_id}/").content.decode()
    assert "fairness" in detail and "belum pernah ikut pameran dinas" in detail
    for suffix in ("peserta.pdf", "laporan.pdf"):
        pdf = client.get(f"/pameran/{a.exhibition_id}/{suffix}")
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    cert = client.get(f"/pameran/pendaftaran/{a.pk}/sertifikat.pdf")
    assert cert.content.startswith(b"%PDF")
    xlsx = client.get(f"/pameran/{a.exhibition_id}/peserta.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[1][2] == a.ikm.name and rows[1][4] == a.contact_phone


def test_a_viewer_sees_masked_contacts_and_may_not_write(client, admin_user, viewer):
    a = _selected(admin_user, contact_phone="081299887766", contact_email="rahasia@contoh.id")
    client.force_login(viewer)
    xlsx = client.get(f"/pameran/{a.exhibition_id}/peserta.xlsx")
    row = list(load_workbook(io.BytesIO(xlsx.content)).active.values)[1]
    assert row[4] == "••••••••7766" and "rahasia" not in (row[5] or "")
    assert client.post(f"/pameran/{a.exhibition_id}/seleksi/").status_code == 403
    assert (
        client.post(
            f"/pameran/pendaftaran/{a.pk}/keputusan/", {"decision": "out", "note": "x"}
        ).status_code
        == 403
    )
    assert Application.objects.get(pk=a.pk).status == Status.SELECTED


def test_a_viewer_sees_a_students_contact_masked(client, viewer, analyst):
    student = StudentFactory(phone="085711112222")
    client.force_login(viewer)
    assert "085711112222" not in client.get(f"/pameran/mahasiswa/{student.pk}/").content.decode()
    client.force_login(analyst)
    assert "085711112222" in client.get(f"/pameran/mahasiswa/{student.pk}/").content.decode()


def test_an_officer_creates_an_exhibition_through_the_form(client, officer_barat):
    client.force_login(officer_barat)
    response = client.post(
        "/pameran/baru/",
        {
            "name": "Pameran Kriya Denpasar",
            "organiser": "provinsi",
            "organiser_name": "Dinas Koperasi UKM Provinsi Bali",
            "start_date": "2027-03-10",
            "end_date": "2027-03-14",
            "venue": "Lapangan Niti Mandala Renon",
            "theme": "Kriya",
            "applications_open": "2027-01-10",
            "applications_close": "2027-02-10",
            "other_costs": "1000000",
            "booth-TOTAL_FORMS": "3",
            "booth-INITIAL_FORMS": "0",
            "booth-MIN_NUM_FORMS": "1",
            "booth-MAX_NUM_FORMS": "1000",
            "booth-0-code": "A",
            "booth-0-name": "Stan 3×3",
            "booth-0-count": "10",
            "booth-0-size_m2": "9",
            "booth-0-power_watt": "900",
            "booth-0-fee": "2000000",
            "booth-0-subsidy": "2000000",
            "max_per_kecamatan": "3",
            **_quota_post("kecamatan", [("51.71.01", "5")]),
            **_quota_post("subsector", [("B16-07", "0")]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    exhibition = Exhibition.objects.get(name="Pameran Kriya Denpasar")
    assert exhibition.kecamatan_quotas == {"51.71.01": 5}
    assert exhibition.subsector_quotas == {"B16-07": 0}
    assert exhibition.max_per_kecamatan == 3


def _quota_post(dim: str, rows: list[tuple[str, str]], *, extra: int = 1) -> dict:
    prefix = f"quota_{dim}"
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, (code, limit) in enumerate(rows):
        data[f"{prefix}-{i}-code"] = code
        data[f"{prefix}-{i}-limit"] = limit
    return data


def test_the_dashboard_and_growth_page_show_exhibitions_and_young_founders(client, admin_user):
    a = _selected(admin_user)
    services.attendance_record(actor=admin_user, application=a, attended=True)
    client.force_login(admin_user)
    home = client.get("/").content.decode()
    assert 'data-testid="exhibition-panel"' in home and "pernah ikut pameran" in home
    growth = client.get("/atlas/pertumbuhan/").content.decode()
    assert 'data-testid="young-founders"' in growth


def test_finding_students_in_the_registry_runs_as_a_task_and_proposes_links(
    client, admin_user, django_capture_on_commit_callbacks
):
    from datetime import date

    from sentra.exhibitions.models import StudentIkmLink
    from sentra.testing.factories import IkmFactory

    student = StudentFactory(name="Ni Putu Sari Dewi", birth_date=date(2000, 2, 2))
    IkmFactory(
        owner_name="Ni Putu Sari Dewi", owner_birth_date=date(2000, 2, 2), owner_phone=student.phone
    )
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pameran/mahasiswa/cari-ikm/")
    assert StudentIkmLink.objects.filter(student=student).exists()
    run = BackgroundRun.objects.get(kind=RunKind.STUDENT_MATCH)
    assert run.status == RunStatus.DONE and run.result == {"proposed": 1}
    assert run.progress["done"] == run.progress["total"] == Student.objects.count()
    page = client.get(response.url).content.decode()
    assert 'data-testid="run-progress"' in page and "1 usulan baru" in page
