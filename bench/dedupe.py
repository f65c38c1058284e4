"""Deduplication benchmark: Sentra's engine beside Splink (DuckDB) on the same data.

    .venv/bin/pip install -e '.[bench]'        # splink + duckdb, not a runtime dependency
    .venv/bin/python bench/dedupe.py            # 10,000 + 2,000 and 100,000 records
    .venv/bin/python bench/dedupe.py --quick    # 2,000 + 400 only
    .venv/bin/python bench/dedupe.py --splink-large   # Splink on the 100,000 too

Data: `sentra.linkage.synthetic` (deterministic, seed 7): distinct Denpasar IKM, 1% of
them an owner's second business (same owner, NIK, phone: a true NON-match), and noisy
copies with known truth (typos, legal forms dropped/added, Jl./Jalan, swapped words,
missing NIB/NIK/phone, changed case, phone +62/62/0, Balinese name parts dropped,
abbreviated or swapped). Pairwise precision/recall/F1 against all true pairs.

Splink "out of the box": its own comparisons (NameComparison, JaroWinklerAtThresholds,
ExactMatch) and the usual training sequence of its tutorials (deterministic-rule
prior, u by random sampling, EM on two blocking rules), threshold 0.5, on lower-cased
raw fields. A second Splink run gets the same input after Sentra's normalisation, to
show how much of the difference is the normaliser and how much the model.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sentra.linkage import engine, normalize, synthetic


def scores(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs": len(predicted)}


def run_sentra(records: list[dict]) -> tuple[set, float, float, dict]:
    stats: dict = {}
    cpu, wall = time.process_time(), time.perf_counter()
    matches, _ = engine.link(records, threshold=0.5, stats=stats)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    # Normalisation of a large set runs in worker processes: count their CPU too.
    cpu += stats.get("worker_cpu_seconds", 0.0)
    pairs = {(min(m.left, m.right), max(m.left, m.right)) for m in matches}
    return pairs, wall, cpu, stats


def _frame(records: list[dict], *, normalised: bool):
    import pandas as pd

    rows = []
    for r in records:
        if normalised:
            p = engine.prepare(r, r["id"])
            row = {
                "unique_id": r["id"], "name": p.name_sorted or None, "owner": p.owner or None,
                "address": p.address or None, "desa": p.desa or None, "phone": p.phone or None,
                "product": p.product or None, "nib": p.nib or None, "nik": p.nik or None,
            }  # fmt: skip
        else:
            row = {
                "unique_id": r["id"],
                "name": normalize.fold(r["name"]) or None,
                "owner": normalize.fold(r["owner_name"]) or None,
                "address": normalize.fold(r["address"]) or None,
                "desa": r["desa_id"] or None,
                "phone": "".join(ch for ch in r["owner_phone"] if ch.isdigit()) or None,
                "product": normalize.fold(r["main_products"]) or None,
                "nib": r["nib"] or None,
                "nik": r["owner_nik"] or None,
            }
        rows.append(row)
    return pd.DataFrame(rows)


def run_splink(records: list[dict], *, normalised: bool) -> tuple[set, float, float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = _frame(records, normalised=normalised)
    cpu, wall = time.process_time(), time.perf_counter()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("name"),
            cl.NameComparison("owner"),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.88]),
            cl.ExactMatch("desa"),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("product", [0.92]),
            cl.ExactMatch("nib"),
            cl.ExactMatch("nik"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nib"),
            block_on("nik"),
            block_on("phone"),
            block_on("name"),
            block_on("desa", "substr(name, 1, 3)"),
            block_on("desa", "substr(owner, 1, 4)"),
            block_on("desa", "substr(address, 1, 8)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(db_api.register(df), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nib"), block_on("name", "owner", "desa")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("desa", "substr(name, 1, 3)")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pairs = {
        (min(int(a), int(b)), max(int(a), int(b)))
        for a, b in zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True)
    }
    return pairs, wall, cpu


def line(label: str, result: dict, wall: float, cpu: float) -> str:
    return (
        f"  {label:<34} P {result['precision']:.4f}  R {result['recall']:.4f}  "
        f"F1 {result['f1']:.4f}  pairs {result['pairs']:>6}  {wall:6.1f} s wall  {cpu:6.1f} s CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 + 400 records only")
    parser.add_argument("--splink-large", action="store_true", help="Splink on 100,000 too")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--large-only", action="store_true", help="the 100,000 run only")
    parser.add_argument(
        "--second-businesses",
        type=float,
        default=0.01,
        help="share of distinct IKM that are an owner's second business (hard non-matches)",
    )
    args = parser.parse_args()

    sizes = [(2_000, 400)] if args.quick else [(10_000, 2_000), (83_334, 16_666)]
    if args.large_only:
        sizes = sizes[-1:]
    print(f"cores {os.cpu_count()}, load average at start {os.getloadavg()[0]:.1f}")
    for originals, duplicates in sizes:
        data = synthetic.dataset(
            rng=random.Random(7), originals=originals, duplicates=duplicates,
            second_businesses=args.second_businesses,
        )  # fmt: skip
        n = len(data.records)
        print(f"\n{n:,} records ({originals:,} distinct + {duplicates:,} noisy copies), "
              f"{len(data.true_pairs):,} true pairs")  # fmt: skip
        predicted, wall, cpu, stats = run_sentra(data.records)
        sentra = scores(predicted, data.true_pairs)
        print(line("Sentra (Fellegi–Sunter + rapidfuzz)", sentra, wall, cpu), flush=True)
        print(f"  (Sentra compared {stats['candidate_pairs']:,} candidate pairs after blocking)")
        if args.no_splink or (n > 20_000 and not args.splink_large):
            continue
        for normalised, label in (
            (False, "Splink out of the box"),
            (True, "Splink + Sentra normalisation"),
        ):
            predicted, s_wall, s_cpu = run_splink(data.records, normalised=normalised)
            result = scores(predicted, data.true_pairs)
            print(line(label, result, s_wall, s_cpu), flush=True)
            if not normalised:
                print(f"  ratio: Sentra F1 − Splink F1 = {sentra['f1'] - result['f1']:+.4f}, "
                      f"Splink time / Sentra time = {s_wall / wall:.2f}×")  # fmt: skip
    print(
        f"\nload average at end {os.getloadavg()[0]:.1f}. Other work on the machine inflates "
        "wall time; CPU time (all threads and worker processes) is what an idle machine "
        "needs at most, spread over its cores."
    )


if __name__ == "__main__":
    main()
