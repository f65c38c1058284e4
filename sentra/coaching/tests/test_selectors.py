from datetime import date

import pytest

from sentra.coaching.models import Activity, Category, Participation, Programme
from sentra.coaching.selectors import candidate_subsectors, coverage_matrix
from sentra.testing.factories import (
    DENPASAR_BARAT,
    DENPASAR_TIMUR,
    DESA_BARAT,
    DESA_TIMUR,
    IkmFactory,
)

pytestmark = pytest.mark.django_db


def _activity(category_code: str, when=date(2024, 3, 1)) -> Activity:
    programme = Programme.objects.create(
        category=Category.objects.get(code=category_code), year=when.year, name="P", organiser="D"
    )
    return Activity.objects.create(
        programme=programme, kind="pelatihan", title="T", date=when, place="Aula"
    )


def test_kerajinan_and_kriya_never_double_count_an_ikm():
    crafts = IkmFactory(subsector_id="B16-07", desa_id=DESA_BARAT)
    IkmFactory(subsector_id="B16-07", desa_id=DESA_BARAT)  # not coached
    food = IkmFactory(subsector_id="B16-08", desa_id=DESA_TIMUR)
    # The same craft IKM in a kerajinan and a kriya activity, and twice in one.
    for code in ("kerajinan", "kriya"):
        Participation.objects.create(activity=_activity(code), ikm=crafts)
    Participation.objects.create(activity=_activity("kuliner"), ikm=food)

    m = coverage_matrix()
    kriya = next(r for r in m.rows if r.subsector and r.subsector.code == "B16-07")
    assert [c.code for c in kriya.categories] == ["kerajinan", "kriya"]
    assert (kriya.total.n, kriya.total.coached, kriya.total.share) == (2, 1, 0.5)
    assert kriya.cells[DENPASAR_BARAT].coached == 1
    assert m.column_totals[DENPASAR_TIMUR].coached == 1
    assert (m.total.n, m.total.coached) == (3, 2)
    film = next(r for r in m.rows if r.subsector and r.subsector.code == "B16-05")
    assert [c.code for c in film.categories] == ["animasi"]


def test_closed_ikm_and_older_coaching_are_excluded_when_asked():
    ikm = IkmFactory(subsector_id="B16-08")
    IkmFactory(subsector_id="B16-08", closed_on=date(2024, 1, 1), started_year=2010)
    Participation.objects.create(activity=_activity("kuliner", date(2020, 3, 1)), ikm=ikm)
    assert coverage_matrix().total.coached == 1
    assert coverage_matrix(since_year=2023).total.coached == 0
    assert coverage_matrix().total.n == 1


def test_uncoached_subsectors_are_ranked_with_reasons():
    for _ in range(6):
        IkmFactory(subsector_id="B16-06", desa_id=DESA_BARAT, started_year=2015)  # fotografi
    IkmFactory(subsector_id="B16-09", desa_id=DESA_TIMUR, started_year=2015)  # musik
    IkmFactory(subsector_id="B16-08")  # kuliner is coached: never a candidate
    ranked = candidate_subsectors()
    codes = [c.subsector.code for c in ranked]
    assert "B16-08" not in codes and "B16-07" not in codes and "B16-05" not in codes
    assert codes[:2] == ["B16-06", "B16-09"]
    top = ranked[0]
    assert top.n == 6 and "6 IKM aktif" in top.reasons[0]
    assert any("belum ada IKM" in r for r in ranked[-1].reasons)
    assert len(ranked) == 16 - 4
