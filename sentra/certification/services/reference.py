"""Reference records of certification: LSP, schemes, assessors and their availability,
TUK, and the office's own holidays."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from sentra.accounts.permissions import Actor
from sentra.audit.services import audit_log, diff, snapshot
from sentra.certification import messages as M
from sentra.certification.messages import fmt_day, say
from sentra.certification.models import (
    Assessor,
    AvailabilityWindow,
    CompetencyUnit,
    Lsp,
    OfficeHoliday,
    Scheme,
    Tuk,
)
from sentra.certification.services._access import require_planner


@transaction.atomic
def lsp_create(*, actor: Actor, name: str, city: str, licence_number: str) -> Lsp:
    require_planner(actor)
    lsp = Lsp(name=name, city=city, licence_number=licence_number)
    lsp.full_clean()
    lsp.save()
    audit_log(
        actor=actor,
        obj=lsp,
        action="create",
        changes=diff({}, snapshot(lsp, ["name", "city", "licence_number"])),
    )
    return lsp


@transaction.atomic
def scheme_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    role: str,
    lsp: Lsp | None = None,
    validity_years: int = 3,
    units: Sequence[tuple[str, str]] = (),
) -> Scheme:
    """A scheme with its competency units (code, title) in order."""
    require_planner(actor)
    scheme = Scheme(code=code, name=name, role=role, lsp=lsp, validity_years=validity_years)
    scheme.full_clean()
    codes = [c for c, _ in units]
    if len(set(codes)) != len(codes):
        raise ValidationError({"units": say(M.UNITS_DUPLICATE)})
    scheme.save()
    CompetencyUnit.objects.bulk_create(
        CompetencyUnit(scheme=scheme, code=c, title=t, order=i) for i, (c, t) in enumerate(units)
    )
    audit_log(
        actor=actor,
        obj=scheme,
        action="create",
        changes={
            **diff({}, snapshot(scheme, ["code", "name", "role", "validity_years"])),
            "units": [None, codes],
        },
    )
    return scheme


@transaction.atomic
def assessor_create(
    *,
    actor: Actor,
    lsp: Lsp,
    name: str,
    home_city: str,
    schemes: Iterable[Scheme],
    candidates_per_day: int = 10,
    local: bool = False,
    registration_number: str = "",
) -> Assessor:
    require_planner(actor)
    schemes = list(schemes)
    if not schemes:
        raise ValidationError({"schemes": say(M.ASSESSOR_NO_SCHEME)})
    if not 1 <= candidates_per_day <= 50:
        raise ValidationError({"candidates_per_day": say(M.PER_DAY_RANGE)})
    assessor = Assessor(
        lsp=lsp,
        name=name,
        home_city=home_city,
        candidates_per_day=candidates_per_day,
        local=local,
        registration_number=registration_number,
    )
    assessor.full_clean()
    assessor.save()
    assessor.schemes.set(schemes)
    audit_log(
        actor=actor,
        obj=assessor,
        action="create",
        changes={
            **diff({}, snapshot(assessor, ["name", "home_city", "candidates_per_day", "local"])),
            "schemes": [None, [s.name for s in schemes]],
        },
    )
    return assessor


def _window_errors(
    assessor: Assessor, start: date, end: date, *, exclude_pk: int | None = None
) -> list[str]:
    errors: list[str] = []
    if end < start:
        errors.append(say(M.WINDOW_END_BEFORE_START))
    overlapping = AvailabilityWindow.objects.filter(
        assessor=assessor, start__lte=end, end__gte=start
    )
    if exclude_pk is not None:  # exclude(pk=None) kept every row: the same, said plainly
        overlapping = overlapping.exclude(pk=exclude_pk)
    clash = overlapping.first()
    if clash:
        errors.append(
            say(
                M.WINDOW_CLASH_STORED,
                start=start,
                end=end,
                other_start=clash.start,
                other_end=clash.end,
                assessor=assessor.name,
            )
        )
    return errors


@transaction.atomic
def assessor_windows_add(
    *, actor: Actor, assessor: Assessor, windows: Sequence[tuple[date, date]], note: str = ""
) -> list[AvailabilityWindow]:
    """Add availability windows; all or none (overlaps among them or with stored ones fail)."""
    require_planner(actor)
    errors: list[str] = []
    ordered = sorted(windows)
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 <= e1:
            errors.append(say(M.WINDOWS_CLASH, start1=s1, end1=e1, start2=s2, end2=e2))
    for start, end in ordered:
        errors += _window_errors(assessor, start, end)
    if errors:
        raise ValidationError(errors)
    created = AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(assessor=assessor, start=s, end=e, note=note) for s, e in ordered
    )
    audit_log(
        actor=actor,
        obj=assessor,
        action="windows_add",
        changes={"windows": [None, [f"{fmt_day(s)}–{fmt_day(e)}" for s, e in ordered]]},
    )
    return created


@transaction.atomic
def tuk_create(
    *, actor: Actor, name: str, place: str, capacity: int, city: str = "Denpasar"
) -> Tuk:
    require_planner(actor)
    if capacity < 1:
        raise ValidationError({"capacity": say(M.TUK_CAPACITY_MIN)})
    tuk = Tuk(name=name, place=place, capacity=capacity, city=city)
    tuk.full_clean()
    tuk.save()
    audit_log(
        actor=actor,
        obj=tuk,
        action="create",
        changes=diff({}, snapshot(tuk, ["name", "place", "city", "capacity"])),
    )
    return tuk


@transaction.atomic
def office_holiday_add(*, actor: Actor, day: date, name: str) -> OfficeHoliday:
    """A day the office does not assess; the planner and the booking checks skip it."""
    require_planner(actor)
    if OfficeHoliday.objects.filter(day=day).exists():
        raise ValidationError({"day": say(M.HOLIDAY_DUPLICATE, day=day)})
    holiday = OfficeHoliday(day=day, name=name)
    holiday.full_clean()
    holiday.save()
    audit_log(
        actor=actor,
        obj=holiday,
        action="create",
        changes=diff({}, snapshot(holiday, ["day", "name"])),
    )
    return holiday
