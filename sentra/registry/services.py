"""Writes to the IKM registry. Each one validates, saves, and writes its audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from sentra.accounts.permissions import require_edit_in
from sentra.audit.services import actor_user, audit_log, diff, snapshot
from sentra.registry.models import EDITABLE_FIELDS, Ikm, IkmSource, SourceKind

AUDITED_FIELDS = [*EDITABLE_FIELDS, "closed_on", "closed_reason", "closed_note"]


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
    ikm.save()
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
def ikm_update(*, actor: Any, ikm: Ikm, data: dict[str, Any], source: str = "") -> Ikm:
    """Change fields of an IKM; an officer may do so only in their kecamatan, before and after."""
    ikm = Ikm.objects.select_for_update().get(pk=ikm.pk)
    require_edit_in(actor, ikm.kecamatan_id)
    before = snapshot(ikm, AUDITED_FIELDS)
    for name, value in data.items():
        setattr(ikm, name, value)
    # Moving a record to another kecamatan needs the right there too.
    require_edit_in(actor, ikm.desa_id.rsplit(".", 1)[0])
    ikm.full_clean()
    changes = diff(before, snapshot(ikm, AUDITED_FIELDS))
    if changes:
        ikm.save()
        audit_log(actor=actor, obj=ikm, action="update", changes=changes, source=source)
    return ikm


@transaction.atomic
def ikm_close(*, actor: Any, ikm: Ikm, closed_on: date, reason: str, note: str = "") -> Ikm:
    """Mark an IKM closed. The record stays: growth statistics need closed IKM."""
    ikm = Ikm.objects.select_for_update().get(pk=ikm.pk)
    require_edit_in(actor, ikm.kecamatan_id)
    before = snapshot(ikm, ["closed_on", "closed_reason", "closed_note"])
    ikm.closed_on, ikm.closed_reason, ikm.closed_note = closed_on, reason, note
    ikm.full_clean()
    ikm.save(update_fields=["closed_on", "closed_reason", "closed_note"])
    audit_log(actor=actor, obj=ikm, action="close", changes=diff(before, snapshot(ikm, before)))
    return ikm


@transaction.atomic
def ikm_reopen(*, actor: Any, ikm: Ikm, note: str = "") -> Ikm:
    ikm = Ikm.objects.select_for_update().get(pk=ikm.pk)
    require_edit_in(actor, ikm.kecamatan_id)
    before = snapshot(ikm, ["closed_on", "closed_reason", "closed_note"])
    ikm.closed_on, ikm.closed_reason, ikm.closed_note = None, "", ""
    ikm.save(update_fields=["closed_on", "closed_reason", "closed_note"])
    audit_log(
        actor=actor,
        obj=ikm,
        action="reopen",
        changes=diff(before, snapshot(ikm, before)),
        note=note,
    )
    return ikm
