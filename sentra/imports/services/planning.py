"""Matching incoming rows with the registry: new record, update, or no change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sentra.accounts.permissions import can_edit_in
from sentra.audit.services import diff
from sentra.imports.models import ImportJob
from sentra.imports.validate import RowResult
from sentra.registry.models import Ikm, IkmSource
from sentra.registry.services import (
    audited_values,
    incoming_is_newer,
)

# --- matching incoming rows with the registry ------------------------------------------


@dataclass
class Plan:
    creates: list[RowResult] = field(default_factory=list)
    # (row, existing record with the new values set, changes for the audit trail)
    updates: list[tuple[RowResult, Ikm, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[RowResult, int, str]] = field(default_factory=list)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)
    warnings: list[tuple[int, str, str, str]] = field(default_factory=list)


def _chunks[T](items: list[T], size: int = 5000) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Planner:
    """Decides batch after batch of one file: new record, update of an existing one, or
    no change.

    An existing record is found by Sentra ID (Sentra's own export), by the source's ID
    (e.g. SIDT id_data_badan_usaha) or by NIB. Fuzzy duplicates are the linkage app's
    business, after the import. What the file's earlier batches held (their IDs and NIB,
    the records they matched) is remembered, so that a batch decides as if it were one
    with every row before it: a repeated NIB or ID is found across batches.
    """

    def __init__(self, *, job: ImportJob, actor: Any, lock: bool = False) -> None:
        self.job, self.actor, self.lock = job, actor, lock
        self.seen_keys: dict[tuple[str, str], int] = {}
        self.seen_targets: dict[int, int] = {}

    def plan(self, rows: list[RowResult]) -> Plan:
        """The decision for the next batch of valid rows, in file order."""
        job, actor, lock = self.job, self.actor, self.lock
        plan = Plan()
        sentra_ids = {r.sentra_id for r in rows if r.sentra_id}
        external = {r.external_id for r in rows if r.external_id}
        nibs = {r.fields["nib"] for r in rows if r.fields.get("nib")}
        known_ids: set[int] = set()
        for chunk in _chunks(list(sentra_ids)):
            known_ids.update(Ikm.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        by_external: dict[str, int] = {}
        for ext_chunk in _chunks(list(external)):
            for ext, pk in (
                IkmSource.objects.filter(kind=job.kind, external_id__in=ext_chunk)
                .order_by("-pk")
                .values_list("external_id", "ikm_id")
            ):
                by_external[ext] = pk
        by_nib: dict[str, int] = {}
        for chunk in _chunks(list(nibs)):
            for nib, pk in (
                Ikm.objects.filter(nib__in=chunk).order_by("-pk").values_list("nib", "pk")
            ):
                by_nib[nib] = pk  # the oldest record wins when the registry holds duplicates

        seen_keys, seen_targets = self.seen_keys, self.seen_targets
        matched: list[tuple[RowResult, int]] = []
        for r in rows:
            duplicate = None
            for key in (
                ("id_sentra", str(r.sentra_id or "")),
                ("id", r.external_id),
                ("NIB", r.fields.get("nib", "")),
            ):
                if key[1] and key in seen_keys:
                    duplicate = (key, seen_keys[key])
                    break
            if duplicate and duplicate[0][0] == "NIB" and not r.sentra_id and not r.external_id:
                # Two rows of one file with one NIB: one business written twice, or two that
                # share a permit. The second row's data are kept as their own record without
                # the NIB (a NIB belongs to one live IKM) and the pair goes to the duplicate
                # review, where the officer merges them field by field.
                (_label, value), first = duplicate
                r.fields.pop("nib", None)
                r.same_as = first
                plan.warnings.append(
                    (
                        r.row,
                        "NIB",
                        value,
                        _(
                            "NIB %(nib)s sama dengan baris %(first)s di berkas ini: baris ini "
                            "disimpan tanpa NIB dan diajukan ke tinjauan duplikat untuk digabung."
                        )
                        % {"nib": value, "first": first},
                    )
                )
                plan.creates.append(r)
                continue
            if duplicate:
                (label, value), first = duplicate
                plan.errors.append(
                    (
                        r.row,
                        "",
                        value,
                        _("%(label)s %(value)s sama dengan baris %(first)s di berkas ini.")
                        % {"label": label, "value": value, "first": first},
                    )
                )
                continue
            for key in (("id_sentra", str(r.sentra_id or "")), ("id", r.external_id)):
                if key[1]:
                    seen_keys[key] = r.row
            if r.fields.get("nib"):
                seen_keys[("NIB", r.fields["nib"])] = r.row
            if r.sentra_id and r.sentra_id not in known_ids:
                plan.errors.append(
                    (
                        r.row,
                        "",
                        str(r.sentra_id),
                        _(
                            "ID Sentra %(id)s tidak ada di sistem ini. Kosongkan kolom id_sentra "
                            "untuk menambahkannya sebagai IKM baru."
                        )
                        % {"id": r.sentra_id},
                    )
                )
                continue
            target = (
                r.sentra_id
                or by_external.get(r.external_id or "\0")
                or by_nib.get(r.fields.get("nib") or "\0")
            )
            if target is None:
                plan.creates.append(r)
                continue
            if target in seen_targets:
                plan.errors.append(
                    (
                        r.row,
                        "",
                        "",
                        _(
                            "Baris ini dan baris %(row)s cocok dengan IKM yang sama (ID Sentra %(id)s)."
                        )
                        % {"row": seen_targets[target], "id": target},
                    )
                )
                continue
            seen_targets[target] = r.row
            matched.append((r, target))

        existing: dict[int, Ikm] = {}
        for chunk in _chunks([pk for _row, pk in matched], 2000):
            qs = Ikm.objects.filter(pk__in=chunk)
            if lock:
                qs = qs.select_for_update()
            existing.update({ikm.pk: ikm for ikm in qs})
        for r, pk in matched:
            ikm = existing[pk]
            incoming = r.fields.get("data_as_of") or job.data_as_of
            stale = incoming_is_newer(current=ikm.data_as_of, incoming=incoming)
            if stale:
                plan.unchanged.append((r, pk, stale))
                continue
            if actor is not None and not can_edit_in(actor, ikm.kecamatan_id):
                plan.errors.append(
                    (
                        r.row,
                        "",
                        "",
                        _("Anda tidak berwenang mengubah IKM %(name)s (ID %(id)s).")
                        % {"name": ikm.name, "id": pk},
                    )
                )
                continue
            before = audited_values(ikm)
            still_missing = list(ikm.incomplete_fields or [])
            for attname, value in r.fields.items():
                setattr(ikm, attname, value)
            # What this file could not give stays missing only where Sentra has nothing.
            ikm.incomplete_fields = list(
                dict.fromkeys([*still_missing, *r.fields.get("incomplete_fields", [])])
            )
            ikm.data_as_of = incoming
            try:
                ikm.clean()
            except ValidationError as exc:
                plan.errors.append(
                    (
                        r.row,
                        "",
                        "",
                        _("Bertentangan dengan data IKM ID %(id)s yang sudah ada: %(errors)s")
                        % {
                            "id": pk,
                            "errors": "; ".join(
                                " ".join(map(str, m)) for m in exc.message_dict.values()
                            ),
                        },
                    )
                )
                continue
            changes = diff(before, audited_values(ikm))
            plan.updates.append((r, ikm, changes))
        return plan


def plan_rows(*, job: ImportJob, rows: list[RowResult], actor: Any, lock: bool = False) -> Plan:
    """Decide for each valid row of one whole file (see Planner)."""
    return Planner(job=job, actor=actor, lock=lock).plan(rows)
