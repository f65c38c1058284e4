"""Writes for deduplication: storing candidate pairs, rejecting, merging, undoing.

Every write is atomic and audited. A merge keeps one IKM, takes the reviewer's choice of
value for each differing field, moves every row that points at the other IKM (sources
first of all, so the provenance of both survives), and closes the other with reason
"duplikat". `Merge` keeps both full rows before and after, so `merge_undo` restores
them exactly — including `updated_at` — and moves the rows back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NotRequired, Protocol, TypedDict, TypeGuard

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import User
from sentra.accounts.permissions import Actor, can_merge
from sentra.audit.services import actor_user, audit_log, diff
from sentra.lib.progress import board_report, board_start
from sentra.linkage import engine
from sentra.linkage.models import CandidatePair, DedupeRun, LinkageModel, Merge, PairStatus
from sentra.linkage.selectors import (
    MERGE_FIELDS,
    dedupe_progress_key,
    ikm_attnames,
    incoming_matches,
    registry_records,
)
from sentra.registry.models import CloseReason, Ikm, is_nib_conflict
from sentra.registry.services import AUDITED_FIELDS, ikm_close, ikm_update, require_writable

# A run older than this whose worker died must not block the button forever.
STALE_AFTER = timedelta(hours=2)


@transaction.atomic
def dedupe_run_create(*, actor: Actor) -> DedupeRun | None:
    """A new registry-wide pass, or None while one queued or running (and not stale)
    exists: two passes at once would only store the same pairs twice."""
    active = (
        DedupeRun.objects.select_for_update()
        .filter(
            status__in=[DedupeRun.Status.QUEUED, DedupeRun.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .first()
    )
    if active:
        return None
    return DedupeRun.objects.create(started_by=actor_user(actor))


# --- full-row snapshots -----------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def full_snapshot(ikm: Ikm) -> dict[str, Any]:
    """Every column of the row, JSON-safe; `_restore` turns it back into the same row."""
    return {f.attname: _json_value(getattr(ikm, f.attname)) for f in Ikm._meta.concrete_fields}


def _restore(pk: int, snap: dict[str, Any]) -> None:
    values: dict[str, Any] = {}
    for f in Ikm._meta.concrete_fields:
        # The version only moves forward: a form loaded before the undo is stale after it.
        # Snapshots older than a field leave it at its default (merged_into: not merged).
        if f.primary_key or f.attname == "version":
            continue
        raw = snap.get(f.attname, f.get_default())
        values[f.attname] = None if raw is None else f.to_python(raw)
    # update(), not save(): save() would recompute derived fields and touch updated_at.
    Ikm.objects.filter(pk=pk).update(**values, version=F("version") + 1)


def _unchanged_since(ikm: Ikm, snap: dict[str, Any]) -> bool:
    now = full_snapshot(ikm)
    return all(now.get(key) == value for key, value in snap.items())


# --- permissions ------------------------------------------------------------------------


def can_decide(user: Actor, pair: CandidatePair) -> bool:
    """Admins anywhere; an officer only when both records lie in their kecamatan."""
    return can_merge(user, pair.ikm_a.kecamatan_id, pair.ikm_b.kecamatan_id)


def _may_merge(user: Actor, a: Ikm, b: Ikm) -> TypeGuard[User]:
    # can_merge holds for signed-in admins and officers only (never the system, None).
    return can_merge(user, a.kecamatan_id, b.kecamatan_id)


def _require_both(user: Actor, a: Ikm, b: Ikm) -> User:
    """The user, once allowed to change both records (the decision's author)."""
    if not _may_merge(user, a, b):
        raise PermissionDenied(
            _("Anda tidak berwenang: kedua IKM harus berada di kecamatan wewenang Anda.")
        )
    return user


# --- related rows -----------------------------------------------------------------------


def _foreign_keys_to_ikm() -> list[tuple[type[models.Model], str]]:
    """Every (model, FK attname) pointing at Ikm outside this app, M2M tables included."""
    out = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label == "linkage" or model is Ikm:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.remote_field.model is Ikm:
                out.append((model, f.attname))
    return out


# Apps whose rows cannot simply follow the kept IKM (a unique key per IKM, e.g. one
# certification candidate per scheme) register a hook: called with (kept_id, merged_id)
# before the move, it returns the rows it moved itself (the `moved` format plus
# "back_to", where undo puts them) and the pks per model label the move must leave alone.
class MovedRows(TypedDict):
    """Rows of one model a merge moved to the kept IKM (kept in `Merge.moved`)."""

    model: str  # label_lower
    field: str  # the FK attname that was changed
    pks: list[int]
    back_to: NotRequired[int]  # where undo puts them; absent: the merged-away IKM


class MergeHook(Protocol):
    def __call__(
        self, *, kept_id: int, merged_id: int
    ) -> tuple[list[MovedRows], dict[str, set[int]]]: ...


_MERGE_HOOKS: list[MergeHook] = []


def register_merge_hook(hook: MergeHook) -> None:
    if hook not in _MERGE_HOOKS:
        _MERGE_HOOKS.append(hook)


def _move_related(*, from_pk: int, to_pk: int) -> list[MovedRows]:
    moved: list[MovedRows] = []
    skip: dict[str, set[int]] = {}
    for hook in _MERGE_HOOKS:
        done, leave = hook(kept_id=to_pk, merged_id=from_pk)
        moved += done
        for label, left_alone in leave.items():
            skip.setdefault(label, set()).update(left_alone)
    for model, attname in _foreign_keys_to_ikm():
        pks = list(model._default_manager.filter(**{attname: from_pk}).values_list("pk", flat=True))
        pks = [pk for pk in pks if pk not in skip.get(model._meta.label_lower, ())]
        if pks:
            model._default_manager.filter(pk__in=pks).update(**{attname: to_pk})
            moved.append({"model": model._meta.label_lower, "field": attname, "pks": pks})
    return moved


def _move_back(moved: list[MovedRows], *, to_pk: int) -> None:
    for entry in moved:
        model = apps.get_model(entry["model"])
        target = entry.get("back_to", to_pk)
        model._default_manager.filter(pk__in=entry["pks"]).update(**{entry["field"]: target})


# --- storing the engine's results -------------------------------------------------------


def pairs_store(*, matches: list[engine.Match]) -> tuple[int, int]:
    """Save registry-to-registry matches (likely and possible: the band follows from the
    score) as pending pairs. A pair already decided (rejected or merged) is left alone:
    a rejection is remembered. Returns (found, new)."""
    found = new = 0
    wanted: dict[tuple[int, int], engine.Match] = {}
    for m in matches:
        if isinstance(m.left, int) and isinstance(m.right, int) and m.left != m.right:
            wanted[(min(m.left, m.right), max(m.left, m.right))] = m
    found = len(wanted)
    existing = {
        (a, b): (pk, status)
        for pk, a, b, status in CandidatePair.objects.values_list(
            "pk", "ikm_a_id", "ikm_b_id", "status"
        )
    }
    to_create, to_update = [], []
    for (a, b), m in wanted.items():
        fields = {"score": m.probability, "weight": m.weight, "evidence": m.evidence}
        if (a, b) not in existing:
            to_create.append(CandidatePair(ikm_a_id=a, ikm_b_id=b, **fields))
        elif existing[(a, b)][1] == PairStatus.PENDING:
            to_update.append(CandidatePair(pk=existing[(a, b)][0], **fields))
    with transaction.atomic():
        CandidatePair.objects.bulk_create(to_create, batch_size=2000)
        CandidatePair.objects.bulk_update(
            to_update, ["score", "weight", "evidence"], batch_size=2000
        )
    new = len(to_create)
    return found, new


def find_duplicates(
    *,
    actor: Actor = None,
    run: DedupeRun | None = None,
    threshold: float = engine.POSSIBLE,
    progress: Callable[[str, int], None] | None = None,
) -> DedupeRun:
    """A registry-wide pass: estimate the model on the registry, store the pairs found."""
    # A saved user; None for the system and the anonymous user (whose pk is None).
    started_by = actor if isinstance(actor, User) and actor.pk else None
    run = run or DedupeRun.objects.create(started_by=started_by)

    def say(stage: str, pct: int) -> None:
        DedupeRun.objects.filter(pk=run.pk).update(stage=stage, progress=min(pct, 99))
        if progress:
            progress(stage, pct)

    DedupeRun.objects.filter(pk=run.pk).update(status=DedupeRun.Status.RUNNING)
    board_start(dedupe_progress_key(run), stage=DedupeRun.Status.RUNNING)
    try:
        records = registry_records()
        board_report(dedupe_progress_key(run), done=0, total=len(records))
        matches, params = engine.link(records, threshold=threshold, progress=say)
        with transaction.atomic():
            if params.trained_on:
                LinkageModel.objects.create(
                    params=params.to_json(), records=len(records), pairs=len(matches)
                )
            found, new = pairs_store(matches=matches)
            run.refresh_from_db()
            run.status, run.progress, run.stage = DedupeRun.Status.DONE, 100, "selesai"
            run.records, run.found, run.new = len(records), found, new
            run.finished_at = timezone.now()
            run.save()
            audit_log(
                actor=actor,
                obj=run,
                action="dedupe_run",
                changes={
                    "records": [None, len(records)],
                    "found": [None, found],
                    "new": [None, new],
                },
            )
    except Exception as exc:
        DedupeRun.objects.filter(pk=run.pk).update(
            status=DedupeRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return run


# --- reviewer decisions -----------------------------------------------------------------


@transaction.atomic
def pair_reject(*, actor: Actor, pair: CandidatePair, note: str = "") -> CandidatePair:
    """Mark a pair "not a duplicate"; later passes will not propose it again."""
    pair = (
        CandidatePair.objects.select_for_update().select_related("ikm_a", "ikm_b").get(pk=pair.pk)
    )
    actor = _require_both(actor, pair.ikm_a, pair.ikm_b)
    if pair.status != PairStatus.PENDING:
        raise ValidationError(_("Pasangan ini sudah diputuskan."))
    pair.status, pair.note = PairStatus.REJECTED, note[:300]
    pair.decided_by, pair.decided_at = actor, timezone.now()
    pair.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit_log(
        actor=actor,
        obj=pair,
        action="reject",
        changes={"status": ["pending", "rejected"]},
        note=note,
    )
    return pair


def default_choices(kept: Ikm, other: Ikm) -> dict[str, str]:
    """Preselected side per differing field: the kept value, unless only the other has one."""
    out = {}
    for attname in MERGE_FIELDS:
        mine, theirs = getattr(kept, attname), getattr(other, attname)
        if mine != theirs:
            out[attname] = "merged" if mine in ("", None) and theirs not in ("", None) else "kept"
    return out


def pair_merge(
    *,
    actor: Actor,
    pair: CandidatePair,
    keep_id: int,
    choices: dict[str, str],
    versions: dict[int, int] | None = None,
) -> Merge:
    """Merge the pair into `keep_id`. `choices` maps a field's attname to "kept" or
    "merged": whose value the kept record ends up with (missing = keep its own).
    `versions`: IKM id -> the version the reviewer saw; a record edited since refuses the
    merge (IkmChanged), so the choices are never made on values no longer there."""
    try:
        with transaction.atomic():
            return _merge(
                actor=actor, pair=pair, keep_id=keep_id, choices=choices, versions=versions or {}
            )
    except IntegrityError as exc:
        if is_nib_conflict(exc):
            raise ValidationError(
                _("Penggabungan dibatalkan: NIB itu sudah dipakai IKM aktif lain.")
            ) from exc
        raise ValidationError(
            _("Penggabungan dibatalkan: data terkait bentrok (%(error)s).") % {"error": exc}
        ) from exc


def _merge(
    *,
    actor: Actor,
    pair: CandidatePair,
    keep_id: int,
    choices: dict[str, str],
    versions: dict[int, int],
) -> Merge:
    pair = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != PairStatus.PENDING:
        raise ValidationError(_("Pasangan ini sudah diputuskan."))
    if keep_id not in (pair.ikm_a_id, pair.ikm_b_id):
        raise ValidationError(_("Pilih salah satu dari kedua IKM untuk dipertahankan."))
    locked = {
        i.pk: i
        for i in Ikm.objects.select_for_update().filter(pk__in=[pair.ikm_a_id, pair.ikm_b_id])
    }
    kept = locked[keep_id]
    other = locked[pair.ikm_b_id if keep_id == pair.ikm_a_id else pair.ikm_a_id]
    actor = _require_both(actor, kept, other)
    for ikm in (kept, other):
        require_writable(ikm, version=versions.get(ikm.pk))
    if not (kept.is_active and other.is_active):
        raise ValidationError(_("Salah satu IKM sudah ditutup; buka kembali dulu."))
    bad = set(choices) - set(MERGE_FIELDS)
    if bad or any(side not in ("kept", "merged") for side in choices.values()):
        raise ValidationError(
            _("Pilihan nilai tidak sah: %(fields)s") % {"fields": ", ".join(sorted(bad))}
        )
    kept_before, other_before = full_snapshot(kept), full_snapshot(other)
    data = {
        attname: getattr(other, attname)
        for attname, side in choices.items()
        if side == "merged" and getattr(other, attname) != getattr(kept, attname)
    }
    source = _("Penggabungan duplikat: IKM #%(other)s") % {"other": other.pk}
    moved = _move_related(from_pk=other.pk, to_pk=kept.pk)
    # Closed first: taking over the other's NIB is then no second live holder of it.
    ikm_close(
        actor=actor,
        ikm=other,
        closed_on=timezone.localdate(),
        reason=CloseReason.DUPLICATE,
        note=_("Digabung ke IKM #%(kept)s") % {"kept": kept.pk},
        merged_into=kept,
    )
    if data:
        ikm_update(actor=actor, ikm=kept, data=data, source=source)
    kept.refresh_from_db()
    other.refresh_from_db()
    merge = Merge.objects.create(
        pair=pair,
        kept=kept,
        merged=other,
        actor=actor if getattr(actor, "pk", None) else None,
        choices=choices,
        kept_before=kept_before,
        merged_before=other_before,
        kept_after=full_snapshot(kept),
        merged_after=full_snapshot(other),
        moved=moved,
    )
    pair.status, pair.decided_by, pair.decided_at = PairStatus.MERGED, merge.actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    moved_count = sum(len(entry["pks"]) for entry in moved)
    audit_log(
        actor=actor,
        obj=kept,
        action="merge",
        source=source,
        changes={
            **diff({k: kept_before[k] for k in data}, {k: merge.kept_after[k] for k in data}),
            "menggabungkan": [None, f"IKM #{other.pk}"],
        },
        note=_("%(n)s baris terkait dipindahkan.") % {"n": moved_count},
    )
    audit_log(
        actor=actor,
        obj=other,
        action="merge",
        source=source,
        changes={"digabung_ke": [None, f"IKM #{kept.pk}"]},
    )
    return merge


@transaction.atomic
def merge_undo(*, actor: Actor, merge: Merge) -> Merge:
    """Put both records back exactly as they were before the merge."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError(_("Penggabungan ini sudah dibatalkan."))
    locked = {
        i.pk: i
        for i in Ikm.objects.select_for_update().filter(pk__in=[merge.kept_id, merge.merged_id])
    }
    kept, other = locked[merge.kept_id], locked[merge.merged_id]
    actor = _require_both(actor, kept, other)
    if not (
        _unchanged_since(kept, merge.kept_after) and _unchanged_since(other, merge.merged_after)
    ):
        raise ValidationError(
            _(
                "IKM sudah diubah setelah penggabungan, jadi pembatalan akan menimpa perubahan itu. "
                "Sunting data secara manual."
            )
        )
    _move_back(merge.moved, to_pk=other.pk)
    _restore(kept.pk, merge.kept_before)
    _restore(other.pk, merge.merged_before)
    merge.undone_at, merge.undone_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    merge.save(update_fields=["undone_at", "undone_by"])
    if merge.pair_id:
        CandidatePair.objects.filter(pk=merge.pair_id).update(
            status=PairStatus.PENDING, decided_by=None, decided_at=None
        )
    kept.refresh_from_db()
    other.refresh_from_db()
    fields = ikm_attnames(AUDITED_FIELDS)
    note = _("Pembatalan penggabungan #%(merge)s") % {"merge": merge.pk}
    audit_log(
        actor=actor,
        obj=kept,
        action="merge_undo",
        note=note,
        changes=diff(
            {k: merge.kept_after[k] for k in fields}, {k: merge.kept_before[k] for k in fields}
        ),
    )
    audit_log(
        actor=actor,
        obj=other,
        action="merge_undo",
        note=note,
        changes=diff(
            {k: merge.merged_after[k] for k in fields}, {k: merge.merged_before[k] for k in fields}
        ),
    )
    return merge


def pairs_find_for(*, ikm_ids: list[int]) -> tuple[int, int]:
    """Look for duplicates of these IKM (e.g. the ones an import just created) among the
    rest of the registry and among themselves; store them in the review queue.
    Returns (found, new) as `pairs_store` does."""
    wanted = set(ikm_ids)
    if not wanted:
        return 0, 0
    records = registry_records()
    incoming = [r for r in records if r["id"] in wanted]
    registry = [r for r in records if r["id"] not in wanted]
    keys = [r["id"] for r in incoming]

    def real(key: int | str) -> int | str:
        return keys[int(key.split(":")[1])] if isinstance(key, str) else key

    matches = incoming_matches(incoming=incoming, registry=registry, within_incoming=True)
    return pairs_store(
        matches=[
            engine.Match(
                left=real(m.left),
                right=real(m.right),
                probability=m.probability,
                weight=m.weight,
                evidence=m.evidence,
            )
            for m in matches
        ]
    )
