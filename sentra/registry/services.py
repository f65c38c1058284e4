"""Writes to the IKM registry. Each one validates, saves, and writes its audit entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import can_edit_in, require_edit_in
from sentra.audit.services import (
    actor_user,
    audit_entry,
    audit_entry_fast,
    audit_log,
    audit_log_bulk,
    diff,
    snapshot,
)
from sentra.lib.bulk import fast_insert, unsaved
from sentra.registry.bulk_indexes import indexes_built_after
from sentra.registry.models import EDITABLE_FIELDS, Ikm, IkmSource, SourceKind, is_nib_conflict
from sentra.registry.search_index import indexed_after_insert

AUDITED_FIELDS = [*EDITABLE_FIELDS, "closed_on", "closed_reason", "closed_note"]


class IkmChanged(ValidationError):
    """The IKM was written after the form was loaded; `current` is the row as it is now."""

    def __init__(self, current: Ikm):
        super().__init__(
            _(
                "IKM ini sudah diubah orang lain sejak formulir dibuka. Perubahan Anda belum "
                "disimpan: periksa perubahan mereka di bawah, lalu simpan lagi bila isian Anda "
                "tetap yang benar."
            ),
            code="stale",
        )
        self.current = current


def _save(ikm: Ikm, **kwargs: Any) -> None:
    """Save; a live twin of the NIB committed by someone else meanwhile (full_clean saw
    none) is reported on the field instead of a raw database error."""
    try:
        with transaction.atomic():
            ikm.save(**kwargs)
    except IntegrityError as exc:
        if not is_nib_conflict(exc):
            raise
        raise ValidationError(
            {"nib": _("NIB %(nib)s baru saja disimpan untuk IKM aktif lain.") % {"nib": ikm.nib}}
        ) from exc


def require_writable(ikm: Ikm, *, version: int | None = None) -> None:
    """Refuse a write to a merged-away record, or one based on an older version."""
    if ikm.merged_into_id:
        raise ValidationError(
            _("IKM ini sudah digabung ke IKM #%(pk)s dan hanya dapat dibaca.")
            % {"pk": ikm.merged_into_id},
            code="merged",
        )
    if version is not None and version != ikm.version:
        raise IkmChanged(ikm)


@transaction.atomic
def ikm_create(
    *,
    actor: Any,
    data: dict[str, Any],
    source_kind: str = SourceKind.MANUAL,
    source_reference: str = "",
) -> Ikm:
    """Create an IKM from cleaned field values."""
    ikm = Ikm(**data)
    require_edit_in(actor, ikm.desa_id.rsplit(".", 1)[0] if ikm.desa_id else None)
    return _ikm_insert(
        actor=actor, ikm=ikm, source_kind=source_kind, source_reference=source_reference
    )


@transaction.atomic
def ikm_create_from_signup(*, data: dict[str, Any], source_reference: str) -> Ikm:
    """Create an IKM that an applicant entered on a public form (no signed-in actor).

    The caller (the exhibition sign-up) marks the record "perlu diverifikasi" for an
    officer; the audit entry names no actor and says where the record came from.
    """
    return _ikm_insert(
        actor=None,
        ikm=Ikm(**data),
        source_kind=SourceKind.EXHIBITION,
        source_reference=source_reference,
    )


def _ikm_insert(*, actor: Any, ikm: Ikm, source_kind: str, source_reference: str) -> Ikm:
    if ikm.first_recorded_on is None:
        ikm.first_recorded_on = date.today()
    ikm.full_clean()
    ikm.created_by = actor_user(actor)
    _save(ikm)
    IkmSource.objects.create(ikm=ikm, kind=source_kind, reference=source_reference)
    audit_log(
        actor=actor,
        obj=ikm,
        action="create",
        changes=diff(
            {}, {k: v for k, v in snapshot(ikm, AUDITED_FIELDS).items() if v not in ("", None)}
        ),
        source=source_reference,
    )
    return ikm


@transaction.atomic
def ikm_update(
    *, actor: Any, ikm: Ikm, data: dict[str, Any], source: str = "", version: int | None = None
) -> Ikm:
    """Change fields of an IKM; an officer may do so only in their kecamatan, before and after.

    `version` is the one the edit form was loaded from: a newer row refuses the write
    (IkmChanged) instead of putting the other person's values back.
    """
    ikm = Ikm.objects.select_for_update().get(pk=ikm.pk)
    require_edit_in(actor, ikm.kecamatan_id)
    require_writable(ikm, version=version)
    before = snapshot(ikm, AUDITED_FIELDS)
    for name, value in data.items():
        setattr(ikm, name, value)
    # Moving a record to another kecamatan needs the right there too.
    require_edit_in(actor, ikm.desa_id.rsplit(".", 1)[0])
    ikm.full_clean()
    changes = diff(before, snapshot(ikm, AUDITED_FIELDS))
    if changes:
        _save(ikm)
        audit_log(actor=actor, obj=ikm, action="update", changes=changes, source=source)
    return ikm


@transaction.atomic
def ikm_close(
    *,
    actor: Any,
    ikm: Ikm,
    closed_on: date,
    reason: str,
    note: str = "",
    merged_into: Ikm | None = None,
) -> Ikm:
    """Mark an IKM closed. The record stays: growth statistics need closed IKM.

    `merged_into`: closed because a merge moved it into that IKM (read-only from now on).
    """
    ikm = Ikm.objects.select_for_update().get(pk=ikm.pk)
    require_edit_in(actor, ikm.kecamatan_id)
    require_writable(ikm)
    before = snapshot(ikm, ["closed_on", "closed_reason", "closed_note"])
    ikm.closed_on, ikm.closed_reason, ikm.closed_note = closed_on, reason, note
    ikm.merged_into = merged_into
    ikm.full_clean()
    ikm.save(update_fields=["closed_on", "closed_reason", "closed_note", "merged_into"])
    audit_log(actor=actor, obj=ikm, action="close", changes=diff(before, snapshot(ikm, before)))
    return ikm


@transaction.atomic
def ikm_reopen(*, actor: Any, ikm: Ikm, note: str = "") -> Ikm:
    ikm = Ikm.objects.select_for_update().get(pk=ikm.pk)
    require_edit_in(actor, ikm.kecamatan_id)
    # A merged-away record comes back only by undoing its merge.
    require_writable(ikm)
    before = snapshot(ikm, ["closed_on", "closed_reason", "closed_note"])
    ikm.closed_on, ikm.closed_reason, ikm.closed_note = None, "", ""
    # Reopening is refused when another live IKM holds its NIB by now.
    ikm.full_clean()
    _save(ikm, update_fields=["closed_on", "closed_reason", "closed_note"])
    audit_log(
        actor=actor,
        obj=ikm,
        action="reopen",
        changes=diff(before, snapshot(ikm, before)),
        note=note,
    )
    return ikm


# --- many records at once (imports, and anything else that writes many IKM) ----------


def incoming_is_newer(*, current: date | None, incoming: date | None) -> str:
    """ "Newer data wins": "" when data dated `incoming` may replace data dated
    `current`, else the reason it may not (shown beside the row as "not changed")."""
    if incoming is None:
        return _("tanggal data tidak diketahui")
    if current and incoming <= current:
        return _("data di Sentra sama baru atau lebih baru")
    return ""


@dataclass
class BulkCreate:
    fields: dict[str, Any]  # Ikm attnames → values, validated by the caller
    reference: str  # where it came from ("file › sheet › row 12")
    external_id: str = ""


@dataclass
class BulkUpdate:
    ikm: Ikm  # loaded with select_for_update, the new values set
    changes: dict[str, list[Any]] = field(default_factory=dict)  # audit diff of the change
    reference: str = ""
    external_id: str = ""


_AS_IS = {str, int, bool}  # what _plain returns unchanged; checked first for speed
_ATTNAME = {f.name: f.attname for f in Ikm._meta.fields}
_AUDITED_ATTNAMES = [(name, _ATTNAME[name]) for name in AUDITED_FIELDS]
# Written beside the changed fields of every bulk update (kept in step by refresh_derived).
BULK_DERIVED = [
    "kecamatan",
    "location_check",
    "workers_total",
    "scale",
    "search_text",
    "phone_key",
    "incomplete_fields",
    "updated_at",
    "version",
]
BULK_BATCH = 2000


def _plain(value: Any) -> Any:
    # The display form audit.services.diff writes, for the few types an Ikm holds.
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def audited_values(ikm: Ikm) -> dict[str, Any]:
    """The audited fields of a record, for a diff before and after a bulk change."""
    return {name: getattr(ikm, attname) for name, attname in _AUDITED_ATTNAMES}


@contextmanager
def ikm_bulk_scope(*, creates: int) -> Iterator[None]:
    """Around several ikm_bulk_write calls of one transaction that create about
    `creates` IKM in all (an import's batches): the search index is filled once at the
    end instead of once per call, and on SQLite a large enough insert builds the
    table's secondary indexes at the end (registry.bulk_indexes). What the writes
    store, check and audit is the same; only when the indexes are built changes."""
    with indexed_after_insert(connection), indexes_built_after(connection, rows=creates):
        yield


@transaction.atomic
def ikm_bulk_write(
    *,
    actor: Any,
    creates: list[BulkCreate],
    updates: list[BulkUpdate],
    source_kind: str,
    note: str = "",
    data_as_of: date | None = None,
    import_job_id: int | None = None,
    checkpoint: Callable[[int], None] | None = None,
) -> list[Ikm]:
    """Create and update many IKM in one transaction, each with its source and its
    audit entry, as ikm_create and ikm_update record them; returns the new records.

    The caller has validated every value with the model's own rules (the import's
    RowValidator runs Ikm.clean_fields and Ikm.clean per row, without a query per row)
    and applied `incoming_is_newer`. The right to write in each record's kecamatan is
    checked here once more, for all of them: a bulk write never goes further than the
    actor's single writes could. `checkpoint(written)` is called after every batch.
    """
    user = actor_user(actor)
    if actor is not None:
        kecamatan = {c.fields["desa_id"].rsplit(".", 1)[0] for c in creates}
        kecamatan |= {u.ikm.kecamatan_id for u in updates}
        kecamatan |= {u.ikm.desa_id.rsplit(".", 1)[0] for u in updates if u.ikm.desa_id}
        refused = sorted(k for k in kecamatan if not can_edit_in(actor, k))
        if refused:
            raise PermissionDenied(
                _("Anda tidak berwenang mengubah IKM di kecamatan %(codes)s.")
                % {"codes": ", ".join(refused)}
            )
    user_id = user.pk if user else None
    today = timezone.localdate()
    now = timezone.now()
    entries = []
    sources: list[IkmSource] = []

    new: list[Ikm] = []
    for c in creates:
        ikm = unsaved(Ikm, c.fields)
        ikm.created_by_id = user_id
        if ikm.first_recorded_on is None:
            ikm.first_recorded_on = today
        if ikm.data_as_of is None:
            ikm.data_as_of = data_as_of
        ikm.refresh_derived()
        new.append(ikm)
    written = 0
    with indexed_after_insert(connection):
        for batch in _chunks(new, BULK_BATCH):
            fast_insert(Ikm, batch)
            written += len(batch)
            if checkpoint:
                checkpoint(written)
    audited = attrgetter(*[attname for _name, attname in _AUDITED_ATTNAMES])
    names = [name for name, _attname in _AUDITED_ATTNAMES]
    for c, ikm in zip(creates, new, strict=True):
        sources.append(
            unsaved(
                IkmSource,
                {
                    "ikm_id": ikm.pk,
                    "kind": source_kind,
                    "reference": c.reference,
                    "external_id": c.external_id,
                    "import_job_id": import_job_id,
                },
            )
        )
        # As ikm_create records it: every field that has a value, from nothing.
        changes = {
            name: [None, value if type(value) in _AS_IS else _plain(value)]
            for name, value in zip(names, audited(ikm), strict=True)
            if value is not None and value != ""
        }
        entries.append(
            audit_entry_fast(
                actor_id=user_id,
                action="create",
                model="registry.ikm",
                object_id=ikm.pk,
                object_repr=ikm.name,
                changes=changes,
                source=c.reference,
                note=note,
            )
        )

    changed_fields: set[str] = set()
    updated = []
    for u in updates:
        ikm = u.ikm
        ikm.refresh_derived()
        ikm.updated_at = now
        ikm.version += 1  # an open edit form of this IKM is now stale
        changed_fields.update(u.changes)
        updated.append(ikm)
        sources.append(
            IkmSource(
                ikm_id=ikm.pk,
                kind=source_kind,
                reference=u.reference,
                external_id=u.external_id,
                import_job_id=import_job_id,
            )
        )
        entries.append(
            audit_entry(
                actor=actor,
                action="update",
                obj=ikm,
                changes=u.changes,
                source=u.reference,
                note=note,
            )
        )
    if updated:
        update_fields = sorted(changed_fields | set(BULK_DERIVED) | {"data_as_of"})
        for batch in _chunks(updated, 500):
            Ikm.objects.bulk_update(batch, update_fields)
            written += len(batch)
            if checkpoint:
                checkpoint(written)
    fast_insert(IkmSource, sources)
    audit_log_bulk(entries)
    return new
