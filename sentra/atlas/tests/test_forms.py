from datetime import date

import pytest
from django.utils import timezone

from sentra.atlas.forms import GrowthFilterForm
from sentra.atlas.growth import DEFAULT_FIT_YEARS, GrowthFilters
from sentra.atlas.selectors import growth_page
from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


def test_known_values_pass_and_hand_edited_ones_fall_back():
    good = GrowthFilterForm(
        {
            "kecamatan": DENPASAR_BARAT,
            "desa": DESA_BARAT,
            "subsector": "B16-08",
            "scale": "mikro",
            "n": "7",
            "proyeksi": "2035",
        }  # fmt: skip
    ).values()
    assert good == {
        "filters": GrowthFilters(DENPASAR_BARAT, DESA_BARAT, "B16-08", "mikro"),
        "fit_years": 7,
        "project_to": 2035,
    }
    # A desa code in the kecamatan field, an unknown subsector, a typo'd scale, years out
    # of range and text where numbers go: the page still shows the whole city.
    bad = GrowthFilterForm(
        {
            "kecamatan": "51.71.99",
            "desa": "51.71",
            "subsector": "B99",
            "scale": "Mikro",
            "n": "2",
            "proyeksi": "tahun depan",
        }  # fmt: skip
    ).values()
    assert bad == {
        "filters": GrowthFilters(),
        "fit_years": DEFAULT_FIT_YEARS,
        "project_to": timezone.localdate().year + 5,
    }
    assert GrowthFilterForm({"subsector": "none", "n": "16"}).values()["filters"].subsector == (
        "none"
    )


def test_the_growth_page_selector_reads_the_tables_per_filter():
    IkmFactory(desa_id=DESA_BARAT, started_year=2020, first_recorded_on=date(2021, 1, 5))
    IkmFactory(desa_id=DESA_BARAT, started_year=2022, first_recorded_on=date(2022, 2, 1))
    today = date(2025, 6, 30)
    page = growth_page(
        filters=GrowthFilters(kecamatan=DENPASAR_BARAT), project_to=2030, fit_years=5, today=today
    )
    by_year = {r.year: r.stock for r in page.series.rows}
    assert (by_year[2020], by_year[2022], by_year[2024]) == (1, 2, 2)
    barat = next(r for r in page.by_kecamatan if r["code"] == DENPASAR_BARAT)
    assert barat["stock"] == 2 and barat["name"] == "Denpasar Barat"
