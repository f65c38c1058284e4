"""Choosing exhibition participants: a published rule solved exactly with OR-Tools CP-SAT.

Pure: takes applicants and booths as plain data, imports no models, so the same rule
runs on a page, in a test against brute force, and in the demo data.

The rule (points, published on the selection page):

- hard: each booth type holds at most its number of booths; an applicant gets only the
  booth type they applied for; at most the officer's quota of participants for a named
  kecamatan / subsector (`kecamatan_quotas`, `subsector_quotas`), and for every other
  kecamatan / subsector at most `max_per_kecamatan` / `max_per_subsector` when set; an
  officer's override (in or out) is fixed.
- objective, summed over the picked applicants:
  first-timer (never exhibited with the office) +40; otherwise +5 per year since the
  last exhibition, at most +20; the theme's subsector +20; a subsector the office
  coaches +10; product ready (food with PIRT or halal; non-food counts as ready) +15;
  a certified manager +10. Spread: +15 for each kecamatan and +10 for each subsector
  that has at least one participant.

Ties are broken by application order (an earlier application wins), so a re-run on the
same data gives the same selection.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

POINTS = {
    "first_timer": 40,
    "per_year_since": 5,
    "max_years_points": 20,
    "theme": 20,
    "coached": 10,
    "ready": 15,
    "certified_manager": 10,
    "spread_kecamatan": 15,
    "spread_subsector": 10,
}


@dataclass(frozen=True)
class Applicant:
    key: int
    booth_type: int
    kecamatan: str
    subsector: str = ""  # "" = not a creative-economy subsector
    first_timer: bool = True
    years_since_last: int | None = None  # None with first_timer
    theme: bool = False
    coached: bool = False
    food: bool = False
    food_permit: bool = False  # PIRT or halal
    certified_manager: bool = False
    forced: bool | None = None  # officer override: True in, False out, None solver decides

    @property
    def ready(self) -> bool:
        return self.food_permit or not self.food


@dataclass(frozen=True)
class Problem:
    applicants: tuple[Applicant, ...]
    booths: dict[int, int]  # booth type -> number of booths
    max_per_kecamatan: int | None = None  # the default for kecamatan without a named quota
    max_per_subsector: int | None = None  # the default for subsectors without a named quota
    kecamatan_quotas: dict[str, int] = field(default_factory=dict)  # kecamatan code -> max
    subsector_quotas: dict[str, int] = field(default_factory=dict)  # subsector code -> max
    time_limit: float = 10.0

    def limit(self, dim: str, value: str) -> int | None:
        """The most participants a kecamatan or subsector may have: its named quota, else
        the default for the rest, else None (no limit)."""
        if dim == "kecamatan":
            return self.kecamatan_quotas.get(value, self.max_per_kecamatan)
        return self.subsector_quotas.get(value, self.max_per_subsector)


@dataclass
class Decision:
    key: int
    picked: bool
    points: int
    # (code, params) pairs: the caller turns them into sentences in the user's language.
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Selection:
    decisions: dict[int, Decision]
    objective: int
    optimal: bool
    feasible: bool

    @property
    def picked(self) -> list[int]:
        return [k for k, d in self.decisions.items() if d.picked]


def score_parts(a: Applicant) -> list[tuple[str, int]]:
    """The points an applicant brings by itself, each with its reason code."""
    parts: list[tuple[str, int]] = []
    if a.first_timer:
        parts.append(("first_timer", POINTS["first_timer"]))
    elif a.years_since_last:
        parts.append(
            (
                "years_since",
                min(POINTS["per_year_since"] * a.years_since_last, POINTS["max_years_points"]),
            )
        )
    if a.theme:
        parts.append(("theme", POINTS["theme"]))
    if a.coached:
        parts.append(("coached", POINTS["coached"]))
    if a.ready:
        parts.append(("ready", POINTS["ready"]))
    if a.certified_manager:
        parts.append(("certified_manager", POINTS["certified_manager"]))
    return parts


def points(a: Applicant) -> int:
    return sum(p for _, p in score_parts(a))


def objective_of(applicants: Iterable[Applicant]) -> int:
    """The objective of a set of picks: what CP-SAT maximises and brute force recomputes."""
    chosen = list(applicants)
    return (
        sum(points(a) for a in chosen)
        + POINTS["spread_kecamatan"] * len({a.kecamatan for a in chosen})
        + POINTS["spread_subsector"] * len({a.subsector for a in chosen if a.subsector})
    )


def violations(problem: Problem, chosen: Iterable[Applicant]) -> list[str]:
    """Hard constraints a set of picks breaks (empty: feasible)."""
    chosen = list(chosen)
    out = []
    by_type: dict[int, int] = defaultdict(int)
    by_kec: dict[str, int] = defaultdict(int)
    by_sub: dict[str, int] = defaultdict(int)
    for a in chosen:
        by_type[a.booth_type] += 1
        by_kec[a.kecamatan] += 1
        if a.subsector:
            by_sub[a.subsector] += 1
    out += [f"booth:{t}" for t, n in by_type.items() if n > problem.booths.get(t, 0)]
    for dim, counts in (("kecamatan", by_kec), ("subsector", by_sub)):
        for value, n in counts.items():
            limit = problem.limit(dim, value)
            if limit is not None and n > limit:
                out.append(f"{dim}:{value}")
    keys = {a.key for a in chosen}
    out += [f"forced_in:{a.key}" for a in problem.applicants if a.forced and a.key not in keys]
    out += [f"forced_out:{a.key}" for a in chosen if a.forced is False]
    return out


# Hears of each better selection while the solver runs: (objective, proven bound,
# seconds used). Called from the solver's thread: it should only store.
Progress = Callable[[int, int, float], None]


def greedy(problem: Problem) -> set[int]:
    """A feasible selection by points alone (forced ones first): the solver's start, and
    the answer when the time limit ends before it finds one of its own (a few thousand
    applicants on a busy machine). Empty of the hard constraints' breaks whenever the
    forced picks themselves fit."""
    order = sorted(
        (a for a in problem.applicants if a.forced is not False),
        key=lambda a: (a.forced is not True, -points(a), a.key),
    )
    by_type: dict[int, int] = defaultdict(int)
    used: dict[tuple[str, str], int] = defaultdict(int)
    chosen: set[int] = set()
    for a in order:
        groups = [("kecamatan", a.kecamatan)] + (
            [("subsector", a.subsector)] if a.subsector else []
        )
        fits = by_type[a.booth_type] < problem.booths.get(a.booth_type, 0) and all(
            (limit := problem.limit(dim, value)) is None or used[dim, value] < limit
            for dim, value in groups
        )
        if fits or a.forced is True:
            chosen.add(a.key)
            by_type[a.booth_type] += 1
            for group in groups:
                used[group] += 1
    return chosen


def solve(problem: Problem, *, progress: Progress | None = None) -> Selection:
    from ortools.sat.python import cp_model

    apps = sorted(problem.applicants, key=lambda a: a.key)
    start = greedy(problem)
    model = cp_model.CpModel()
    x = {a.key: model.new_bool_var(f"x{a.key}") for a in apps}
    for t in {a.booth_type for a in apps}:
        model.add(sum(x[a.key] for a in apps if a.booth_type == t) <= problem.booths.get(t, 0))
    groups: dict[str, dict[str, list[int]]] = {"kecamatan": {}, "subsector": {}}
    for a in apps:
        groups["kecamatan"].setdefault(a.kecamatan, []).append(a.key)
        if a.subsector:
            groups["subsector"].setdefault(a.subsector, []).append(a.key)
    spread_terms = []
    for dim, members in groups.items():
        for value, keys in members.items():
            limit = problem.limit(dim, value)
            if limit is not None:
                model.add(sum(x[k] for k in keys) <= limit)
            present = model.new_bool_var(f"{dim}:{value}")
            # `present` may be 1 only when someone of the group is picked.
            model.add(present <= sum(x[k] for k in keys))
            spread_terms.append(POINTS[f"spread_{dim}"] * present)
    for a in apps:
        if a.forced is not None:
            model.add(x[a.key] == int(a.forced))
        model.add_hint(x[a.key], a.key in start)
    # Scaling the points and adding a small per-position amount breaks ties in favour of
    # earlier applications; all of them together stay below one point.
    n = len(apps)
    scale = n * (n + 1) // 2 + 1
    model.maximize(
        scale * (sum(points(a) * x[a.key] for a in apps) + sum(spread_terms))
        + sum((n - i) * x[a.key] for i, a in enumerate(apps))
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = problem.time_limit
    solver.parameters.num_workers = 1  # deterministic, and the machine is shared
    started = time.monotonic()

    class Reporter(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if progress is not None:
                # Back from the scaled objective to points (the tie-break stays below 1).
                progress(
                    int(self.objective_value // scale),
                    int(self.best_objective_bound // scale),
                    time.monotonic() - started,
                )

    status = solver.solve(model, Reporter() if progress is not None else None)
    feasible = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = {a.key for a in apps if feasible and solver.value(x[a.key])}
    if status == cp_model.UNKNOWN:
        # Time ran out before any solution: the greedy start is one when it breaks nothing.
        by_key = {a.key: a for a in apps}
        feasible = not violations(problem, [by_key[k] for k in start])
        chosen = start if feasible else set()
    return explain(
        problem,
        chosen,
        optimal=status == cp_model.OPTIMAL,
        feasible=feasible,
    )


def explain(problem: Problem, chosen: set[int], *, optimal: bool, feasible: bool) -> Selection:
    """Reasons for each pick and non-pick of a given selection."""
    apps = sorted(problem.applicants, key=lambda a: a.key)
    picked = [a for a in apps if a.key in chosen]
    by_type: dict[int, list[Applicant]] = defaultdict(list)
    by_kec: dict[str, int] = defaultdict(int)
    by_sub: dict[str, int] = defaultdict(int)
    for a in picked:
        by_type[a.booth_type].append(a)
        by_kec[a.kecamatan] += 1
        if a.subsector:
            by_sub[a.subsector] += 1
    decisions: dict[int, Decision] = {}
    for a in apps:
        d = Decision(key=a.key, picked=a.key in chosen, points=points(a))
        if a.forced is not None:
            d.reasons.append(("forced_in" if a.forced else "forced_out", {}))
        if d.picked:
            d.reasons += [(code, {"points": p}) for code, p in score_parts(a)]
            if by_kec[a.kecamatan] == 1:
                d.reasons.append(("only_kecamatan", {"points": POINTS["spread_kecamatan"]}))
            if a.subsector and by_sub[a.subsector] == 1:
                d.reasons.append(("only_subsector", {"points": POINTS["spread_subsector"]}))
        elif a.forced is None:
            holders = by_type[a.booth_type]
            if problem.booths.get(a.booth_type, 0) == 0:
                d.reasons.append(("no_booths", {}))
            elif len(holders) >= problem.booths[a.booth_type]:
                lowest = min(points(h) for h in holders)
                d.reasons.append(
                    ("booths_full", {"count": problem.booths[a.booth_type], "lowest": lowest})
                )
            kec_limit = problem.limit("kecamatan", a.kecamatan)
            if kec_limit is not None and by_kec[a.kecamatan] >= kec_limit:
                d.reasons.append(("kecamatan_quota", {"limit": kec_limit}))
            sub_limit = problem.limit("subsector", a.subsector) if a.subsector else None
            if sub_limit is not None and by_sub[a.subsector] >= sub_limit:
                d.reasons.append(("subsector_quota", {"limit": sub_limit}))
            if not d.reasons:
                # Only possible when the solver stopped at its time limit.
                d.reasons.append(("not_reached", {}))
            if not a.ready:
                d.reasons.append(("not_ready", {}))
        decisions[a.key] = d
    return Selection(
        decisions=decisions,
        objective=objective_of(picked),
        optimal=optimal,
        feasible=feasible,
    )
