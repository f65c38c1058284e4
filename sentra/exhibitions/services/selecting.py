"""Selection: runs of the published rule (here and now, or queued for the background
task) and their writing, officers' overrides, and cancellations that promote from the
waiting list. The rule itself is the pure engine `sentra.exhibitions.selection`."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import actor_user, audit_log, diff, snapshot
from sentra.exhibitions import selection as S
from sentra.exhibitions import selectors
from sentra.exhibitions.models import (
    Application,
    BackgroundRun,
    Exhibition,
    RunKind,
    RunStatus,
    Status,
)
from sentra.exhibitions.services._common import _run_fail, _run_start
from sentra.lib.background import run_with_ticks

if TYPE_CHECKING:
    from sentra.accounts.models import User


def _allocate_booths(exhibition: Exhibition, picked: list[Application]) -> dict[int, str]:
    """Booth numbers per type in order of points: A-01, A-02, … (the booth plan)."""
    by_type: dict[int, list[Application]] = defaultdict(list)
    for a in picked:
        by_type[a.booth_type_id].append(a)
    numbers: dict[int, str] = {}
    for booth in exhibition.booths.all():
        ordered = sorted(by_type.get(booth.pk, []), key=lambda a: (-(a.points or 0), a.pk))
        for i, a in enumerate(ordered, start=1):
            numbers[a.pk] = f"{booth.code}-{i:02d}"
    return numbers


@transaction.atomic
def selection_run(*, actor: User, exhibition: Exhibition, time_limit: float = 10.0) -> S.Selection:
    """Solve the published selection rule here and now and write each application's
    status, points, reasons, waiting-list rank and booth number (demo data, commands,
    tests; pages queue a run with `selection_request` instead)."""
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    problem = selectors.selection_problem(exhibition, time_limit=time_limit)
    return _selection_write(actor=actor, exhibition=exhibition, result=S.solve(problem))


SELECTION_TIME_LIMIT = 10.0


@transaction.atomic
def selection_request(
    *, actor: User, exhibition: Exhibition, time_limit: float = SELECTION_TIME_LIMIT
) -> BackgroundRun:
    """Queue a selection run (the background task solves it). A run still waiting in the
    queue serves a second request (it reads the applications when it starts); a run
    already solving does not, since it read them before this request's change."""
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    waiting = exhibition.runs.filter(kind=RunKind.SELECTION, status=RunStatus.QUEUED).first()
    if waiting is not None:
        return waiting
    run = BackgroundRun.objects.create(
        kind=RunKind.SELECTION,
        exhibition=exhibition,
        created_by=actor_user(actor),
        progress={"limit": time_limit, "elapsed": 0},
    )
    audit_log(actor=actor, obj=run, action="create", changes={"kind": [None, run.kind]})
    return run


def selection_run_background(*, run: BackgroundRun) -> BackgroundRun:
    """The background task's body: solve while writing the best selection so far and
    the seconds used to the run (the page polls it), then write the selection at once.

    Not one transaction: the progress must be visible to the page while the solver
    works; the selection itself is written in one (`_selection_write`)."""
    started_run = _run_start(run)
    if started_run is None:
        return BackgroundRun.objects.get(pk=run.pk)
    run = started_run
    assert run.exhibition is not None
    limit = float(run.progress.get("limit") or SELECTION_TIME_LIMIT)
    problem = selectors.selection_problem(run.exhibition, time_limit=limit)
    latest: dict[str, Any] = {"limit": limit, "elapsed": 0, "applicants": len(problem.applicants)}
    written: dict[str, Any] = {}
    started = time.monotonic()

    def heard(objective: int, bound: int, seconds: float) -> None:
        latest.update(best=objective, bound=bound)

    def tick() -> None:
        latest["elapsed"] = round(time.monotonic() - started, 1)
        if latest != written:
            BackgroundRun.objects.filter(pk=run.pk).update(progress=dict(latest))
            written.clear()
            written.update(latest)

    result = run_with_ticks(lambda: S.solve(problem, progress=heard), tick)
    actor = run.created_by
    exhibition_id = run.exhibition.pk
    try:
        with transaction.atomic():
            exhibition = Exhibition.objects.select_for_update().get(pk=exhibition_id)
            _selection_write(actor=actor, exhibition=exhibition, result=result)
            BackgroundRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                progress=latest | {"best": result.objective, "elapsed": latest["elapsed"]},
                result={
                    "picked": len(result.picked),
                    "objective": result.objective,
                    "optimal": result.optimal,
                },
            )
    except ValidationError as exc:
        return _run_fail(run, " ".join(exc.messages))
    return BackgroundRun.objects.get(pk=run.pk)


def _selection_write(
    *, actor: User | None, exhibition: Exhibition, result: S.Selection
) -> S.Selection:
    # Also the demo data's writer (actor None), so demo selections look like real ones.
    if not result.feasible:
        raise ValidationError(
            _("Keputusan petugas tidak muat dalam stan dan kuota: periksa pilihan manual.")
        )
    apps = {
        a.pk: a
        for a in exhibition.applications.select_for_update().exclude(status=Status.CANCELLED)
    }
    before = {pk: (a.status, a.booth_number) for pk, a in apps.items()}
    for pk, d in result.decisions.items():
        a = apps.get(pk)
        if a is None:  # cancelled while a background run was solving
            continue
        a.status = Status.SELECTED if d.picked else Status.WAITLIST
        a.points = d.points
        a.reasons = [[code, params] for code, params in d.reasons]
    waiting = sorted(
        (a for a in apps.values() if a.status == Status.WAITLIST),
        key=lambda a: (-(a.points or 0), a.pk),
    )
    for rank, a in enumerate(waiting, start=1):
        a.waitlist_rank = rank
    picked = [a for a in apps.values() if a.status == Status.SELECTED]
    numbers = _allocate_booths(exhibition, picked)
    # Booth numbers are unique per exhibition: clear them first, then assign.
    Application.objects.filter(pk__in=list(apps)).update(booth_number="")
    for a in apps.values():
        a.booth_number = numbers.get(a.pk, "")
        if a.status == Status.SELECTED:
            a.waitlist_rank = None
    Application.objects.bulk_update(
        list(apps.values()), ["status", "points", "reasons", "waitlist_rank", "booth_number"]
    )
    exhibition.selection_run_at = timezone.now()
    exhibition.selection_optimal = result.optimal
    exhibition.save(update_fields=["selection_run_at", "selection_optimal"])
    changed = {
        str(pk): [list(before[pk]), [a.status, a.booth_number]]
        for pk, a in apps.items()
        if before[pk] != (a.status, a.booth_number)
    }
    audit_log(
        actor=actor,
        obj=exhibition,
        action="select",
        changes=changed,
        note=_("%(n)s terpilih dari %(total)s, nilai tujuan %(obj)s%(opt)s")
        % {
            "n": len(picked),
            "total": len(apps),
            "obj": result.objective,
            "opt": _(", optimal terbukti") if result.optimal else "",
        },
    )
    return result


@transaction.atomic
def application_override(
    *, actor: User, application: Application, decision: str, note: str
) -> BackgroundRun:
    """An officer picks ("in") or drops ("out") an applicant, or lifts the decision ("");
    a selection run is queued around it so booths and the waiting list stay right."""
    require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if decision not in ("in", "out", ""):
        raise ValidationError(_("Keputusan tidak dikenal."))
    if application.status == Status.CANCELLED:
        raise ValidationError(_("Pendaftaran ini sudah batal."))
    before = snapshot(application, ["override", "override_note"])
    application.override = decision
    application.override_note = note.strip() if decision else ""
    application.full_clean()
    application.save(update_fields=["override", "override_note"])
    audit_log(
        actor=actor,
        obj=application,
        action="override",
        changes=diff(before, snapshot(application, ["override", "override_note"])),
        note=note,
    )
    return selection_request(actor=actor, exhibition=application.exhibition)


@transaction.atomic
def application_cancel(*, actor: User, application: Application, reason: str) -> Application | None:
    """A participant withdraws: the booth goes to the first on the waiting list who
    applied for that booth type and fits the quotas. Returns the one promoted, if any."""
    require_manage_exhibitions(actor)
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan pembatalan."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Status.CANCELLED:
        raise ValidationError(_("Pendaftaran ini sudah batal."))
    exhibition = application.exhibition
    was_selected = application.status == Status.SELECTED
    booth_number = application.booth_number
    before = snapshot(application, ["status", "booth_number"])
    application.status = Status.CANCELLED
    application.cancelled_reason = reason.strip()
    application.booth_number = ""
    application.waitlist_rank = None
    application.save(update_fields=["status", "cancelled_reason", "booth_number", "waitlist_rank"])
    audit_log(
        actor=actor,
        obj=application,
        action="cancel",
        changes=diff(before, snapshot(application, ["status", "booth_number"])),
        note=reason,
    )
    if not was_selected:
        return None
    problem = selectors.selection_problem(exhibition)
    selected = {a.pk for a in exhibition.applications.filter(status=Status.SELECTED)}
    by_key = {a.key: a for a in problem.applicants}
    for candidate in (
        exhibition.applications.filter(status=Status.WAITLIST, booth_type=application.booth_type)
        .exclude(override="out")
        .order_by("waitlist_rank", "pk")
    ):
        chosen = [by_key[k] for k in selected | {candidate.pk}]
        if S.violations(problem, chosen):
            continue
        candidate.status = Status.SELECTED
        candidate.booth_number = booth_number
        candidate.waitlist_rank = None
        candidate.reasons = [*candidate.reasons, ["promoted", {}]]
        candidate.save(update_fields=["status", "booth_number", "waitlist_rank", "reasons"])
        audit_log(
            actor=actor,
            obj=candidate,
            action="promote",
            changes={
                "status": [Status.WAITLIST, Status.SELECTED],
                "booth_number": ["", booth_number],
            },
            note=_("menggantikan %(name)s") % {"name": application.ikm.name},
        )
        return candidate
    return None
