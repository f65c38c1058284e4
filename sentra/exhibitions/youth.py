"""Young entrepreneurs (wirausaha muda).

UU 40/2009 tentang Kepemudaan, Pasal 1 angka 1: youth (pemuda) are Indonesian citizens
aged 16 to 30. Sentra applies it to the owner's age when the business started: a young
founder is an owner who was 16–30 on the start date (month 1 when only the year is
known, which errs toward the younger age by at most 11 months).
"""

from __future__ import annotations

from datetime import date

YOUTH_MIN_AGE = 16
YOUTH_MAX_AGE = 30


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def founded_young(
    *, birth_date: date | None, started_year: int | None, started_month: int | None = None
) -> bool | None:
    """True/False, or None when the birth date or the start year is unknown."""
    if birth_date is None or started_year is None:
        return None
    age = age_on(birth_date, date(started_year, started_month or 1, 1))
    return YOUTH_MIN_AGE <= age <= YOUTH_MAX_AGE


def birth_window(started_year: int) -> tuple[date, date]:
    """Birth dates of owners who were 16–30 on 1 January of `started_year` (for a query)."""
    # Age 30 on 1 Jan: born after 1 Jan of year-31; age 16: born on or before 1 Jan of year-16.
    return date(started_year - YOUTH_MAX_AGE - 1, 1, 2), date(started_year - YOUTH_MIN_AGE, 1, 1)
