"""What the atlas reads share: the map indicators and levels, the sums over the analytics
table and their registry twins (the definitions the tables are tested against).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, overload

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from sentra.areas.models import Level
from sentra.atlas.measures import ALL_MEASURES
from sentra.atlas.measures import measures as measures_of
from sentra.atlas.models import Cell
from sentra.registry.models import Ikm
from sentra.registry.selectors import filter_area_sector_scale

if TYPE_CHECKING:
    from sentra.certification.selectors import Progress

INDICATORS: dict[str, StrOrPromise] = {
    "n": gettext_lazy("Jumlah IKM aktif"),
    "per_km2": gettext_lazy("IKM aktif per km²"),
    "workers": gettext_lazy("Tenaga kerja"),
    "investment": gettext_lazy("Investasi (Rp)"),
    "production_value": gettext_lazy("Nilai produksi (Rp/tahun)"),
    "growth": gettext_lazy("Pertumbuhan tahun lengkap terakhir (%)"),
    "coached_share": gettext_lazy("IKM pernah dibina (%)"),
    "exhibited_share": gettext_lazy("IKM pernah ikut pameran (%)"),
    "certified_share": gettext_lazy("IKM bersertifikat (%)"),
}
LEVELS = {"desa": Level.VILLAGE, "kecamatan": Level.DISTRICT}


def certified_definition() -> str:
    from sentra.certification.selectors import CERTIFIED_DEFINITION

    return str(CERTIFIED_DEFINITION)


def certification_progress() -> Progress | None:
    """The certification app's city figures ({certified, target, share}) if it has them."""
    try:
        from sentra.certification.selectors import certification_progress as provided
    except ImportError:
        return None
    return provided()


def _active(subsector: str = "", scale: str = "") -> QuerySet[Ikm]:
    return filter_area_sector_scale(Ikm.objects.active(), subsector=subsector, scale=scale)


# The same figures straight from the registry (_sums, detect_sentra, _top_products,
# _top_kbli): the definitions the analytics tables are tested against.
# Summed over the whole queryset: one dict; grouped `by` a column: one dict per group.
@overload
def _sums(
    qs: QuerySet[Ikm], *, by: None = None, names: Iterable[str] = ALL_MEASURES
) -> dict[str, Any]: ...
@overload
def _sums(
    qs: QuerySet[Ikm], *, by: str, names: Iterable[str] = ALL_MEASURES
) -> QuerySet[Ikm, dict[str, Any]]: ...
def _sums(
    qs: QuerySet[Ikm], *, by: str | None = None, names: Iterable[str] = ALL_MEASURES
) -> dict[str, Any] | QuerySet[Ikm, dict[str, Any]]:
    measures = measures_of(names)
    if by:
        groups: QuerySet[Ikm, dict[str, Any]] = qs.values(by).annotate(**measures).order_by()
        return groups
    return qs.aggregate(**measures)


def _cells(subsector: str = "", scale: str = "", *, active: bool = True) -> QuerySet[Cell]:
    """`_active`'s filters on the analytics table."""
    return filter_area_sector_scale(
        Cell.objects.filter(active=active), subsector=subsector, scale=scale
    )


@overload
def _cell_sums(
    qs: QuerySet[Cell], *, by: None = None, names: Iterable[str] = ALL_MEASURES
) -> dict[str, Any]: ...
@overload
def _cell_sums(
    qs: QuerySet[Cell], *, by: str, names: Iterable[str] = ALL_MEASURES
) -> QuerySet[Cell, dict[str, Any]]: ...
def _cell_sums(
    qs: QuerySet[Cell], *, by: str | None = None, names: Iterable[str] = ALL_MEASURES
) -> dict[str, Any] | QuerySet[Cell, dict[str, Any]]:
    """`_sums` over pre-grouped rows: every measure is a sum of the rows' measures."""
    measures = {name: Sum(name) for name in names}
    if by:
        groups: QuerySet[Cell, dict[str, Any]] = qs.values(by).annotate(**measures).order_by()
        return groups
    return qs.aggregate(**measures)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None
