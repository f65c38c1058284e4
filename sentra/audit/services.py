"""The audit trail: every service that changes data calls `audit_log`.

`audit_entry` is the one place an entry is made (model label, object id and text,
truncation, the actor): `audit_log` saves one, bulk paths collect unsaved ones and write
them with `audit_log_many` / `audit_log_bulk`. Services never build `AuditEntry` by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
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
        out[name] = getattr(obj, field.attname)  # type: ignore[union-attr]  # a concrete field
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in after
        if before.get(name) != after.get(name)
    }


def actor_user(actor: Any) -> Any:
    """The signed-in user behind `actor`, else None: management commands, background
    tasks and anonymous requests act as "the system" in the trail and in created_by."""
    return actor if getattr(actor, "is_authenticated", False) else None


# Column widths of AuditEntry: longer texts are cut, never refused (the change itself
# must not fail because its description is long).
_REPR_MAX = AuditEntry._meta.get_field("object_repr").max_length or 200
_SOURCE_MAX = AuditEntry._meta.get_field("source").max_length or 300


_AMBIENT_SOURCE: ContextVar[str] = ContextVar("audit_source", default="")


@contextmanager
def audit_source(text: str) -> Iterator[None]:
    """Every entry made inside names `text` in its source, beside what the service says
    (the API names the token, whichever service it calls)."""
    token = _AMBIENT_SOURCE.set(text)
    try:
        yield
    finally:
        _AMBIENT_SOURCE.reset(token)


def _with_ambient(source: str) -> str:
    ambient = _AMBIENT_SOURCE.get()
    if not ambient or ambient in source:
        return source
    return f"{source} · {ambient}" if source else ambient


def audit_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    model: type[models.Model] | str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    changes: Mapping[str, list[Any]] | None = None,
    source: str = "",
    note: str = "",
) -> AuditEntry:
    """An unsaved entry about `obj` (or about `model` #`object_id` for bulk paths that
    hold only keys). `object_repr` defaults to str(obj)."""
    if obj is not None:
        label = obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    elif isinstance(model, str):
        label = model
    elif model is not None:
        label = model._meta.label_lower
    else:
        raise TypeError("audit_entry needs obj or model")
    if object_id is None:
        raise TypeError("audit_entry needs a saved object or an object_id")
    return AuditEntry(
        actor=actor_user(actor),
        action=action,
        model=label,
        object_id=str(object_id),
        object_repr=(object_repr or "")[:_REPR_MAX],
        changes=dict(changes or {}),
        source=_with_ambient(source)[:_SOURCE_MAX],
        note=note,
    )


_ENTRY_DEFAULTS: dict[str, Any] = {}


def audit_entry_fast(
    *,
    actor_id: int | None,
    action: str,
    model: str,
    object_id: Any,
    object_repr: str,
    changes: dict[str, list[Any]],
    source: str = "",
    note: str = "",
) -> AuditEntry:
    """audit_entry for bulk paths that write 100,000 entries at once (an import): the
    same fields and truncation, built without Model.__init__, which would cost more
    than the insert itself. For audit_log_bulk only."""
    from django.db.models.base import ModelState

    if not _ENTRY_DEFAULTS:
        _ENTRY_DEFAULTS.update({k: v for k, v in AuditEntry().__dict__.items() if k != "_state"})
    entry = AuditEntry.__new__(AuditEntry)
    entry.__dict__.update(_ENTRY_DEFAULTS)
    entry.__dict__.update(
        actor_id=actor_id,
        action=action,
        model=model,
        object_id=str(object_id),
        object_repr=object_repr[:_REPR_MAX],
        changes=changes,
        source=_with_ambient(source)[:_SOURCE_MAX],
        note=note,
    )
    entry._state = ModelState()
    return entry


def audit_log(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    source: str = "",
    note: str = "",
) -> AuditEntry:
    entry = audit_entry(
        actor=actor, obj=obj, action=action, changes=changes, source=source, note=note
    )
    entry.save(force_insert=True)
    return entry


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


def audit_entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        model=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
