"""Counts to named candidates: per class, batches in date order take the ready candidates
in desa-code order; the result is the trips and batches of a Plan.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

from sentra.certification.planner.instance import _Instance, group_of
from sentra.certification.planner.types import (
    CandidateSpec,
    PlanInput,
    PlannedBatch,
    PlannedTrip,
    TripCounts,
)


def _assign(inp: PlanInput, inst: _Instance, counts: TripCounts) -> list[PlannedTrip]:
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
