import random
from datetime import date

import pytest

from sentra.exhibitions import demo, selectors
from sentra.exhibitions.models import (
    Application,
    Exhibition,
    LinkStatus,
    Status,
    Student,
    StudentIkmLink,
)
from sentra.testing.factories import DESA_BARAT, DESA_SELATAN, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def _registry():
    subsectors = ["B16-07", "B16-08", "B16-10", "B16-04", None]
    for i in range(150):
        IkmFactory(
            desa_id=[DESA_BARAT, DESA_TIMUR, DESA_SELATAN][i % 3],
            subsector_id=subsectors[i % 5],
            owner_nik="",
            started_year=2015 + i % 11,
            owner_birth_date=date(1975 + i % 30, 1 + i % 12, 1 + i % 28),
        )


def _snapshot():
    return list(
        Application.objects.order_by("exhibition__start_date", "ikm_id").values_list(
            "ikm_id", "status", "booth_number", "outcome__sales"
        )
    )


def test_demo_history_is_realistic_and_deterministic():
    _registry()
    demo.build(rng=random.Random(5), scale=1)
    assert Exhibition.objects.filter(start_date__year=2022).count() == 2
    past = Exhibition.objects.filter(start_date__year=2024).first()
    assert past.applications.filter(status=Status.SELECTED).count() > 0
    assert past.applications.filter(status=Status.WAITLIST).exists()
    assert selectors.report(past).sales > 0
    coming = Exhibition.objects.get(start_date__gt=date.today())
    assert coming.is_open_on(date.today())
    assert StudentIkmLink.objects.filter(status=LinkStatus.CONFIRMED).exists()
    first = _snapshot()
    Exhibition.objects.all().delete()
    Student.objects.all().delete()
    demo.build(rng=random.Random(5), scale=1)
    assert _snapshot() == first


def test_demo_applicants_include_regulars_so_first_timers_are_a_real_choice():
    _registry()
    demo.build(rng=random.Random(8), scale=1)
    last = Exhibition.objects.filter(start_date__year=2025).order_by("-start_date").first()
    share = selectors.fairness(last)["first_timers_applicants"]
    assert 10 < share < 90
