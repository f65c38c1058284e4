"""Which desa/kelurahan a coordinate falls in.

The packaged polygons are simplified and leave slivers between neighbours, so a point
that falls in no polygon takes the nearest one within NEAR_DEGREES (about 200 m);
anything farther is outside the city.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely import STRtree

# shapely (and numpy under it) is imported where a coordinate is first located, not at
# module import: most processes that load this module (an import of a file without
# coordinates, a web worker) never need it, and it costs about 30 MB of memory.

NEAR_DEGREES = 0.002  # ≈ 220 m at Denpasar's latitude


@dataclass(frozen=True)
class Located:
    code: str | None  # desa/kelurahan code, None when outside the city
    exact: bool  # inside the polygon (not the nearest-polygon fallback)


@cache
def _index() -> tuple[STRtree, list[str]]:
    from shapely import STRtree
    from shapely.geometry import shape

    from sentra.areas.models import Area

    codes, geoms = [], []
    for code, geometry in (
        Area.objects.villages().filter(geometry__isnull=False).values_list("code", "geometry")
    ):
        codes.append(code)
        geoms.append(shape(geometry))  # type: ignore[arg-type]  # filtered: never None
    return STRtree(geoms), codes


def reset_cache() -> None:
    _index.cache_clear()


def locate(latitude: float, longitude: float) -> Located:
    from shapely.geometry import Point

    tree, codes = _index()
    if not codes:
        return Located(None, False)
    point = Point(float(longitude), float(latitude))
    hits = tree.query(point, predicate="intersects")
    if len(hits):
        return Located(codes[int(min(hits))], True)
    nearest = tree.query_nearest(point, max_distance=NEAR_DEGREES)
    if len(nearest):
        return Located(codes[int(nearest[0])], False)
    return Located(None, False)


def location_check(*, desa_code: str | None, latitude, longitude) -> str:
    """One of LocationCheck's values for a record's coordinates and chosen desa."""
    if latitude is None or longitude is None:
        return ""
    found = locate(latitude, longitude)
    if found.code is None:
        return "outside"
    if found.code != desa_code:
        return "mismatch"
    return "ok" if found.exact else "near"
