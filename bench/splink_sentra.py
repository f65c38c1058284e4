"""Sentra's duplicate model expressed on Splink (DuckDB): the port to run it on a
province's or the ministry's millions of records (Splink on Spark), issue #10 item 9.

    .venv/bin/python bench/dedupe.py              # the port runs as two columns there
    .venv/bin/python bench/splink_sentra.py --engine sentra --out var/port   # one run at
    .venv/bin/python bench/splink_sentra.py --engine port --out var/port     # 100,000,
                                                   # printed as JSON (peak memory, seconds)

What is translated, and how (the engine's own code stays the one definition):

- Normalisation stays Python: `sentra.linkage.engine.records.prepare_all` writes the
  columns Splink compares (business-name core and its sorted words, the owner's strong
  name parts, sex, birth order, birth date, NIK kind, street, house number, desa,
  kecamatan, …). On Spark the same function runs as a pandas UDF.
- Comparison levels: one `CustomComparison` per entry of the engine's `LEVELS`, each
  level a SQL condition in the engine's order (best first; Splink numbers them so that
  its gamma equals the engine's level index). The string similarities are rapidfuzz's
  scorers, registered as vectorised DuckDB functions (`rf_ratio`, `rf_tset`, …; on
  Spark pandas UDFs), returning float32 like the engine, so a level is the same
  decision. Evidence against (two valid NIKs, a man and a woman, two birth dates) are
  ordinary levels; the engine's "unknown" cases (a mistyped NIK, the birth date and sex
  read from a NIK that is itself one keystroke off) are the null level.
- Term frequency: Splink's adjustment on the exact levels of business and owner name,
  on the same columns. Splink adjusts by log2(u_exact / tf) with the level's own u; the
  engine by log2(Σ freq² / tf), measured on the records. With Sentra's weights the exact
  level therefore gets u = Σ freq² and m scaled so that m/u is the engine's weight.
- Blocking: the engine's keys (`blocking._block_keys`) as one array column, blocks of
  2..MAX_BLOCK records kept (counted here in Python; on Spark a groupBy over the
  exploded keys), one Splink rule with `arrays_to_explode`.
- The rules on top of the weights (equal NIB, a different NIB, a second business, "at
  most possible"): SQL over Splink's predictions (`gamma_*`, `mw_*`, `match_weight`), as
  in `engine.model._match_weight`.

Two ways (`run(params=...)`): with the m, u and prior that Sentra's EM estimated on the
same records (`engine.link`), so the likely pairs must be the engine's (the benchmark
says whether they are); with `params=None` Splink estimates u by random sampling, the
prior from deterministic rules and m by its EM (two passes on simple rules: its EM
takes no exploding rule).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from sentra.linkage.engine import blocking
from sentra.linkage.engine.comparisons import FIELDS, LEVELS
from sentra.linkage.engine.model import BELOW_LIKELY, LIKELY, VETO_WEIGHT, ModelParams
from sentra.linkage.engine.records import Prepared, prepare_all

# --- rapidfuzz as DuckDB functions ------------------------------------------------------


def _register_scorers(con) -> None:
    import duckdb
    import pyarrow as pa
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA, JaroWinkler

    scorers = {
        "rf_ratio": fuzz.ratio,
        "rf_tset": fuzz.token_set_ratio,
        "rf_tsort": fuzz.token_sort_ratio,
        "rf_ptset": fuzz.partial_token_set_ratio,  # 100 = a word in common
        "rf_jw": JaroWinkler.normalized_similarity,
        "rf_osa": OSA.distance,
    }

    def vectorised(scorer):
        def run(a, b):
            left = ["" if x is None else x for x in a.to_pylist()]
            right = ["" if x is None else x for x in b.to_pylist()]
            scores = process.cpdist(left, right, scorer=scorer, workers=-1, dtype=np.float32)
            return pa.array(scores, type=pa.float32())

        return run

    varchar = duckdb.sqltype("VARCHAR")
    for name, scorer in scorers.items():
        con.create_function(
            name, vectorised(scorer), [varchar, varchar], duckdb.sqltype("FLOAT"), type="arrow"
        )


# --- the input table --------------------------------------------------------------------

COLUMNS = ("nib", "nik", "name", "name_sorted", "owner", "phone", "sex", "birth", "order",
           "address", "street", "house", "desa", "kecamatan", "postcode", "product")  # fmt: skip


def frame(prepared: list[Prepared], ids: list[int]):
    """The prepared records as Splink's input, blank = NULL, with the block keys."""
    import pandas as pd

    keys = [[repr(k) for k in blocking._block_keys(p)] for p in prepared]
    size = Counter(k for ks in keys for k in set(ks))
    rows = []
    for p, uid, ks in zip(prepared, ids, keys, strict=True):
        row: dict[str, Any] = {"unique_id": uid}
        for col in COLUMNS:
            row[col] = getattr(p, col) or None
        row["nik_kind"] = p.nik_kind
        row["from_nik"] = p.from_nik
        row["product_len"] = len(p.product)
        row["desa_named"] = not p.desa[:1].isdigit()
        # Blocks of 2..MAX_BLOCK records, as the engine keeps them (larger ones carry no
        # information); on Spark a groupBy over the exploded keys.
        row["block_keys"] = sorted({k for k in ks if 2 <= size[k] <= blocking.MAX_BLOCK})
        rows.append(row)
    return pd.DataFrame(rows)


# --- the comparisons --------------------------------------------------------------------


def _both(col: str) -> str:
    return f'("{col}_l" IS NOT NULL AND "{col}_r" IS NOT NULL)'


def _eq(col: str) -> str:
    return f'coalesce("{col}_l" = "{col}_r", false)'


def _f(fn: str, col: str) -> str:
    return f'{fn}("{col}_l", "{col}_r")'


def _float(x: float) -> str:
    # The engine compares float32 scores with a float32 threshold (NumPy 2).
    return f"CAST({x} AS FLOAT)"


_NIK_TYPO = f"({_both('nik')} AND NOT {_eq('nik')} AND {_f('rf_osa', 'nik')} <= 1)"
_FROM_NIK_TYPO = f'({_NIK_TYPO} AND ("from_nik_l" OR "from_nik_r"))'
_STREET_CLOSE = (
    f"({_both('street')} AND ({_eq('street')} OR {_f('rf_ratio', 'street')} >= 88"
    ' OR (contains("street_l", \' \') AND starts_with("street_r", "street_l" || \' \'))'
    ' OR (contains("street_r", \' \') AND starts_with("street_l", "street_r" || \' \'))))'
)
_HOUSE_EQ = f"({_both('house')} AND {_eq('house')})"
_OTHER_HOUSE = f"({_both('house')} AND NOT {_eq('house')})"
# The engine reads "written by name" (may be mistyped) on the pair's first record.
_DESA_NAMED = 'CASE WHEN "unique_id_l" < "unique_id_r" THEN "desa_named_l" ELSE "desa_named_r" END'


def _levels(field: str) -> tuple[str, list[str]]:
    """(null condition, level conditions best first — the last is ELSE) per field."""
    null = f"NOT {_both(field)}"
    if field in ("nib", "postcode"):
        return null, [_eq(field), f"{_f('rf_osa', field)} <= 1", "ELSE"]
    if field == "nik":
        some_ids = '("nik_kind_l" > 0 AND "nik_kind_r" > 0)'
        null = f"{null} OR NOT ({_eq('nik')} OR {_NIK_TYPO} OR {some_ids})"
        two_niks = '("nik_kind_l" = 2 AND "nik_kind_r" = 2)'
        return null, [_eq("nik"), _NIK_TYPO, f"NOT {two_niks}", "ELSE"]
    if field == "name":
        return null, [
            f"{_eq('name')} OR {_eq('name_sorted')}",
            f"{_f('rf_ratio', 'name_sorted')} >= 90 OR {_f('rf_jw', 'name')} >= {_float(0.95)}",
            f"{_f('rf_ratio', 'name_sorted')} >= 80 OR {_f('rf_tset', 'name')} >= 90",
            f"{_f('rf_tset', 'name')} >= 65",
            "ELSE",
        ]
    if field == "owner":
        return null, [
            _eq("owner"),
            f"{_f('rf_ratio', 'owner')} >= 85",
            f"{_f('rf_ratio', 'owner')} >= 70 OR {_f('rf_tset', 'owner')} >= 90",
            f"{_f('rf_ptset', 'owner')} >= 100",
            "ELSE",
        ]
    if field in ("phone", "order"):
        return null, [_eq(field), "ELSE"]
    if field == "sex":
        return f"{null} OR {_FROM_NIK_TYPO}", [_eq("sex"), "ELSE"]
    if field == "birth":
        swapped = (
            'substr("birth_l", 1, 4) || substr("birth_l", 7, 2) || substr("birth_l", 5, 2)'
            ' = "birth_r"'
        )
        return f"{null} OR {_FROM_NIK_TYPO}", [
            _eq("birth"),
            f"{_f('rf_osa', 'birth')} <= 1 OR {swapped}",
            "ELSE",
        ]
    if field == "address":
        compact = """rf_ratio(replace("address_l", ' ', ''), replace("address_r", ' ', ''))"""
        return null, [
            _eq("address"),
            f"NOT {_OTHER_HOUSE} AND ({_f('rf_tsort', 'address')} >= 92 OR {compact} >= 92)",
            f"{_STREET_CLOSE} AND {_HOUSE_EQ}",
            f"{_f('rf_tsort', 'address')} >= 80 AND NOT {_OTHER_HOUSE}",
            _STREET_CLOSE,
            "ELSE",
        ]
    if field == "desa":
        equal = f"({_eq('desa')} OR (({_DESA_NAMED}) AND {_f('rf_ratio', 'desa')} >= 85))"
        return f"{null} OR NOT ({equal} OR {_both('kecamatan')})", [
            equal,
            _eq("kecamatan"),
            "ELSE",
        ]
    if field == "product":
        typo = (
            f"{_f('rf_osa', 'product')} <= 1 OR ({_f('rf_osa', 'product')} <= 2 AND "
            'least("product_len_l", "product_len_r") >= 5)'
        )
        return null, [
            _eq("product"),
            f"{_f('rf_ratio', 'product')} >= 80 OR {_f('rf_tset', 'product')} >= 90 OR {typo}",
            "ELSE",
        ]
    raise KeyError(field)


# Exact levels adjusted for the value's frequency (as the engine): column, level index.
TF = {
    f: (column, len(LEVELS[f]) - 1) for f, column in (("name", "name_sorted"), ("owner", "owner"))
}


def u_exact(prepared: list[Prepared], column: str) -> float:
    """The engine's average chance agreement on a value: Σ freq² over the records."""
    counts = Counter(getattr(p, column) for p in prepared if getattr(p, column))
    total = sum(counts.values())
    return sum(c * c for c in counts.values()) / (total * total) if total else 1.0


def comparisons(params: ModelParams | None, tf_u: dict[str, float]) -> list[dict[str, Any]]:
    out = []
    for field in FIELDS:
        null, conditions = _levels(field)
        labels = LEVELS[field]
        levels: list[dict[str, Any]] = [
            {"sql_condition": f"({null})", "label_for_charts": "null", "is_null_level": True}
        ]
        for rank, condition in enumerate(conditions):
            index = len(conditions) - 1 - rank  # the engine's level
            level: dict[str, Any] = {
                "sql_condition": condition if condition == "ELSE" else f"({condition})",
                "label_for_charts": labels[index],
            }
            if params is not None:
                m, u = params.m[field][index], params.u[field][index]
                if field in TF and index == TF[field][1]:
                    # Splink: weight log2(m/u) + log2(u/tf); the engine: log2(m/u) +
                    # log2(Σ freq²/tf). The same sum with u = Σ freq², m scaled.
                    m, u = m * tf_u[field] / u, tf_u[field]
                level["m_probability"], level["u_probability"] = m, u
            if field in TF and index == TF[field][1]:
                level["tf_adjustment_column"] = TF[field][0]
                level["tf_adjustment_weight"] = 1.0
                level["disable_tf_exact_match_detection"] = True
            levels.append(level)
        out.append({"output_column_name": field, "comparison_levels": levels})
    return out


def settings(params: ModelParams | None, tf_u: dict[str, float], *, link: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "link_type": "link_only" if link else "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(params, tf_u),
        "blocking_rules_to_generate_predictions": [
            {
                "blocking_rule": 'l."block_keys" = r."block_keys"',
                "arrays_to_explode": ["block_keys"],
            }
        ],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,  # the gamma_* columns
        "additional_columns_to_retain": [],
    }
    if params is not None:
        out["probability_two_random_records_match"] = params.prior
    return out


# The engine's rules over the weights (`engine.model._match_weight`), on the predictions.
RULES = f"""
WITH w AS (
    SELECT unique_id_l, unique_id_r, gamma_nib, gamma_name, gamma_product, gamma_nik,
        gamma_sex, gamma_phone, gamma_birth, gamma_address, gamma_postcode, gamma_desa,
        mw_name + mw_product AS business,
        CASE WHEN gamma_nib = 2 THEN greatest(match_weight, 30.0) ELSE match_weight END
            AS weight
    FROM {{predictions}}
), r AS (
    SELECT *,
        (gamma_name = 0 AND gamma_product < 2 AND gamma_nib <> 2) OR gamma_nib = 0 AS veto,
        (((gamma_name = 0 OR (gamma_name > 0 AND business < 0)) AND gamma_nib <> 2)
         OR ((gamma_nik = 0 OR gamma_sex = 0) AND gamma_nib <> 2)
         OR NOT (gamma_nib >= 1 OR gamma_nik >= 2 OR gamma_phone = 1 OR gamma_birth >= 1
                 OR gamma_address >= 2 OR (gamma_postcode = 2 AND gamma_desa = 2)))
            AS doubtful
    FROM w
), f AS (
    SELECT unique_id_l, unique_id_r,
        CASE WHEN doubtful THEN least(weight, {BELOW_LIKELY!r}) ELSE weight END AS capped, veto
    FROM r
)
SELECT unique_id_l, unique_id_r,
    CASE WHEN veto THEN least(capped, {VETO_WEIGHT!r}) ELSE capped END AS weight
FROM f
"""


MEMORY_LIMIT = os.environ.get("SPLINK_MEMORY_LIMIT", "6GB")
EM_RULES = ['l."desa" = r."desa" AND l."owner" = r."owner"', 'l."birth" = r."birth"']


def run(
    prepared: list[Prepared],
    ids: list[int],
    *,
    groups: list[int] | None = None,
    params: ModelParams | None = None,
) -> dict[str, Any]:
    """Sentra's model on Splink/DuckDB; `params` = Sentra's weights, None = Splink's EM.
    Returns the likely pairs (probability ≥ LIKELY), the compared-pair count, seconds."""
    import duckdb
    from splink import DuckDBAPI, Linker

    wall = time.perf_counter()
    con = duckdb.connect()
    # DuckDB spills to disk past this instead of taking the machine (a shared one).
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    _register_scorers(con)
    db_api = DuckDBAPI(connection=con)
    df = frame(prepared, ids)
    tf_u = {f: u_exact(prepared, column) for f, (column, _) in TF.items()}
    link = groups is not None
    if link:
        g = np.array(groups)
        tables = [db_api.register(df[g == k].reset_index(drop=True)) for k in sorted(set(groups))]
    else:
        tables = [db_api.register(df)]
    linker = Linker(
        tables if link else tables[0], settings(params, tf_u, link=link), log_level=logging.ERROR
    )
    if params is None:
        # Splink's own training sequence: λ from deterministic rules, u by random
        # sampling, m by EM in two passes (its EM takes no exploding rule; each pass
        # leaves the comparisons of its rule's columns as they are).
        linker.training.estimate_probability_two_random_records_match(
            ['l."nib" = r."nib"', 'l."nik" = r."nik"'], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
        for rule in EM_RULES:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
    predictions = linker.inference.predict()
    weights = con.sql(RULES.format(predictions=predictions.physical_name)).fetchnumpy()
    compared = len(weights["weight"])
    weight = np.asarray(weights["weight"], dtype=float)
    probability = 1 / (1 + np.exp2(-np.clip(weight, -60, 60)))
    chosen = probability >= LIKELY
    left, right = weights["unique_id_l"][chosen].tolist(), weights["unique_id_r"][chosen].tolist()
    likely = {(min(a, b), max(a, b)) for a, b in zip(left, right, strict=True)}
    con.close()
    return {"likely": likely, "compared": compared, "seconds": time.perf_counter() - wall}


def prepare(records: list[dict[str, Any]]) -> tuple[list[Prepared], list[int]]:
    ids = [int(r["id"]) for r in records]
    return prepare_all(records, list(ids)), ids


class _TreeMemory:
    """Peak resident memory of this process and all its descendants (the engine's
    normalisation workers are forkserver processes, which no rusage of ours counts),
    sampled from /proc every 0.1 s."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    @staticmethod
    def _tree_kb() -> int:
        parent: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                status = (entry / "status").read_text()
            except OSError:
                continue
            pid = int(entry.name)
            parent[pid] = int(stat.rsplit(")", 1)[1].split()[1])
            rss[pid] = next(
                (int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0
            )
        mine, total = {os.getpid()}, 0
        # Descendants: walk until no new child is found.
        grew = True
        while grew:
            grew = False
            for pid, ppid in parent.items():
                if ppid in mine and pid not in mine:
                    mine.add(pid)
                    grew = True
        for pid in mine:
            total += rss.get(pid, 0)
        return total

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self._tree_kb())

    def stop_mb(self) -> dict[str, float]:
        import resource

        self._stop.set()
        self._thread.join()
        kb = 1024
        return {
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb,
            # Sampled, so it may miss this process's own briefest peak: the larger.
            "tree_peak_mb": max(
                self.peak, self._tree_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            )
            / kb,
        }


def _scores(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    tp = len(predicted & truth)
    return {
        "precision": tp / len(predicted) if predicted else 0.0,
        "recall": tp / len(truth) if truth else 1.0,
    }


def main() -> None:
    """One run at scale in its own process, for its wall time and peak memory. `sentra`
    writes its EM-learned model and likely pairs to --out; `port` reads that model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sentra", "port", "port-em"], default="port")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    import random

    from sentra.linkage import engine, synthetic

    duplicates = args.records // 6
    data = synthetic.dataset(
        rng=random.Random(7), originals=args.records - duplicates, duplicates=duplicates
    )
    truth = {(min(a, b), max(a, b)) for a, b in data.true_pairs}
    out: dict[str, Any] = {"records": len(data.records), "engine": args.engine}
    memory = _TreeMemory()
    wall = time.perf_counter()
    if args.engine == "sentra":
        matches, params = engine.link(data.records)
        out["seconds"] = time.perf_counter() - wall
        likely = {
            (min(m.left, m.right), max(m.left, m.right)) for m in matches if m.band == "likely"
        }
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "params.json").write_text(json.dumps(params.to_json()))
        (args.out / "likely.json").write_text(json.dumps(sorted(likely)))
    else:
        # Normalisation is part of the port's time, as it is of the engine's.
        prepared, ids = prepare(data.records)
        params = None
        if args.engine == "port":
            params = ModelParams.from_json(json.loads((args.out / "params.json").read_text()))
        result = run(prepared, ids, params=params)
        out["seconds"] = time.perf_counter() - wall
        likely = result["likely"]
        if args.engine == "port":
            sentra = {tuple(pair) for pair in json.loads((args.out / "likely.json").read_text())}
            out["identical"] = likely == sentra
    out.update(likely=len(likely), **_scores(likely, truth), **memory.stop_mb())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
