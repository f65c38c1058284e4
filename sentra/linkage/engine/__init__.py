"""Finding duplicate IKM: blocking, field comparisons and a Fellegi–Sunter model.

The engine is pure: it takes records as plain dicts and imports no models, so the
benchmark runs it on any list (FEBRL, SIDT exports). The database side — the registry
as records, the last estimated model, the review queue — is `sentra.linkage.services`
and `selectors`.

How to call it
--------------
::

    from sentra.linkage.engine import link, match_incoming
    matches, params = link(records)                       # records with each other
    matches = match_incoming(incoming=[...], registry=[...], params=params)

Records are dicts with any of these keys (every one optional, blank = unknown):
`name` (business), `owner_name`, `owner_nik` (or `nik`), `nib`, `owner_birth_date`
(date or ISO text), `owner_sex` ("L"/"P", "Laki-laki", …), `owner_phone`, `address`,
`desa_id` (or `desa`), `kecamatan` (derived from a Kemendagri desa code when absent),
`postcode`, `main_products`; `id` is the key unless `keys` are given.

`Match(left, right, probability, weight, evidence, band)`; `evidence` is
`{comparison: {"level": str, "weight": bits}}` — positive for, negative against — for
the review page. `band` is "likely" (queued) or "possible" (listed apart); pairs below
`POSSIBLE` are not returned.

The model
---------
1. Normalisation (`normalize.py`): legal forms out of business names, Balinese name
   parts and titles split off owner names (kept as weak evidence: the sex they mark and
   the birth order), addresses and phones written one way, filler identity numbers
   ("0000…", "1234…") treated as unknown. A NIK gives the birth date and sex (day + 40
   for women) when the fields are empty.
2. Blocking: records are compared only when they share a NIB, NIK, phone, birth date, a
   business-name word with an owner-name word in the desa, the sorted or phonetic owner
   name in the kecamatan, the phonetic business name in the kecamatan, street and house
   number, house number and the street's first word in the kecamatan, postcode with
   name initials, or name prefixes in the desa. Blocks larger than `MAX_BLOCK` are
   skipped (they carry no information), so the work grows roughly linearly.
3. Comparison levels per field (`LEVELS`), evidence for and against alike: two valid
   NIKs more than one keystroke apart, a sex disagreement and a different birth date are
   strong evidence of two people; one keystroke away is "almost equal".
4. Fellegi–Sunter: u-probabilities from random record pairs, m, u and the prior by
   expectation maximisation on the candidate pairs (as Splink does, without labels),
   with Dirichlet priors (`PRIOR_STRENGTH` pairs' worth of `DEFAULT_PARAMS`) that keep
   the weights sane on a small registry. Exact agreement on a business or owner name
   is adjusted for how common that name is in the data (term frequency, as Splink).
5. Two rules on top: equal NIB is one business; a clearly different NIB, or a plainly
   different business name and product (without equal NIB), is not — an owner's second
   business.

The package: `records` (normalised records), `blocking` (candidate pairs),
`comparisons` (levels per field), `model` (estimation, scores, evidence, bands),
`arrays` (a sort-based `np.unique`); this module is the entry point and the only one
callers import.

`docs/linkage.md` has the benchmark figures, why Sentra keeps this engine for the
city and how the same model runs on Splink (`bench/splink_sentra.py`) for a province.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sentra.linkage.engine.blocking import candidate_pairs
from sentra.linkage.engine.comparisons import columns, gammas
from sentra.linkage.engine.model import (
    DEFAULT_PARAMS,
    LIKELY,
    POSSIBLE,
    ModelParams,
    band,
    evidence,
    fit,
    score,
    tf_adjustment,
)
from sentra.linkage.engine.records import prepare_all

__all__ = [
    "DEFAULT_PARAMS",
    "LIKELY",
    "POSSIBLE",
    "Match",
    "ModelParams",
    "band",
    "by_incoming_row",
    "link",
    "match_incoming",
]


@dataclass(frozen=True)
class Match:
    left: int | str
    right: int | str
    probability: float
    weight: float
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    @property
    def band(self) -> str:
        return band(self.probability)


MIN_PAIRS_TO_FIT = 200


def link(
    records: list[dict[str, Any]],
    *,
    keys: list[int | str] | None = None,
    only_with: set[int] | None = None,
    groups: Sequence[Hashable] | None = None,
    threshold: float = POSSIBLE,
    params: ModelParams | None = None,
    fit_params: bool = True,
    progress: Callable[[str, int], None] | None = None,
    stats: dict[str, Any] | None = None,
) -> tuple[list[Match], ModelParams]:
    """Match records with each other (or, with `groups`, across groups only). Pure: no
    database (the benchmark calls it). `params` given = scored with them; else
    estimated on these records when there are enough, else the built-in priors.
    `stats`, if given, receives the candidate-pair count and worker CPU time."""
    say = progress or (lambda stage, pct: None)
    say("normalisasi", 5)
    keys = keys if keys is not None else [r.get("id", i) for i, r in enumerate(records)]
    stats = stats if stats is not None else {}
    prepared = prepare_all(records, keys, stats=stats)
    say("blocking", 20)
    pairs = candidate_pairs(prepared, only_with=only_with, groups=groups)
    stats["candidate_pairs"] = len(pairs)
    stats["pair_index"] = pairs
    say("perbandingan", 35)
    cols = columns(prepared)
    g = gammas(prepared, pairs, cols=cols)
    if params is None:
        if fit_params and len(pairs) >= MIN_PAIRS_TO_FIT and len(prepared) >= 1000:
            say("estimasi model", 75)
            params = fit(prepared, g, cols=cols)
        else:
            params = DEFAULT_PARAMS
    say("skor", 90)
    tf = tf_adjustment(prepared, pairs, g)
    weight, probability = score(g, params, tf=tf)
    chosen = np.flatnonzero(probability >= threshold)
    chosen = chosen[np.argsort(-weight[chosen], kind="stable")]
    matches = [
        Match(
            left=prepared[pairs[k, 0]].key,
            right=prepared[pairs[k, 1]].key,
            probability=float(probability[k]),
            weight=float(weight[k]),
            evidence=evidence(g[k], params, tf=float(tf[k])),
        )
        for k in chosen.tolist()
    ]
    say("selesai", 100)
    return matches, params


def match_incoming(
    *,
    incoming: list[dict[str, Any]],
    registry: list[dict[str, Any]],
    params: ModelParams | None = None,
    threshold: float = POSSIBLE,
    within_incoming: bool = True,
    progress: Callable[[str, int], None] | None = None,
) -> list[Match]:
    """Matches between unsaved `incoming` records (keys "new:<index>") and the registry
    records (keys their `id`), and among the incoming unless `within_incoming=False`."""
    records = list(registry) + list(incoming)
    keys: list[int | str] = [r["id"] for r in registry] + [f"new:{i}" for i in range(len(incoming))]
    new = set(range(len(registry), len(records)))
    matches, _ = link(
        records, keys=keys, only_with=new, threshold=threshold, params=params, progress=progress
    )
    if not within_incoming:
        matches = [m for m in matches if not (isinstance(m.left, str) and isinstance(m.right, str))]
    return matches


def by_incoming_row(matches: list[Match]) -> dict[int, list[Match]]:
    """Each incoming row's matches in the registry, best first, the new row on the left
    (rows without any are left out)."""
    out: dict[int, list[Match]] = {}
    for m in matches:
        if isinstance(m.left, str) and isinstance(m.right, str):
            continue
        new, old = (m.left, m.right) if isinstance(m.left, str) else (m.right, m.left)
        out.setdefault(int(str(new).split(":")[1]), []).append(
            Match(
                left=new, right=old, probability=m.probability, weight=m.weight, evidence=m.evidence
            )
        )
    return out
