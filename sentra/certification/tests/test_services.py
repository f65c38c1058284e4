from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sentra.audit.models import AuditEntry
from sentra.certification import selectors, services
from sentra.certification.models import Batch, Candidate, Enrollment, Outcome, Result, Role
from sentra.certification.tests.conftest import make_candidates
from sentra.testing.factories import IkmFactory

pytestmark = pytest.mark.django_db


def _batch(setup, actor, candidates, **kw):
    args = dict(
        actor=actor,
        scheme=setup["manager"],
        tuk=setup["tuk"],
        assessors=[setup["assessor"]],
        start_date=setup["start"],
        end_date=setup["start"] + timedelta(days=1),
        capacity=10,
        candidates=candidates,
    )
    args.update(kw)
    return services.batch_create(**args)


def test_it_creates_a_batch_with_audit(setup, admin_user):
    cands = make_candidates(admin_user, setup["manager"], 3)
    batch = _batch(setup, admin_user, cands)
    assert set(batch.candidates.all()) == set(cands)
    assert AuditEntry.objects.filter(model="certification.batch", object_id=str(batch.pk)).exists()


def test_overlapping_windows_are_refused_and_nothing_saved(setup, admin_user):
    a = setup["assessor"]
    before = a.windows.count()
    s = setup["start"] + timedelta(days=100)
    with pytest.raises(ValidationError) as exc:
        services.assessor_windows_add(
            actor=admin_user,
            assessor=a,
            windows=[(s, s + timedelta(days=5)), (setup["start"] + timedelta(days=50), s)],
        )
    assert "bertumpang tindih" in " ".join(exc.value.messages)
    assert a.windows.count() == before


def test_assessor_without_scheme(setup, admin_user):
    cands = make_candidates(admin_user, setup["marketer"], 2)
    with pytest.raises(ValidationError) as exc:
        _batch(setup, admin_user, cands, scheme=setup["marketer"])
    assert "tidak memiliki skema Pemasaran IKM" in " ".join(exc.value.messages)
    assert not Batch.objects.exists()


def test_more_candidates_than_capacity(setup, admin_user):
    cands = make_candidates(admin_user, setup["manager"], 4)
    with pytest.raises(ValidationError) as exc:
        _batch(setup, admin_user, cands, capacity=3)
    assert "Jumlah peserta (4) melebihi kapasitas batch (3)" in " ".join(exc.value.messages)
    assert not Batch.objects.exists() and not Enrollment.objects.exists()


def test_batch_in_the_past(setup, admin_user):
    cands = make_candidates(admin_user, setup["manager"], 1)
    past = setup["start"] - timedelta(days=14)
    with pytest.raises(ValidationError) as exc:
        _batch(setup, admin_user, cands, start_date=past, end_date=past)
    assert "sudah lewat" in " ".join(exc.value.messages)


def test_tuk_seats_and_assessor_double_booking(setup, admin_user):
    setup["tuk"].capacity = 8
    setup["tuk"].save()
    _batch(setup, admin_user, make_candidates(admin_user, setup["manager"], 2))
    other = services.assessor_create(
        actor=admin_user,
        lsp=setup["lsp"],
        name="Citra",
        home_city="Surabaya",
        schemes=[setup["manager"]],
        candidates_per_day=5,
    )
    services.assessor_windows_add(
        actor=admin_user,
        assessor=other,
        windows=[(setup["start"], setup["start"] + timedelta(days=9))],
    )
    with pytest.raises(ValidationError) as exc:
        _batch(setup, admin_user, [], assessors=[other], capacity=8)
    assert "TUK TUK Denpasar penuh" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        _batch(setup, admin_user, [], capacity=4)
    assert "sudah bertugas" in " ".join(exc.value.messages)


def test_unready_candidate_and_officer_rules(setup, admin_user, viewer):
    cand = make_candidates(admin_user, setup["manager"], 1, ready=False)
    with pytest.raises(ValidationError) as exc:
        _batch(setup, admin_user, cand)
    assert "belum siap" in " ".join(exc.value.messages)
    with pytest.raises(PermissionDenied):
        services.tuk_create(actor=viewer, name="X", place="Y", capacity=5)


def test_candidate_role_must_match_scheme(setup, admin_user):
    ikm = IkmFactory()
    with pytest.raises(ValidationError) as exc:
        services.candidate_create(
            actor=admin_user, ikm=ikm, scheme=setup["manager"], name="A", role=Role.MARKETER
        )
    assert "untuk peran Pengelola" in " ".join(exc.value.messages)
    assert not Candidate.objects.exists()


def test_outcome_kompeten_expires_and_belum_kompeten_is_plannable_again(setup, admin_user):
    a, b = make_candidates(admin_user, setup["manager"], 2)
    out = services.outcome_record(
        actor=admin_user,
        candidate=a,
        result=Result.COMPETENT,
        assessed_on=date(2025, 3, 4),
        certificate_number="SERT-1",
    )
    assert out.expires_on == date(2028, 3, 4) and out.ikm_id == a.ikm_id
    services.outcome_record(
        actor=admin_user, candidate=b, result=Result.NOT_YET, assessed_on=date(2025, 3, 4)
    )
    plannable = Candidate.objects.filter(selectors.plannable_candidates_q(on=date(2026, 12, 1)))
    assert list(plannable) == [b]
    with pytest.raises(ValidationError):
        services.outcome_record(
            actor=admin_user,
            candidate=b,
            result=Result.COMPETENT,
            assessed_on=date(2025, 4, 1),
            certificate_number="SERT-1",
        )
    assert Outcome.objects.count() == 2


def test_trip_cancel_frees_candidates(setup, admin_user):
    from sentra.certification.models import Trip

    cands = make_candidates(admin_user, setup["manager"], 2)
    trip = Trip.objects.create(
        assessor=setup["assessor"],
        start_date=setup["start"],
        end_date=setup["start"] + timedelta(days=2),
    )
    _batch(setup, admin_user, cands, trip=trip)
    on = setup["start"]
    assert not Candidate.objects.filter(selectors.plannable_candidates_q(on=on)).exists()
    services.trip_cancel(actor=admin_user, trip=trip)
    assert Candidate.objects.filter(selectors.plannable_candidates_q(on=on)).count() == 2


def test_sync_readiness_from_coaching_records(setup, admin_user):
    from sentra.coaching.models import Activity, Category, Participation, Programme

    (waiting,) = make_candidates(admin_user, setup["manager"], 1, ready=False)
    (done,) = make_candidates(admin_user, setup["manager"], 1)
    category = Category.objects.order_by("id").first() or Category.objects.create(
        code="uji", name="Uji"
    )
    programme = Programme.objects.create(
        category=category, year=2026, name="Pelatihan uji", organiser="Dinas"
    )
    training = Activity.objects.create(
        programme=programme,
        kind="pelatihan",
        title="Pelatihan",
        date=date(2026, 3, 2),
        end_date=date(2026, 3, 4),
        place="Aula",
    )
    future = Activity.objects.create(
        programme=programme, kind="pelatihan", title="Nanti", date=date(2026, 12, 20), place="Aula"
    )
    for activity in (training, future):
        Participation.objects.create(activity=activity, ikm=waiting.ikm)
    Participation.objects.create(activity=training, ikm=done.ikm)
    n = services.candidates_sync_coaching(actor=admin_user, on=date(2026, 11, 27))
    waiting.refresh_from_db()
    done.refresh_from_db()
    assert n == 1
    assert waiting.coaching_finished_on == date(2026, 3, 4)
    assert done.coaching_finished_on == date(2026, 1, 5)  # already set: untouched
    assert AuditEntry.objects.filter(
        model="certification.candidate", object_id=str(waiting.pk), action="readiness"
    ).exists()
