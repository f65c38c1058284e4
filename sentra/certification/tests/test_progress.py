from datetime import date

import pytest

from sentra.certification import services
from sentra.certification.models import Result
from sentra.certification.selectors import certification_progress, expiry_wave, progress_by
from sentra.certification.tests.conftest import make_candidates
from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, DESA_TIMUR

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 27)


def _certify(actor, cand, assessed_on, n):
    services.outcome_record(
        actor=actor,
        candidate=cand,
        result=Result.COMPETENT,
        assessed_on=assessed_on,
        certificate_number=f"S-{n}",
    )


def test_it_counts_ikm_with_both_valid_certificates(setup, admin_user):
    mgr = make_candidates(admin_user, setup["manager"], 3, desa_id=DESA_BARAT)
    mkt = [
        services.candidate_create(
            actor=admin_user,
            ikm=m.ikm,
            scheme=setup["marketer"],
            name="Pemasar",
            role="marketer",
            coaching_finished_on=date(2026, 1, 5),
            documents_complete=True,
        )
        for m in mgr
    ]
    other = make_candidates(admin_user, setup["manager"], 1, desa_id=DESA_TIMUR)
    _certify(admin_user, mgr[0], date(2025, 1, 6), 1)
    _certify(admin_user, mkt[0], date(2025, 1, 6), 2)  # fully certified
    _certify(admin_user, mgr[1], date(2025, 1, 6), 3)
    _certify(admin_user, mkt[1], date(2023, 1, 6), 4)  # marketer expired 2026-01-06
    _certify(admin_user, mgr[2], date(2025, 1, 6), 5)  # manager only
    services.outcome_record(
        actor=admin_user, candidate=other[0], result=Result.NOT_YET, assessed_on=date(2025, 2, 3)
    )
    total = certification_progress(on=ON)
    assert (total["certified"], total["target"], total["manager"], total["marketer"]) == (
        1,
        4,
        3,
        1,
    )
    assert total["share"] == pytest.approx(0.25)
    barat = certification_progress(kecamatan=DENPASAR_BARAT, on=ON)
    assert (barat["certified"], barat["target"]) == (1, 3)
    rows = {r["key"]: r for r in progress_by(dimension="kecamatan", on=ON)}
    assert rows[DENPASAR_BARAT]["certified"] == 1 and rows["51.71.02"]["certified"] == 0
    # Closing the certified IKM removes it from target and certified alike.
    mgr[0].ikm.closed_on = date(2026, 6, 1)
    mgr[0].ikm.save()
    assert certification_progress(on=ON)["certified"] == 0
    wave = expiry_wave(on=ON)
    assert sum(w["manager"] for w in wave) == 2  # the open IKM's 2028-01 manager certificates


def test_timeline_shows_certification_events(setup, admin_user):
    from sentra.registry.timeline import events_for

    (cand,) = make_candidates(admin_user, setup["manager"], 1)
    _certify(admin_user, cand, date(2025, 1, 6), 9)
    titles = [e.title for e in events_for(cand.ikm, viewer=None)]
    assert "Kompeten: Pengelola IKM" in titles


def test_candidate_summary_counts_each_kind_once(setup, admin_user):
    """The one-pass summary against the definitions it replaces (plannable_candidates_q
    and the three ORM counts), on candidates of every kind."""
    from django.db.models import Exists, OuterRef, Q

    from sentra.certification.models import OPEN_STATUSES, Candidate, Enrollment
    from sentra.certification.selectors import candidate_summary, plannable_candidates_q
    from sentra.registry.models import Ikm
    from sentra.testing.factories import IkmFactory

    ready = make_candidates(admin_user, setup["manager"], 4)
    waiting = make_candidates(admin_user, setup["manager"], 2, ready=False)
    make_candidates(admin_user, setup["marketer"], 1)  # ready, another scheme
    _certify(admin_user, ready[0], date(2026, 2, 2), 1)  # certified: not plannable
    services.batch_create(  # in an open batch: not plannable
        actor=admin_user,
        scheme=setup["manager"],
        tuk=setup["tuk"],
        assessors=[setup["assessor"]],
        start_date=setup["start"],
        end_date=setup["start"],
        capacity=5,
        candidates=[ready[1]],
    )
    closed = waiting[0].ikm
    closed.closed_on = date(2026, 3, 1)
    closed.save(update_fields=["closed_on"])  # candidates of closed IKM count nowhere
    IkmFactory.create_batch(3)  # active IKM without candidates
    today = setup["start"]

    active = Candidate.objects.filter(ikm__closed_on__isnull=True)
    expected = {
        "plannable": active.filter(plannable_candidates_q(on=today)).count(),
        "in_batch": active.filter(
            Exists(
                Enrollment.objects.filter(candidate=OuterRef("pk"), batch__status__in=OPEN_STATUSES)
            )
        ).count(),
        "not_ready": active.filter(
            Q(documents_complete=False)
            | Q(coaching_finished_on__isnull=True, scheme__requires_coaching=True)
        ).count(),
        "ikm_without_candidates": Ikm.objects.active()
        .exclude(Exists(Candidate.objects.filter(ikm=OuterRef("pk"))))
        .count(),
    }
    assert expected == {"plannable": 3, "in_batch": 1, "not_ready": 1, "ikm_without_candidates": 3}
    assert candidate_summary(on=today) == expected


def test_both_dimensions_from_one_pass_equal_the_separate_ones(setup, admin_user):
    from sentra.certification.selectors import progress_by_kecamatan_and_subsector

    for n, cand in enumerate(make_candidates(admin_user, setup["manager"], 3, desa_id=DESA_BARAT)):
        _certify(admin_user, cand, date(2026, 2, 2), 10 + n)
    make_candidates(admin_user, setup["manager"], 2, desa_id=DESA_TIMUR)
    kecamatan, subsector = progress_by_kecamatan_and_subsector(on=ON)
    assert kecamatan == progress_by(dimension="kecamatan", on=ON)
    assert subsector == progress_by(dimension="subsector", on=ON)
