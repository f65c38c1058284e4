from datetime import date

import pytest

from sentra.certification import planner as P
from sentra.certification.models import OfficeHoliday
from sentra.certification.selectors import holidays_between
from sentra.certification.workdays import national_holidays, working_days


def test_national_holidays_include_cuti_bersama():
    days = national_holidays(date(2026, 3, 1), date(2026, 3, 31))
    assert date(2026, 3, 19) in days  # Hari Suci Nyepi
    assert date(2026, 3, 18) in days  # cuti bersama Nyepi
    assert date(2026, 3, 24) in days  # cuti bersama Idul Fitri


def test_working_days_skip_weekends_and_holidays():
    week = working_days(date(2026, 3, 16), date(2026, 3, 22), national_holidays(
        date(2026, 3, 16), date(2026, 3, 22)))  # fmt: skip
    assert week == [date(2026, 3, 16), date(2026, 3, 17)]


def test_planner_blocks_leave_out_holidays():
    holidays = frozenset({date(2027, 3, 3)})
    blocks = P.blocks_between(date(2027, 3, 1), date(2027, 3, 12), 2, holidays)
    assert (date(2027, 3, 3), date(2027, 3, 4)) not in blocks
    assert (date(2027, 3, 1), date(2027, 3, 2)) in blocks


@pytest.mark.django_db
def test_the_office_adds_its_own_days():
    OfficeHoliday.objects.create(day=date(2027, 3, 10), name="Kantor tutup untuk upacara")
    days = holidays_between(date(2027, 3, 1), date(2027, 3, 31))
    assert date(2027, 3, 10) in days
