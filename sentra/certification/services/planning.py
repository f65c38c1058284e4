"""Planning: a planner run as a draft (queued, solved in the background with progress,
kept), and accepting a plan into trips and batches."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sentra.accounts.permissions import Actor, can_accept_plan, require_actor
from sentra.audit.services import actor_user, audit_entry, audit_log, audit_log_many
from sentra.certification import booking
from sentra.certification import messages as M
from sentra.certification import planner as P
from sentra.certification.messages import fmt_day, say
from sentra.certification.models import (
    Batch,
    DraftStatus,
    Enrollment,
    PlanDraft,
    Trip,
)
from sentra.certification.selectors import (
    PlannerParams,
    local_assessor_specs,
    planner_input,
)
from sentra.certification.services._access import require_planner
from sentra.certification.services.batches import batches_insert, book_assessor_days
from sentra.lib.background import run_with_ticks

PROGRESS_EVERY = 0.5  # seconds between two progress writes of a running draft


def _proposals(plan: P.Plan) -> list[booking.Proposal]:
    return [
        booking.Proposal(
            scheme_id=b.scheme_id,
            tuk_id=t.tuk_id,
            assessor_ids=(t.assessor_id,),
            start=b.start,
            end=b.end,
            capacity=b.capacity,
            candidate_ids=tuple(b.candidate_ids),
            trip=(t.assessor_id, t.start),
        )
        for t in plan.trips
        for b in t.batches
    ]


@transaction.atomic
def plan_accept(*, actor: Actor, plan: P.Plan) -> list[Batch]:
    """Create the Trip and Batch rows of a plan, all or nothing, one audit entry each.

    The plan was feasible when it was made; everything is checked again against the
    database as it is now (someone may have enrolled a candidate or booked an assessor
    since) with the same rules as a single batch (`booking`), and the assessor days are
    held by a unique constraint, so two acceptances at the same moment cannot both book
    one assessor's day.
    """
    require_actor(actor, can_accept_plan, action="accept_plan")
    if not plan.trips:
        raise ValidationError(say(M.PLAN_EMPTY))
    proposals = _proposals(plan)
    state = booking.load_state(proposals=proposals, today=timezone.localdate())
    errors = booking.proposal_problems(state, proposals)
    if errors:
        raise ValidationError(errors[: booking.MAX_PROBLEMS])

    trips = Trip.objects.bulk_create(
        [
            Trip(assessor_id=t.assessor_id, start_date=t.start, end_date=t.end, cost=t.cost)
            for t in plan.trips
        ]
    )
    planned = [(trip, t, b) for trip, t in zip(trips, plan.trips, strict=True) for b in t.batches]
    batches = batches_insert(
        [
            Batch(
                scheme_id=b.scheme_id,
                tuk_id=t.tuk_id,
                trip=trip,
                start_date=b.start,
                end_date=b.end,
                capacity=b.capacity,
            )
            for trip, t, b in planned
        ]
    )
    Batch.assessors.through.objects.bulk_create(
        [
            Batch.assessors.through(batch_id=batch.pk, assessor_id=t.assessor_id)
            for batch, (_trip, t, _b) in zip(batches, planned, strict=True)
        ]
    )
    book_assessor_days(
        (batch.pk, t.assessor_id, b.start, b.end)
        for batch, (_trip, t, b) in zip(batches, planned, strict=True)
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(batch_id=batch.pk, candidate_id=c)
            for batch, (_trip, _t, b) in zip(batches, planned, strict=True)
            for c in b.candidate_ids
        ],
        batch_size=2000,
    )
    names = {a.id: a.name for a in state.assessors.values()}
    entries = [
        audit_entry(
            actor=actor,
            action="create",
            obj=trip,
            object_repr=f"{names.get(trip.assessor_id, '?')} {fmt_day(trip.start_date)}",
            changes={
                "start_date": [None, trip.start_date.isoformat()],
                "end_date": [None, trip.end_date.isoformat()],
                "cost": [None, trip.cost],
            },
            source="perencana",
        )
        for trip in trips
    ] + [
        audit_entry(
            actor=actor,
            action="create",
            obj=batch,
            object_repr=batch.code,
            changes={
                "scheme": [None, state.schemes.get(batch.scheme_id, "?")],
                "start_date": [None, batch.start_date.isoformat()],
                "end_date": [None, batch.end_date.isoformat()],
                "capacity": [None, batch.capacity],
                "candidates": [None, len(b.candidate_ids)],
            },
            source="perencana",
        )
        for batch, (_trip, _t, b) in zip(batches, planned, strict=True)
    ]
    audit_log_many(entries)
    return batches


# --- planner runs ---------------------------------------------------------------------


class WhatIf(TypedDict):
    """One row of the what-if table beside the main plan (None: not computed)."""

    label: str
    status: str
    trips: int | None
    cost: int | None
    gap: float | None
    finish: str | None  # ISO date
    scheduled: int | None
    total: int | None
    seconds: float


def _whatif_summary(label: str, plan: P.Plan) -> WhatIf:
    return {
        "label": label,
        "status": plan.status,
        "trips": plan.n_trips,
        "cost": plan.cost,
        "gap": plan.gap,
        "finish": plan.finish.isoformat() if plan.finish else None,
        "scheduled": plan.scheduled,
        "total": plan.total_candidates,
        "seconds": round(plan.seconds, 1),
    }


def _feasibility_advice(inp: P.PlanInput, plan: P.Plan) -> list[str]:
    """When not everyone fits before the deadline: a lower bound on what is missing."""
    if plan.unscheduled <= 0:
        return []
    per_day = max((a.per_day for a in inp.assessors), default=10)
    days = -(-plan.unscheduled // per_day)
    trips = -(-days // inp.days_per_trip)
    figures = {"days": days, "trips": trips, "per_trip": inp.days_per_trip, "n": plan.unscheduled}
    if inp.deadline:
        return [say(M.PLAN_SHORTFALL_BEFORE, deadline=inp.deadline, **figures)]
    return [say(M.PLAN_SHORTFALL, **figures)]


def _check_params(params: PlannerParams) -> None:
    if not 1 <= params.days_per_trip <= P.MAX_DAYS_PER_TRIP:
        raise ValidationError(say(M.PLAN_DAYS_PER_TRIP))
    if params.deadline and params.deadline <= params.start:
        raise ValidationError(say(M.PLAN_DEADLINE_BEFORE_START))
    if params.start < timezone.localdate():
        raise ValidationError(say(M.PLAN_START_IN_PAST))


@transaction.atomic
def plan_draft_request(*, actor: Actor, params: PlannerParams) -> PlanDraft:
    """A queued draft; `certification.tasks.plan_draft_enqueue` has it solved."""
    require_planner(actor)
    _check_params(params)
    draft = PlanDraft.objects.create(
        created_by=actor_user(actor),
        params=params.to_json(),
        status=DraftStatus.QUEUED,
        progress={"limit": params.time_limit, "elapsed": 0},
    )
    audit_log(actor=actor, obj=draft, action="plan_request", changes={})
    return draft


def _scenarios(inp: P.PlanInput, params: PlannerParams) -> list[tuple[str, P.PlanInput]]:
    bigger = params.whatif_tuk_capacity or 2 * max(t.capacity for t in inp.tuks)
    local = P.with_changes(
        inp,
        assessors=inp.assessors
        + local_assessor_specs(
            inp, count=params.whatif_local_assessors, cost=params.local_trip_cost
        ),
    )
    big_tuk = P.with_changes(inp, tuks=tuple(P.TukSpec(t.id, t.name, bigger) for t in inp.tuks))
    first = say(M.WHATIF_LOCAL, n=params.whatif_local_assessors)
    third = say(M.WHATIF_TUK, n=bigger)
    return [
        (first, local),
        (
            say(M.WHATIF_DAYS, n=params.whatif_days_per_trip),
            P.with_changes(inp, days_per_trip=params.whatif_days_per_trip),
        ),
        (third, big_tuk),
        # Local assessors add days only where the TUK has seats left, so the two together.
        (say(M.WHATIF_BOTH, first=first, second=third), P.with_changes(local, tuks=big_tuk.tuks)),
    ]


def plan_inputs(*, params: PlannerParams) -> tuple[P.PlanInput, list[tuple[str, P.PlanInput]]]:
    """The planner's input read from the database, and the what-if variants of it."""
    inp = planner_input(params=params)
    if not inp.assessors:
        raise ValidationError(say(M.PLAN_NO_ASSESSORS))
    if not inp.tuks:
        raise ValidationError(say(M.PLAN_NO_TUK))
    return inp, _scenarios(inp, params)


MAIN_SHARE = 0.6  # of the limit for the main plan; the what-ifs get the rest
WHATIF_SOLVER_FROM = 30.0  # seconds of limit from which the what-ifs get CP-SAT too


def _skipped(label: str) -> WhatIf:
    return {
        "label": say(M.WHATIF_SKIPPED, label=label),
        "status": "skipped",
        "trips": None,
        "cost": None,
        "gap": None,
        "finish": None,
        "scheduled": None,
        "total": None,
        "seconds": 0.0,
    }


def plan_solve(
    *,
    inp: P.PlanInput,
    scenarios: list[tuple[str, P.PlanInput]],
    limit: float,
    started: float,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[P.Plan, list[WhatIf]]:
    """The main plan and the what-ifs beside it, within `limit` seconds from `started`
    (a time.monotonic() reading). Pure: no database.

    Keeping to the limit: setting up a CP-SAT model takes seconds at city scale however
    short its own limit, so five solves do not fit in ten seconds. The main plan gets
    MAIN_SHARE of the limit (the solver keeps to its own limit); then each what-if is
    planned while time is left — by CP-SAT when the limit is generous and its share
    covers a model's set-up, else by the greedy heuristic with its proven lower bound
    (the table shows the gap) — and a what-if whose expected cost no longer fits is
    shown as not computed rather than overrunning the limit.
    """

    def elapsed() -> float:
        return time.monotonic() - started

    def report(step: int, figures: dict[str, Any]) -> None:
        if progress is not None:
            progress(
                figures | {"step": step, "steps": 1 + len(scenarios), "elapsed": elapsed()}
                | {"limit": limit}
            )  # fmt: skip

    marks: dict[str, float] = {}

    def main_progress(figures: dict[str, Any]) -> None:
        marks.setdefault(figures["phase"], figures["elapsed"])
        report(0, figures)

    main_inp = P.with_changes(inp, time_limit=max(0.2, MAIN_SHARE * limit - elapsed()))
    plan = P.solve(main_inp, progress=main_progress)
    plan.messages += _feasibility_advice(main_inp, plan)
    best = {"trips": plan.n_trips, "bound": plan.trips_bound, "scheduled": plan.scheduled}
    whatifs = [_whatif_summary(str(M.WHATIF_NOW), plan)]
    # What a greedy what-if costs: about the main plan's own greedy start, until measured.
    cost = 1.5 * marks.get("greedy", 1.0)
    setup = marks.get("finish", limit)
    for i, (label, scenario) in enumerate(scenarios):
        left = limit - elapsed()
        share = 0.9 * left / (len(scenarios) - i)
        report(i + 1, best | {"phase": "whatif", "total": plan.total_candidates})
        if limit >= WHATIF_SOLVER_FROM and share >= 2 * setup:
            result = P.solve(P.with_changes(scenario, time_limit=share))
            whatifs.append(_whatif_summary(label, result))
        elif left >= cost:
            t0 = time.monotonic()
            result = P.greedy_plan(scenario)
            cost = max(cost, time.monotonic() - t0)
            whatifs.append(_whatif_summary(say(M.WHATIF_HEURISTIC, label=label), result))
        else:
            whatifs.append(_skipped(label))
    return plan, whatifs


def plan_draft_run(*, draft: PlanDraft) -> PlanDraft:
    """Solve a queued draft, writing its progress as it goes; the background task's body.

    Bad parameters or missing assessors/TUK end the draft as failed with the reason; the
    task turns any other exception into a failed draft too.
    """
    draft = PlanDraft.objects.get(pk=draft.pk)
    if draft.status != DraftStatus.QUEUED:
        return draft
    PlanDraft.objects.filter(pk=draft.pk).update(status=DraftStatus.RUNNING)
    params = PlannerParams.from_json(draft.params)
    latest: dict[str, Any] = {}
    written: dict[str, Any] = {}

    def tick() -> None:
        if latest and latest != written:
            snapshot = dict(latest)
            PlanDraft.objects.filter(pk=draft.pk).update(progress=snapshot)
            written.clear()
            written.update(snapshot)

    started = time.monotonic()
    try:
        inp, scenarios = plan_inputs(params=params)
        plan, whatifs = run_with_ticks(
            lambda: plan_solve(
                inp=inp,
                scenarios=scenarios,
                limit=params.time_limit,
                started=started,
                progress=latest.update,
            ),
            tick,
            every=PROGRESS_EVERY,
        )
    except ValidationError as exc:
        PlanDraft.objects.filter(pk=draft.pk).update(
            status=DraftStatus.FAILED, error=" ".join(exc.messages)
        )
        return PlanDraft.objects.get(pk=draft.pk)
    with transaction.atomic():
        draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
        draft.plan = plan.to_json()
        draft.whatifs = whatifs
        draft.status = DraftStatus.DONE
        draft.progress = dict(latest) | {"phase": "done"}
        draft.save(update_fields=["plan", "whatifs", "status", "progress"])
        audit_log(
            actor=draft.created_by,
            obj=draft,
            action="plan",
            changes={"trips": [None, plan.n_trips], "finish": [None, whatifs[0]["finish"]]},
        )
    return draft


@transaction.atomic
def plan_draft_accept(*, actor: Actor, draft: PlanDraft, until: date | None = None) -> list[Batch]:
    """Create the draft's trips and batches (those starting up to `until`), all or none."""
    require_actor(actor, can_accept_plan, action="accept_plan")
    draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.accepted_at:
        raise ValidationError(say(M.PLAN_ALREADY_ACCEPTED))
    if draft.status != DraftStatus.DONE:
        raise ValidationError(say(M.PLAN_NOT_FINISHED))
    plan = P.Plan.from_json(draft.plan)
    if until:
        plan.trips = [t for t in plan.trips if t.start <= until]
    batches = plan_accept(actor=actor, plan=plan)
    draft.accepted_at = timezone.now()
    draft.accepted_by = actor_user(actor)
    draft.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=actor,
        obj=draft,
        action="accept",
        changes={"batches": [None, len(batches)], "trips": [None, len(plan.trips)]},
    )
    return batches
