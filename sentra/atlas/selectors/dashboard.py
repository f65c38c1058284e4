"""The home dashboard's city figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypedDict

from django.db.models import Q, Sum

from sentra.atlas import freshness, summary
from sentra.atlas.growth import YearRow
from sentra.atlas.selectors.common import _cells
from sentra.sectors.models import Subsector


class DashboardFigures(TypedDict):
    totals: dict[str, int]  # n, workers, coached, in_coached_subsectors
    by_kecamatan: Sequence[Mapping[str, Any]]  # kecamatan_id, kecamatan__name and the sums
    last: YearRow | None  # the last complete year of the city's growth
    mean3: float | None
    coached_subsectors: list[Subsector]
    coached_subsector_ikm: int
    certification: dict[str, float]  # certified, manager, marketer, target; share 0..1


def dashboard_figures(*, today: date) -> DashboardFigures:
    """The home dashboard's city figures: one grouped read of the analytics table and the
    city's growth series. The certified figures follow the certification app's
    definition (`certification_progress`), counted when the table was built."""
    from sentra.coaching.selectors import coached_subsector_codes

    freshness.current()  # today's tables; `today` only dates the growth rows
    coached_codes = coached_subsector_codes()
    by_kecamatan = list(
        _cells()
        .values("kecamatan_id", "kecamatan__name")
        .annotate(
            # Before n is redefined as the sum below.
            in_coached_subsectors=Sum("n", filter=Q(subsector_id__in=coached_codes)),
            n=Sum("n"),
            workers=Sum("workers"),
            coached=Sum("coached"),
            certified=Sum("certified"),
            manager=Sum("manager"),
            marketer=Sum("marketer"),
        )
        .order_by("kecamatan_id")
    )
    totals = {
        k: sum(r[k] or 0 for r in by_kecamatan)
        for k in ("n", "workers", "coached", "in_coached_subsectors")
    }
    cert = {k: sum(r[k] or 0 for r in by_kecamatan) for k in ("certified", "manager", "marketer")}
    series = summary.growth_series(today=today)
    return {
        "totals": totals,
        "by_kecamatan": by_kecamatan,
        "last": series.last_complete,
        "mean3": series.mean_rate(3),
        "coached_subsectors": list(
            Subsector.objects.filter(code__in=coached_codes).order_by("code")
        ),
        "coached_subsector_ikm": totals["in_coached_subsectors"],
        "certification": {
            **cert,
            "target": totals["n"],
            "share": cert["certified"] / totals["n"] if totals["n"] else 0.0,
        },
    }
