"""Reads of the audit trail for the admins' audit page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from sentra.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # username, exact
    model: str = ""  # model label, e.g. registry.ikm
    action: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None  # inclusive


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries newest first; each filter narrows on an indexed column."""
    qs = AuditEntry.objects.select_related("actor")
    if filters.actor:
        qs = qs.filter(actor__username=filters.actor)
    if filters.model:
        qs = qs.filter(model=filters.model)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.since:
        qs = qs.filter(at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(at__lt=_day_start(filters.until + timedelta(days=1)))
    return qs


def audit_models() -> list[str]:
    return list(AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct())


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
