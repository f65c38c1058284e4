"""Which days assessments can be held: Monday–Friday minus holidays. Pure: no models.

National holidays and *cuti bersama* (the joint leave days the government adds around
them) come from the `holidays` package (Indonesia, categories public + government); the
office's own days are read from `OfficeHoliday` by `selectors.holidays_between` and
passed in here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC


@cache
def _national_year(year: int) -> frozenset[date]:
    return frozenset(
        holidays.country_holidays("ID", years=year, categories=(PUBLIC, GOVERNMENT)).keys()
    )


def national_holidays(start: date, end: date) -> frozenset[date]:
    """Indonesian public holidays and cuti bersama between start and end inclusive."""
    days: set[date] = set()
    for year in range(start.year, end.year + 1):
        days |= {d for d in _national_year(year) if start <= d <= end}
    return frozenset(days)


def working_days(start: date, end: date, holidays: Collection[date] = ()) -> list[date]:
    """Monday–Friday between start and end inclusive that are not in `holidays`."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
