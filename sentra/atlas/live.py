"""Growth figures read live from the registry.

The atlas pages read the year table (`summary.growth_series`, `summary.growth_by`);
these are the same figures straight from the IKM table, the definition the table is
tested against (atlas/tests/test_summary.py) and what the benchmarks compare with.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from sentra.atlas.growth import (
    DEFAULT_FIT_YEARS,
    DIMENSIONS,
    GrowthFilters,
    GrowthSeries,
    accumulate,
    series_by,
    series_from_counts,
)
from sentra.lib.rates import last_years
from sentra.registry.models import Ikm
from sentra.registry.selectors import IkmFilters, ikm_life_groups, ikm_list, ikm_stock_by


def _filtered(filters: GrowthFilters) -> QuerySet[Ikm]:
    """Every IKM, open and closed, that the area/subsector/scale filters keep: the
    registry list's own filtering, so a growth figure and its list always agree."""
    return ikm_list(
        filters=IkmFilters(
            kecamatan=filters.kecamatan,
            desa=filters.desa,
            subsector=filters.subsector,
            scale=filters.scale,
            status="all",
        )
    ).order_by()


def yearly_counts(qs: QuerySet[Ikm]) -> tuple[dict[int, dict[str, int]], int]:
    """({year: {measure: count}}, undated) from one grouped query."""
    return accumulate(ikm_life_groups(qs), "n")


def growth_series(
    *,
    filters: GrowthFilters | None = None,
    project_to: int | None = None,
    fit_years: int = DEFAULT_FIT_YEARS,
    today: date | None = None,
) -> GrowthSeries:
    """The yearly series of one area/subsector (or the city), with an optional projection."""
    today = today or date.today()
    counts, undated = yearly_counts(_filtered(filters or GrowthFilters()))
    return series_from_counts(
        counts, undated=undated, today=today, project_to=project_to, fit_years=fit_years
    )


def growth_by(
    *,
    dimension: str,
    filters: GrowthFilters | None = None,
    years: int = 3,
    today: date | None = None,
) -> dict[str, GrowthSeries]:
    """Stock at the end of the last `years`+1 complete years per kecamatan, desa or
    subsector, with the rates between them."""
    span = last_years(today or date.today(), years)
    stocks = ikm_stock_by(
        _filtered(filters or GrowthFilters()), key=DIMENSIONS[dimension], years=span
    )
    return series_by(stocks, span)
