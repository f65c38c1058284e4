"""The engine's output on fixed synthetic sets equals a stored reference: the pairs, their
weights and probabilities (to 1e-9) and the estimated model. Speed work must not change
what the engine decides; a deliberate change of the model regenerates the reference
(`python -m sentra.linkage.tests.test_engine_reference --write`) and says so in its
commit, so the diff of the fixture shows what changed.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

import pytest

from sentra.linkage import engine, synthetic

FIXTURE = Path(__file__).parent / "fixtures" / "engine_reference.json.gz"
# Every candidate pair is kept: the comparison levels of pairs far below
# the bands change their weights too.
THRESHOLD = 0.0


def _runs() -> dict[str, dict]:
    data = synthetic.dataset(rng=random.Random(3), originals=1500, duplicates=300)
    records = data.records
    out: dict[str, dict] = {}
    matches, params = engine.link(records, threshold=THRESHOLD)
    out["dedupe"] = _dump(matches, params)
    # Linking two files (across groups only), with the priors (too few pairs to fit).
    groups = [r["id"] % 2 for r in records]
    matches, p2 = engine.link(records[:900], groups=groups[:900], threshold=THRESHOLD)
    out["groups"] = _dump(matches, p2)
    # New records against a registry with the model estimated above.
    incoming = engine.match_incoming(
        incoming=records[1500:], registry=records[:1500], params=params, threshold=THRESHOLD
    )
    out["incoming"] = _dump(incoming, params)
    return out


def _dump(matches, params) -> dict:
    return {
        "params": params.to_json(),
        "matches": [
            [str(m.left), str(m.right), m.probability, m.weight, m.evidence] for m in matches
        ],
    }


@pytest.fixture(scope="module", params=["default", "always", "never"])
def runs(request):
    """The runs with the comparisons' distinct-value lookup as the engine chooses it,
    for every field, and for none: the three must give the same output."""
    from sentra.linkage.engine import comparisons

    keep = comparisons.DEDUPE_FROM
    comparisons.DEDUPE_FROM = {"default": keep, "always": 0, "never": 10**12}[request.param]
    try:
        return _runs()
    finally:
        comparisons.DEDUPE_FROM = keep


@pytest.fixture(scope="module")
def reference():
    with gzip.open(FIXTURE, "rt") as fh:
        return json.load(fh)


@pytest.mark.parametrize("case", ["dedupe", "groups", "incoming"])
def test_the_engine_reproduces_the_reference(runs, reference, case):
    got, want = runs[case], reference[case]
    assert len(want["matches"]) > 100  # the reference is not empty
    assert got["params"]["prior"] == pytest.approx(want["params"]["prior"], abs=1e-9)
    for kind in ("m", "u"):
        for field, values in want["params"][kind].items():
            assert got["params"][kind][field] == pytest.approx(values, abs=1e-9), (kind, field)
    got_pairs = {(a, b): (p, w, e) for a, b, p, w, e in got["matches"]}
    want_pairs = {(a, b): (p, w, e) for a, b, p, w, e in want["matches"]}
    assert set(got_pairs) == set(want_pairs)
    for pair, (p, w, e) in want_pairs.items():
        gp, gw, ge = got_pairs[pair]
        assert gp == pytest.approx(p, abs=1e-9), pair
        assert gw == pytest.approx(w, abs=1e-9), pair
        assert ge == e, pair
    # The order (best first) is part of the output.
    assert [m[:2] for m in got["matches"]] == [m[:2] for m in want["matches"]]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    FIXTURE.parent.mkdir(exist_ok=True)
    with gzip.open(FIXTURE, "wt") as fh:
        json.dump(_runs(), fh)
    print(FIXTURE, FIXTURE.stat().st_size)
