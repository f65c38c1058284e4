"""Yearly growth of the IKM population from life-cycle dates, kept honest.

Definitions (the methodology page, templates/atlas/methodology.html, states the same):

- **founded** in year Y: ``started_year == Y`` (the firm began operating that year).
- **recorded** in year Y: ``first_recorded_on`` falls in Y (the office first wrote it down).
  A recorded IKM that started before Y is **found** (it existed, the office just had not
  seen it): it is not growth. One that started in Y is **new**; one without a start year
  is **unknown**.
- **closed** in year Y: ``closed_on`` falls in Y.
- **entry year**: ``started_year``, or the year of ``first_recorded_on`` when the start
  year is unknown. IKM with neither are left out of the stock (and counted apart).
- **active stock** at the end of Y: IKM whose entry year ≤ Y and which were not closed
  on or before 31 December Y.
- **growth rate** of Y: stock(Y) / stock(Y−1) − 1, for complete years only (the current
  year is partial and shown apart).
- **projection**: least-squares line through ln(stock) of the last N complete years
  (N = 5 by default); the interval is the 95 % prediction interval of that regression
  (Student t with N−2 degrees of freedom), exponentiated.

This module is pure: it turns counts into series, rates and projections and imports no
models. The counts come from SQL elsewhere: from the registry (`atlas.live`, one
``GROUP BY`` (start year, record year, close year) for a series, one ``GROUP BY``
area/subsector with a conditional count per year for the tables) or from the analytics
year table (`atlas.summary`). Python only adds up the grouped rows, never loops over IKM.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings

from sentra.lib.rates import compound_rate

# The office's target band for yearly growth (Renstra: 5–8 % a year).
TARGET_LOW, TARGET_HIGH = getattr(settings, "SENTRA_GROWTH_TARGET", (0.05, 0.08))
DEFAULT_FIT_YEARS = 5
FIRST_SHOWN_YEAR = 2010

# Two-sided 95 % quantiles of Student's t (df 1..30); above 30 the normal 1.96 is close.
_T975 = [
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
]


def t975(df: int) -> float:
    if df < 1:
        return math.nan
    return _T975[df - 1] if df <= len(_T975) else 1.96


DIMENSIONS = {
    "kecamatan": "kecamatan_id",
    "desa": "desa_id",
    "subsector": "subsector_id",
}


@dataclass(frozen=True)
class GrowthFilters:
    kecamatan: str = ""
    desa: str = ""
    subsector: str = ""  # a code, or "none" for bukan ekraf
    scale: str = ""


@dataclass
class YearRow:
    year: int
    founded: int = 0
    recorded: int = 0
    recorded_new: int = 0
    recorded_found: int = 0
    recorded_unknown: int = 0
    closed: int = 0
    entered: int = 0
    stock: int = 0
    rate: float | None = None
    complete: bool = True

    @property
    def band(self) -> str:
        return band(self.rate)

    @property
    def office_view_rate(self) -> float | None:
        """What the rate looks like if every newly recorded IKM were counted as new."""
        prev = self.stock - self.entered + self.closed
        if prev <= 0:
            return None
        return (self.recorded - self.closed) / prev


@dataclass
class Projection:
    fit_years: list[int]
    annual_rate: float
    rate_low: float
    rate_high: float
    rows: list[tuple[int, float, float, float]]  # year, point, low, high

    @property
    def band(self) -> str:
        return band(self.annual_rate)


@dataclass
class GrowthSeries:
    rows: list[YearRow]
    undated: int = 0  # IKM with neither start year nor record date: not in the stock
    projection: Projection | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def complete_rows(self) -> list[YearRow]:
        return [r for r in self.rows if r.complete]

    @property
    def last_complete(self) -> YearRow | None:
        rows = self.complete_rows
        return rows[-1] if rows else None

    def mean_rate(self, years: int = 3) -> float | None:
        """Compound mean rate over the last `years` complete years."""
        rows = self.complete_rows
        if len(rows) < years + 1:
            return None
        return compound_rate(rows[-years - 1].stock, rows[-1].stock, years)


def band(rate: float | None) -> str:
    if rate is None:
        return "unknown"
    if rate < TARGET_LOW:
        return "below"
    if rate > TARGET_HIGH:
        return "above"
    return "within"


def accumulate(
    groups: Iterable[Mapping[str, Any]], measure: str
) -> tuple[dict[int, dict[str, int]], int]:
    """({year: {bucket: count}}, undated) from rows grouped by (started_year, ry, cy)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    for g in groups:
        started, recorded, closed, n = g["started_year"], g["ry"], g["cy"], g[measure]
        if not n:
            continue
        if started is not None:
            out[started]["founded"] += n
        if recorded is not None:
            bucket = out[recorded]
            bucket["recorded"] += n
            if started is None:
                bucket["recorded_unknown"] += n
            elif started < recorded:
                bucket["recorded_found"] += n
        entry = started if started is not None else recorded
        if entry is None:
            undated += n
            continue
        out[entry]["entered"] += n
        if closed is not None:
            out[closed]["closed"] += n  # only IKM in the stock can leave it
    return out, undated


def _rows_from_counts(
    counts: Mapping[int, Mapping[str, int]], *, until: int, today: date
) -> list[YearRow]:
    """Accumulate the stock from the first year; keep the rows from FIRST_SHOWN_YEAR."""
    if not counts:
        return []
    first = min(min(counts), FIRST_SHOWN_YEAR)
    rows: list[YearRow] = []
    stock = 0
    prev_stock = 0
    for year in range(first, until + 1):
        c = counts.get(year, {})
        stock += c.get("entered", 0) - c.get("closed", 0)
        recorded = c.get("recorded", 0)
        row = YearRow(
            year=year,
            founded=c.get("founded", 0),
            recorded=recorded,
            recorded_found=c.get("recorded_found", 0),
            recorded_unknown=c.get("recorded_unknown", 0),
            recorded_new=recorded - c.get("recorded_found", 0) - c.get("recorded_unknown", 0),
            closed=c.get("closed", 0),
            entered=c.get("entered", 0),
            stock=stock,
            complete=year < today.year,
        )
        if prev_stock > 0:
            row.rate = stock / prev_stock - 1
        prev_stock = stock
        if year >= FIRST_SHOWN_YEAR:
            rows.append(row)
    return rows


def project(
    rows: list[YearRow], *, to_year: int, fit_years: int = DEFAULT_FIT_YEARS
) -> Projection | None:
    """Log-linear fit on the last `fit_years` complete years; 95 % prediction interval."""
    complete = [r for r in rows if r.complete and r.stock > 0][-fit_years:]
    n = len(complete)
    if n < 3:
        return None
    xs = [r.year for r in complete]
    ys = [math.log(r.stock) for r in complete]
    x_mean, y_mean = sum(xs) / n, sum(ys) / n
    sxx = sum((x - x_mean) ** 2 for x in xs)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = y_mean - slope * x_mean
    resid = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    s = math.sqrt(sum(e * e for e in resid) / (n - 2)) if n > 2 else 0.0
    t = t975(n - 2)
    se_slope = s / math.sqrt(sxx)
    out = []
    for year in range(xs[-1] + 1, max(to_year, xs[-1] + 1) + 1):
        fit = intercept + slope * year
        half = t * s * math.sqrt(1 + 1 / n + (year - x_mean) ** 2 / sxx)
        out.append((year, math.exp(fit), math.exp(fit - half), math.exp(fit + half)))
    return Projection(
        fit_years=xs,
        annual_rate=math.exp(slope) - 1,
        rate_low=math.exp(slope - t * se_slope) - 1,
        rate_high=math.exp(slope + t * se_slope) - 1,
        rows=out,
    )


def series_from_counts(
    counts: Mapping[int, Mapping[str, int]],
    *,
    undated: int,
    today: date,
    project_to: int | None,
    fit_years: int,
) -> GrowthSeries:
    """Yearly counts (from the registry or the atlas year table) → the series, projected."""
    rows = _rows_from_counts(counts, until=today.year, today=today)
    series = GrowthSeries(rows=rows, undated=undated)
    if project_to:
        series.projection = project(rows, to_year=project_to, fit_years=fit_years)
    return series


def series_by(stocks: Mapping[str, Mapping[int, int]], span: list[int]) -> dict[str, GrowthSeries]:
    """{code: {year: stock at the end of year}} → {code: series over `span` with rates}."""
    out = {}
    for code, by_year in stocks.items():
        rows: list[YearRow] = []
        prev = 0
        for y in span:
            row = YearRow(year=y, stock=by_year.get(y, 0))
            if prev > 0:
                row.rate = row.stock / prev - 1
            prev = row.stock
            rows.append(row)
        out[code] = GrowthSeries(rows=rows)
    return out
