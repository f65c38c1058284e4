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
