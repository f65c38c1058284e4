"""The atlas analytics tables (sentra.atlas.models): rebuild, freshness, reads.

Rebuild (`refresh`): each table is one SELECT … GROUP BY over the registry into a
temporary table (the product table groups in SQL and folds the product names in Python,
as `measures.product_key` needs), then one short transaction empties the tables
and copies the new rows in. Readers on PostgreSQL and on SQLite in WAL mode keep seeing
the previous rows until it commits, so a page never sees half a rebuild.

Freshness (`freshness.current`, the rule in `sentra.lib.freshness`): every atlas read compares the tables' data version with the
registry's (`cache.data_version`). When they differ, or a day has passed (certificates
expire), a rebuild is requested as a background task (`tasks.request_refresh`) and
the page shows the figures it has with their time: the first request after a change
stays fast. Only an empty install builds in the request itself. Audited writes request
the rebuild at commit, so it usually starts before anybody looks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Floor, Lower, Substr, Trim
from django.utils import timezone

from sentra.atlas import measures as atlas_measures
from sentra.atlas.growth import (
    DEFAULT_FIT_YEARS,
    DIMENSIONS,
    GrowthFilters,
    GrowthSeries,
    series_by,
    series_from_counts,
)
from sentra.atlas.measures import ALL_MEASURES, CELL_COLUMNS, product_key
from sentra.atlas.measures import measures as measures_of
from sentra.atlas.models import (
    MAP_CELL_DEGREES,
    MAP_ZOOMS,
    Cell,
    MapCell,
    ProductCell,
    RefreshState,
    YearCell,
)
from sentra.lib.cache import data_version
from sentra.lib.db import Year
from sentra.lib.freshness import building_marker
from sentra.lib.rates import last_years
from sentra.registry.models import Ikm
from sentra.registry.selectors import filter_area_sector_scale

logger = logging.getLogger(__name__)

LOCK_KEY = 4_044_001  # pg_advisory_xact_lock key of the rebuild


@dataclass(frozen=True)
class Freshness:
    built_at: datetime | None
    built_on: date | None
    seconds: float | None
    stale: bool  # the registry has changed since; a rebuild is on its way

    @property
    def stamp(self) -> str:
        """Part of a cache key: figures computed from these tables stay valid until the
        next rebuild, however much the registry changes meanwhile."""
        return f"{self.built_at.isoformat() if self.built_at else ''}:{self.built_on}"


def refresh_state() -> RefreshState:
    row = RefreshState.objects.order_by("pk").first()
    if row is None:
        row, _ = RefreshState.objects.get_or_create(pk=1)
    return row


# --- rebuild -------------------------------------------------------------------------


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _stage(name: str, select_sql: str, params) -> None:
    """CREATE TEMP TABLE name AS select: reads the registry, writes only the session's
    temporary schema (SQLite keeps it in a separate file), so writers are not held up."""
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"CREATE TEMP TABLE {name} AS {select_sql}", params)


def _stage_cells(today: date) -> None:
    from sentra.certification.models import Outcome, Result, Role

    valid = Outcome.objects.filter(result=Result.COMPETENT, expires_on__gte=today)
    manager = Q(pk__in=valid.filter(role=Role.MANAGER).values("ikm_id"))
    marketer = Q(pk__in=valid.filter(role=Role.MARKETER).values("ikm_id"))
    # The measures' one definition except the certified count, which is taken on the
    # day the tables are built for.
    measures = measures_of([m for m in ALL_MEASURES if m != "certified"])
    qs = (
        Ikm.objects.annotate(
            open_now=ExpressionWrapper(Q(closed_on__isnull=True), output_field=BooleanField())
        )
        .values("desa_id", "kecamatan_id", "subsector_id", "scale", "open_now")
        .annotate(
            **measures,
            # measures.certified_q: the certification app's definition (tests swap it).
            certified=Count("id", filter=atlas_measures.certified_q(on=today)),
            manager=Count("id", filter=manager),
            marketer=Count("id", filter=marketer),
        )
        .order_by()
    )
    sql, params = _sql(qs)
    columns = ", ".join("open_now AS active" if c == "active" else c for c in CELL_COLUMNS)
    _stage("atlas_stage_cell", f"SELECT {columns} FROM ({sql}) g", params)


_YEAR_DIMS = ["desa_id", "kecamatan_id", "subsector_id", "scale"]
_YEAR_MEASURES = [
    "founded",
    "recorded",
    "recorded_found",
    "recorded_unknown",
    "entered",
    "closed",
    "exited",
    "undated",
]


def _stage_years() -> None:
    groups = (
        Ikm.objects.annotate(sy=F("started_year"), ry=Year("first_recorded_on"))
        .annotate(cy=Year("closed_on"))
        .values(*_YEAR_DIMS, "sy", "ry", "cy")
        .annotate(n=Count("id"))
        .order_by()
    )
    sql, params = _sql(groups)
    dims = ", ".join(_YEAR_DIMS)
    greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    entry = "COALESCE(sy, ry)"

    def branch(year: str, where: str, **values: str) -> str:
        cols = ", ".join(f"{values.get(m, '0')} AS {m}" for m in _YEAR_MEASURES)
        return f"SELECT {dims}, {year} AS yr, {cols} FROM g WHERE {where}"

    # One branch per kind of event (growth._accumulate's buckets), summed per year.
    events = " UNION ALL ".join(
        [
            branch("sy", "sy IS NOT NULL", founded="n"),
            branch(
                "ry",
                "ry IS NOT NULL",
                recorded="n",
                recorded_found="CASE WHEN sy IS NOT NULL AND sy < ry THEN n ELSE 0 END",
                recorded_unknown="CASE WHEN sy IS NULL THEN n ELSE 0 END",
            ),
            branch(entry, f"{entry} IS NOT NULL", entered="n"),
            branch("cy", f"cy IS NOT NULL AND {entry} IS NOT NULL", closed="n"),
            branch(
                f"{greatest}(cy, {entry})", f"cy IS NOT NULL AND {entry} IS NOT NULL", exited="n"
            ),
            branch("NULL", f"{entry} IS NULL", undated="n"),
        ]
    )
    sums = ", ".join(f"SUM({m}) AS {m}" for m in _YEAR_MEASURES)
    _stage(
        "atlas_stage_year",
        f"WITH g AS ({sql}), e AS ({events}) "
        f"SELECT {dims}, yr AS year, {sums} FROM e GROUP BY {dims}, yr",
        params,
    )


_MAP_COLUMNS = "zoom, gx, gy, kecamatan_id, subsector_id, scale, n, lat_sum, lng_sum"


def _stage_map() -> None:
    """The finest zoom grouped from the registry, then each coarser zoom from the one
    below it (a cell's index halves, floored, from one zoom to the previous)."""
    finest = MAP_ZOOMS[-1]
    cell = MAP_CELL_DEGREES / 2**finest
    lat = Cast("latitude", FloatField())
    lng = Cast("longitude", FloatField())
    qs = (
        Ikm.objects.active()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(gx=Floor(lng / cell), gy=Floor(lat / cell))
        .values("gx", "gy", "kecamatan_id", "subsector_id", "scale")
        .annotate(n=Count("id"), lat_sum=Sum(lat), lng_sum=Sum(lng))
        .order_by()
    )
    sql, params = _sql(qs)
    _stage(
        "atlas_stage_map",
        f"SELECT {finest} AS zoom, CAST(gx AS INTEGER) AS gx, CAST(gy AS INTEGER) AS gy, "
        f"kecamatan_id, subsector_id, scale, n, lat_sum, lng_sum FROM ({sql}) g",
        params,
    )
    with connection.cursor() as cur:
        for zoom in reversed(MAP_ZOOMS[:-1]):
            halves = "CAST(FLOOR(gx / 2.0) AS INTEGER), CAST(FLOOR(gy / 2.0) AS INTEGER)"
            cur.execute(
                f"INSERT INTO atlas_stage_map ({_MAP_COLUMNS}) "
                f"SELECT {zoom}, {halves}, kecamatan_id, subsector_id, scale, "
                "SUM(n), SUM(lat_sum), SUM(lng_sum) FROM atlas_stage_map WHERE zoom = %s "
                f"GROUP BY {halves}, kecamatan_id, subsector_id, scale",
                [zoom + 1],
            )


def _products() -> list[ProductCell]:
    """Grouped in SQL by the lower-cased text, folded by product_key in Python (the
    rule is Python's): one call per distinct text, and there are few."""
    grouped = (
        Ikm.objects.active()
        .annotate(g=Coalesce(Substr("kbli_id", 1, 3), Value("")), p=Lower(Trim("main_products")))
        .values_list("desa_id", "kecamatan_id", "g", "p")
        .annotate(n=Count("id"), workers=Sum("workers_total"))
        .order_by()
    )
    merged: dict[tuple, list[int]] = {}
    keys: dict[str, str] = {}
    for desa, kec, g, p, n, workers in grouped.iterator(chunk_size=5000):
        text = p or ""
        key = keys.get(text)
        if key is None:
            key = keys[text] = product_key(text)[:300]
        acc = merged.setdefault((desa, kec, g, key), [0, 0])
        acc[0] += n
        acc[1] += workers or 0
    return [
        ProductCell(desa_id=d, kecamatan_id=k, kbli_group=g, product=p, n=n, workers=w)
        for (d, k, g, p), (n, w) in merged.items()
    ]


def refresh(*, today: date | None = None) -> RefreshState:
    """Rebuild the tables from the registry.

    The grouping queries (seconds at 490k IKM) only read the registry and write
    temporary tables; the swap into the analytics tables is one short transaction
    (milliseconds). SQLite allows one writer at a time: a single long transaction would
    hold up every edit in the office for the whole rebuild.
    """
    today = today or timezone.localdate()
    started = time.monotonic()
    pk = refresh_state().pk
    version = data_version()
    # Changes committed from here on request the next rebuild; readers that find this
    # version being built wait for it instead.
    RefreshState.objects.filter(pk=pk).update(
        pending=False, building=building_marker(version, today)
    )
    _stage_cells(today)
    _stage_years()
    _stage_map()
    products = _products()
    years = ", ".join([*_YEAR_DIMS, "year", *_YEAR_MEASURES])
    cells = ", ".join(CELL_COLUMNS)
    with transaction.atomic():
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # Two swaps at once would both delete, then both insert.
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            for model in (Cell, YearCell, ProductCell, MapCell):
                cur.execute(f"DELETE FROM {model._meta.db_table}")
            cur.execute(
                f"INSERT INTO {Cell._meta.db_table} ({cells}) SELECT {cells} FROM atlas_stage_cell"
            )
            cur.execute(
                f"INSERT INTO {YearCell._meta.db_table} ({years}) "
                f"SELECT {years} FROM atlas_stage_year"
            )
            cur.execute(
                f"INSERT INTO {MapCell._meta.db_table} ({_MAP_COLUMNS}) "
                f"SELECT {_MAP_COLUMNS} FROM atlas_stage_map"
            )
        ProductCell.objects.bulk_create(products, batch_size=2000)
        seconds = time.monotonic() - started
        RefreshState.objects.filter(pk=pk).update(
            built_version=version, built_on=today, built_at=timezone.now(), seconds=seconds
        )
    with connection.cursor() as cur:
        for name in ("atlas_stage_cell", "atlas_stage_year", "atlas_stage_map"):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
    logger.info("atlas tables rebuilt in %.1f s (data version %s)", seconds, version)
    return RefreshState.objects.get(pk=pk)


# --- reads ---------------------------------------------------------------------------


def _year_cells(filters: GrowthFilters) -> QuerySet[YearCell]:
    """The registry list's area/subsector/scale filters, on the year table."""
    return filter_area_sector_scale(
        YearCell.objects.all(),
        kecamatan=filters.kecamatan,
        desa=filters.desa,
        subsector=filters.subsector,
        scale=filters.scale,
    )


def growth_series(
    *,
    filters: GrowthFilters | None = None,
    project_to: int | None = None,
    fit_years: int = DEFAULT_FIT_YEARS,
    today: date | None = None,
) -> GrowthSeries:
    """`growth.growth_series` from the year table: the same rows, summed per year."""
    today = today or date.today()
    filters = filters or GrowthFilters()
    measures = [m for m in _YEAR_MEASURES if m not in ("exited", "undated")]
    counts: dict[int, dict[str, int]] = {}
    undated = 0
    sums: dict[str, Any] = {m: Sum(m) for m in [*measures, "undated"]}
    # One row per year (a few dozen): plain dicts, the measure names are dynamic.
    rows: list[dict[str, Any]] = [
        dict(r) for r in _year_cells(filters).values("year").annotate(**sums).order_by()
    ]
    for row in rows:
        if row["year"] is None:
            undated += row["undated"] or 0
        else:
            counts[row["year"]] = {m: row[m] or 0 for m in measures}
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
    """`growth.growth_by` from the year table: stock(Y) = entered − exited up to Y."""
    filters = filters or GrowthFilters()
    span = last_years(today or date.today(), years)
    last = span[-1]
    key = DIMENSIONS[dimension]
    net: dict[str, dict[int, int]] = {}
    for row in (
        _year_cells(filters)
        .values(key, "year")
        .annotate(e=Sum("entered"), x=Sum("exited"))
        .order_by()
    ):
        if row[key] is None:
            continue
        years_ = net.setdefault(row[key], {})
        if row["year"] is not None and row["year"] <= last:
            years_[row["year"]] = (row["e"] or 0) - (row["x"] or 0)
    stocks: dict[str, dict[int, int]] = {}
    for code, by_year in net.items():
        stock = sum(v for y, v in by_year.items() if y < span[0])
        stocks[code] = {}
        for y in span:
            stock += by_year.get(y, 0)
            stocks[code][y] = stock
    return series_by(stocks, span)
