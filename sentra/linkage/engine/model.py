"""The Fellegi–Sunter model: u from random pairs, m, u and the prior by EM with Dirichlet
priors, term-frequency adjustment, scores, the evidence a reviewer reads, and the bands.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from sentra.linkage.engine import arrays
from sentra.linkage.engine.comparisons import (
    _COL,
    FIELDS,
    LEVELS,
    NIB_EQUAL,
    _,
    _Columns,
    columns,
    gammas,
)
from sentra.linkage.engine.records import Prepared

RANDOM_PAIRS = 60_000
EM_ITERATIONS = 25

# The bands, in match probability (the model's posterior that a pair is one IKM). The
# one place that sets them: pairs ≥ LIKELY are queued for review, pairs ≥ POSSIBLE are
# listed apart with their reasons, the rest are not shown.
LIKELY = 0.9
POSSIBLE = 0.3


def band(probability: float) -> str:
    return "likely" if probability >= LIKELY else "possible" if probability >= POSSIBLE else ""


@dataclass
class ModelParams:
    """m and u probability per field and level, and the prior match share λ of the
    candidate pairs. Serialises to JSON for `LinkageModel`."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    trained_on: int = 0  # records; 0 = built-in priors

    def weights(self) -> dict[str, np.ndarray]:
        return {f: np.log2(np.array(self.m[f]) / np.array(self.u[f])) for f in FIELDS}

    def to_json(self) -> dict[str, Any]:
        return {"m": self.m, "u": self.u, "prior": self.prior, "trained_on": self.trained_on}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelParams:
        m, u = dict(data["m"]), dict(data["u"])
        # A model saved before a comparison gained (or changed) its levels: that
        # comparison starts from the priors until the next estimation.
        for f in FIELDS:
            if len(m.get(f, ())) != len(LEVELS[f]) or len(u.get(f, ())) != len(LEVELS[f]):
                m[f], u[f] = DEFAULT_PARAMS.m[f], DEFAULT_PARAMS.u[f]
        m = {f: m[f] for f in FIELDS}
        u = {f: u[f] for f in FIELDS}
        return cls(m=m, u=u, prior=data["prior"], trained_on=data["trained_on"])


# Built-in priors, used until the registry is large enough to estimate its own and as
# the Dirichlet prior of every estimation: m is the share of true duplicates at each
# level (from how clerks mistype), u how often unrelated records agree by chance (one
# NIK in millions, sex one in two, one birth date in ~20,000).
DEFAULT_PARAMS = ModelParams(
    m={
        "nib": [0.01, 0.03, 0.96],
        "nik": [0.0025, 0.0025, 0.03, 0.965],
        "name": [0.01, 0.03, 0.06, 0.25, 0.65],
        "owner": [0.02, 0.01, 0.07, 0.2, 0.7],
        "phone": [0.15, 0.85],
        "sex": [0.01, 0.99],
        "birth": [0.01, 0.04, 0.95],
        "order": [0.15, 0.85],
        "address": [0.05, 0.05, 0.1, 0.15, 0.15, 0.5],
        "desa": [0.01, 0.02, 0.97],
        "postcode": [0.04, 0.04, 0.92],
        "product": [0.05, 0.15, 0.8],
    },
    u={
        "nib": [0.999998, 0.000001, 0.000001],
        "nik": [0.5, 0.499998, 0.000001, 0.000001],
        "name": [0.97, 0.02, 0.006, 0.003, 0.001],
        "owner": [0.9, 0.05, 0.03, 0.013, 0.007],
        "phone": [0.9999, 0.0001],
        "sex": [0.5, 0.5],
        "birth": [0.9995, 0.0004, 0.0001],
        "order": [0.7, 0.3],
        "address": [0.95, 0.03, 0.01, 0.0097, 0.0002, 0.0001],
        "desa": [0.7, 0.277, 0.023],
        "postcode": [0.9, 0.05, 0.05],
        "product": [0.93, 0.045, 0.025],
    },
    prior=0.01,
)

_FLOOR = 1e-6
# Pairs' worth of the built-in priors added to every EM estimate: enough to keep a
# level that the data barely show (a NIK typo among 40 duplicates) at a sane weight,
# little against the thousands of pairs of a real registry.
PRIOR_STRENGTH = 20.0


def _normalise(counts: np.ndarray) -> list[float]:
    counts = np.maximum(counts, 0) + _FLOOR
    shares: list[float] = (counts / counts.sum()).tolist()
    return shares


def estimate_u(
    prepared: list[Prepared],
    *,
    rng: random.Random,
    pairs: int = RANDOM_PAIRS,
    cols: _Columns | None = None,
) -> dict[str, list[float]]:
    """Chance agreement: level shares over random record pairs (almost all non-matches)."""
    n = len(prepared)
    draw = np.random.default_rng(rng.randrange(2**32)).integers(0, n, size=(pairs, 2))
    g = gammas(prepared, draw[draw[:, 0] != draw[:, 1]], cols=cols)
    u: dict[str, list[float]] = {}
    for col, f in enumerate(FIELDS):
        counts = np.bincount(g[:, col][g[:, col] >= 0], minlength=len(LEVELS[f])).astype(float)
        # Random pairs are a sample: the built-in u, a few hundred pairs' worth, covers
        # the levels a sample never shows (NIK agreement) without hiding what it shows.
        counts = counts + 300 * np.array(DEFAULT_PARAMS.u[f])
        u[f] = _normalise(counts)
    return u


def _log_bf(g: np.ndarray, m: dict[str, list[float]], u: dict[str, list[float]]) -> np.ndarray:
    total = np.zeros(len(g))
    for col, f in enumerate(FIELDS):
        w = np.log2(np.array(m[f]) / np.array(u[f]))
        levels = g[:, col]
        present = levels >= 0
        total[present] += w[levels[present]]
    return total


_NIB, _NAME, _PRODUCT = _COL["nib"], _COL["name"], _COL["product"]
VETO_WEIGHT = -20.0
# The largest weight of a "possible" pair: just below the likely band.
BELOW_LIKELY = math.log2(LIKELY / (1 - LIKELY)) - 0.01


def _match_weight(
    g: np.ndarray,
    m: dict[str, list[float]],
    u: dict[str, list[float]],
    prior: float,
    tf: np.ndarray | None = None,
) -> np.ndarray:
    weight = _log_bf(g, m, u) + math.log2(prior / (1 - prior))
    if tf is not None:
        weight = weight + tf
    nib_equal = g[:, _NIB] == NIB_EQUAL
    # One business, one NIB: equal NIB is a match whatever else differs.
    weight = np.where(nib_equal, np.maximum(weight, 30.0), weight)
    # Same owner is not same business. Owner, NIK, phone and address agree together for
    # an owner's second IKM or a household's two, so their weights add up to near
    # certainty: what makes two records one business is its name (and product).
    # A plainly different business name and product (and no equal NIB) is never a
    # duplicate; a plainly different name, or a name and product that together speak
    # against it, are at most a possible one.
    veto = (g[:, _NAME] == 0) & (g[:, _PRODUCT] < 2) & ~nib_equal
    # And two clearly different NIB are two businesses, however alike the rest (one
    # keystroke apart is a typo: level 1, weighed like any evidence).
    veto |= g[:, _NIB] == 0
    business = np.zeros(len(g))
    for col, f in ((_NAME, "name"), (_PRODUCT, "product")):
        w = np.log2(np.array(m[f]) / np.array(u[f]))
        levels = g[:, col]
        business[levels >= 0] += w[levels[levels >= 0]]
    doubtful = ((g[:, _NAME] == 0) | ((g[:, _NAME] > 0) & (business < 0))) & ~nib_equal
    # Two valid NIKs, or a man and a woman: two people. Their phone and address agree
    # for a household (spouses, siblings, a shop they share), so such a pair is at
    # most a possible duplicate, for a reviewer to judge, never a likely one.
    doubtful |= ((g[:, _COL["nik"]] == 0) | (g[:, _COL["sex"]] == 0)) & ~nib_equal
    # Names alone (many people in a desa share one) are not enough for "likely": it
    # needs an identifier or the premises to agree too (NIB or NIK at most a typo
    # apart, the phone, the birth date, the address but for a typo).
    corroborated = (
        (g[:, _NIB] >= 1)
        | (g[:, _COL["nik"]] >= 2)
        | (g[:, _COL["phone"]] == 1)
        | (g[:, _COL["birth"]] >= 1)
        | (g[:, _COL["address"]] >= 2)
        # Postcode and suburb both: a small area in lists that have both (FEBRL).
        | ((g[:, _COL["postcode"]] == 2) & (g[:, _COL["desa"]] == 2))
    )
    doubtful |= ~corroborated
    weight = np.where(doubtful, np.minimum(weight, BELOW_LIKELY), weight)
    return np.where(veto, np.minimum(weight, VETO_WEIGHT), weight)


def _probability(weight: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1 / (1 + np.exp2(-np.clip(weight, -60, 60)))


def patterns(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of `g` (sorted as `np.unique(g, axis=0)` sorts them) and how
    often each occurs. Each row is read as one number (levels -1, 0, … as digits, the
    first field most significant), far faster to sort than rows."""
    base = max(len(levels) for levels in LEVELS.values()) + 1
    assert base ** g.shape[1] < 2**63, "too many levels to code a row as one int64"
    digits = g.astype(np.int64) + 1
    code = np.zeros(len(g), dtype=np.int64)
    for col in range(g.shape[1]):
        code = code * base + digits[:, col]
    unique, count = arrays.unique_counts(code)
    rows = np.empty((len(unique), g.shape[1]), dtype=g.dtype)
    for col in range(g.shape[1] - 1, -1, -1):
        rows[:, col] = unique % base - 1
        unique = unique // base
    return rows, count


def estimate(
    g: np.ndarray, u_start: dict[str, list[float]], start: ModelParams
) -> tuple[dict[str, list[float]], dict[str, list[float]], float]:
    """Expectation maximisation of m, u and λ over the candidate pairs, each step with
    `PRIOR_STRENGTH` pairs' worth of `start` added (a Dirichlet prior).

    u starts from random pairs but is re-estimated: blocked pairs share a desa or a
    name token far more often than random pairs do, and a u fixed at the random value
    would make every blocked pair look like a match.
    """
    m = {f: list(start.m[f]) for f in FIELDS}
    u = {f: list(u_start[f]) for f in FIELDS}
    prior = start.prior
    # Millions of pairs fall into a few thousand distinct level patterns: iterate over
    # the patterns, each weighted by how many pairs have it (same result, far faster).
    g, count = patterns(g)
    total = count.sum()
    for _iteration in range(EM_ITERATIONS):
        p = _probability(_match_weight(g, m, u, prior))
        prior = float(np.clip((p * count).sum() / total, 1e-6, 1 - 1e-6))
        for col, f in enumerate(FIELDS):
            levels = g[:, col]
            present = levels >= 0
            size = len(LEVELS[f])
            w = count[present]
            matched = np.bincount(levels[present], weights=p[present] * w, minlength=size)
            unmatched = np.bincount(levels[present], weights=(1 - p[present]) * w, minlength=size)
            m[f] = _normalise(matched + PRIOR_STRENGTH * np.array(start.m[f]))
            u[f] = _normalise(unmatched + PRIOR_STRENGTH * np.array(u_start[f]))
    return m, u, prior


def fit(
    prepared: list[Prepared], g: np.ndarray, *, seed: int = 0, cols: _Columns | None = None
) -> ModelParams:
    u_random = estimate_u(prepared, rng=random.Random(seed), cols=cols or columns(prepared))
    m, u, prior = estimate(g, u_random, DEFAULT_PARAMS)
    return ModelParams(m=m, u=u, prior=prior, trained_on=len(prepared))


def tf_adjustment(prepared: list[Prepared], pairs: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Term-frequency adjustment (as Splink's): agreeing on a rare business or owner name
    says more than agreeing on "Sari Mekar" or "Artini". In bits, per pair:
    log2(average chance agreement / this value's frequency) for exact name agreement,
    with frequencies measured on the records themselves (the registry)."""
    adjust = np.zeros(len(pairs))
    n = len(prepared)
    if not len(pairs) or n < 2:
        return adjust
    for col, attr in ((_NAME, "name_sorted"), (_COL["owner"], "owner")):
        exact = len(LEVELS[FIELDS[col]]) - 1
        values = [getattr(p, attr) for p in prepared]
        counts: dict[str, int] = defaultdict(int)
        for v in values:
            if v:
                counts[v] += 1
        total = sum(counts.values())
        if not total:
            continue
        u_exact = sum(c * c for c in counts.values()) / (total * total)
        rows = np.flatnonzero(g[:, col] == exact)
        freq = np.array([counts[values[i]] / total for i in pairs[rows, 0].tolist()])
        adjust[rows] += np.log2(u_exact / freq)
    return adjust


def score(
    g: np.ndarray, params: ModelParams, *, tf: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(match weight in bits, match probability) per candidate pair."""
    weight = _match_weight(g, params.m, params.u, params.prior, tf)
    return weight, _probability(weight)


def evidence(row: np.ndarray, params: ModelParams, *, tf: float = 0.0) -> dict[str, dict[str, Any]]:
    """Each comparison's level and weight in bits (negative = evidence against); the
    comparisons with a value missing on either side are left out."""
    weights = params.weights()
    out = {}
    for col, f in enumerate(FIELDS):
        level = int(row[col])
        if level >= 0:
            out[f] = {"level": LEVELS[f][level], "weight": round(float(weights[f][level]), 2)}
    if tf:
        label = _("nama jarang") if tf > 0 else _("nama umum")
        out["frequency"] = {"level": label, "weight": round(tf, 2)}
    return out
