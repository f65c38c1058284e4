"""The audit trail: every service that changes data calls `audit_log`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from sentra.audit.models import AuditEntry
from sentra.audit.signals import bulk_audited


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of `obj`, foreign keys as their key, ready for `diff`."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = getattr(obj, field.attname)
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def audit_log(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    source: str = "",
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=dict(changes or {}),
        source=source[:300],
        note=note,
    )


def audit_log_many(entries: Iterable[AuditEntry]) -> None:
    """Bulk-write prepared entries (imports write thousands at once)."""
    written = AuditEntry.objects.bulk_create(list(entries), batch_size=2000)
    if written:
        bulk_audited.send(sender=AuditEntry, count=len(written))


def audit_log_bulk(entries: Sequence[AuditEntry]) -> None:
    """Like audit_log_many, for very large batches (an import's 100,000 entries).

    Written by lib.bulk.fast_insert: numbers assigned here, one timestamp for the whole
    batch, no per-entry ORM compilation. Only inside the caller's transaction.
    """
    from sentra.lib.bulk import fast_insert

    fast_insert(AuditEntry, entries)
    if entries:
        bulk_audited.send(sender=AuditEntry, count=len(entries))


def audit_entries_for(obj: models.Model):
    return AuditEntry.objects.filter(
        model=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
