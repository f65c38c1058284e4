"""Blocking: which records are compared at all (shared identity numbers, name words in a
desa, phonetic names in a kecamatan, …); blocks over MAX_BLOCK carry no information.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from sentra.linkage.engine.records import Prepared

MAX_BLOCK = 60


def _initials(text: str) -> str:
    return "".join(sorted(t[0] for t in text.split()))


def _block_keys(p: Prepared) -> Iterable[tuple]:
    if p.nib:
        yield ("nib", p.nib)
    if p.nik:
        yield ("nik", p.nik)
        # One digit wrong or two swapped: the halves, and the digits sorted.
        half = len(p.nik) // 2
        yield ("nik<", p.nik[: half + 1])
        yield ("nik>", p.nik[half:])
        yield ("nik~", "".join(sorted(p.nik)))
    if p.phone:
        yield ("phone", p.phone)
    if p.birth:
        yield ("birth", p.birth)
    name_tokens = {t for t in p.name_tokens if len(t) >= 3}
    owner_tokens = {t for t in p.owner_tokens if len(t) >= 3}
    area = p.desa or p.postcode
    # A business-name word and an owner-name word shared in one desa: survives a typo
    # in any other word, swapped words and every Balinese name-part variation.
    for token in name_tokens:
        for owner in owner_tokens:
            yield ("name+owner", area, token, owner)
    if p.street and p.house:
        yield ("street", area, p.street, p.house)
        # The same house written in another desa or postcode (one of them mistyped).
        yield ("house", p.house, p.street[:8])
    if p.name_sorted:
        yield ("name", p.name_sorted)
    wide = p.kecamatan or area
    for owner in owner_tokens:
        # One word of the owner's name in the desa (or postcode): survives typos in
        # the others; a common word makes a block too large to count.
        yield ("owner word", area, owner)
    if p.owner:
        # Sorted, then by sound: typos and spelling variants in the owner's name.
        yield ("owner", wide, p.owner)
        yield ("owner~", wide, p.owner_phonetic)
        if p.street:
            yield ("owner+street", area, p.owner, p.street)
    if p.name_phonetic:
        yield ("name~", wide, p.name_phonetic)
    if p.postcode and (p.name or p.owner):
        yield ("postcode", p.postcode, _initials(p.name), _initials(p.owner))
    if p.name and p.owner:
        # Typos anywhere but the first letters: name and owner prefixes in one desa.
        yield ("prefix", area, p.name_sorted[:3], p.owner[:3])
    if p.owner and p.birth:
        yield ("owner+year", p.owner_phonetic[:2], p.birth[:4])


@functools.cache
def _triu(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, k=1)


def candidate_pairs(
    prepared: list[Prepared],
    *,
    only_with: set[int] | None = None,
    groups: list | None = None,
) -> np.ndarray:
    """Index pairs (i < j) sharing at least one block; with `only_with`, only pairs that
    contain at least one of those indexes; with `groups` (one label per record), only
    pairs across two groups (linking two files rather than deduplicating one)."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        for key in _block_keys(p):
            blocks[key].append(i)
    n = len(prepared)
    codes: list[np.ndarray] = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        if only_with is not None and not any(m in only_with for m in members):
            continue
        arr = np.array(members, dtype=np.int64)
        a, b = _triu(len(arr))
        codes.append(arr[a] * n + arr[b])
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.unique(np.concatenate(codes))
    pairs = np.stack([unique // n, unique % n], axis=1)
    if only_with is not None:
        mask = np.isin(pairs[:, 0], list(only_with)) | np.isin(pairs[:, 1], list(only_with))
        pairs = pairs[mask]
    if groups is not None:
        label = np.array([hash(g) for g in groups], dtype=np.int64)
        pairs = pairs[label[pairs[:, 0]] != label[pairs[:, 1]]]
    return pairs
