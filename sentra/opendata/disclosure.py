"""Small-cell suppression for published tables, with complementary suppression that an
attacker with the published totals cannot undo.

A published table is every combination of the nodes of its dimensions' hierarchies
(desa → kecamatan → city, subsector → all, scale → all). Each cell's count is the sum of
the finest ("base") cells below it, so every aggregate with its children in one dimension
is a *line*: parent = Σ children.

1. **Primary**: a cell with fewer than `threshold` IKM is hidden, zero included. A
   published zero says "no IKM of this kind here", and next to a published total it
   narrows the other cells of its line; a hidden zero cannot be told from a hidden 1
   or 2. Every combination of the hierarchies is a cell of the table (`build_table`),
   so a zero is never given away by a row left out either.
2. **Lines**: a line holding exactly one hidden cell gives it away by subtraction, so the
   smallest other cell of that line is hidden too, until no line has exactly one.
3. **Audit**: that is not enough in a hierarchy of several dimensions (hidden cells
   joined by a "bridge" can still be solved). So each hidden primary cell is attacked
   the way an analyst would: the largest value it can take subject to every published
   number and non-negative counts (a linear programme, OR-Tools GLOP). If that maximum
   is below `threshold` (for a zero cell: below `threshold` too), the attacker knows
   the cell is small: one more cell of one of
   its lines is hidden and the audit runs again.

The pattern found for the counts is applied to every measure of a cell (workers,
investment): a hidden count hides the cell's sums. This module is pure: it takes numbers
and returns keys, and imports no models.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

ALL = "*"

Key = tuple[str, ...]


@dataclass(frozen=True)
class Dimension:
    """A hierarchy as child → parent; the top node is `ALL`. Leaves are the base level."""

    name: str
    parent: Mapping[str, str]

    def ancestors(self, node: str) -> list[str]:
        """The node itself and every node above it, up to ALL."""
        chain = [node]
        while node != ALL:
            node = self.parent.get(node, ALL)
            chain.append(node)
        return chain

    def children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for child, parent in self.parent.items():
            out[parent].append(child)
        return {k: sorted(v) for k, v in out.items()}


@dataclass
class Table:
    """Every published cell with its count, and which base cells each one sums."""

    dimensions: Sequence[Dimension]
    counts: dict[Key, int]
    leaves: dict[Key, list[Key]]  # cell → the base cells it adds up
    lines: list[tuple[Key, list[Key]]]  # (parent, children) in one dimension


def build_table(dimensions: Sequence[Dimension], base: Mapping[Key, int]) -> Table:
    """All aggregates of `base` (keys = one leaf per dimension) over the hierarchies."""
    counts: dict[Key, int] = defaultdict(int)
    leaves: dict[Key, list[Key]] = defaultdict(list)
    leaf_nodes = [set(d.parent) - set(d.parent.values()) for d in dimensions]
    # Every base combination exists (zero or not), so the lines are complete.
    for key in product(*(sorted(nodes) for nodes in leaf_nodes)):
        value = base.get(key, 0)
        for cell in product(*(d.ancestors(n) for d, n in zip(dimensions, key, strict=True))):
            counts[cell] += value
            leaves[cell].append(key)
    lines = []
    children = [d.children() for d in dimensions]
    for cell in counts:
        for i, node in enumerate(cell):
            kids = children[i].get(node)
            if kids:
                lines.append((cell, [cell[:i] + (kid,) + cell[i + 1 :] for kid in kids]))
    return Table(dimensions, dict(counts), dict(leaves), lines)


def _line_pass(table: Table, hidden: set[Key]) -> None:
    """Hide cells until no line holds exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for parent, kids in table.lines:
            members = [parent, *kids]
            if sum(cell in hidden for cell in members) == 1:
                hidden.add(_complement(table, members, hidden))
                changed = True


def _complement(table: Table, members: Sequence[Key], hidden: set[Key]) -> Key:
    """The cheapest cell of a line to hide as well: the smallest open child, so as little
    as possible is lost (zero cells are hidden already); the parent only when no child
    is left."""
    open_ = [c for c in members[1:] if c not in hidden]
    nonzero = [c for c in open_ if table.counts[c] > 0]
    pool = nonzero or open_ or [c for c in members if c not in hidden]
    return min(pool, key=lambda c: (table.counts[c], c))


def bounds(
    table: Table, hidden: set[Key], targets: Sequence[Key]
) -> dict[Key, tuple[float, float]]:
    """How low and how high each target cell can be given every published number: what
    an analyst with the published tables can work out. The low bound is only searched
    when the high one does not already show the cell can move (then it is the value).

    Unknowns are the hidden base cells (published base cells are known); each published
    aggregate fixes the sum of its hidden base cells.
    """
    from ortools.linear_solver import pywraplp

    unknown = sorted(k for k in hidden if table.leaves[k] == [k])
    index = {k: i for i, k in enumerate(unknown)}
    solver = pywraplp.Solver.CreateSolver("GLOP")
    # No cell holds more than the whole table: the attacker is granted the city total
    # even when it is hidden (it is often said elsewhere), and the programme stays bounded.
    top = float(max(table.counts.values(), default=0))
    xs = [solver.NumVar(0, top, f"x{i}") for i in range(len(unknown))]
    for cell, value in table.counts.items():
        if cell in hidden:
            continue
        vars_ = [index[b] for b in table.leaves[cell] if b in index]
        if vars_:
            known = sum(table.counts[b] for b in table.leaves[cell] if b not in index)
            solver.Add(sum(xs[i] for i in vars_) == value - known)
    out: dict[Key, tuple[float, float]] = {}
    for target in targets:
        vars_ = [index[b] for b in table.leaves[target] if b in index]
        known = sum(table.counts[b] for b in table.leaves[target] if b not in index)
        if not vars_:
            out[target] = (float(known), float(known))
            continue
        objective = sum(xs[i] for i in vars_)

        def solve(
            maximize: bool, objective: Any = objective, known: int = known, target: Key = target
        ) -> float:
            solver.Maximize(objective) if maximize else solver.Minimize(objective)
            status = solver.Solve()
            if status == pywraplp.Solver.UNBOUNDED:
                return float("inf")
            if status != pywraplp.Solver.OPTIMAL:  # published numbers are consistent
                raise RuntimeError(f"LP status {status} for {target}")
            value: float = solver.Objective().Value()
            return value + known

        high = solve(True)
        # A cell that can rise by a whole IKM is not pinned down: its minimum is only
        # needed when it cannot (half the programmes on a real table).
        low = table.counts[target] if high >= table.counts[target] + 1 - 1e-6 else solve(False)
        out[target] = (float(low), high)
    return out


def exposed(table: Table, hidden: set[Key], *, threshold: int) -> list[Key]:
    """Hidden cells an analyst can still pin down: any hidden cell whose value is fixed
    by the published numbers, and any small cell whose largest possible value is still
    below `threshold` (so the analyst knows it is small). Counts are whole numbers, so
    the bounds are rounded inwards."""
    small = {c for c in hidden if table.counts[c] < threshold}
    out = []
    for cell, (low, high) in bounds(table, hidden, sorted(hidden)).items():
        low_i, high_i = math.ceil(low - 1e-6), math.floor(high + 1e-6)
        if high_i - low_i < 1 or (cell in small and high_i < threshold):
            out.append(cell)
    return out


def suppress(table: Table, *, threshold: int = 3, max_rounds: int = 500) -> set[Key]:
    """The cells to hide so that no cell with 0..threshold-1 IKM can be told apart."""
    hidden = {c for c, n in table.counts.items() if n < threshold}
    for _ in range(max_rounds):
        _line_pass(table, hidden)
        found = exposed(table, hidden, threshold=threshold)
        if not found or len(hidden) == len(table.counts):
            # Nothing exposed, or nothing left to publish (a table of a handful of IKM).
            return hidden
        for cell in found:
            _widen(table, hidden, cell)
    raise RuntimeError("suppression did not converge")  # pragma: no cover - safety net


def _widen(table: Table, hidden: set[Key], cell: Key) -> None:
    """Hide one more cell on a line through `cell`: the open child with the largest count
    there, so the attacker's bound on `cell` can rise by as much as possible (a line's
    total only when no child is left)."""
    kids_open: list[Key] = []
    parents_open: list[Key] = []
    for parent, kids in table.lines:
        if cell != parent and cell not in kids:
            continue
        kids_open += [k for k in kids if k not in hidden and k != cell]
        if parent not in hidden:
            parents_open.append(parent)
    # The city total stays published: it is said in every report of the office anyway,
    # and `bounds` grants it to the attacker.
    top = (ALL,) * len(cell)
    pool = kids_open or [p for p in parents_open if p != top]
    if pool:
        hidden.add(max(pool, key=lambda c: (table.counts[c], c)))
