"""The CP-SAT model over counts (see the package docstring) and the callback that reports
the solver's progress.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from sentra.certification.planner.instance import _Instance
from sentra.certification.planner.types import PlanInput, TripCounts

# --- CP-SAT model ---------------------------------------------------------------------


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
        self.prefix: list[
            tuple[tuple[int, int], int, cp_model.IntVar]
        ] = []  # (type, block, prefix-sum var): hinted too, a complete hint
        for ty in inst.types:
            prev: int | cp_model.IntVar = 0
            for b in range(len(inst.blocks)):
                if inst.ready_cum[ty][b] >= inst.demand[ty]:
                    break  # everyone of this type is ready from here on
                assessed = by_type_block.get((ty, b), [])
                s = m.new_int_var(0, inst.ready_cum[ty][b], f"s{ty[0]}_{ty[1]}_{b}")
                m.add(s == prev + sum(assessed))
                self.prefix.append((ty, b, s))
                prev = s
            m.add(sum(by_type[ty]) <= inst.demand[ty])
        self.scheduled = sum(self.n.values())
        self.trips = sum(yv for ys in self.y.values() for yv in ys.values())

    def hint_from_counts(self, counts: TripCounts) -> None:
        self.m.clear_hints()  # type: ignore[no-untyped-call]  # ortools leaves it unannotated
        for (a, b), ys in self.y.items():
            chosen = counts.get((a, b))
            for t, yv in ys.items():
                self.m.add_hint(yv, 1 if chosen and chosen[0] == t else 0)
        for (a, b, k), dv in self.days.items():
            chosen = counts.get((a, b))
            self.m.add_hint(dv, chosen[2].get(k, 0) if chosen else 0)
        per_type_block: dict[tuple[tuple[int, int], int], int] = defaultdict(int)
        for (a, b, k, p), nv in self.n.items():
            chosen = counts.get((a, b))
            value = chosen[1].get((k, p), 0) if chosen else 0
            per_type_block[((k, p), b)] += value
            self.m.add_hint(nv, value)
        running: dict[tuple[int, int], int] = defaultdict(int)
        last: dict[tuple[int, int], int] = {}
        for ty, b, var in self.prefix:
            start = last.get(ty, -1) + 1
            running[ty] += sum(per_type_block.get((ty, bb), 0) for bb in range(start, b + 1))
            last[ty] = b
            self.m.add_hint(var, running[ty])

    def hint_from_solver(self, solver: cp_model.CpSolver) -> None:
        self.m.clear_hints()  # type: ignore[no-untyped-call]  # ortools leaves it unannotated
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
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        solver = cp_model.CpSolver()
        # No floor: a floor would overrun the caller's time limit when little is left.
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = self.inp.workers
        solver.parameters.random_seed = 7
        status = solver.solve(self.m, _Reporter(on_solution) if on_solution else None)
        return solver, status

    def counts(self, solver: cp_model.CpSolver) -> TripCounts:
        # {(assessor, block): (TUK, {(class, priority): candidates}, {class: days})}
        out: TripCounts = {}
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
