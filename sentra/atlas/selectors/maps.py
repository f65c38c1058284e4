"""The map: an indicator per area, its classes, the area shapes and the points of single
IKM (read from the registry, within the user's personal-data scope).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Sum

from sentra.accounts.permissions import personal_scope
from sentra.areas.models import Area
from sentra.atlas import freshness, summary
from sentra.atlas.growth import GrowthFilters
from sentra.atlas.models import MAP_CELL_DEGREES, MAP_ZOOMS, MapCell
from sentra.atlas.selectors.common import INDICATORS, LEVELS, _active, _cell_sums, _cells, _ratio
from sentra.registry.selectors import filter_area_sector_scale

if TYPE_CHECKING:
    from sentra.accounts.permissions import Actor


@dataclass(frozen=True)
class MapFilters:
    level: str = "desa"  # desa or kecamatan
    subsector: str = ""  # a code, or "none"
    scale: str = ""


# One area of the map payload (functional form: "class" is a keyword). `value` is the
# indicator's, None where there is no data, and `class` its class (index into breaks).
MapArea = TypedDict(
    "MapArea",
    {"name": str, "value": float | None, "class": int | None, "n": int, "workers": int},
)


class MapData(TypedDict):
    """The map endpoint's payload (JSON)."""

    indicator: str
    label: str
    level: str
    breaks: list[float]
    lower: float
    counts: list[int]
    no_data: int
    areas: dict[str, MapArea]


# What each map indicator needs besides n and workers (the tooltip shows those two).
INDICATOR_MEASURES = {
    "n": (),
    "per_km2": (),
    "workers": (),
    "investment": ("investment",),
    "production_value": ("production_value",),
    "growth": (),
    "coached_share": ("coached",),
    "exhibited_share": ("exhibited",),
    "certified_share": ("certified",),
}


def area_values(*, filters: MapFilters, indicator: str = "n") -> dict[str, dict[str, Any]]:
    """Every indicator per area of the chosen level (one GROUP BY; growth only when asked)."""
    key = "desa_id" if filters.level == "desa" else "kecamatan_id"
    areas = Area.objects.filter(level=LEVELS[filters.level]).values_list("code", "name", "area_km2")
    out: dict[str, dict[str, Any]] = {
        code: {
            "name": name,
            "area_km2": km2,
            "n": 0,
            "workers": 0,
            "investment": 0,
            "production_value": 0,
            "coached": 0,
            "exhibited": 0,
            "certified": 0,
        }
        for code, name, km2 in areas
    }
    names = ("n", "workers", *INDICATOR_MEASURES.get(indicator, ()))
    freshness.current()
    for row in _cell_sums(_cells(filters.subsector, filters.scale), by=key, names=names):
        if row[key] in out:
            out[row[key]].update({k: v or 0 for k, v in row.items() if k != key})
    for v in out.values():
        v["per_km2"] = _ratio(v["n"], v["area_km2"])
        v["coached_share"] = _ratio(100 * v["coached"], v["n"])
        v["exhibited_share"] = _ratio(100 * v["exhibited"], v["n"])
        v["certified_share"] = _ratio(100 * v["certified"], v["n"])
        v["growth"] = None
    if indicator == "growth":
        by = summary.growth_by(
            dimension=filters.level,
            filters=GrowthFilters(subsector=filters.subsector, scale=filters.scale),
        )
        for code, series in by.items():
            last = series.last_complete
            if code in out and last and last.rate is not None:
                out[code]["growth"] = 100 * last.rate
    return out


def class_breaks(values: list[float], *, classes: int = 5) -> list[float]:
    """Quantile class breaks (upper bounds), distinct and increasing."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return []
    breaks: list[float] = []
    for i in range(1, classes + 1):
        idx = min(len(vals) - 1, max(0, round(i * len(vals) / classes) - 1))
        b = vals[idx]
        if not breaks or b > breaks[-1]:
            breaks.append(b)
    return breaks


def class_of(value: float | None, breaks: list[float]) -> int | None:
    if value is None:
        return None
    for i, b in enumerate(breaks):
        if value <= b:
            return i
    return len(breaks) - 1


def map_data(*, filters: MapFilters, indicator: str) -> MapData:
    """The map endpoint's payload: values per area, class breaks and counts per class."""
    if indicator not in INDICATORS:
        indicator = "n"
    values = area_values(filters=filters, indicator=indicator)
    breaks = class_breaks([v[indicator] for v in values.values()])
    counts = [0] * len(breaks)
    no_data = 0
    areas: dict[str, MapArea] = {}
    for code, v in values.items():
        cls = class_of(v[indicator], breaks)
        if cls is None:
            no_data += 1
        else:
            counts[cls] += 1
        areas[code] = {
            "name": v["name"],
            "value": v[indicator],
            "class": cls,
            "n": v["n"],
            "workers": v["workers"],
        }
    lower = [min((v for v in (a["value"] for a in areas.values()) if v is not None), default=0)]
    return {
        "indicator": indicator,
        "label": str(INDICATORS[indicator]),
        "level": filters.level,
        "breaks": breaks,
        "lower": lower[0],
        "counts": counts,
        "no_data": no_data,
        "areas": areas,
    }


def area_geometries(*, level: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the level's areas (static reference data)."""
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": name},
            "geometry": geometry,
        }
        for code, name, geometry in Area.objects.filter(level=LEVELS[level])
        .filter(geometry__isnull=False)
        .values_list("code", "name", "geometry")
    ]
    return {"type": "FeatureCollection", "features": features}


# --- points -------------------------------------------------------------------------


def points_scope(user: Actor) -> frozenset[str] | None | bool:
    """Which IKM points a user may see on the map: a point is usually the owner's home,
    so points follow the policy's personal-data scope (None all, a set, False none)."""
    return personal_scope(user)


POINTS_DETAIL_ZOOM = 17
POINTS_LIMIT = 3000


def map_points(
    *, user: Actor, bbox: tuple[float, float, float, float], zoom: int, filters: MapFilters
) -> dict[str, Any]:
    """IKM points in the box: clusters summed from the map cells (as fresh as the other
    atlas tables), single points from the registry when zoomed in."""
    scope = points_scope(user)
    if scope is False:
        return {"mode": "none", "points": []}
    west, south, east, north = bbox
    if zoom >= POINTS_DETAIL_ZOOM:
        qs = _active(filters.subsector, filters.scale).filter(
            latitude__isnull=False,
            longitude__gte=west,
            longitude__lte=east,
            latitude__gte=south,
            latitude__lte=north,
        )
        if isinstance(scope, frozenset):
            qs = qs.filter(kecamatan_id__in=scope)
        rows = qs.order_by("id").values_list("id", "name", "latitude", "longitude")[:POINTS_LIMIT]
        return {
            "mode": "points",
            "points": [[i, name, float(lat or 0), float(lng or 0)] for i, name, lat, lng in rows],
        }
    freshness.current()
    level = min(max(zoom, MAP_ZOOMS[0]), MAP_ZOOMS[-1])
    cell = MAP_CELL_DEGREES / 2**level
    # Every cell the box touches: a cluster at the edge keeps its whole count and place
    # while the map pans.
    cells = MapCell.objects.filter(
        zoom=level,
        gx__gte=math.floor(west / cell),
        gx__lte=math.floor(east / cell),
        gy__gte=math.floor(south / cell),
        gy__lte=math.floor(north / cell),
    )
    cells = filter_area_sector_scale(cells, subsector=filters.subsector, scale=filters.scale)
    if isinstance(scope, frozenset):
        cells = cells.filter(kecamatan_id__in=scope)
    grid = (
        cells.values("gx", "gy")
        .annotate(n=Sum("n"), lat=Sum("lat_sum"), lng=Sum("lng_sum"))
        .order_by()
    )
    return {
        "mode": "grid",
        "points": [[g["n"], g["lat"] / g["n"], g["lng"] / g["n"]] for g in grid if g["n"]],
    }
