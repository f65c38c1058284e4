"""The selection rule: hard constraints always hold, and CP-SAT finds the true optimum."""

from __future__ import annotations

import itertools
import random

import pytest

from sentra.exhibitions.selection import Applicant, Problem, objective_of, solve, violations

KEC = ["51.71.01", "51.71.02", "51.71.03", "51.71.04"]
SUB = ["", "B16-07", "B16-08", "B16-10"]


def _random_problem(rng: random.Random, n: int, *, quotas: bool) -> Problem:
    applicants = []
    for key in range(1, n + 1):
        first = rng.random() < 0.4
        subsector = rng.choice(SUB)
        applicants.append(
            Applicant(
                key=key,
                booth_type=rng.choice([1, 2]),
                kecamatan=rng.choice(KEC),
                subsector=subsector,
                first_timer=first,
                years_since_last=None if first else rng.randint(0, 6),
                theme=rng.random() < 0.3,
                coached=rng.random() < 0.3,
                food=subsector == "B16-08",
                food_permit=rng.random() < 0.5,
                certified_manager=rng.random() < 0.2,
            )
        )
    named = quotas and rng.random() < 0.7
    return Problem(
        applicants=tuple(applicants),
        booths={1: rng.randint(1, 4), 2: rng.randint(0, 3)},
        # Without named quotas the default binds every group; with them, sometimes there
        # is no default at all, so only the named groups are limited.
        max_per_kecamatan=rng.choice([1, 2, 3, None] if named else [1, 2, 3]) if quotas else None,
        max_per_subsector=rng.choice([1, 2, None] if named else [1, 2]) if quotas else None,
        kecamatan_quotas=(
            {k: rng.randint(0, 2) for k in rng.sample(KEC, rng.randint(1, 2))} if named else {}
        ),
        subsector_quotas=(
            {s: rng.randint(0, 2) for s in rng.sample(SUB[1:], rng.randint(1, 2))} if named else {}
        ),
    )


def _brute_force(problem: Problem) -> int:
    best = 0
    apps = problem.applicants
    for r in range(len(apps) + 1):
        for combo in itertools.combinations(apps, r):
            if not violations(problem, combo):
                best = max(best, objective_of(combo))
    return best


@pytest.mark.parametrize("seed", range(24))
def test_it_equals_the_brute_force_optimum_and_breaks_no_hard_constraint(seed):
    rng = random.Random(seed)
    problem = _random_problem(rng, rng.randint(5, 10), quotas=seed % 3 != 0)
    result = solve(problem)
    chosen = [a for a in problem.applicants if a.key in set(result.picked)]
    assert result.optimal and result.feasible
    assert violations(problem, chosen) == []
    assert result.objective == objective_of(chosen) == _brute_force(problem)


def test_it_explains_every_pick_and_every_non_pick():
    rng = random.Random(99)
    problem = _random_problem(rng, 10, quotas=True)
    result = solve(problem)
    assert set(result.decisions) == {a.key for a in problem.applicants}
    for decision in result.decisions.values():
        assert decision.reasons, decision
        codes = {code for code, _ in decision.reasons}
        if not decision.picked:
            assert codes & {"booths_full", "no_booths", "kecamatan_quota", "subsector_quota"}


def test_an_override_is_fixed_even_against_the_score():
    weak = Applicant(key=1, booth_type=1, kecamatan=KEC[0], first_timer=False, years_since_last=0)
    strong = Applicant(key=2, booth_type=1, kecamatan=KEC[0], theme=True)
    base = Problem(applicants=(weak, strong), booths={1: 1})
    assert solve(base).picked == [2]
    forced = Problem(
        applicants=(
            Applicant(**{**weak.__dict__, "forced": True}),
            Applicant(**{**strong.__dict__, "forced": False}),
        ),
        booths={1: 1},
    )
    result = solve(forced)
    assert result.picked == [1]
    assert ("forced_out", {}) in result.decisions[2].reasons


def test_a_first_timer_beats_a_regular_and_ties_go_to_the_earlier_application():
    regular = Applicant(
        key=1, booth_type=1, kecamatan=KEC[0], first_timer=False, years_since_last=1
    )
    newcomer = Applicant(key=2, booth_type=1, kecamatan=KEC[0])
    twin = Applicant(key=3, booth_type=1, kecamatan=KEC[0])
    result = solve(Problem(applicants=(regular, newcomer, twin), booths={1: 1}))
    assert result.picked == [2]
    assert result.decisions[3].reasons[0][0] == "booths_full"


def test_unready_food_is_not_excluded_but_scores_lower():
    unready = Applicant(key=1, booth_type=1, kecamatan=KEC[0], food=True, food_permit=False)
    ready = Applicant(key=2, booth_type=1, kecamatan=KEC[0], food=True, food_permit=True)
    result = solve(Problem(applicants=(unready, ready), booths={1: 1}))
    assert result.picked == [2]
    assert ("not_ready", {}) in result.decisions[1].reasons
    assert solve(Problem(applicants=(unready,), booths={1: 1})).picked == [1]


def test_a_named_quota_overrides_the_default_for_its_kecamatan_only():
    # Four strong applicants in one kecamatan, one weaker elsewhere; four booths.
    apps = tuple(
        Applicant(key=k, booth_type=1, kecamatan=KEC[0], theme=True) for k in range(1, 5)
    ) + (Applicant(key=5, booth_type=1, kecamatan=KEC[1], first_timer=False),)
    default_only = Problem(applicants=apps, booths={1: 4}, max_per_kecamatan=1)
    assert solve(default_only).picked == [1, 5]
    named = Problem(
        applicants=apps, booths={1: 4}, max_per_kecamatan=1, kecamatan_quotas={KEC[0]: 3}
    )
    result = solve(named)
    assert result.picked == [1, 2, 3, 5]
    assert ("kecamatan_quota", {"limit": 3}) in result.decisions[4].reasons
    # A named zero keeps a kecamatan out although booths are free.
    closed = Problem(applicants=apps, booths={1: 4}, kecamatan_quotas={KEC[1]: 0})
    assert 5 not in solve(closed).picked
    assert violations(closed, [apps[4]]) == [f"kecamatan:{KEC[1]}"]


def test_a_named_subsector_quota_binds_without_a_default():
    apps = tuple(
        Applicant(key=k, booth_type=1, kecamatan=KEC[k % 4], subsector="B16-08")
        for k in range(1, 5)
    ) + (Applicant(key=5, booth_type=1, kecamatan=KEC[0], subsector="B16-07"),)
    problem = Problem(applicants=apps, booths={1: 5}, subsector_quotas={"B16-08": 2})
    result = solve(problem)
    picked = [a for a in apps if a.key in result.picked]
    assert sum(a.subsector == "B16-08" for a in picked) == 2
    assert 5 in result.picked
    assert violations(problem, picked) == []
    assert any(code == "subsector_quota" for code, _ in result.decisions[4].reasons)


def test_progress_hears_of_better_selections_in_points():
    rng = random.Random(7)
    problem = _random_problem(rng, 10, quotas=True)
    heard: list[tuple[int, int, float]] = []
    result = solve(problem, progress=lambda obj, bound, secs: heard.append((obj, bound, secs)))
    assert heard, "the solver found at least one selection"
    assert heard[-1][0] == result.objective
    assert all(obj <= bound for obj, bound, _ in heard)


@pytest.mark.parametrize("seed", range(12))
def test_the_greedy_start_breaks_no_hard_constraint(seed):
    from sentra.exhibitions.selection import greedy

    problem = _random_problem(random.Random(seed), 30, quotas=True)
    by_key = {a.key: a for a in problem.applicants}
    assert not violations(problem, [by_key[k] for k in greedy(problem)])


def test_a_time_limit_that_ends_before_any_solution_still_gives_a_feasible_selection():
    """Thousands of applicants on a busy machine: no selection of the solver's own yet."""
    from dataclasses import replace

    from sentra.exhibitions.selection import greedy

    problem = replace(_random_problem(random.Random(7), 3000, quotas=True), time_limit=0.0)
    result = solve(problem)
    assert result.feasible and not result.optimal
    assert set(result.picked) == greedy(problem) and result.picked
    by_key = {a.key: a for a in problem.applicants}
    assert not violations(problem, [by_key[k] for k in result.picked])
