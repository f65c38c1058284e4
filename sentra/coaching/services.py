"""Writes to coaching records. Each one checks the role, validates, saves and audits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import (
    Actor,
    can_manage_coaching,
    can_manage_participant,
    require_actor,
)
from sentra.audit.services import actor_user, audit_log, diff, snapshot
from sentra.coaching.attendance import attendance_propose, attendance_read
from sentra.coaching.models import Activity, AttendanceRun, Category, Participation, Programme
from sentra.linkage.selectors import registry_records
from sentra.registry.models import Ikm

CATEGORY_FIELDS = ["code", "name", "subsector", "partial", "description", "is_active", "order"]
PROGRAMME_FIELDS = ["category", "year", "name", "organiser", "budget", "note"]
ACTIVITY_FIELDS = [
    "programme",
    "kind",
    "title",
    "date",
    "end_date",
    "place",
    "facilitator",
    "note",
]


__all__ = ["can_manage_coaching"]  # the views ask services.can_manage_coaching


def _require(user: Actor) -> None:
    require_actor(user, can_manage_coaching, action="coaching")


def _require_participants(user: Actor, kecamatan_codes: Iterable[str | None]) -> None:
    """Officers add and remove participants only for IKM of their own kecamatan."""
    for code in set(kecamatan_codes):
        require_actor(user, can_manage_participant, code, action="participant")


def _create[M: models.Model](
    model: type[M], *, actor: Actor, fields: list[str], data: dict[str, Any]
) -> M:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    obj = model(**data)
    obj.full_clean()
    obj.save()
    after = {k: v for k, v in snapshot(obj, fields).items() if v not in ("", None)}
    audit_log(actor=actor, obj=obj, action="create", changes=diff({}, after))
    return obj


def _update[M: models.Model](
    model: type[M], *, actor: Actor, obj: M, fields: list[str], data: dict[str, Any]
) -> M:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    # The default manager is `objects` on these models; Model itself declares only this one.
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    before = snapshot(obj, fields)
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    changes = diff(before, snapshot(obj, fields))
    if changes:
        obj.save()
        audit_log(actor=actor, obj=obj, action="update", changes=changes)
    return obj


@transaction.atomic
def category_create(*, actor: Actor, data: dict[str, Any]) -> Category:
    """A new coaching category of the office, mapped onto one Bekraf subsector."""
    _require(actor)
    return _create(Category, actor=actor, fields=CATEGORY_FIELDS, data=data)


@transaction.atomic
def category_update(*, actor: Actor, category: Category, data: dict[str, Any]) -> Category:
    _require(actor)
    return _update(Category, actor=actor, obj=category, fields=CATEGORY_FIELDS, data=data)


@transaction.atomic
def programme_create(*, actor: Actor, data: dict[str, Any]) -> Programme:
    """A programme: one category, one budget year, an organiser and a budget."""
    _require(actor)
    return _create(Programme, actor=actor, fields=PROGRAMME_FIELDS, data=data)


@transaction.atomic
def programme_update(*, actor: Actor, programme: Programme, data: dict[str, Any]) -> Programme:
    _require(actor)
    return _update(Programme, actor=actor, obj=programme, fields=PROGRAMME_FIELDS, data=data)


@transaction.atomic
def activity_create(
    *, actor: Actor, data: dict[str, Any], participant_ids: Iterable[int] = ()
) -> Activity:
    """An activity of a programme, with its participants (IKM ids) in the same transaction."""
    _require(actor)
    activity = _create(Activity, actor=actor, fields=ACTIVITY_FIELDS, data=data)
    ids = list(participant_ids)
    if ids:
        activity_add_participants(actor=actor, activity=activity, ikm_ids=ids)
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: Activity, data: dict[str, Any]) -> Activity:
    _require(actor)
    return _update(Activity, actor=actor, obj=activity, fields=ACTIVITY_FIELDS, data=data)


@transaction.atomic
def activity_add_participants(*, actor: Actor, activity: Activity, ikm_ids: Iterable[int]) -> int:
    """Add IKM to an activity; unknown ids refuse the whole call, repeats are ignored.

    Returns how many were added.
    """
    _require(actor)
    ids = sorted({int(i) for i in ikm_ids})
    kecamatan_of = dict(Ikm.objects.filter(pk__in=ids).values_list("pk", "kecamatan_id"))
    found = set(kecamatan_of)
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(
            _("IKM dengan ID berikut tidak ditemukan: %(ids)s")
            % {"ids": ", ".join(map(str, missing))}
        )
    _require_participants(actor, kecamatan_of.values())
    existing = set(
        Participation.objects.filter(activity=activity, ikm_id__in=ids).values_list(
            "ikm_id", flat=True
        )
    )
    new = [i for i in ids if i not in existing]
    added_by = actor_user(actor)
    Participation.objects.bulk_create(
        [Participation(activity=activity, ikm_id=i, added_by=added_by) for i in new]
    )
    if new:
        audit_log(
            actor=actor,
            obj=activity,
            action="add_participants",
            changes={"participants": [None, new]},
        )
    return len(new)


@transaction.atomic
def activity_remove_participant(*, actor: Actor, activity: Activity, ikm_id: int) -> None:
    _require(actor)
    _require_participants(
        actor, Ikm.objects.filter(pk=ikm_id).values_list("kecamatan_id", flat=True)
    )
    deleted, _n = Participation.objects.filter(activity=activity, ikm_id=ikm_id).delete()
    if not deleted:
        raise ValidationError(_("IKM ini bukan peserta kegiatan tersebut."))
    audit_log(
        actor=actor,
        obj=activity,
        action="remove_participant",
        changes={"participants": [ikm_id, None]},
    )


# --- the daftar hadir, matched in the background -----------------------------------------

# What the engine's stages are, as the run's progress: reading the registry takes the
# first part, the engine (its own percent) the most, storing the proposals the rest.
_READ_SHARE, _ENGINE_SHARE = 5, 90


@transaction.atomic
def attendance_run_create(
    *, actor: Actor, activity: Activity, upload: UploadedFile[Any]
) -> AttendanceRun:
    """An uploaded daftar hadir read into a queued run (raises
    `imports.readers.base.FileRejected` with the reason for a file that is not a list of
    people). The uploader's finished runs of this activity are deleted: a run is a
    working copy of a file with phone numbers, kept only until the next one."""
    _require(actor)
    read = attendance_read(upload)
    creator = actor_user(actor)
    AttendanceRun.objects.filter(
        activity=activity,
        created_by=creator,
        status__in=[AttendanceRun.Status.DONE, AttendanceRun.Status.FAILED],
    ).delete()
    run = AttendanceRun(
        activity=activity,
        file_name=(upload.name or "")[:255],
        total=len(read.rows),
        rows=[{"row": number, "typed": typed} for number, typed in read.rows],
        columns=read.columns,
        notes=read.notes,
        created_by=creator,
    )
    run.full_clean()
    run.save()
    audit_log(
        actor=actor,
        obj=run,
        action="attendance_upload",
        changes={"rows": [None, run.total]},
        note=f"{activity.pk}: {run.file_name}",
    )
    return run


def attendance_run_match(
    *, run: AttendanceRun, registry: list[dict[str, Any]] | None = None
) -> AttendanceRun:
    """The background step: the linkage engine proposes an IKM for every row of the
    run, the proposals are stored on it. Takes only a queued run (a second worker, or a
    retry, finds it taken and leaves it); a failure is stored on the run and raised.
    `registry` (engine records) is for tests. No audit entry: nothing but the run's
    own proposal changes, and the officer's confirmation is audited when it adds."""
    taken = AttendanceRun.objects.filter(pk=run.pk, status=AttendanceRun.Status.QUEUED).update(
        status=AttendanceRun.Status.RUNNING, stage="registri", started_at=timezone.now()
    )
    if not taken:
        return AttendanceRun.objects.get(pk=run.pk)
    run.refresh_from_db()

    def say(stage: str, pct: int) -> None:
        AttendanceRun.objects.filter(pk=run.pk).update(
            stage=stage[:40], percent=min(_READ_SHARE + pct * _ENGINE_SHARE // 100, 99)
        )

    try:
        if registry is None:
            registry = registry_records()
        say("normalisasi", 0)
        result = attendance_propose(
            [item["typed"] for item in run.rows], registry=registry, progress=say
        )
        run.result, run.done, run.percent = result, len(result), 100
        run.status, run.stage, run.finished_at = AttendanceRun.Status.DONE, "", timezone.now()
        run.full_clean()
        run.save(update_fields=["result", "done", "percent", "status", "stage", "finished_at"])
    except Exception as exc:
        AttendanceRun.objects.filter(pk=run.pk).update(
            status=AttendanceRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return run
