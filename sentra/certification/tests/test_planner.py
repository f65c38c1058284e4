"""The planner against an exhaustive search on instances small enough to enumerate."""

import itertools
from datetime import date, timedelta

import pytest

from sentra.certification import planner as P
from sentra.certification.planner.instance import _instance as planner_instance

MON = date(2027, 1, 4)  # a Monday
S1, S2 = 1, 2


def _instance(*, tuk_capacity: int, ready_late: int) -> P.PlanInput:
    # Two kecamatan for scheme 1, one for scheme 2; some candidates ready only in week 2.
    cands = []
    specs = [(S1, "51.71.01.1001", 5), (S1, "51.71.03.1005", 2), (S2, "51.71.01.1002", 4)]
    i = 0
    for scheme, desa, n in specs:
        for j in range(n):
            late = j < ready_late and scheme == S1
            cands.append(P.CandidateSpec(i, scheme, desa, MON + timedelta(days=7 if late else 0)))
            i += 1
    window = ((MON, MON + timedelta(days=11)),)
    assessors = (
        P.AssessorSpec(10, "A", frozenset({S1, S2}), 3, window, 5),
        P.AssessorSpec(11, "B", frozenset({S1}), 3, ((MON, MON + timedelta(days=4)),), 5),
    )
    return P.PlanInput(
        candidates=tuple(cands),
        assessors=assessors,
        tuks=(P.TukSpec(1, "TUK", tuk_capacity),),
        days_per_trip=2,
        start=MON,
        horizon_end=MON + timedelta(days=8),
        time_limit=10,
        workers=2,
    )


def brute_force(inp: P.PlanInput) -> tuple[int, int]:
    """(trips, last block) minimal lexicographically, by enumerating every day plan."""
    inst = planner_instance(inp)
    classes = inst.classes
    per_class_ready = {}
    for k, (scheme, group) in enumerate(classes):
        per_class_ready[k] = sorted(
            c.ready_on
            for c in inp.candidates
            if c.scheme_id == scheme and P.group_of(c.area, inp.group_level) == group
        )
    options = {}
    for a, spec in enumerate(inp.assessors):
        ks = [k for k, (s, _) in enumerate(classes) if s in spec.schemes]
        day_plans = list(itertools.combinations_with_replacement([None, *ks], inp.days_per_trip))
        for b in range(len(inst.blocks)):
            options[(a, b)] = [None] + (day_plans if (a, b) in inst.slots else [])
    keys = sorted(options)
    best = None
    for choice in itertools.product(*(options[k] for k in keys)):
        trips = [(key, plan) for key, plan in zip(keys, choice, strict=True) if plan is not None]
        # TUK seats per block.
        seats = {}
        for (a, b), _ in trips:
            seats[b] = seats.get(b, 0) + inp.assessors[a].per_day
        if any(v > inp.tuks[0].capacity for v in seats.values()):
            continue
        # Each class: its batch-days in block order take the earliest-ready candidates.
        ok = True
        for k, ready in per_class_ready.items():
            slots = sorted(
                (b, inp.assessors[a].per_day) for (a, b), plan in trips for day in plan if day == k
            )
            left = list(ready)
            for b, cap in slots:
                first_day = inst.blocks[b][0]
                take = [r for r in left if r <= first_day][:cap]
                for r in take:
                    left.remove(r)
            if left:
                ok = False
                break
        if not ok:
            continue
        value = (len(trips), max(b for (_, b), _ in trips))
        if best is None or value < best:
            best = value
    return best


@pytest.mark.parametrize("warm_start", [True, False])
@pytest.mark.parametrize("tuk_capacity,ready_late", [(6, 0), (3, 0), (6, 3), (3, 2)])
def test_solver_matches_brute_force(tuk_capacity, ready_late, warm_start):
    inp = _instance(tuk_capacity=tuk_capacity, ready_late=ready_late)
    plan = P.solve(inp, warm_start=warm_start)
    expected_trips, expected_last = brute_force(inp)
    inst = planner_instance(inp)
    assert plan.status == "optimal"
    assert plan.scheduled == len(inp.candidates)
    assert (plan.n_trips, max(t.start for t in plan.trips)) == (
        expected_trips,
        inst.blocks[expected_last][0],
    )


def test_plan_is_consistent_with_its_inputs():
    inp = _instance(tuk_capacity=6, ready_late=3)
    plan = P.solve(inp)
    seen = set()
    by_id = {c.id: c for c in inp.candidates}
    for trip in plan.trips:
        spec = next(a for a in inp.assessors if a.id == trip.assessor_id)
        for batch in trip.batches:
            assert batch.scheme_id in spec.schemes
            assert len(batch.candidate_ids) <= batch.capacity
            for cid in batch.candidate_ids:
                cand = by_id[cid]
                assert cand.ready_on <= batch.start and cand.scheme_id == batch.scheme_id
                assert P.group_of(cand.area, "kecamatan") == batch.group
                assert cid not in seen
                seen.add(cid)
    assert len(seen) == len(inp.candidates)


def test_deadline_too_early_is_reported():
    inp = _instance(tuk_capacity=3, ready_late=0)
    inp = P.with_changes(inp, deadline=MON + timedelta(days=1))
    plan = P.solve(inp)
    assert plan.status == "infeasible"
    assert plan.unscheduled > 0
    assert "tidak bisa dijadwalkan sebelum" in plan.messages[-1]


def test_lower_bound_and_greedy_baseline():
    inp = _instance(tuk_capacity=6, ready_late=3)
    # Classes: 5 → 2 days, 2 → 1 day, 4 → 2 days (3 per day): 5 batch-days, 2 per trip.
    assert P.trips_lower_bound(inp) == 3
    greedy = P.greedy_plan(inp)
    assert greedy.n_trips >= P.solve(inp).n_trips
