"""Blocking: which records are compared at all (shared identity numbers, name words in a
desa, phonetic names in a kecamatan, …); blocks over MAX_BLOCK carry no information.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from sentra.linkage.engine import arrays
from sentra.linkage.engine.records import Prepared

MAX_BLOCK = 60


def _initials(text: str) -> str:
    return "".join(sorted(t[0] for t in text.split()))


def _block_keys(p: Prepared) -> Iterable[tuple[str, ...]]:
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
    wide = p.kecamatan or area
    if p.street and p.house:
        # The house number and the street's first word in the kecamatan: survives a
        # typo in the street's later words and in the desa or postcode at once
        # ("95 leahy place, shenton park 6302" / "95 leahy lplace, shento mpark 6320").
        yield ("house+word", wide, p.house, p.street.split()[0])
    if p.name_sorted:
        yield ("name", p.name_sorted)
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
    groups: Sequence[Hashable] | None = None,
) -> np.ndarray:
    """Index pairs (i < j) sharing at least one block; with `only_with`, only pairs that
    contain at least one of those indexes; with `groups` (one label per record), only
    pairs across two groups (linking two files rather than deduplicating one)."""
    # Every (block, record) membership as two int arrays, then the pairs of all blocks
    # of one size at once (a Python loop over blocks costs more than the pairs).
    block_ids: dict[tuple[str, ...], int] = {}
    entry_block: list[int] = []
    entry_record: list[int] = []
    for i, p in enumerate(prepared):
        for key in _block_keys(p):
            entry_block.append(block_ids.setdefault(key, len(block_ids)))
            entry_record.append(i)
    n = len(prepared)
    block = np.array(entry_block, dtype=np.int64)
    record = np.array(entry_record, dtype=np.int64)
    size = np.bincount(block, minlength=len(block_ids))
    keep = (size >= 2) & (size <= MAX_BLOCK)
    if only_with is not None:
        wanted = np.zeros(n, dtype=bool)
        wanted[list(only_with)] = True
        keep &= np.bincount(block, weights=wanted[record], minlength=len(block_ids)) > 0
    chosen = keep[block]
    block, record = block[chosen], record[chosen]
    # Members of each block in record order, the blocks one after another.
    order = np.argsort(block, kind="stable")
    block, record = block[order], record[order]
    first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else block
    sizes = size[block[first]]
    codes: list[np.ndarray] = []
    for members in np.unique(sizes).tolist():
        starts = first[sizes == members]
        matrix = record[starts[:, None] + np.arange(members)]
        a, b = _triu(members)
        codes.append((matrix[:, a] * n + matrix[:, b]).ravel())
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    unique = arrays.unique(np.concatenate(codes))
    pairs = np.stack([unique // n, unique % n], axis=1)
    if only_with is not None:
        mask = np.isin(pairs[:, 0], list(only_with)) | np.isin(pairs[:, 1], list(only_with))
        pairs = pairs[mask]
    if groups is not None:
        label = np.array([hash(g) for g in groups], dtype=np.int64)
        pairs = pairs[label[pairs[:, 0]] != label[pairs[:, 1]]]
    return pairs
