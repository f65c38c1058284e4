"""Exhibitions and their booth types: creation and editing (with the stale-form check)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import audit_log, diff, snapshot
from sentra.exhibitions.models import (
    Application,
    BoothType,
    Exhibition,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sentra.accounts.models import User
    from sentra.sectors.models import Subsector

EXHIBITION_FIELDS = [
    "name",
    "organiser",
    "organiser_name",
    "start_date",
    "end_date",
    "venue",
    "theme",
    "applications_open",
    "applications_close",
    "max_per_kecamatan",
    "max_per_subsector",
    "kecamatan_quotas",
    "subsector_quotas",
    "other_costs",
]
BOOTH_FIELDS = ["code", "name", "count", "size_m2", "power_watt", "water", "fee", "subsidy"]


@transaction.atomic
def exhibition_create(
    *,
    actor: User,
    data: dict[str, Any],
    subsectors: Iterable[Subsector] = (),
    booths: list[dict[str, Any]],
) -> Exhibition:
    """An exhibition with its booth types (name, count, size_m2, power_watt, water, fee,
    subsidy, code)."""
    require_manage_exhibitions(actor)
    if not booths:
        raise ValidationError(_("Pameran memerlukan paling sedikit satu jenis stan."))
    exhibition = Exhibition(**data, created_by=actor)
    exhibition.full_clean()
    exhibition.save()
    exhibition.subsectors.set(subsectors)
    for booth in booths:
        b = BoothType(exhibition=exhibition, **booth)
        b.full_clean()
        b.save()
    audit_log(
        actor=actor,
        obj=exhibition,
        action="create",
        changes=diff({}, snapshot(exhibition, EXHIBITION_FIELDS)),
        note=", ".join(f"{b['name']} ×{b['count']}" for b in booths),
    )
    return exhibition


class ExhibitionChanged(ValidationError):
    """The exhibition was edited after the form was loaded; `current` is the row now."""

    def __init__(self, current: Exhibition):
        super().__init__(
            _(
                "Pameran ini sudah diubah orang lain sejak formulir dibuka. Perubahan Anda "
                "belum disimpan: periksa perubahan mereka di bawah, lalu simpan lagi bila "
                "isian Anda tetap yang benar."
            ),
            code="stale",
        )
        self.current = current


def _subsector_codes(exhibition: Exhibition) -> list[str]:
    return sorted(exhibition.subsectors.values_list("code", flat=True))


@transaction.atomic
def exhibition_update(
    *,
    actor: User,
    exhibition: Exhibition,
    data: dict[str, Any],
    subsectors: Iterable[Subsector],
    booths: list[dict[str, Any]],
    version: int,
) -> Exhibition:
    """Edit an exhibition and its booth types, audited field by field.

    `version` is the one the form was loaded from: a newer row refuses the write with
    ExhibitionChanged (no lost update). `booths` holds the booth rows as edited: an
    existing one carries its `id` (and `delete` to remove it), a new one none. A booth
    type that applicants chose is not removed.
    """
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    if version != exhibition.version:
        raise ExhibitionChanged(exhibition)
    before = snapshot(exhibition, EXHIBITION_FIELDS)
    before_subsectors = _subsector_codes(exhibition)
    for name, value in data.items():
        if name not in EXHIBITION_FIELDS:
            raise ValidationError(_("Isian %(name)s tidak dapat diubah.") % {"name": name})
        setattr(exhibition, name, value)
    exhibition.full_clean()
    exhibition.version += 1
    exhibition.save()
    exhibition.subsectors.set(subsectors)
    changes = diff(before, snapshot(exhibition, EXHIBITION_FIELDS))
    after_subsectors = _subsector_codes(exhibition)
    if before_subsectors != after_subsectors:
        changes["subsectors"] = [before_subsectors, after_subsectors]
    current = {b.pk: b for b in exhibition.booths.select_for_update()}
    rows = [b for b in booths if not b.get("delete")]
    if not rows:
        raise ValidationError(_("Pameran memerlukan paling sedikit satu jenis stan."))
    for row in booths:
        fields = {k: row[k] for k in BOOTH_FIELDS if k in row}
        booth = current.get(row["id"]) if row.get("id") else None
        if row.get("id") and booth is None:
            raise ValidationError(_("Jenis stan bukan milik pameran ini."))
        if booth is not None and row.get("delete"):
            if Application.objects.filter(booth_type=booth).exists():
                raise ValidationError(
                    _("Jenis stan %(name)s sudah dipilih pendaftar dan tidak dapat dihapus.")
                    % {"name": booth.name}
                )
            gone = snapshot(booth, BOOTH_FIELDS)
            audit_log(actor=actor, obj=booth, action="delete", changes=diff(gone, {}))
            booth.delete()
            continue
        if booth is None:
            booth = BoothType(exhibition=exhibition, **fields)
            booth.full_clean()
            booth.save()
            audit_log(
                actor=actor,
                obj=booth,
                action="create",
                changes=diff({}, snapshot(booth, BOOTH_FIELDS)),
            )
            continue
        was = snapshot(booth, BOOTH_FIELDS)
        for name, value in fields.items():
            setattr(booth, name, value)
        booth.full_clean()
        booth.save()
        booth_changes = diff(was, snapshot(booth, BOOTH_FIELDS))
        if booth_changes:
            audit_log(actor=actor, obj=booth, action="update", changes=booth_changes)
    if changes:
        audit_log(actor=actor, obj=exhibition, action="update", changes=changes)
    return exhibition
