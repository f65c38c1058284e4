"""The planner as a background task: progress while it runs, a failed draft (never one
left "in progress") when it crashes, and the page that polls it."""

from datetime import timedelta

import pytest
from django.utils import translation

from sentra.certification import services, tasks
from sentra.certification.models import DraftStatus, PlanDraft
from sentra.certification.selectors import PlannerParams
from sentra.certification.tests.conftest import make_candidates

pytestmark = pytest.mark.django_db


def _params(setup, **extra) -> PlannerParams:
    return PlannerParams(start=setup["start"], days_per_trip=2, time_limit=2, **extra)


def test_a_run_writes_progress_and_ends_done(setup, admin_user, monkeypatch):
    make_candidates(admin_user, setup["manager"], 12)
    monkeypatch.setattr("sentra.certification.services.planning.PROGRESS_EVERY", 0.05)
    seen = []
    real = PlanDraft.objects.filter

    def spy(*args, **kwargs):
        qs = real(*args, **kwargs)
        update = qs.update

        def recording_update(**values):
            if "progress" in values:
                seen.append(values["progress"])
            return update(**values)

        qs.update = recording_update
        return qs

    monkeypatch.setattr(PlanDraft.objects, "filter", spy)
    draft = services.plan_draft_request(actor=admin_user, params=_params(setup))
    assert draft.status == DraftStatus.QUEUED
    draft = services.plan_draft_run(draft=draft)
    assert draft.status == DraftStatus.DONE and len(draft.plan["trips"]) == 2
    # Progress was written while it ran: best plan so far, proven bound, time used.
    assert seen, "no progress written"
    assert all({"trips", "bound", "elapsed", "limit", "step"} <= set(p) for p in seen)
    assert draft.progress["phase"] == "done"


def test_a_crash_leaves_a_failed_draft_not_one_in_progress(setup, admin_user, monkeypatch):
    make_candidates(admin_user, setup["manager"], 3)
    draft = services.plan_draft_request(actor=admin_user, params=_params(setup))

    def boom(**kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("sentra.certification.services.planning.plan_solve", boom)
    with pytest.raises(RuntimeError):
        tasks.solve_plan_draft.call(draft.pk)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.FAILED and "kesalahan sistem" in draft.error


def test_no_assessor_ends_the_draft_failed_with_the_reason(db, admin_user):
    from sentra.certification.tests.conftest import next_monday

    draft = services.plan_draft_request(
        actor=admin_user, params=PlannerParams(start=next_monday(), time_limit=1)
    )
    draft = services.plan_draft_run(draft=draft)
    assert draft.status == DraftStatus.FAILED
    assert "Belum ada asesor aktif" in draft.error


def test_the_page_polls_while_queued_and_says_when_no_worker_takes_it(client, setup, admin_user):
    client.force_login(admin_user)
    draft = services.plan_draft_request(actor=admin_user, params=_params(setup))
    page = client.get(f"/sertifikasi/perencana/{draft.pk}/").content.decode()
    assert 'data-testid="draft-progress"' in page and "hx-get" in page
    assert 'data-testid="worker-missing"' not in page
    PlanDraft.objects.filter(pk=draft.pk).update(
        created_at=draft.created_at - timedelta(minutes=5),
        status=DraftStatus.RUNNING,
        progress={"step": 0, "steps": 5, "trips": 3, "bound": 2, "elapsed": 1.0, "limit": 4},
    )
    part = client.get(f"/sertifikasi/perencana/{draft.pk}/kemajuan/").content.decode()
    assert "3 perjalanan" in part and "2 perjalanan" in part and "± 3 detik" in part
    PlanDraft.objects.filter(pk=draft.pk).update(status=DraftStatus.QUEUED)
    part = client.get(f"/sertifikasi/perencana/{draft.pk}/kemajuan/").content.decode()
    assert 'data-testid="worker-missing"' in part


def test_messages_read_in_english(setup, admin_user):
    """The booking messages follow the user's language (issue #15.6)."""
    from django.core.exceptions import ValidationError

    cands = make_candidates(admin_user, setup["manager"], 4)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.batch_create(
            actor=admin_user,
            scheme=setup["manager"],
            tuk=setup["tuk"],
            assessors=[setup["assessor"]],
            start_date=setup["start"] - timedelta(days=14),
            end_date=setup["start"] - timedelta(days=14),
            capacity=3,
            candidates=cands,
        )
    text = " ".join(exc.value.messages)
    assert "Number of participants (4) exceeds the batch capacity (3)." in text
    assert "has already passed" in text
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.plan_draft_request(
            actor=admin_user, params=_params(setup, deadline=setup["start"])
        )
    assert exc.value.messages == ["The target date must be after the start date."]
