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
"""

from __future__ import annotations

import bisect
import heapq
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ortools.sat.python import cp_model

MAX_DAYS_PER_TRIP = 5


@dataclass(frozen=True)
class AssessorSpec:
    id: int
    name: str
    schemes: frozenset[int]
    per_day: int
    windows: tuple[tuple[date, date], ...]
    trip_cost: int
    local: bool = False


@dataclass(frozen=True)
class TukSpec:
    id: int
    name: str
    capacity: int


@dataclass(frozen=True)
class CandidateSpec:
    id: int
    scheme_id: int
    area: str  # desa code, e.g. 51.71.03.1005
    ready_on: date
    priority: bool = False


@dataclass(frozen=True)
class Busy:
    """A kept (planned/confirmed) batch: its assessors and seats are taken on these days."""

    assessor_ids: tuple[int, ...]
    tuk_id: int
    start: date
    end: date
    seats_per_day: int


@dataclass(frozen=True)
class PlanInput:
    candidates: tuple[CandidateSpec, ...]
    assessors: tuple[AssessorSpec, ...]
    tuks: tuple[TukSpec, ...]
    days_per_trip: int
    start: date
    horizon_end: date
    deadline: date | None = None
    group_level: str = "kecamatan"  # kecamatan | desa | kota
    busy: tuple[Busy, ...] = ()
    time_limit: float = 10.0
    workers: int = 4
    holidays: frozenset[date] = frozenset()  # public holidays, cuti bersama, office days


@dataclass
class PlannedBatch:
    scheme_id: int
    group: str
    start: date
    end: date
    capacity: int
    candidate_ids: list[int]


@dataclass
class PlannedTrip:
    assessor_id: int
    tuk_id: int
    start: date
    end: date
    cost: int
    batches: list[PlannedBatch] = field(default_factory=list)


@dataclass
class Plan:
    status: str  # optimal | feasible | infeasible | empty
    trips: list[PlannedTrip]
    total_candidates: int
    scheduled: int
    cost: int
    trips_bound: int  # proven lower bound on the number of trips
    trips_lower_bound: int
    finish: date | None
    seconds: float
    time_limit: float
    messages: list[str] = field(default_factory=list)
    seconds_to_trips: float = 0.0  # until the trip count was final (phase 0 + 1)

    @property
    def n_trips(self) -> int:
        return len(self.trips)

    @property
    def gap(self) -> float:
        """Proven relative optimality gap of the number of trips (0 = proven optimal)."""
        if self.n_trips <= 0:
            return 0.0
        return max(0.0, (self.n_trips - self.trips_bound) / self.n_trips)

    @property
    def unscheduled(self) -> int:
        return self.total_candidates - self.scheduled

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "total_candidates": self.total_candidates,
            "scheduled": self.scheduled,
            "cost": self.cost,
            "trips_bound": self.trips_bound,
            "trips_lower_bound": self.trips_lower_bound,
            "finish": self.finish.isoformat() if self.finish else None,
            "seconds": round(self.seconds, 2),
            "time_limit": self.time_limit,
            "messages": self.messages,
            "trips": [
                {
                    "assessor_id": t.assessor_id,
                    "tuk_id": t.tuk_id,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat(),
                    "cost": t.cost,
                    "batches": [
                        {
                            "scheme_id": b.scheme_id,
                            "group": b.group,
                            "start": b.start.isoformat(),
                            "end": b.end.isoformat(),
                            "capacity": b.capacity,
                            "candidate_ids": b.candidate_ids,
                        }
                        for b in t.batches
                    ],
                }
                for t in self.trips
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        d = date.fromisoformat
        trips = [
            PlannedTrip(
                assessor_id=t["assessor_id"],
                tuk_id=t["tuk_id"],
                start=d(t["start"]),
                end=d(t["end"]),
                cost=t["cost"],
                batches=[
                    PlannedBatch(
                        scheme_id=b["scheme_id"],
                        group=b["group"],
                        start=d(b["start"]),
                        end=d(b["end"]),
                        capacity=b["capacity"],
                        candidate_ids=list(b["candidate_ids"]),
                    )
                    for b in t["batches"]
                ],
            )
            for t in data["trips"]
        ]
        return cls(
            status=data["status"],
            trips=trips,
            total_candidates=data["total_candidates"],
            scheduled=data["scheduled"],
            cost=data["cost"],
            trips_bound=data["trips_bound"],
            trips_lower_bound=data["trips_lower_bound"],
            finish=d(data["finish"]) if data["finish"] else None,
            seconds=data["seconds"],
            time_limit=data["time_limit"],
            messages=list(data["messages"]),
        )


# --- time blocks ----------------------------------------------------------------------


def blocks_between(
    start: date, end: date, days_per_trip: int, holidays: frozenset[date] = frozenset()
) -> list[tuple[date, ...]]:
    """The D-working-day blocks (inside Mon–Fri weeks) lying wholly in [start, end];
    a block that touches a holiday is left out (assessors do not work on it)."""
    if not 1 <= days_per_trip <= MAX_DAYS_PER_TRIP:
        raise ValueError("Hari per perjalanan harus 1–5 (satu minggu kerja).")
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= end:
        for pos in range(5 // days_per_trip):
            days = tuple(
                monday + timedelta(days=pos * days_per_trip + i) for i in range(days_per_trip)
            )
            if days[0] >= start and days[-1] <= end and not holidays.intersection(days):
                out.append(days)
        monday += timedelta(days=7)
    return out


def group_of(area: str, level: str) -> str:
    if level == "desa":
        return area
    if level == "kota":
        return area.rsplit(".", 2)[0] if area.count(".") >= 2 else area
    return area.rsplit(".", 1)[0] if area.count(".") >= 3 else area


@dataclass
class _Instance:
    blocks: list[tuple[date, ...]]
    classes: list[tuple[int, str]]  # batching classes (scheme, group)
    types: list[tuple[int, int]]  # (class index, priority 0/1)
    demand: dict[tuple[int, int], int]
    ready_cum: dict[tuple[int, int], list[int]]  # per type: ready count by block index
    slots: dict[tuple[int, int], list[int]]  # (assessor idx, block) -> allowed tuk indices
    tuk_free: dict[tuple[int, int], int]  # (tuk idx, block) -> free seats


def _instance(inp: PlanInput) -> _Instance:
    end = min(inp.horizon_end, inp.deadline) if inp.deadline else inp.horizon_end
    blocks = blocks_between(inp.start, end, inp.days_per_trip, inp.holidays)
    classes = sorted({(c.scheme_id, group_of(c.area, inp.group_level)) for c in inp.candidates})
    class_index = {k: i for i, k in enumerate(classes)}
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * (len(blocks) + 1))
    demand: dict[tuple[int, int], int] = defaultdict(int)
    firsts = [b[0] for b in blocks]
    for c in inp.candidates:
        ty = (class_index[(c.scheme_id, group_of(c.area, inp.group_level))], int(c.priority))
        demand[ty] += 1
        counts[ty][bisect.bisect_left(firsts, c.ready_on)] += 1
    ready_cum = {}
    for ty, per_block in counts.items():
        acc, cum = 0, []
        for b in range(len(blocks)):
            acc += per_block[b]
            cum.append(acc)
        ready_cum[ty] = cum
    types = sorted(demand)
    slots: dict[tuple[int, int], list[int]] = {}
    tuk_free: dict[tuple[int, int], int] = {}
    for t, tuk in enumerate(inp.tuks):
        for b, days in enumerate(blocks):
            used = max(
                sum(
                    x.seats_per_day
                    for x in inp.busy
                    if x.tuk_id == tuk.id and x.start <= d <= x.end
                )
                for d in days
            )
            tuk_free[(t, b)] = tuk.capacity - used
    for a, spec in enumerate(inp.assessors):
        busy_days = {
            x.start + timedelta(days=i)
            for x in inp.busy
            if spec.id in x.assessor_ids
            for i in range((x.end - x.start).days + 1)
        }
        for b, days in enumerate(blocks):
            if any(d in busy_days for d in days):
                continue
            if not all(any(s <= d <= e for s, e in spec.windows) for d in days):
                continue
            tuks = [t for t in range(len(inp.tuks)) if tuk_free[(t, b)] >= spec.per_day]
            if tuks:
                slots[(a, b)] = tuks
    return _Instance(blocks, classes, types, dict(demand), ready_cum, slots, tuk_free)


def trips_lower_bound(inp: PlanInput) -> int:
    if not inp.candidates or not inp.assessors:
        return 0
    per_day = max(a.per_day for a in inp.assessors)
    per_class: dict[tuple[int, str], int] = defaultdict(int)
    for c in inp.candidates:
        per_class[(c.scheme_id, group_of(c.area, inp.group_level))] += 1
    batch_days = sum(math.ceil(n / per_day) for n in per_class.values())
    return math.ceil(batch_days / inp.days_per_trip)


def _bound_for(inp: PlanInput, scheduled: int, trips_lb: int) -> int:
    """Lower bound on trips for `scheduled` candidates (all of them: the per-class bound)."""
    if scheduled == 0:
        return 0
    if scheduled == len(inp.candidates):
        return trips_lb
    return math.ceil(scheduled / (max(a.per_day for a in inp.assessors) * inp.days_per_trip))


# --- greedy baseline -------------------------------------------------------------------


def greedy_counts(
    inp: PlanInput, inst: _Instance | None = None, *, wait_for_full: bool = False
) -> dict:
    """The baseline: fill each trip in date order. In every block each free assessor travels
    if anyone is ready; each day takes the next ready candidates of one class (priority
    first) — so trips leave with whoever happens to be ready.

    With `wait_for_full` (the warm start for CP-SAT, not the baseline) an assessor travels
    only when D full batches are ready, until everyone is ready; then it fills greedily.

    Returns {(a, b): (tuk, {(class, prio): n}, {class: days})}.
    """
    inst = inst or _instance(inp)
    ready = {ty: 0 for ty in inst.types}
    taken = {ty: 0 for ty in inst.types}
    free = dict(inst.tuk_free)
    result = {}
    order = sorted(inst.types, key=lambda ty: (-ty[1], ty[0]))
    # Cheapest seat first (a local assessor before one who flies in).
    by_value = sorted(
        range(len(inp.assessors)),
        key=lambda a: (inp.assessors[a].trip_cost / inp.assessors[a].per_day, a),
    )
    for b in range(len(inst.blocks)):
        for ty in inst.types:
            ready[ty] = inst.ready_cum[ty][b] - taken[ty]
        everyone_ready = all(inst.ready_cum[ty][b] == inst.demand[ty] for ty in inst.types)
        for a in by_value:
            spec = inp.assessors[a]
            tuks = [t for t in inst.slots.get((a, b), []) if free[(t, b)] >= spec.per_day]
            if not tuks:
                continue
            can = [ty for ty in order if inst.classes[ty[0]][0] in spec.schemes]
            if not any(ready[ty] > 0 for ty in can):
                continue
            by_class: dict[int, int] = defaultdict(int)
            for ty in can:
                by_class[ty[0]] += ready[ty]
            full_days = sum(v // spec.per_day for v in by_class.values())
            if wait_for_full and not everyone_ready and full_days < inp.days_per_trip:
                continue
            t = tuks[0]
            free[(t, b)] -= spec.per_day
            counts: dict = defaultdict(int)
            days: dict = defaultdict(int)
            for _day in range(inp.days_per_trip):
                if wait_for_full:
                    # The class with the most ready candidates (full days and priority first).
                    live = [k for k, v in by_class.items() if v > 0]
                    if not live:
                        break
                    k = max(
                        live,
                        key=lambda k: (
                            by_class[k] >= spec.per_day,
                            ready.get((k, 1), 0) > 0,
                            by_class[k],
                            -k,
                        ),
                    )
                else:
                    first = next((ty for ty in can if ready[ty] > 0), None)
                    if first is None:
                        break
                    k = first[0]
                room = spec.per_day
                days[k] += 1
                for ty in can:
                    if ty[0] != k or room == 0:
                        continue
                    take = min(room, ready[ty])
                    room -= take
                    ready[ty] -= take
                    taken[ty] += take
                    counts[ty] += take
                    by_class[k] -= take
            result[(a, b)] = (t, dict(counts), dict(days))
    return result


# --- CP-SAT model ---------------------------------------------------------------------

# Receives {"phase", "trips" (best so far), "bound" (proven), "scheduled", "total",
# "elapsed", "limit"}; may be called from the solver's threads, so it only stores.
Progress = Callable[[dict], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_solution: Callable[[float, float], None]):
        super().__init__()
        self._on_solution = on_solution

    def on_solution_callback(self) -> None:
        self._on_solution(self.objective_value, self.best_objective_bound)


class _Model:
    def __init__(self, inp: PlanInput, inst: _Instance):
        self.inp, self.inst = inp, inst
        m = self.m = cp_model.CpModel()
        D = inp.days_per_trip
        self.y = {}
        self.days = {}
        self.n = {}
        for (a, b), tuks in inst.slots.items():
            spec = inp.assessors[a]
            ys = {t: m.new_bool_var(f"y{a}_{b}_{t}") for t in tuks}
            self.y[(a, b)] = ys
            used = sum(ys.values())
            m.add(used <= 1)
            ks = [k for k, (s, _) in enumerate(inst.classes) if s in spec.schemes]
            day_vars = []
            for k in ks:
                dv = m.new_int_var(0, D, f"d{a}_{b}_{k}")
                self.days[(a, b, k)] = dv
                day_vars.append(dv)
                nk = []
                for p in (0, 1):
                    if (k, p) in inst.demand:
                        nv = m.new_int_var(
                            0, min(spec.per_day * D, inst.demand[(k, p)]), f"n{a}_{b}_{k}_{p}"
                        )
                        self.n[(a, b, k, p)] = nv
                        nk.append(nv)
                m.add(sum(nk) <= spec.per_day * dv)
            m.add(sum(day_vars) <= D * used)
        # TUK seats per block (only where the assessors who could come exceed the seats).
        by_tuk_block = defaultdict(list)
        for (a, b), ys in self.y.items():
            for t, yv in ys.items():
                by_tuk_block[(t, b)].append((inp.assessors[a].per_day, yv))
        for (t, b), terms in by_tuk_block.items():
            if sum(w for w, _ in terms) > inst.tuk_free[(t, b)]:
                m.add(sum(w * yv for w, yv in terms) <= inst.tuk_free[(t, b)])
        # Readiness: prefix sums per type never exceed those ready by that block.
        by_type_block = defaultdict(list)
        by_type = defaultdict(list)
        for (_a, b, k, p), nv in self.n.items():
            by_type_block[((k, p), b)].append(nv)
            by_type[(k, p)].append(nv)
        self.prefix: list = []  # (type, block, prefix-sum var): hinted too, a complete hint
        for ty in inst.types:
            prev = 0
            for b in range(len(inst.blocks)):
                if inst.ready_cum[ty][b] >= inst.demand[ty]:
                    break  # everyone of this type is ready from here on
                terms = by_type_block.get((ty, b), [])
                s = m.new_int_var(0, inst.ready_cum[ty][b], f"s{ty[0]}_{ty[1]}_{b}")
                m.add(s == prev + sum(terms))
                self.prefix.append((ty, b, s))
                prev = s
            m.add(sum(by_type[ty]) <= inst.demand[ty])
        self.scheduled = sum(self.n.values())
        self.trips = sum(yv for ys in self.y.values() for yv in ys.values())

    def hint_from_counts(self, counts: dict) -> None:
        self.m.clear_hints()
        for (a, b), ys in self.y.items():
            chosen = counts.get((a, b))
            for t, yv in ys.items():
                self.m.add_hint(yv, 1 if chosen and chosen[0] == t else 0)
        for (a, b, k), dv in self.days.items():
            chosen = counts.get((a, b))
            self.m.add_hint(dv, chosen[2].get(k, 0) if chosen else 0)
        per_type_block: dict = defaultdict(int)
        for (a, b, k, p), nv in self.n.items():
            chosen = counts.get((a, b))
            value = chosen[1].get((k, p), 0) if chosen else 0
            per_type_block[((k, p), b)] += value
            self.m.add_hint(nv, value)
        running: dict = defaultdict(int)
        last: dict = {}
        for ty, b, var in self.prefix:
            start = last.get(ty, -1) + 1
            running[ty] += sum(per_type_block.get((ty, bb), 0) for bb in range(start, b + 1))
            last[ty] = b
            self.m.add_hint(var, running[ty])

    def hint_from_solver(self, solver: cp_model.CpSolver) -> None:
        self.m.clear_hints()
        for ys in self.y.values():
            for yv in ys.values():
                self.m.add_hint(yv, solver.value(yv))
        for dv in self.days.values():
            self.m.add_hint(dv, solver.value(dv))
        for nv in self.n.values():
            self.m.add_hint(nv, solver.value(nv))
        for _ty, _b, var in self.prefix:
            self.m.add_hint(var, solver.value(var))

    def solve(
        self, seconds: float, on_solution: Callable[[float, float], None] | None = None
    ) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        # No floor: a floor would overrun the caller's time limit when little is left.
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = self.inp.workers
        solver.parameters.random_seed = 7
        status = solver.solve(self.m, _Reporter(on_solution) if on_solution else None)
        return solver, status

    def counts(self, solver: cp_model.CpSolver) -> dict:
        out = {}
        for (a, b), ys in self.y.items():
            for t, yv in ys.items():
                if solver.value(yv):
                    out[(a, b)] = (t, {}, {})
        for (a, b, k, p), nv in self.n.items():
            if (a, b) in out and (v := solver.value(nv)):
                out[(a, b)][1][(k, p)] = v
        for (a, b, k), dv in self.days.items():
            if (a, b) in out and (v := solver.value(dv)):
                out[(a, b)][2][k] = v
        return out


def _totals(inp: PlanInput, counts: dict) -> tuple[int, int, int]:
    scheduled = sum(sum(c.values()) for _, c, _ in counts.values())
    cost = sum(inp.assessors[a].trip_cost for (a, _b) in counts)
    last = max((b for (_a, b) in counts), default=-1)
    return scheduled, cost, last


def _prune_empty(counts: dict) -> dict:
    return {key: v for key, v in counts.items() if sum(v[1].values()) > 0}


def solve(inp: PlanInput, *, warm_start: bool = True, progress: Progress | None = None) -> Plan:
    """Plan trips and batches for `inp`; see the module docstring for the model.

    `warm_start=False` (tests) solves the bare model: no heuristic hint, no shortcut.
    `progress` hears of every better plan the solver finds and of each phase.
    """
    started = time.monotonic()
    total = len(inp.candidates)
    lb_trips = trips_lower_bound(inp)

    def report(phase: str, **figures) -> None:
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
        model.m.clear_hints()
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
        finish = model.m.new_int_var(0, nb, "finish")
        for (_a, b), ys in model.y.items():
            for yv in ys.values():
                model.m.add(finish >= b * yv)
        prio = sum(b * nv for (a, b, k, p), nv in model.n.items() if p == 1)
        weight = sum(inst.demand.get((k, 1), 0) for k in range(len(inst.classes))) * nb + 1
        model.m.minimize(finish * weight + prio)
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


def _assign(inp: PlanInput, inst: _Instance, counts: dict) -> list[PlannedTrip]:
    """Turn counts into trips/batches with named candidates, deterministically."""
    pools: dict[tuple[int, int], list[CandidateSpec]] = defaultdict(list)
    class_index = {k: i for i, k in enumerate(inst.classes)}
    for c in inp.candidates:
        ty = (class_index[(c.scheme_id, group_of(c.area, inp.group_level))], int(c.priority))
        pools[ty].append(c)
    # Trips are visited in date order, so per type the candidates become ready in
    # ready_on order: each waits in `by_ready` until its day, then in a heap keyed by desa
    # code, from which a trip takes its n first (scanning whole pools per trip took a
    # second at city scale).
    by_ready = {ty: sorted(pool, key=lambda c: c.ready_on) for ty, pool in pools.items()}
    next_ready: dict[tuple[int, int], int] = defaultdict(int)
    waiting: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    trips = []
    for a, b in sorted(counts, key=lambda key: (key[1], key[0])):
        t, cnt, _days = counts[(a, b)]
        spec = inp.assessors[a]
        days = inst.blocks[b]
        trip = PlannedTrip(spec.id, inp.tuks[t].id, days[0], days[-1], spec.trip_cost)
        day_i = 0
        per_class: dict[int, list[int]] = defaultdict(list)
        for (k, p), n in sorted(cnt.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
            ty = (k, p)
            ready, heap = by_ready[ty], waiting[ty]
            while next_ready[ty] < len(ready) and ready[next_ready[ty]].ready_on <= days[0]:
                c = ready[next_ready[ty]]
                heapq.heappush(heap, (c.area, c.id))
                next_ready[ty] += 1
            # Take the n ready candidates that come first in desa-code order.
            per_class[k].extend(heapq.heappop(heap)[1] for _ in range(min(n, len(heap))))
        for k in sorted(per_class, key=lambda k: inst.classes[k]):
            ids = per_class[k]
            ndays = math.ceil(len(ids) / spec.per_day)
            scheme_id, group = inst.classes[k]
            trip.batches.append(
                PlannedBatch(
                    scheme_id=scheme_id,
                    group=group,
                    start=days[day_i],
                    end=days[day_i + ndays - 1],
                    capacity=spec.per_day * ndays,
                    candidate_ids=ids,
                )
            )
            day_i += ndays
        trips.append(trip)
    return trips


def greedy_plan(inp: PlanInput) -> Plan:
    """The baseline as a Plan, for comparison in the bench and the what-if table."""
    started = time.monotonic()
    inst = _instance(inp)
    counts = _prune_empty(greedy_counts(inp, inst))
    scheduled, cost, _ = _totals(inp, counts)
    trips = _assign(inp, inst, counts)
    lb = trips_lower_bound(inp)
    return Plan(
        status="feasible" if scheduled == len(inp.candidates) else "infeasible",
        trips=trips,
        total_candidates=len(inp.candidates),
        scheduled=scheduled,
        cost=cost,
        trips_bound=_bound_for(inp, scheduled, lb),
        trips_lower_bound=lb,
        finish=max((b.end for t in trips for b in t.batches), default=None),
        seconds=time.monotonic() - started,
        time_limit=0,
    )


def with_changes(inp: PlanInput, **changes) -> PlanInput:
    return replace(inp, **changes)
