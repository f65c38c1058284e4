import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from sentra.audit.models import AuditEntry
from sentra.certification.models import Batch, Enrollment, PlanDraft, Trip, TripStatus
from sentra.certification.tests.conftest import make_candidates

pytestmark = pytest.mark.django_db


def _plan_form(setup, **extra):
    data = {
        "start": setup["start"].isoformat(),
        "days_per_trip": 2,
        "trip_cost": 6_000_000,
        "local_trip_cost": 1_000_000,
        "group_level": "kecamatan",
        "time_limit": 4,
        "whatif_local_assessors": 1,
        "whatif_days_per_trip": 3,
        "whatif_tuk_capacity": 0,
    }
    data.update(extra)
    return data


@pytest.fixture
def plan_post(client, django_capture_on_commit_callbacks):
    """POST the planner form; the planner task runs once the request commits (the
    immediate task backend in tests), as the worker would run it after the redirect."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/sertifikasi/perencana/", data)

    return post


def test_viewer_reads_but_cannot_plan(client, setup, viewer):
    client.force_login(viewer)
    assert client.get("/sertifikasi/").status_code == 200
    assert client.get("/sertifikasi/perencana/").status_code == 200
    assert client.post("/sertifikasi/perencana/", _plan_form(setup)).status_code == 403
    assert not PlanDraft.objects.exists()


def test_it_plans_accepts_and_documents(client, setup, admin_user, plan_post):
    make_candidates(admin_user, setup["manager"], 12)
    client.force_login(admin_user)
    response = plan_post(_plan_form(setup))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = PlanDraft.objects.get()
    page = client.get(response["Location"]).content.decode()
    # 12 candidates, 5 a day, 2 days a trip: 3 batch-days → 2 trips, proven optimal.
    assert draft.plan["trips_bound"] == 2 and len(draft.plan["trips"]) == 2
    assert "optimal terbukti" in page and "Skenario berdampingan" in page
    assert len(draft.whatifs) == 5
    response = client.post(f"/sertifikasi/perencana/{draft.pk}/terima/", {})
    assert response.status_code == 302
    assert Trip.objects.count() == 2
    assert Enrollment.objects.count() == 12
    assert (
        AuditEntry.objects.filter(model="certification.batch", action="create").count()
        == Batch.objects.count()
    )
    # Accepting twice creates nothing more.
    client.post(f"/sertifikasi/perencana/{draft.pk}/terima/", {})
    assert Trip.objects.count() == 2
    batch = Batch.objects.order_by("start_date").first()
    assert client.get("/sertifikasi/batch/").status_code == 200
    assert client.get(f"/sertifikasi/batch/{batch.pk}/").status_code == 200
    pdf = client.get(f"/sertifikasi/batch/{batch.pk}/undangan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/sertifikasi/batch/{batch.pk}/peserta.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][1] == "Nama asesi" and len(rows) == 1 + batch.enrollments.count()


def test_replan_after_cancelled_trip_keeps_the_other_trip(client, setup, admin_user, plan_post):
    make_candidates(admin_user, setup["manager"], 12)
    client.force_login(admin_user)
    plan_post(_plan_form(setup))
    client.post(f"/sertifikasi/perencana/{PlanDraft.objects.get().pk}/terima/", {})
    first, second = Trip.objects.order_by("start_date")
    client.post(f"/sertifikasi/perjalanan/{first.pk}/konfirmasi/", {})
    client.post(f"/sertifikasi/perjalanan/{second.pk}/batal/", {})
    second.refresh_from_db()
    assert second.status == TripStatus.CANCELLED
    freed = sum(b.enrollments.count() for b in second.batches.all())
    plan_post(_plan_form(setup))
    draft = PlanDraft.objects.order_by("-id").first()
    assert draft.plan["scheduled"] == freed
    new_starts = {t["start"] for t in draft.plan["trips"]}
    first.refresh_from_db()
    assert first.status == TripStatus.CONFIRMED
    assert first.start_date.isoformat() not in new_starts  # the assessor is busy then


def test_bad_planner_input_is_reported(client, setup, admin_user, plan_post):
    client.force_login(admin_user)
    response = plan_post(_plan_form(setup, days_per_trip=7))
    assert response.status_code == 200
    assert "lebih kecil dari atau sama dengan 5" in response.content.decode()
    assert not PlanDraft.objects.exists()


def test_stale_plan_is_refused_whole(client, setup, admin_user, plan_post):
    from sentra.certification import services

    cands = make_candidates(admin_user, setup["manager"], 12)
    client.force_login(admin_user)
    plan_post(_plan_form(setup))
    draft = PlanDraft.objects.get()
    # Meanwhile one candidate is booked by hand into a batch on another day.
    services.batch_create(
        actor=admin_user,
        scheme=setup["manager"],
        tuk=setup["tuk"],
        assessors=[setup["assessor"]],
        start_date=setup["start"] + timedelta(days=21),
        end_date=setup["start"] + timedelta(days=21),
        capacity=5,
        candidates=cands[:1],
    )
    response = client.post(f"/sertifikasi/perencana/{draft.pk}/terima/", {}, follow=True)
    assert "sudah tidak bisa dijadwalkan" in response.content.decode()
    assert Trip.objects.count() == 0 and Batch.objects.count() == 1
    draft.refresh_from_db()
    assert draft.accepted_at is None
