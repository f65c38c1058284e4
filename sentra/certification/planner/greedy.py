"""The greedy baseline: its counts warm-start the CP-SAT model, and as a Plan it is the
bench's and the what-ifs' comparison.
"""

from __future__ import annotations

import time
from collections import defaultdict

from sentra.certification.planner.assign import _assign
from sentra.certification.planner.instance import (
    _bound_for,
    _Instance,
    _instance,
    _prune_empty,
    _totals,
    trips_lower_bound,
)
from sentra.certification.planner.types import Plan, PlanInput, TripCounts

# --- greedy baseline -------------------------------------------------------------------


def greedy_counts(
    inp: PlanInput, inst: _Instance | None = None, *, wait_for_full: bool = False
) -> TripCounts:
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
            counts: dict[tuple[int, int], int] = defaultdict(int)
            days: dict[int, int] = defaultdict(int)
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
