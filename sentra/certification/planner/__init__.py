"""Plan assessor trips and assessment batches with OR-Tools CP-SAT.

Why the model looks like this
-----------------------------
A time-indexed model with one variable per candidate and day (8,090 candidates × hundreds
of days) does not even find a feasible solution in a minute. But candidates of the same
scheme, area group and priority class are interchangeable, and a trip has a fixed shape,
so the model decides *counts*, never individuals:

* Time is cut into **blocks**: each block is D consecutive working days inside one
  Monday–Friday week (D = days per trip; D=2 gives two blocks a week, D=3..5 one).
  Every assessor's trips use the same blocks, so trips that overlap cover the very same
  days and the TUK constraint is exact per block.
* ``y[a,b]`` — assessor a travels in block b (only where a's availability windows cover
  all D days and no kept batch occupies a).
* ``days[a,b,k]`` — of that trip's D days, how many hold a batch of batching class
  k = (scheme, area group). One day = one batch of one scheme and one area group (the
  neighbouring desa of one kecamatan); Σ_k days ≤ D·y.
* ``n[a,b,k,p]`` — candidates of class k and priority p assessed there;
  Σ_p n ≤ per_day(a)·days[a,b,k].
* Readiness: the candidates of (k, p) assessed up to block b never exceed those ready by b
  (prefix sums), so the individual assignment afterwards always finds ready people.
* TUK: an assessor-day reserves per_day(a) seats; Σ_a per_day(a)·y[a,b,t] ≤ seats(t).

Objectives, solved lexicographically (phase 0 only when not everyone fits):
 0. schedule as many candidates as possible (windows / a target date may not allow all);
 1. minimise trip cost (= trips when every trip costs the same);
 2. with that cost fixed, minimise the last block used (the finish date), then the
    priority candidates' block indices (a chosen kecamatan or subsector first).

Bounds: the solver's own bound, and a combinatorial one — every batch-day holds at most
max(per_day) candidates of one class, so trips ≥ ⌈Σ_k ⌈N_k / max per_day⌉ / D⌉.

Individuals are assigned afterwards, deterministically: per class, batches in date order
take the ready candidates in desa-code order (Kemendagri codes are hierarchical, so
neighbouring codes are neighbouring desa of the same kecamatan).

The package: `types` (input and Plan), `instance` (blocks, classes, bounds), `greedy`
(the baseline and warm start), `model` (CP-SAT), `assign` (counts to named candidates);
`solve` here runs them. Callers import the names below from
`sentra.certification.planner`.
"""

from __future__ import annotations

import math
import time
from typing import Any

from sentra.certification.planner.assign import _assign
from sentra.certification.planner.greedy import greedy_counts, greedy_plan
from sentra.certification.planner.instance import (
    _bound_for,
    _instance,
    _prune_empty,
    _totals,
    blocks_between,
    group_of,
    trips_lower_bound,
)
from sentra.certification.planner.types import (
    MAX_DAYS_PER_TRIP,
    AssessorSpec,
    Busy,
    CandidateSpec,
    Plan,
    PlanInput,
    PlannedBatch,
    PlannedTrip,
    Progress,
    TukSpec,
    with_changes,
)

__all__ = [
    "MAX_DAYS_PER_TRIP",
    "AssessorSpec",
    "Busy",
    "CandidateSpec",
    "Plan",
    "PlanInput",
    "PlannedBatch",
    "PlannedTrip",
    "Progress",
    "TukSpec",
    "blocks_between",
    "greedy_plan",
    "group_of",
    "solve",
    "trips_lower_bound",
    "with_changes",
]


def solve(inp: PlanInput, *, warm_start: bool = True, progress: Progress | None = None) -> Plan:
    """Plan trips and batches for `inp`; see the module docstring for the model.

    `warm_start=False` (tests) solves the bare model: no heuristic hint, no shortcut.
    `progress` hears of every better plan the solver finds and of each phase.
    """
    # OR-Tools (and the pandas and pyarrow it loads) only when a plan is solved: at
    # module import it cost every process that loads certification about 100 MB.
    from ortools.sat.python import cp_model

    from sentra.certification.planner.model import _Model

    started = time.monotonic()
    total = len(inp.candidates)
    lb_trips = trips_lower_bound(inp)

    def report(phase: str, **figures: Any) -> None:
        if progress is not None:
            elapsed = time.monotonic() - started
            progress(
                {"phase": phase, "total": total, "elapsed": elapsed, "limit": inp.time_limit}
                | figures
            )

    if total == 0:
        return Plan(
            "empty",
            [],
            0,
            0,
            0,
            0,
            0,
            None,
            0.0,
            inp.time_limit,
            ["Tidak ada asesi yang siap dijadwalkan."],
        )
    inst = _instance(inp)
    greedy = _prune_empty(greedy_counts(inp, inst))
    waiting = _prune_empty(greedy_counts(inp, inst, wait_for_full=True))
    if warm_start and _totals(inp, waiting)[0] == total:
        greedy = waiting  # the better warm start when it schedules everyone
    g_sched = _totals(inp, greedy)[0]
    report("greedy", trips=len(greedy), bound=lb_trips, scheduled=g_sched)
    model = _Model(inp, inst)
    deadline = started + inp.time_limit
    messages: list[str] = []

    # Phase 0: how many can be scheduled at all (only when the greedy leaves some out).
    target = g_sched
    if g_sched < total:
        model.hint_from_counts(greedy)
        model.m.maximize(model.scheduled)
        solver, status = model.solve(
            (deadline - time.monotonic()) * 0.3,
            lambda obj, _bound: report("scheduled", scheduled=int(obj), bound=lb_trips),
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            target = int(solver.objective_value)
            model.hint_from_solver(solver)
        else:
            model.hint_from_counts(greedy)
    else:
        model.hint_from_counts(greedy)
    if not warm_start:
        model.m.clear_hints()  # type: ignore[no-untyped-call]  # ortools leaves it unannotated
    if target == 0:
        return Plan(
            "infeasible",
            [],
            total,
            0,
            0,
            0,
            lb_trips,
            None,
            time.monotonic() - started,
            inp.time_limit,
            [
                "Tidak ada blok perjalanan yang bisa dipakai: periksa jendela ketersediaan asesor, "
                "kapasitas TUK dan tanggal siap asesi."
            ],
        )
    model.m.add(model.scheduled == target)

    # Phase 1: minimise trips. The combinatorial bound is a valid cut: with it the
    # solver proves optimality the moment it reaches the bound — and when the warm start
    # already sits on the bound there is nothing left to prove, so phase 1 is skipped.
    trips_lb = _bound_for(inp, target, lb_trips)
    counts, bound, best = greedy, trips_lb, len(greedy)
    improve_finish = True
    if not (warm_start and g_sched == target and len(greedy) <= trips_lb):
        model.m.add(model.trips >= trips_lb)
        model.m.minimize(model.trips)
        solver, status = model.solve(
            (deadline - time.monotonic()) * 0.6,
            lambda obj, bnd: report(
                "trips",
                trips=int(round(obj)),
                bound=max(int(math.ceil(bnd - 1e-6)), trips_lb),
                scheduled=target,
            ),
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = int(round(solver.objective_value))
            bound = max(int(math.ceil(solver.best_objective_bound - 1e-6)), trips_lb)
            counts = model.counts(solver)
            model.hint_from_solver(solver)
        else:
            improve_finish = False
            messages.append(
                "Batas waktu habis sebelum solver menemukan solusi; dipakai rencana awal "
                "(heuristik) dengan batas bawah yang dihitung."
            )
    phase1_done = time.monotonic() - started
    report("finish", trips=best, bound=bound, scheduled=target)
    # Phase 2: as few trips, earliest finish, then priority candidates earliest.
    # Keep a tenth of the limit for the solver's wind-down and the assignment below;
    # building the phase-2 objective costs time too, so only when it can run at all.
    if improve_finish and deadline - time.monotonic() - 0.1 * inp.time_limit > 0.3:
        model.m.add(model.trips <= best)
        nb = len(inst.blocks)
        last_block = model.m.new_int_var(0, nb, "finish")
        for (_a, b), ys in model.y.items():
            for yv in ys.values():
                model.m.add(last_block >= b * yv)
        prio = sum(b * nv for (a, b, k, p), nv in model.n.items() if p == 1)
        weight = sum(inst.demand.get((k, 1), 0) for k in range(len(inst.classes))) * nb + 1
        model.m.minimize(last_block * weight + prio)
        remaining = deadline - time.monotonic() - 0.1 * inp.time_limit
        solver2, status2 = model.solve(remaining)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            counts = model.counts(solver2)
    counts = _prune_empty(counts)
    scheduled, cost, _ = _totals(inp, counts)
    bound = min(bound, len(counts))
    plan_status = "optimal" if len(counts) == bound else "feasible"
    trips = _assign(inp, inst, counts)
    finish = max((b.end for t in trips for b in t.batches), default=None)
    report("done", trips=len(trips), bound=bound, scheduled=scheduled)
    if scheduled < total:
        plan_status = "infeasible"
        messages.append(
            f"{total - scheduled} dari {total} asesi tidak bisa dijadwalkan "
            + (
                f"sebelum {inp.deadline:%d-%m-%Y}"
                if inp.deadline
                else "dalam jendela ketersediaan asesor"
            )
            + "."
        )
    return Plan(
        status=plan_status,
        trips=trips,
        total_candidates=total,
        scheduled=scheduled,
        cost=cost,
        trips_bound=bound,
        trips_lower_bound=lb_trips,
        finish=finish,
        seconds=time.monotonic() - started,
        time_limit=inp.time_limit,
        messages=messages,
        seconds_to_trips=phase1_done,
    )
