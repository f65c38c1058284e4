import math
from datetime import date

import pytest

from sentra.atlas.growth import GrowthFilters, YearRow, band, project
from sentra.atlas.live import growth_by, growth_series
from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 30)


def _row(series, year):
    return next(r for r in series.rows if r.year == year)


def test_it_keeps_founded_recorded_found_and_closed_apart():
    # Existed since 2015, found by the office in 2023: recorded and found, not founded in 2023.
    IkmFactory(started_year=2015, first_recorded_on=date(2023, 3, 1), desa_id=DESA_BARAT)
    # New in 2023 and recorded that year.
    IkmFactory(started_year=2023, first_recorded_on=date(2023, 8, 1), desa_id=DESA_BARAT)
    # Start unknown, recorded 2023: enters the stock by its record year.
    IkmFactory(started_year=None, first_recorded_on=date(2023, 5, 1), desa_id=DESA_TIMUR)
    # Started 2016, closed 2023.
    IkmFactory(
        started_year=2016,
        first_recorded_on=date(2019, 1, 1),
        closed_on=date(2023, 4, 1),
        closed_reason="tutup",
        desa_id=DESA_TIMUR,
    )
    # No dates at all: outside the stock, counted apart.
    IkmFactory(started_year=None, first_recorded_on=None)

    s = growth_series(today=TODAY)
    r = _row(s, 2023)
    assert (r.founded, r.recorded, r.recorded_new, r.recorded_found, r.recorded_unknown) == (
        1,
        3,
        1,
        1,
        1,
    )
    assert r.closed == 1
    # End of 2022: 2015 and 2016 IKM. End of 2023: 2015, 2023, unknown(2023); 2016 closed.
    assert _row(s, 2022).stock == 2
    assert r.stock == 3
    assert r.rate == pytest.approx(0.5)
    assert s.undated == 1
    assert _row(s, 2025).complete is False and _row(s, 2024).complete is True

    barat = growth_series(filters=GrowthFilters(kecamatan=DENPASAR_BARAT), today=TODAY)
    assert _row(barat, 2023).stock == 2


def test_growth_by_kecamatan_matches_single_series():
    for year in (2018, 2019, 2020, 2021):
        IkmFactory(started_year=year, desa_id=DESA_BARAT)
    IkmFactory(started_year=2020, desa_id=DESA_TIMUR)
    by = growth_by(dimension="kecamatan", today=TODAY)
    single = growth_series(filters=GrowthFilters(kecamatan=DENPASAR_BARAT), today=TODAY)
    assert [r.year for r in by[DENPASAR_BARAT].rows] == [2021, 2022, 2023, 2024]
    for r in by[DENPASAR_BARAT].rows:
        assert r.stock == _row(single, r.year).stock
    for r in by[DENPASAR_BARAT].rows[1:]:
        assert r.rate == _row(single, r.year).rate
    assert _row(by["51.71.02"], 2021).stock == 1
    assert by[DENPASAR_BARAT].mean_rate(3) == single.mean_rate(3)


def test_projection_recovers_a_constant_rate_with_a_tight_interval():
    rows = [YearRow(year=2015 + i, stock=round(1000 * 1.06**i)) for i in range(8)]
    p = project(rows, to_year=2030, fit_years=5)
    assert p.annual_rate == pytest.approx(0.06, abs=0.002)
    year, point, low, high = p.rows[-1]
    assert year == 2030
    assert low <= point <= high
    assert point == pytest.approx(1000 * 1.06**15, rel=0.02)
    assert p.fit_years == [2018, 2019, 2020, 2021, 2022]


def test_projection_interval_widens_with_noise_and_distance():
    noisy = [1000, 1080, 1090, 1190, 1220, 1330]
    rows = [YearRow(year=2017 + i, stock=v) for i, v in enumerate(noisy)]
    p = project(rows, to_year=2030, fit_years=6)
    widths = [math.log(h) - math.log(lo) for _, _, lo, h in p.rows]
    assert widths == sorted(widths) and widths[0] > 0
    assert p.rate_low < p.annual_rate < p.rate_high
    assert project(rows[:2], to_year=2030) is None


def test_band():
    assert band(0.04) == "below" and band(0.05) == "within"
    assert band(0.08) == "within" and band(0.081) == "above" and band(None) == "unknown"
