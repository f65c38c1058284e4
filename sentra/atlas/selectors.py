"""Reads for the atlas: map indicators per area, area profiles, points for the map.

Every figure is a SQL aggregate over the analytics tables (sentra.atlas.models, rebuilt
from the registry by sentra.atlas.summary): a sum over a few thousand pre-grouped rows,
never a scan of every IKM. Python only combines the few grouped rows. The profile page,
its PDF and its Excel file read one `AreaProfile`. The points of the map are single IKM
and are read from the registry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Floor, Lower, Substr, Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from sentra.accounts.permissions import personal_scope
from sentra.areas.models import Area, Level
from sentra.atlas import freshness, summary
from sentra.atlas.growth import GrowthFilters, GrowthSeries
from sentra.atlas.measures import ALL_MEASURES, product_key
from sentra.atlas.measures import measures as measures_of
from sentra.atlas.models import Cell, ProductCell
from sentra.lib.cache import cached
from sentra.registry.models import Ikm
from sentra.registry.scale import Scale
from sentra.registry.selectors import filter_area_sector_scale
from sentra.sectors.models import Kbli, Subsector

# PP 29/2018 (Pemberdayaan Industri), Pasal 1: a sentra IKM is a group of at least five
# units with similar products, raw material or process in one location.
SENTRA_MIN_UNITS = 5

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


def certification_progress() -> dict | None:
    """The certification app's city figures ({certified, target, share}) if it has them."""
    try:
        from sentra.certification.selectors import certification_progress as provided
    except ImportError:
        return None
    return provided()


@dataclass(frozen=True)
class MapFilters:
    level: str = "desa"  # desa or kecamatan
    subsector: str = ""  # a code, or "none"
    scale: str = ""


def _active(subsector: str = "", scale: str = "") -> QuerySet[Ikm]:
    return filter_area_sector_scale(Ikm.objects.active(), subsector=subsector, scale=scale)


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


# The same figures straight from the registry (_sums, detect_sentra, _top_products,
# _top_kbli): the definitions the analytics tables are tested against.
def _sums(qs: QuerySet[Ikm], *, by: str | None = None, names=ALL_MEASURES):
    measures = measures_of(names)
    if by:
        return qs.values(by).annotate(**measures).order_by()
    return qs.aggregate(**measures)


def _cells(subsector: str = "", scale: str = "", *, active: bool = True) -> QuerySet[Cell]:
    """`_active`'s filters on the analytics table."""
    return filter_area_sector_scale(
        Cell.objects.filter(active=active), subsector=subsector, scale=scale
    )


def _cell_sums(qs: QuerySet[Cell], *, by: str | None = None, names=ALL_MEASURES):
    """`_sums` over pre-grouped rows: every measure is a sum of the rows' measures."""
    measures = {name: Sum(name) for name in names}
    if by:
        return qs.values(by).annotate(**measures).order_by()
    return qs.aggregate(**measures)


def _ratio(a, b) -> float | None:
    return a / b if a is not None and b else None


def area_values(*, filters: MapFilters, indicator: str = "n") -> dict[str, dict]:
    """Every indicator per area of the chosen level (one GROUP BY; growth only when asked)."""
    key = "desa_id" if filters.level == "desa" else "kecamatan_id"
    areas = Area.objects.filter(level=LEVELS[filters.level]).values_list("code", "name", "area_km2")
    out: dict[str, dict] = {
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


def map_data(*, filters: MapFilters, indicator: str) -> dict:
    """The map endpoint's payload: values per area, class breaks and counts per class."""
    if indicator not in INDICATORS:
        indicator = "n"
    values = area_values(filters=filters, indicator=indicator)
    breaks = class_breaks([v[indicator] for v in values.values()])
    counts = [0] * len(breaks)
    no_data = 0
    areas = {}
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


def area_geometries(*, level: str) -> dict:
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


def points_scope(user) -> frozenset[str] | None | bool:
    """Which IKM points a user may see on the map: a point is usually the owner's home,
    so points follow the policy's personal-data scope (None all, a set, False none)."""
    return personal_scope(user)


POINTS_DETAIL_ZOOM = 17
POINTS_LIMIT = 3000


def map_points(
    *, user, bbox: tuple[float, float, float, float], zoom: int, filters: MapFilters
) -> dict:
    """IKM points in the box: aggregated to a grid in SQL, single points when zoomed in."""
    scope = points_scope(user)
    if scope is False:
        return {"mode": "none", "points": []}
    west, south, east, north = bbox
    qs = _active(filters.subsector, filters.scale).filter(
        latitude__isnull=False,
        longitude__gte=west,
        longitude__lte=east,
        latitude__gte=south,
        latitude__lte=north,
    )
    if isinstance(scope, frozenset):
        qs = qs.filter(kecamatan_id__in=scope)
    if zoom >= POINTS_DETAIL_ZOOM:
        rows = qs.order_by("id").values_list("id", "name", "latitude", "longitude")[:POINTS_LIMIT]
        return {
            "mode": "points",
            "points": [[i, name, float(lat or 0), float(lng or 0)] for i, name, lat, lng in rows],
        }
    # About 80 px cells on a 256 px tile: a cluster icon (20–36 px) never fills its cell.
    cell = 360 / (2 ** max(zoom, 1)) / 256 * 80
    lat = Cast("latitude", FloatField())
    lng = Cast("longitude", FloatField())
    grid = (
        qs.annotate(gy=Floor(lat / cell), gx=Floor(lng / cell))
        .values("gx", "gy")
        .annotate(n=Count("id"), lat=Avg(lat), lng=Avg(lng))
        .order_by()
    )
    return {"mode": "grid", "points": [[g["n"], g["lat"], g["lng"]] for g in grid]}


# --- area profile ----------------------------------------------------------------------


@dataclass
class Sentra:
    desa_code: str
    desa_name: str
    kbli_group: str
    kbli_title: str
    product: str
    n: int
    workers: int


@dataclass
class AreaProfile:
    area: Area
    level: str
    as_of: date
    totals: dict
    city: dict
    city_area_count: int
    closed: int
    city_closed: int
    by_scale: list[tuple[str, str, int, float | None]]  # code, label, n, city share
    top_products: list[tuple[str, int]]
    top_kbli: list[tuple[str, str, int]]
    lq: list[dict]
    sentra: list[Sentra]
    growth_rows: list
    city_growth: dict
    growth_mean: float | None
    city_growth_mean: float | None
    projection: object
    children: list[dict] = field(default_factory=list)

    # Workers whose source gave only a total: in "workers", in neither sex.
    @staticmethod
    def _unspecified(figures: dict) -> int:
        sexes = (figures.get("workers_male") or 0) + (figures.get("workers_female") or 0)
        return (figures.get("workers") or 0) - sexes

    @property
    def workers_unspecified(self) -> int:
        return self._unspecified(self.totals)

    @property
    def city_workers_unspecified(self) -> int:
        return self._unspecified(self.city)

    @property
    def city_avg_workers_unspecified(self) -> float | None:
        return _ratio(self.city_workers_unspecified, self.city_area_count)

    def share(self, key: str) -> float | None:
        return _ratio(100 * (self.totals.get(key) or 0), self.totals["n"])

    def city_share(self, key: str) -> float | None:
        return _ratio(100 * (self.city.get(key) or 0), self.city["n"])

    def per_ikm(self, key: str) -> float | None:
        return _ratio(self.totals.get(key), self.totals["n"])

    def city_per_ikm(self, key: str) -> float | None:
        return _ratio(self.city.get(key), self.city["n"])

    def city_avg(self, key: str) -> float | None:
        """The city's average per area of this level."""
        return _ratio(self.city.get(key) or 0, self.city_area_count)

    def condition_rows(self) -> list[ProfileRow]:
        """The "Kondisi" table: the page, the PDF and the Excel sheet all read it."""
        t, c = self.totals, self.city
        rows = [
            ProfileRow(
                _("IKM aktif"), t["n"], self.city_avg("n"), c["n"], link="-", testid="total-n"
            ),
            ProfileRow(
                _("IKM tutup (tercatat)"),
                self.closed,
                _ratio(self.city_closed, self.city_area_count),
                self.city_closed,
                link="&status=closed",
            ),
            ProfileRow(
                _("Tenaga kerja"),
                t["workers"],
                self.city_avg("workers"),
                c["workers"],
                testid="total-workers",
            ),
            ProfileRow(
                _("Tenaga kerja laki-laki"),
                t["workers_male"],
                self.city_avg("workers_male"),
                c["workers_male"],
                short=_("laki-laki"),
            ),
            ProfileRow(
                _("Tenaga kerja perempuan"),
                t["workers_female"],
                self.city_avg("workers_female"),
                c["workers_female"],
                short=_("perempuan"),
            ),
            ProfileRow(
                _("Tenaga kerja tanpa rincian jenis kelamin"),
                self.workers_unspecified,
                self.city_avg_workers_unspecified,
                self.city_workers_unspecified,
                short=_("tanpa rincian (sumber hanya memberi jumlah)"),
                # Shown on the page only where some source gave only a total.
                on_page=bool(self.city_workers_unspecified),
            ),
            ProfileRow(
                _("Investasi (Rp)"),
                t["investment"],
                self.city_avg("investment"),
                c["investment"],
                kind="money",
                testid="total-investment",
            ),
            ProfileRow(
                _("Nilai produksi (Rp/tahun)"),
                t["production_value"],
                self.city_avg("production_value"),
                c["production_value"],
                kind="money",
                testid="total-production",
            ),
            ProfileRow(
                _("Tenaga kerja per IKM"),
                self.per_ikm("workers"),
                self.city_per_ikm("workers"),
                kind="per_ikm",
            ),
            ProfileRow(
                _("Investasi per IKM (Rp)"),
                self.per_ikm("investment"),
                self.city_per_ikm("investment"),
                short=_("Investasi per IKM"),
                kind="rupiah",
            ),
        ]
        return rows

    def rows(self) -> list[tuple[str, str, object, object]]:
        """Section, indicator, this area, city comparison: the Excel sheet and tests read
        it. The condition rows are the page's own (`condition_rows`)."""
        condition = str(_("Kondisi"))
        out: list[tuple[str, str, object, object]] = [
            (condition, str(r.label), r.value, r.city_avg) for r in self.condition_rows()
        ]
        scale, potential = str(_("Skala")), str(_("Potensi"))
        for _code, label, n, city_share in self.by_scale:
            out.append((scale, _("IKM skala %(scale)s") % {"scale": label}, n, city_share))
        out += [
            (
                potential,
                str(_("IKM pernah dibina (%)")),
                self.share("coached"),
                self.city_share("coached"),
            ),
            (
                potential,
                str(_("IKM bersertifikat (%)")),
                self.share("certified"),
                self.city_share("certified"),
            ),
            (
                potential,
                str(_("Pertumbuhan rata-rata 3 tahun (%)")),
                None if self.growth_mean is None else 100 * self.growth_mean,
                None if self.city_growth_mean is None else 100 * self.city_growth_mean,
            ),
            (potential, str(_("Sentra IKM terdeteksi")), len(self.sentra), None),
        ]
        lq = str(_("LQ subsektor"))
        for row in self.lq:
            out.append((lq, row["name"], row["lq"], 1.0))
        sentra = str(_("Sentra IKM"))
        for s in self.sentra:
            out.append((sentra, f"{s.product} ({s.kbli_group}) – {s.desa_name}", s.n, None))
        products = str(_("Produk utama"))
        for name, n in self.top_products:
            out.append((products, name, n, None))
        kbli = str(_("Golongan KBLI"))
        for code, title, n in self.top_kbli:
            out.append((kbli, f"{code} {title}", n, None))
        growth = str(_("Pertumbuhan"))
        for r in self.growth_rows:
            city = self.city_growth.get(r.year)
            out.append(
                (
                    growth,
                    _("Stok akhir %(year)s") % {"year": r.year},
                    r.stock,
                    city.stock if city else None,
                )
            )
        return out


@dataclass(frozen=True)
class ProfileRow:
    """One indicator of an area profile against the city."""

    label: StrOrPromise  # full name (Excel)
    value: Any
    city_avg: Any  # the city's average per area of this level (or per IKM)
    city: Any = None  # the city's total (the page's third column)
    short: StrOrPromise = ""  # the name under its parent row on the page
    kind: str = "count"  # count, money, per_ikm, rupiah: how the page formats it
    link: str = ""  # "-": the area's list; "&…": the list narrowed further
    testid: str = ""
    on_page: bool = True


def detect_sentra(qs: QuerySet[Ikm], *, min_units: int = SENTRA_MIN_UNITS) -> list[Sentra]:
    """Groups of ≥ min_units active IKM in one desa with the same 3-digit KBLI group and
    the same normalised main product (PP 29/2018)."""
    grouped = (
        qs.exclude(kbli__isnull=True)
        .annotate(g=Substr("kbli_id", 1, 3), p=Lower(Trim("main_products")))
        .values("desa_id", "g", "p")
        .annotate(n=Count("id"), workers=Sum("workers_total"))
        .order_by()
    )
    merged: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in grouped:
        key = (row["desa_id"], row["g"], product_key(row["p"] or ""))
        if not key[2]:
            continue
        merged[key][0] += row["n"]
        merged[key][1] += row["workers"] or 0
    found = [(k, (v[0], v[1])) for k, v in merged.items() if v[0] >= min_units]
    return _sentra_list(found)


def _sentra_list(found: list[tuple[tuple[str, str, str], tuple[int, int]]]) -> list[Sentra]:
    """((desa, KBLI group, product), (units, workers)) → Sentra rows with names, largest
    first."""
    if not found:
        return []
    desa = dict(Area.objects.filter(code__in={k[0] for k, _ in found}).values_list("code", "name"))
    titles = dict(
        Kbli.objects.filter(code__in={k[1] for k, _ in found}).values_list("code", "title")
    )
    out = [Sentra(d, desa.get(d, d), g, titles.get(g, ""), p, n, w) for (d, g, p), (n, w) in found]
    return sorted(out, key=lambda s: (-s.n, s.desa_name, s.product))


def _sentra_from_cells(
    cells: QuerySet[ProductCell], *, min_units: int = SENTRA_MIN_UNITS
) -> list[Sentra]:
    """`detect_sentra` over the product table (products already folded by product_key)."""
    found = [
        ((r["desa_id"], r["kbli_group"], r["product"]), (r["n"], r["w"] or 0))
        for r in cells.exclude(kbli_group="")
        .exclude(product="")
        .values("desa_id", "kbli_group", "product")
        .annotate(n=Sum("n"), w=Sum("workers"))
        .filter(n__gte=min_units)
        .order_by()
    ]
    return _sentra_list(found)


def _top_products_from_cells(cells: QuerySet[ProductCell], limit: int = 10):
    rows = (
        cells.exclude(product="")
        .values_list("product")
        .annotate(n=Sum("n"))
        .order_by("-n", "product")[:limit]
    )
    return [(p, n) for p, n in rows]


def _top_kbli_from_cells(cells: QuerySet[ProductCell], limit: int = 10):
    rows = list(
        cells.exclude(kbli_group="")
        .values_list("kbli_group")
        .annotate(n=Sum("n"))
        .order_by("-n", "kbli_group")[:limit]
    )
    titles = dict(Kbli.objects.filter(code__in=[g for g, _ in rows]).values_list("code", "title"))
    return [(g, titles.get(g, ""), n) for g, n in rows]


def _top_products(qs: QuerySet[Ikm], limit: int = 10) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for p, n in (
        qs.annotate(p=Lower(Trim("main_products")))
        .values_list("p")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = product_key(p or "")
        if key:
            counts[key] += n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _top_kbli(qs: QuerySet[Ikm], limit: int = 10) -> list[tuple[str, str, int]]:
    rows = list(
        qs.exclude(kbli__isnull=True)
        .annotate(g=Substr("kbli_id", 1, 3))
        .values_list("g")
        .annotate(n=Count("id"))
        .order_by("-n", "g")[:limit]
    )
    titles = dict(Kbli.objects.filter(code__in=[g for g, _ in rows]).values_list("code", "title"))
    return [(g, titles.get(g, ""), n) for g, n in rows]


def city_figures(*, today: date) -> dict:
    """The city side of every profile (the same for all 47 areas, so callers cache it)."""
    freshness.current()
    active = _cells()
    return {
        "sums": {k: v or 0 for k, v in _cell_sums(active).items()},
        "closed": _cells(active=False).aggregate(n=Sum("n"))["n"] or 0,
        "scale": dict(active.values_list("scale").annotate(n=Sum("n")).order_by()),
        "subsector": dict(active.values_list("subsector_id").annotate(n=Sum("n")).order_by()),
        "area_counts": dict(Area.objects.values_list("level").annotate(n=Count("code")).order_by()),
        "growth": summary.growth_series(today=today),
    }


def area_profile(
    *,
    code: str,
    project_to: int | None = None,
    today: date | None = None,
    city_figures_: dict | None = None,
) -> AreaProfile:
    """Condition and potential of one kecamatan or desa/kelurahan beside the city.

    `city_figures_` (from `city_figures`) may come from a cache: it is the same for
    every area, so only the area's own rows are read per profile.
    """
    today = today or date.today()
    area = Area.objects.select_related("parent").get(
        code=code, level__in=[Level.DISTRICT, Level.VILLAGE]
    )
    level = "kecamatan" if area.level == Level.DISTRICT else "desa"
    key = "kecamatan_id" if level == "kecamatan" else "desa_id"
    freshness.current()  # today's tables; `today` only dates the growth rows
    here = _cells().filter(**{key: code})
    products = ProductCell.objects.filter(**{key: code})
    if city_figures_ is None:
        city_figures_ = city_figures(today=today)
    c = city_figures_
    # The area's own figures: every query below is limited to the area's rows.
    totals = {k: v or 0 for k, v in _cell_sums(here).items()}
    city = c["sums"]
    city_area_count = c["area_counts"][area.level]
    closed = _cells(active=False).filter(**{key: code}).aggregate(n=Sum("n"))["n"] or 0
    city_closed = c["closed"]

    scale_here: dict = defaultdict(int)
    sub_here: dict = defaultdict(int)
    for g in here.values("scale", "subsector_id").annotate(n=Sum("n")).order_by():
        scale_here[g["scale"]] += g["n"]
        sub_here[g["subsector_id"]] += g["n"]
    scale_city, sub_city = c["scale"], c["subsector"]
    by_scale = [
        (
            value,
            str(label),
            scale_here.get(value, 0),
            _ratio(scale_city.get(value, 0), city_area_count),
        )
        for value, label in [*Scale.choices, ("", "belum diketahui")]
    ]

    names = dict(Subsector.objects.filter(scheme="bekraf_16").values_list("code", "name"))
    lq = []
    for sub_code, name in names.items():
        n_here, n_city = sub_here.get(sub_code, 0), sub_city.get(sub_code, 0)
        value = (n_here / totals["n"]) / (n_city / city["n"]) if totals["n"] and n_city else None
        lq.append({"code": sub_code, "name": name, "n": n_here, "city_n": n_city, "lq": value})
    lq.sort(key=lambda r: (-(r["lq"] or 0), r["code"]))

    gf = GrowthFilters(kecamatan=code) if level == "kecamatan" else GrowthFilters(desa=code)
    series = summary.growth_series(filters=gf, project_to=project_to, today=today)
    city_series = c["growth"]
    complete = series.complete_rows[-6:]

    children = []
    if level == "kecamatan":
        child_rows = {
            r["desa_id"]: r for r in _cell_sums(here, by="desa_id", names=("n", "workers"))
        }
        for d in Area.objects.filter(parent=area).order_by("name"):
            r = child_rows.get(d.code, {})
            children.append(
                {
                    "code": d.code,
                    "name": d.name,
                    "n": r.get("n") or 0,
                    "workers": r.get("workers") or 0,
                }
            )

    return AreaProfile(
        area=area,
        level=level,
        as_of=today,
        totals=totals,
        city=city,
        city_area_count=city_area_count,
        closed=closed,
        city_closed=city_closed,
        by_scale=by_scale,
        top_products=_top_products_from_cells(products),
        top_kbli=_top_kbli_from_cells(products),
        lq=lq,
        sentra=_sentra_from_cells(products),
        growth_rows=complete,
        city_growth={r.year: r for r in city_series.rows},
        growth_mean=series.mean_rate(3),
        city_growth_mean=city_series.mean_rate(3),
        projection=series.projection,
        children=children,
    )


def dashboard_figures(*, today: date) -> dict:
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


# --- growth page ---------------------------------------------------------------------


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
