"""The area profile: one kecamatan or desa/kelurahan beside the city, its sentra IKM,
products and KBLI groups. The page, its PDF and its Excel file read one AreaProfile through the sections of
`sentra.atlas.selectors.sections`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Lower, Substr, Trim
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from sentra.areas.models import Area, Level
from sentra.atlas import freshness, summary
from sentra.atlas.growth import GrowthFilters, GrowthSeries, Projection, YearRow
from sentra.atlas.measures import product_key
from sentra.atlas.models import ProductCell
from sentra.atlas.selectors.common import _cell_sums, _cells, _ratio
from sentra.registry.models import Ikm
from sentra.registry.scale import Scale
from sentra.sectors.models import Kbli, Subsector

# PP 29/2018 (Pemberdayaan Industri), Pasal 1: a sentra IKM is a group of at least five
# units with similar products, raw material or process in one location.
SENTRA_MIN_UNITS = 5


class LqRow(TypedDict):
    """A subsector's location quotient in the area (None: no IKM of it in the city)."""

    code: str
    name: str
    n: int
    city_n: int
    lq: float | None


class ChildArea(TypedDict):
    """A desa/kelurahan of a kecamatan profile, with its figures."""

    code: str
    name: str
    n: int
    workers: int


class CityFigures(TypedDict):
    """The city side of every profile (`city_figures`)."""

    sums: dict[str, int]  # measure -> city total
    closed: int
    scale: dict[str, int]  # scale code ("" unknown) -> IKM
    subsector: dict[str | None, int]  # subsector code (None: bukan ekraf) -> IKM
    area_counts: dict[str, int]  # area level -> number of areas
    growth: GrowthSeries


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
    totals: dict[str, int]  # measure -> the area's sum
    city: dict[str, int]  # measure -> the city's sum
    city_area_count: int
    closed: int
    city_closed: int
    by_scale: list[tuple[str, str, int, float | None]]  # code, label, n, city share
    top_products: list[tuple[str, int]]
    top_kbli: list[tuple[str, str, int]]
    lq: list[LqRow]
    sentra: list[Sentra]
    growth_rows: list[YearRow]
    city_growth: dict[int, YearRow]
    growth_mean: float | None
    city_growth_mean: float | None
    projection: Projection | None
    children: list[ChildArea] = field(default_factory=list)

    # Workers whose source gave only a total: in "workers", in neither sex.
    @staticmethod
    def _unspecified(figures: dict[str, int]) -> int:
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

    @property
    def area_query(self) -> str:
        """The registry list's filter for this area (its links' query string)."""
        if self.level == "kecamatan":
            return f"kecamatan={self.area.code}"
        return f"kecamatan={self.area.parent_id}&desa={self.area.code}"

    def condition_rows(self) -> list[ProfileRow]:
        """The indicators of the "Kondisi" table (`sections.profile_sections`)."""
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
        # Only where some source gave only a total (page, PDF and Excel alike).
        if self.city_workers_unspecified:
            rows.insert(
                5,
                ProfileRow(
                    _("Tenaga kerja tanpa rincian jenis kelamin"),
                    self.workers_unspecified,
                    self.city_avg_workers_unspecified,
                    self.city_workers_unspecified,
                    short=_("tanpa rincian (sumber hanya memberi jumlah)"),
                ),
            )
        return rows


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


def _top_products_from_cells(
    cells: QuerySet[ProductCell], limit: int = 10
) -> list[tuple[str, int]]:
    rows = (
        cells.exclude(product="")
        .values_list("product")
        .annotate(n=Sum("n"))
        .order_by("-n", "product")[:limit]
    )
    return [(p, n) for p, n in rows]


def _top_kbli_from_cells(
    cells: QuerySet[ProductCell], limit: int = 10
) -> list[tuple[str, str, int]]:
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


def city_figures(*, today: date) -> CityFigures:
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
    city_figures_: CityFigures | None = None,
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
    totals: dict[str, int] = {k: v or 0 for k, v in _cell_sums(here).items()}
    city = c["sums"]
    city_area_count = c["area_counts"][area.level]
    closed = _cells(active=False).filter(**{key: code}).aggregate(n=Sum("n"))["n"] or 0
    city_closed = c["closed"]

    scale_here: dict[str, int] = defaultdict(int)
    sub_here: dict[str | None, int] = defaultdict(int)
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
    lq: list[LqRow] = []
    for sub_code, name in names.items():
        n_here, n_city = sub_here.get(sub_code, 0), sub_city.get(sub_code, 0)
        value = (n_here / totals["n"]) / (n_city / city["n"]) if totals["n"] and n_city else None
        lq.append({"code": sub_code, "name": name, "n": n_here, "city_n": n_city, "lq": value})
    lq.sort(key=lambda r: (-(r["lq"] or 0), r["code"]))

    gf = GrowthFilters(kecamatan=code) if level == "kecamatan" else GrowthFilters(desa=code)
    series = summary.growth_series(filters=gf, project_to=project_to, today=today)
    city_series = c["growth"]
    complete = series.complete_rows[-6:]

    children: list[ChildArea] = []
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
