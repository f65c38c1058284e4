"""The instance the models share: time blocks of working days, area groups, the
interchangeable candidate classes with their readiness, and the lower bound on trips.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sentra.certification.planner.types import MAX_DAYS_PER_TRIP, PlanInput, TripCounts

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


def _totals(inp: PlanInput, counts: TripCounts) -> tuple[int, int, int]:
    scheduled = sum(sum(c.values()) for _, c, _ in counts.values())
    cost = sum(inp.assessors[a].trip_cost for (a, _b) in counts)
    last = max((b for (_a, b) in counts), default=-1)
    return scheduled, cost, last


def _prune_empty(counts: TripCounts) -> TripCounts:
    return {key: v for key, v in counts.items() if sum(v[1].values()) > 0}
