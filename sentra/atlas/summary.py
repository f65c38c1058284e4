"""The atlas analytics tables (sentra.atlas.models): rebuild, freshness, reads.

Rebuild (`refresh`): each table is one SELECT … GROUP BY over the registry into a
temporary table (the product table groups in SQL and folds the product names in Python,
as `selectors.product_key` needs), then one short transaction empties the three tables
and copies the new rows in. Readers on PostgreSQL and on SQLite in WAL mode keep seeing
the previous rows until it commits, so a page never sees half a rebuild.

Freshness (`current`): every atlas read compares the tables' data version with the
registry's (`cache.data_version`). When they differ, or a day has passed (certificates
expire), a rebuild is requested as a background task (`tasks.refresh_summaries`) and
the page shows the figures it has with their time: the first request after a change
stays fast. Only an empty install builds in the request itself. Audited writes request
the rebuild at commit, so it usually starts before anybody looks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, Substr, Trim
from django.utils import timezone

from sentra.atlas.cache import data_version
from sentra.atlas.growth import (
    DEFAULT_FIT_YEARS,
    DIMENSIONS,
    GrowthFilters,
    GrowthSeries,
    YearRow,
    series_from_counts,
)
from sentra.atlas.models import Cell, ProductCell, RefreshState, YearCell
from sentra.registry.selectors import filter_area_sector_scale

logger = logging.getLogger(__name__)

# A requested rebuild no worker has done after this long is done by the next request.
RETRY_AFTER = timedelta(minutes=15)
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


def _state() -> RefreshState:
    state = RefreshState.objects.order_by("pk").first()
    if state is None:
        state, _ = RefreshState.objects.get_or_create(pk=1)
    return state


def current(*, today: date | None = None) -> Freshness:
    """The tables' freshness, asking for a rebuild when the registry moved on."""
    today = today or timezone.localdate()
    state = _state()
    version = data_version()
    if state.built_at is None:
        refresh(today=today)  # never built: nothing to show yet, so build now
        state = _state()
    elif state.built_version != version or state.built_on != today:
        overdue = state.requested_at and state.requested_at < timezone.now() - RETRY_AFTER
        if state.pending and overdue:
            # No worker has picked the request up (none running, or one stuck): rebuild
            # here, so the figures are never more than RETRY_AFTER behind.
            refresh(today=today)
        elif state.building != _building(version, today):
            # Unless the rebuild running now already reads this version: a second one
            # would only make the next change wait for both.
            request_refresh()
        state = _state()  # the immediate backend (tests) has rebuilt already
    stale = state.built_version != version or state.built_on != today
    return Freshness(state.built_at, state.built_on, state.seconds, stale)


def _building(version: str, today: date) -> str:
    return f"{version}@{today}"


def request_refresh() -> bool:
    """Enqueue one rebuild unless one is already pending; True if this call enqueued."""
    from sentra.atlas.tasks import refresh_summaries

    claimed = RefreshState.objects.filter(pk=_state().pk, pending=False).update(
        pending=True, requested_at=timezone.now()
    )
    if claimed:
        refresh_summaries.enqueue()
    return bool(claimed)


def request_refresh_on_commit(**_kwargs) -> None:
    """Signal receiver for audited writes: rebuild once the change is committed."""
    transaction.on_commit(request_refresh)


# --- rebuild -------------------------------------------------------------------------


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _stage(name: str, select_sql: str, params) -> None:
    """CREATE TEMP TABLE name AS select: reads the registry, writes only the session's
    temporary schema (SQLite keeps it in a separate file), so writers are not held up."""
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")  # noqa: S608
        cur.execute(f"CREATE TEMP TABLE {name} AS {select_sql}", params)  # noqa: S608


_CELL_COLUMNS = [
    "desa_id",
    "kecamatan_id",
    "subsector_id",
    "scale",
    "active",
    "n",
    "workers",
    "workers_male",
    "workers_female",
    "investment",
    "production_value",
    "coached",
    "exhibited",
    "certified",
    "manager",
    "marketer",
]


def _stage_cells(today: date) -> None:
    from sentra.atlas import selectors
    from sentra.certification.models import Outcome, Result, Role
    from sentra.registry.models import Ikm

    valid = Outcome.objects.filter(result=Result.COMPETENT, expires_on__gte=today)
    manager = Q(pk__in=valid.filter(role=Role.MANAGER).values("ikm_id"))
    marketer = Q(pk__in=valid.filter(role=Role.MARKETER).values("ikm_id"))
    # The measures' one definition (selectors._measures) except the certified count,
    # which is taken on the day the tables are built for.
    measures = selectors._measures([m for m in selectors.ALL_MEASURES if m != "certified"])
    qs = (
        Ikm.objects.annotate(
            is_active=ExpressionWrapper(Q(closed_on__isnull=True), output_field=BooleanField())
        )
        .values("desa_id", "kecamatan_id", "subsector_id", "scale", "is_active")
        .annotate(
            **measures,
            # selectors.certified_q: the certification app's definition (tests swap it).
            certified=Count("id", filter=selectors.certified_q(on=today)),
            manager=Count("id", filter=manager),
            marketer=Count("id", filter=marketer),
        )
        .order_by()
    )
    sql, params = _sql(qs)
    columns = ", ".join("is_active AS active" if c == "active" else c for c in _CELL_COLUMNS)
    _stage("atlas_stage_cell", f"SELECT {columns} FROM ({sql}) g", params)  # noqa: S608


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
    from sentra.atlas.growth import Year
    from sentra.registry.models import Ikm

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
        return f"SELECT {dims}, {year} AS yr, {cols} FROM g WHERE {where}"  # noqa: S608

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
        f"WITH g AS ({sql}), e AS ({events}) "  # noqa: S608
        f"SELECT {dims}, yr AS year, {sums} FROM e GROUP BY {dims}, yr",
        params,
    )


def _products() -> list[ProductCell]:
    """Grouped in SQL by the lower-cased text, folded by product_key in Python (the
    rule is Python's): one call per distinct text, and there are few."""
    from sentra.atlas.selectors import product_key
    from sentra.registry.models import Ikm

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
    pk = _state().pk
    version = data_version()
    # Changes committed from here on request the next rebuild; readers that find this
    # version being built wait for it instead.
    RefreshState.objects.filter(pk=pk).update(pending=False, building=_building(version, today))
    _stage_cells(today)
    _stage_years()
    products = _products()
    years = ", ".join([*_YEAR_DIMS, "year", *_YEAR_MEASURES])
    cells = ", ".join(_CELL_COLUMNS)
    with transaction.atomic():
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # Two swaps at once would both delete, then both insert.
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            for model in (Cell, YearCell, ProductCell):
                cur.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
            cur.execute(
                f"INSERT INTO {Cell._meta.db_table} ({cells}) "  # noqa: S608
                f"SELECT {cells} FROM atlas_stage_cell"
            )
            cur.execute(
                f"INSERT INTO {YearCell._meta.db_table} ({years}) "  # noqa: S608
                f"SELECT {years} FROM atlas_stage_year"
            )
        ProductCell.objects.bulk_create(products, batch_size=2000)
        seconds = time.monotonic() - started
        RefreshState.objects.filter(pk=pk).update(
            built_version=version, built_on=today, built_at=timezone.now(), seconds=seconds
        )
    with connection.cursor() as cur:
        for name in ("atlas_stage_cell", "atlas_stage_year"):
            cur.execute(f"DROP TABLE IF EXISTS {name}")  # noqa: S608
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
    for row in (
        _year_cells(filters)
        .values("year")
        .annotate(**{m: Sum(m) for m in [*measures, "undated"]})
        .order_by()
    ):
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
    today = today or date.today()
    filters = filters or GrowthFilters()
    last = today.year - 1
    span = list(range(last - years, last + 1))
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
    out = {}
    for code, by_year in net.items():
        before = sum(v for y, v in by_year.items() if y < span[0])
        rows, prev, stock = [], 0, before
        for y in span:
            stock += by_year.get(y, 0)
            row = YearRow(year=y, stock=stock)
            if prev > 0:
                row.rate = row.stock / prev - 1
            prev = row.stock
            rows.append(row)
        out[code] = GrowthSeries(rows=rows)
    return out
