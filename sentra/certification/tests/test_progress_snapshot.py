"""The certification page reads a snapshot of its figures, recounted in the background
once per change of the data (and once per day: certificates expire)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sentra.certification import selectors, services, tasks
from sentra.certification.models import ProgressSnapshot, Result
from sentra.certification.tests.conftest import make_candidates
from sentra.lib.freshness import RETRY_AFTER

pytestmark = pytest.mark.django_db


def _certify(actor, cand, n):
    services.outcome_record(
        actor=actor,
        candidate=cand,
        result=Result.COMPETENT,
        assessed_on=timezone.localdate() - timedelta(days=30),
        certificate_number=f"P-{n}",
    )


def test_snapshot_holds_the_live_figures(setup, admin_user):
    cands = make_candidates(admin_user, setup["manager"], 3)
    _certify(admin_user, cands[0], 1)
    today = timezone.localdate()
    figures, fresh = tasks.progress_current(today=today)
    assert not fresh.stale and fresh.built_at is not None
    assert figures == selectors.with_labels(selectors.progress_figures(on=today))
    assert figures["total"]["manager"] == 1 and figures["candidates"]["plannable"] == 2
    wave = [{"quarter": date(2027, 1, 1), "label": "2027 K1", "manager": 1}]
    back = selectors.figures_from_json(selectors.figures_to_json({**figures, "wave": wave}))
    assert back["wave"] == wave


def test_a_change_is_shown_stale_until_the_worker_recounts(setup, admin_user, settings):
    cands = make_candidates(admin_user, setup["manager"], 2)
    today = timezone.localdate()
    tasks.progress_current(today=today)  # built
    # A real queue: nobody runs the task during this test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _certify(admin_user, cands[0], 2)
    figures, fresh = tasks.progress_current(today=today)
    assert fresh.stale and figures["total"]["manager"] == 0  # the earlier figures, fast
    snap = ProgressSnapshot.objects.get()
    assert snap.pending and snap.requested_at is not None
    tasks.refresh_progress.call()  # what db_worker does with the queued task
    figures, fresh = tasks.progress_current(today=today)
    assert not fresh.stale and figures["total"]["manager"] == 1


def test_a_request_nobody_took_is_recounted_by_the_page(setup, admin_user, settings):
    cands = make_candidates(admin_user, setup["manager"], 1)
    today = timezone.localdate()
    tasks.progress_current(today=today)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _certify(admin_user, cands[0], 3)
    tasks.progress_current(today=today)  # asks; no worker answers
    ProgressSnapshot.objects.update(requested_at=timezone.now() - RETRY_AFTER * 2)
    figures, fresh = tasks.progress_current(today=today)
    assert not fresh.stale and figures["total"]["manager"] == 1


def test_a_new_day_recounts(setup, admin_user):
    make_candidates(admin_user, setup["manager"], 1)
    today = timezone.localdate()
    tasks.progress_current(today=today)
    ProgressSnapshot.objects.update(built_on=today - timedelta(days=1))  # counted yesterday
    _, fresh = tasks.progress_current(today=today)
    assert not fresh.stale  # the immediate backend recounted for today
    assert ProgressSnapshot.objects.get().built_on == today


def test_page_shows_time_and_labels_in_the_readers_language(setup, admin_user, client):
    from sentra.registry.models import Ikm

    (cand,) = make_candidates(admin_user, setup["manager"], 1)
    Ikm.objects.filter(pk=cand.ikm_id).update(subsector=None)
    client.force_login(admin_user)
    page = client.get("/sertifikasi/").content.decode()
    assert 'data-testid="fresh"' in page and "Bukan ekraf" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/sertifikasi/").content.decode()
    assert "Not creative economy" in page
