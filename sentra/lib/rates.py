"""Rates of change, shared by the growth engine and the coaching ranking."""

from __future__ import annotations

from datetime import date


def compound_rate(start: float, end: float, years: int) -> float | None:
    """Compound yearly rate from `start` to `end` over `years` years (None when a stock
    is empty: no rate can be told)."""
    if start <= 0 or end <= 0 or years <= 0:
        return None
    return float((end / start) ** (1 / years) - 1)


def last_years(today: date, years: int) -> list[int]:
    """The last `years`+1 complete years: enough for the last rate and a `years` mean."""
    last = today.year - 1
    return list(range(last - years, last + 1))
