"""Suppression must hold against an attacker who has every published number.

The attacker here is written apart from the engine: whole-number unknowns for every base
cell (CP-SAT), every published cell as an equality, and it asks for the smallest and
largest value of each hidden cell. A hidden cell it can pin down is a failure.
"""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from sentra.opendata.disclosure import ALL, Dimension, build_table, suppress

AREA = Dimension(
    "area",
    {"d1": "k1", "d2": "k1", "d3": "k1", "d4": "k2", "d5": "k2", "k1": ALL, "k2": ALL},
)
SECTOR = Dimension("sector", {"kuliner": ALL, "kriya": ALL, "fashion": ALL, "film": ALL})
SCALE = Dimension("scale", {"mikro": ALL, "kecil": ALL})


def attack(table, hidden):
    """(min, max) of each hidden cell over whole-number tables that match what is published."""
    base = [k for k in table.counts if table.leaves[k] == [k]]
    out = {}
    for target in hidden:
        found = []
        for sense in ("min", "max"):
            model = cp_model.CpModel()
            x = {k: model.NewIntVar(0, table.counts[(ALL,) * len(k)], str(k)) for k in base}
            for cell, value in table.counts.items():
                if cell not in hidden:
                    model.Add(sum(x[b] for b in table.leaves[cell]) == value)
            objective = sum(x[b] for b in table.leaves[target])
            model.Minimize(objective) if sense == "min" else model.Maximize(objective)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            assert solver.Solve(model) == cp_model.OPTIMAL
            found.append(int(solver.ObjectiveValue()))
        out[target] = tuple(found)
    return out


def assert_protected(table, hidden, threshold=3):
    for cell, (low, high) in attack(table, hidden).items():
        assert low < high, f"{cell} = {table.counts[cell]} recovered exactly"
        if table.counts[cell] < threshold:  # zero cells too
            assert high >= threshold, f"{cell} = {table.counts[cell]} is known to be < {threshold}"


def test_it_hides_every_small_cell_and_enough_others():
    base = {
        ("d1", "kuliner", "mikro"): 40,
        ("d1", "kriya", "mikro"): 2,  # small: hidden
        ("d1", "fashion", "mikro"): 9,
        ("d2", "kuliner", "mikro"): 30,
        ("d2", "kriya", "kecil"): 1,  # small: hidden
        ("d3", "film", "mikro"): 5,
        ("d4", "kuliner", "mikro"): 25,
        ("d4", "fashion", "kecil"): 4,
        ("d5", "kuliner", "kecil"): 7,
        ("d5", "kriya", "mikro"): 12,
    }
    table = build_table([AREA, SECTOR, SCALE], base)
    hidden = suppress(table)
    small = {c for c, n in table.counts.items() if n < 3}
    assert small <= hidden
    assert ("d1", "kriya", "mikro") in hidden and ("d2", "kriya", "kecil") in hidden
    # More than the small cells: a line with one hidden cell gives it away.
    assert len(hidden) > len(small)
    assert (ALL, ALL, ALL) not in hidden  # the city total stays published
    assert_protected(table, hidden)


def test_it_protects_a_single_small_cell_in_a_desa():
    """One desa, one small subsector: the desa total and the subsector's city total are
    published, so hiding the small cell alone is useless."""
    base = {("d1", "kuliner", "mikro"): 50, ("d1", "film", "mikro"): 1}
    base |= {(d, "kuliner", "mikro"): 20 for d in ("d2", "d3", "d4", "d5")}
    table = build_table([AREA, SECTOR, SCALE], base)
    hidden = suppress(table)
    assert ("d1", "film", "mikro") in hidden
    assert ("d1", "film", ALL) in hidden
    assert_protected(table, hidden)


def test_it_holds_on_random_tables():
    rng = random.Random(7)
    for _ in range(6):
        base = {}
        for d in ("d1", "d2", "d3", "d4", "d5"):
            for s in ("kuliner", "kriya", "fashion", "film"):
                for c in ("mikro", "kecil"):
                    base[(d, s, c)] = rng.choice([0, 0, 1, 2, 3, 5, 8, 20])
        table = build_table([AREA, SECTOR, SCALE], base)
        hidden = suppress(table)
        assert {c for c, n in table.counts.items() if n < 3} <= hidden
        assert_protected(table, hidden)


def test_a_zero_cell_is_hidden_and_cannot_be_recovered():
    """d3 has no kriya IKM at all: the zero is hidden like a 1 or 2, and the published
    desa, kecamatan and subsector totals do not give it back."""
    base = {(d, s, "mikro"): 10 for d in ("d1", "d2", "d3", "d4", "d5") for s in ("kuliner",)}
    base |= {(d, "kriya", "mikro"): 6 for d in ("d1", "d2", "d4", "d5")}
    base |= {(d, "fashion", "mikro"): 4 for d in ("d1", "d2", "d3", "d4", "d5")}
    base |= {(d, "film", "mikro"): 5 for d in ("d1", "d2", "d3", "d4", "d5")}
    base |= {(d, s, "kecil"): 3 for d in ("d1", "d2", "d3", "d4", "d5") for s in ("kuliner",)}
    table = build_table([AREA, SECTOR, SCALE], base)
    zero = ("d3", "kriya", ALL)
    assert table.counts[zero] == 0
    hidden = suppress(table)
    assert zero in hidden and ("d3", "kriya", "mikro") in hidden
    assert {c for c, n in table.counts.items() if n == 0} <= hidden
    assert_protected(table, hidden)
    low, high = attack(table, hidden)[zero]
    assert low == 0 and high >= 3


def test_the_table_holds_every_combination_so_no_row_is_missing():
    """A zero cell must be a (hidden) row, not an absent one: every combination of the
    hierarchies' nodes is a cell, whatever the base holds."""
    base = {("d1", "kuliner", "mikro"): 12}
    table = build_table([AREA, SECTOR, SCALE], base)
    areas, sectors, scales = 5 + 2 + 1, 4 + 1, 2 + 1
    assert len(table.counts) == areas * sectors * scales


def test_a_table_without_small_cells_hides_nothing():
    base = {
        (d, s, c): 10
        for d in ("d1", "d2", "d3", "d4", "d5")
        for s in ("kuliner", "kriya", "fashion", "film")
        for c in ("mikro", "kecil")
    }
    assert suppress(build_table([AREA, SECTOR, SCALE], base)) == set()
