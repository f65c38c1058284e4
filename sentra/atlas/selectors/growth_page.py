"""The growth page: the filtered series and the tables by kecamatan and subsector."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sentra.areas.models import Area, Level
from sentra.atlas import freshness, summary
from sentra.atlas.growth import GrowthFilters, GrowthSeries
from sentra.lib.cache import cached
from sentra.sectors.models import Subsector


@dataclass
class GrowthPage:
    series: GrowthSeries
    fresh: summary.Freshness
    by_kecamatan: list[dict[str, Any]]
    by_subsector: list[dict[str, Any]]


def _growth_table(by: dict[str, GrowthSeries], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for code, s in by.items():
        last = s.last_complete
        rows.append(
            {
                "code": code,
                "name": labels.get(code, code),
                "stock": last.stock if last else 0,
                "rate": last.rate if last else None,
                "band": last.band if last else "unknown",
                "mean3": s.mean_rate(3),
            }
        )
    return sorted(rows, key=lambda r: r["name"])


def growth_page(
    *, filters: GrowthFilters, project_to: int, fit_years: int, today: date
) -> GrowthPage:
    """The growth page's figures from the year table, cached until its next rebuild (the
    cache key names every input)."""
    fresh = freshness.current(today=today)
    f = filters
    series = cached(
        f"growth:{f.kecamatan}:{f.desa}:{f.subsector}:{f.scale}:{project_to}:{fit_years}:{today}",
        lambda: summary.growth_series(
            filters=filters, project_to=project_to, fit_years=fit_years, today=today
        ),
        version=fresh.stamp,
    )

    def by(dimension: str) -> dict[str, GrowthSeries]:
        return cached(
            f"growth-by:{dimension}:{today}",
            lambda: summary.growth_by(dimension=dimension, today=today),
            version=fresh.stamp,
        )

    names = dict(
        Area.objects.filter(level__in=[Level.DISTRICT, Level.VILLAGE]).values_list("code", "name")
    )
    sub_names = dict(Subsector.objects.filter(scheme="bekraf_16").values_list("code", "name"))
    return GrowthPage(
        series=series,
        fresh=fresh,
        by_kecamatan=_growth_table(by("kecamatan"), names),
        by_subsector=_growth_table(by("subsector"), sub_names),
    )
