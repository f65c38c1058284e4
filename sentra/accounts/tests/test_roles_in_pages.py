"""What the issue asked to see: the timeline masked for a viewer and for an officer of
another kecamatan, a Timur participant refused to a Barat officer with the rule on the
page, the trip-cancel redirect kept on this site, coordinator-only plan acceptance."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sentra.accounts.models import Role
from sentra.audit.models import AuditEntry
from sentra.registry import services as registry
from sentra.testing.factories import (
    DENPASAR_BARAT,
    DESA_BARAT,
    DESA_TIMUR,
    IkmFactory,
    UserFactory,
    valid_nik,
)

pytestmark = pytest.mark.django_db

OLD_NIK = valid_nik(serial=1111)
NEW_NIK = valid_nik(serial=9999)


def _ikm_with_history(admin, desa):
    ikm = IkmFactory(desa_id=desa, owner_nik=OLD_NIK, owner_email="lama@contoh.example.id")
    registry.ikm_update(
        actor=admin,
        ikm=ikm,
        data={"owner_nik": NEW_NIK, "owner_email": "baru.rahasia@contoh.example.id"},
    )
    return ikm


def test_the_timeline_is_masked_for_the_viewer_and_other_kecamatan(client, admin_user):
    barat = _ikm_with_history(admin_user, DESA_BARAT)
    timur = _ikm_with_history(admin_user, DESA_TIMUR)
    viewer = UserFactory(role=Role.VIEWER)
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    client.force_login(viewer)
    page = client.get(f"/ikm/{barat.pk}/").content.decode()
    assert OLD_NIK not in page and NEW_NIK not in page and "baru.rahasia" not in page
    assert "••••" in page
    client.force_login(officer)
    page = client.get(f"/ikm/{timur.pk}/").content.decode()
    assert OLD_NIK not in page and NEW_NIK not in page and "lama@" not in page
    page = client.get(f"/ikm/{barat.pk}/").content.decode()
    assert OLD_NIK in page and NEW_NIK in page  # their own kecamatan: the real values


def test_a_barat_officer_cannot_add_a_timur_participant(client, admin_user):
    from sentra.coaching import services as coaching
    from sentra.coaching.models import Category, Participation

    programme = coaching.programme_create(
        actor=admin_user,
        data={"category": Category.objects.get(code="kuliner"), "year": 2026,
              "name": "Kemasan", "organiser": "Disperindag", "budget": 1},
    )  # fmt: skip
    activity = coaching.activity_create(
        actor=admin_user,
        data={"programme": programme, "kind": "pelatihan", "title": "Kemasan",
              "date": date(2026, 2, 2), "place": "Aula", "facilitator": "BPOM"},
    )  # fmt: skip
    barat, timur = IkmFactory(desa_id=DESA_BARAT), IkmFactory(desa_id=DESA_TIMUR)
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    client.force_login(officer)
    url = f"/pembinaan/kegiatan/{activity.pk}/peserta/"
    response = client.post(url, {"ikm_ids": f"{barat.pk}, {timur.pk}"})
    assert response.status_code == 403
    assert "kecamatan tugasnya" in response.content.decode()
    assert not Participation.objects.exists()  # the whole call refused, nothing half-written
    assert client.post(url, {"ikm_ids": str(barat.pk)}).status_code == 302
    assert Participation.objects.filter(ikm=barat).exists()
    coaching.activity_add_participants(actor=admin_user, activity=activity, ikm_ids=[timur.pk])
    remove = client.post(f"/pembinaan/kegiatan/{activity.pk}/peserta/{timur.pk}/hapus/")
    assert remove.status_code == 403 and Participation.objects.filter(ikm=timur).exists()


def test_certification_candidates_follow_the_officers_kecamatan(admin_user):
    from sentra.certification import services as cert
    from sentra.certification.models import Scheme

    scheme = Scheme.objects.get(code="pengelola-ikm")
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    timur = IkmFactory(desa_id=DESA_TIMUR)
    with pytest.raises(PermissionDenied, match="asesi"):
        cert.candidate_create(actor=officer, ikm=timur, scheme=scheme, name="A", role=scheme.role)
    barat = IkmFactory(desa_id=DESA_BARAT)
    cert.candidate_create(actor=officer, ikm=barat, scheme=scheme, name="B", role=scheme.role)
    with pytest.raises(PermissionDenied):
        cert.candidates_sync_coaching(actor=officer)


def _trip(admin):
    from sentra.certification import services as cert
    from sentra.certification.models import Scheme, Trip

    scheme = Scheme.objects.get(code="pengelola-ikm")
    lsp = cert.lsp_create(actor=admin, name="LSP", city="Surabaya", licence_number="X-9")
    assessor = cert.assessor_create(
        actor=admin, lsp=lsp, name="Asesor", home_city="Surabaya", schemes=[scheme],
        candidates_per_day=5,
    )  # fmt: skip
    start = timezone.localdate() + timedelta(days=20)
    return Trip.objects.create(assessor=assessor, start_date=start, end_date=start)


def test_trip_cancel_is_the_coordinators_and_never_redirects_off_site(client, admin_user):
    from sentra.certification.models import TripStatus

    trip = _trip(admin_user)
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    coordinator = UserFactory(role=Role.COORDINATOR)
    url = f"/sertifikasi/perjalanan/{trip.pk}/batal/"
    client.force_login(officer)
    refused = client.post(url, {"next": "/"})
    assert refused.status_code == 403 and "koordinator sertifikasi" in refused.content.decode()
    client.force_login(coordinator)
    response = client.post(url, {"next": "https://evil.example/phish"})
    assert response.status_code == 302 and response["Location"] == "/sertifikasi/batch/"
    trip.refresh_from_db()
    assert trip.status == TripStatus.CANCELLED
    assert AuditEntry.objects.filter(model="certification.trip", action="cancel").exists()


def test_the_audit_page_is_for_admins_and_filters(client, admin_user):
    ikm = _ikm_with_history(admin_user, DESA_BARAT)
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get("/audit/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/audit/", {"model": "registry.ikm", "object_id": ikm.pk,
                                  "actor": admin_user.username,
                                  "since": timezone.localdate().isoformat()})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200 and NEW_NIK in text  # the record keeps the real values
    empty = client.get("/audit/", {"actor": "orang-lain"}).content.decode()
    assert NEW_NIK not in empty
