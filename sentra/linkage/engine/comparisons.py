"""Comparison levels per field (LEVELS) and the vectorised comparison of candidate pairs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from sentra.linkage.engine import arrays
from sentra.linkage.engine.records import _NIK, Prepared

# Comparison -> level labels, worst first: a higher level index is better agreement, -1
# means a value is missing on either side. The labels are stored with each candidate
# pair and translated when shown; _() only marks them for makemessages (the engine runs
# without Django settings, so no gettext_noop).


def _(message: str) -> str:
    return message


LEVELS: dict[str, list[str]] = {
    "nib": [_("berbeda"), _("hampir sama (salah ketik satu angka)"), _("sama")],
    "nik": [
        _("NIK berbeda (orang lain)"),
        _("nomor identitas berbeda"),
        _("NIK hampir sama (salah ketik)"),
        _("NIK sama"),
    ],
    "name": [_("berbeda"), _("sebagian mirip"), _("mirip"), _("sangat mirip"), _("sama")],
    "owner": [
        _("berbeda"),
        _("satu kata nama pemilik sama"),
        _("nama pemilik sebagian mirip"),
        _("nama pemilik mirip"),
        _("nama pemilik sama"),
    ],
    "phone": [_("HP berbeda"), _("HP sama")],
    "sex": [_("jenis kelamin berbeda"), _("jenis kelamin sama")],
    "birth": [
        _("tanggal lahir berbeda"),
        _("tanggal lahir hampir sama (salah ketik)"),
        _("tanggal lahir sama"),
    ],
    "order": [_("urutan lahir berbeda"), _("urutan lahir sama")],
    "address": [
        _("berbeda"),
        _("jalan sama"),
        _("mirip"),
        _("jalan dan nomor sama"),
        _("sama kecuali salah ketik"),
        _("sama"),
    ],
    "desa": [_("kecamatan lain"), _("kecamatan sama"), _("desa sama")],
    "postcode": [
        _("kode pos berbeda"),
        _("kode pos hampir sama (salah ketik)"),
        _("kode pos sama"),
    ],
    "product": [_("berbeda"), _("mirip"), _("sama")],
}
FIELDS = list(LEVELS)
NIB_EQUAL = 2
_COL = {f: k for k, f in enumerate(FIELDS)}


class _Columns:
    """The prepared records as aligned columns, for vectorised comparison."""

    def __init__(self, prepared: list[Prepared]):
        self.n = len(prepared)
        # Per field: each record's value as a code (0 = blank), and the distinct values
        # by code, so that a similarity is computed once per distinct pair of values.
        self.code: dict[str, np.ndarray] = {}
        self.distinct: dict[str, np.ndarray] = {}
        for attr in (*_EXACT, *_TEXT):
            codes: dict[str, int] = {"": 0}
            self.code[attr] = np.array(
                [codes.setdefault(getattr(p, attr), len(codes)) for p in prepared],
                dtype=np.int64,
            )
            if attr in _TEXT:
                distinct = np.empty(len(codes), dtype=object)
                distinct[:] = list(codes)
                self.distinct[attr] = distinct
        # The address with its spaces dropped (same codes): a space typed or left out
        # ("ascotp ark", "johnflynn") is a keystroke like any other.
        self.code["address_compact"] = self.code["address"]
        compact = np.empty(len(self.distinct["address"]), dtype=object)
        compact[:] = [a.replace(" ", "") for a in self.distinct["address"].tolist()]
        self.distinct["address_compact"] = compact
        self.nik_kind = np.array([p.nik_kind for p in prepared], dtype=np.int8)
        self.from_nik = np.array([p.from_nik for p in prepared], dtype=bool)
        self.product_len = np.array([len(p.product) for p in prepared], dtype=np.int32)
        self.desa_named = np.array([not p.desa[:1].isdigit() for p in prepared], dtype=bool)


_EXACT = ("phone", "kecamatan", "house", "sex", "order")
_TEXT = (
    "nib",
    "nik",
    "birth",
    "name",
    "name_sorted",
    "owner",
    "address",
    "street",
    "product",
    "desa",
    "postcode",
)


# Distinct pairs of values are looked up when a field has this many times fewer
# distinct values than rows to compare (owner names, streets, products, desa repeat
# across blocked pairs; business names, NIKs, addresses barely do, and sorting them to
# find the repeats costs more than it saves). Either way the scores are the same.
DEDUPE_FROM = 100
# rapidfuzz threads (-1: every core).
WORKERS = -1


def _similarity(
    scorer: Callable[..., float],
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    distinct: npt.NDArray[np.object_],
    cutoff: float,
) -> npt.NDArray[np.float32]:
    """scorer(distinct[a[k]], distinct[b[k]]) for every k, computed once per distinct
    (a, b) when the values repeat."""
    if len(distinct) * DEDUPE_FROM > len(a):
        return process.cpdist(
            distinct[a].tolist(), distinct[b].tolist(), scorer=scorer, workers=WORKERS,
            dtype=np.float32, score_cutoff=cutoff,
        )  # fmt: skip
    key = a * len(distinct) + b
    unique, inverse = arrays.unique_inverse(key)
    left, right = distinct[unique // len(distinct)], distinct[unique % len(distinct)]
    scores = process.cpdist(
        left.tolist(),
        right.tolist(),
        scorer=scorer,
        workers=WORKERS,
        dtype=np.float32,
        score_cutoff=cutoff,
    )
    return scores[inverse]


def _begins(x: str, y: str) -> bool:
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    return short.count(" ") >= 1 and long.startswith(short + " ")


def columns(prepared: list[Prepared]) -> _Columns:
    """The records as columns, built once for every `gammas` call on them."""
    return _Columns(prepared)


def gammas(
    prepared: list[Prepared], pairs: np.ndarray, *, cols: _Columns | None = None
) -> np.ndarray:
    """Comparison level per pair and field (FIELDS order); -1 where a value is missing.
    String similarities are computed only for the pairs whose level still depends on
    them (the levels are the same as computing every similarity for every pair)."""
    cols = cols if cols is not None else _Columns(prepared)
    out = np.full((len(pairs), len(FIELDS)), -1, dtype=np.int8)
    if not len(pairs):
        return out
    i, j = pairs[:, 0], pairs[:, 1]

    def both(attr: str) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        c = cols.code[attr]
        a, b = c[i], c[j]
        return (a != 0) & (b != 0), (a == b) & (a != 0)

    def sim(
        scorer: Callable[..., float], attr: str, mask: npt.NDArray[np.bool_], cutoff: float
    ) -> npt.NDArray[np.float32]:
        """scorer on the rows in mask only (zero elsewhere): most pairs lack a NIK or
        a birth date, or agree exactly, and need no string comparison. `cutoff` is the
        lowest threshold the caller tests (for a distance, the highest): rapidfuzz
        stops early below it and returns 0 (a distance: cutoff + 1), which no test
        tells from the true score."""
        out = np.zeros(len(pairs), dtype=np.float32)
        rows = np.flatnonzero(mask)
        if len(rows):
            code = cols.code[attr]
            out[rows] = _similarity(
                scorer, code[i[rows]], code[j[rows]], cols.distinct[attr], cutoff
            )
        return out

    def keystroke(attr: str) -> npt.NDArray[np.bool_]:
        present, equal = both(attr)
        rows = present & ~equal
        return equal | (rows & (sim(OSA.distance, attr, rows, cutoff=1) <= 1))

    # NIB: equal, one keystroke away (a typo), or different
    present, equal = both("nib")
    typo = keystroke("nib")
    out[:, _COL["nib"]] = np.where(present, np.select([equal, typo], [NIB_EQUAL, 1], 0), -1)

    # NIK: as NIB, but "different" only between two plausible NIKs: an implausible one
    # is certainly mistyped, so its difference proves nothing.
    present, equal = both("nik")
    typo = keystroke("nik")
    kind_i, kind_j = cols.nik_kind[i], cols.nik_kind[j]
    two_niks = (kind_i == _NIK) & (kind_j == _NIK)
    other_ids = (kind_i > 0) & (kind_j > 0) & ~two_niks
    level = np.select([equal, typo, two_niks, other_ids], [3, 2, 0, 1], -1)
    out[:, _COL["nik"]] = np.where(present, level, -1)

    # business name
    present, equal = both("name")
    _, equal_sorted = both("name_sorted")
    # A mask of pairs here; the birth date and address reuse the name for row numbers.
    rows: npt.NDArray[Any] = present & ~(equal | equal_sorted)
    sort = sim(fuzz.ratio, "name_sorted", rows, cutoff=80)
    # Each further similarity only where the ones before leave the level open.
    jw = sim(JaroWinkler.normalized_similarity, "name", rows & (sort < 90), cutoff=0.95)
    tset = sim(fuzz.token_set_ratio, "name", rows & (sort < 80) & (jw < 0.95), cutoff=65)
    level = np.select(
        [
            equal | equal_sorted,
            (sort >= 90) | (jw >= 0.95),
            (sort >= 80) | (tset >= 90),
            tset >= 65,
        ],
        [4, 3, 2, 1],
        0,
    )
    out[:, _COL["name"]] = np.where(present, level, -1)

    # owner name: the strong part only
    present, equal = both("owner")
    rows = present & ~equal
    ratio = sim(fuzz.ratio, "owner", rows, cutoff=70)
    tset = sim(fuzz.token_set_ratio, "owner", rows & (ratio < 70), cutoff=90)
    # One name word in common and the others different ("kayla tu" / "brooke tu"):
    # weaker than similar names, not as strong against as names with nothing in
    # common; EM weighs it on the data (a household's surname, a Balinese name part).
    shared = sim(
        fuzz.partial_token_set_ratio, "owner", rows & (ratio < 70) & (tset < 90), cutoff=100
    )
    level = np.select(
        [equal, ratio >= 85, (ratio >= 70) | (tset >= 90), shared >= 100], [4, 3, 2, 1], 0
    )
    out[:, _COL["owner"]] = np.where(present, level, -1)

    for attr in ("phone", "sex", "order"):
        present, equal = both(attr)
        out[:, _COL[attr]] = np.where(present, equal.astype(np.int8), -1)

    present, equal = both("postcode")
    typo = keystroke("postcode")
    out[:, _COL["postcode"]] = np.where(present, np.select([equal, typo], [2, 1], 0), -1)

    # birth date: equal, one keystroke or day and month swapped, different
    present, equal = both("birth")
    typo = keystroke("birth")
    swapped = np.zeros(len(pairs), dtype=bool)
    rows = np.flatnonzero(present & ~equal)
    if len(rows):
        birth, code = cols.distinct["birth"], cols.code["birth"]
        a, b = birth[code[i[rows]]].tolist(), birth[code[j[rows]]].tolist()
        swapped[rows] = [x[:4] + x[6:] + x[4:6] == y for x, y in zip(a, b, strict=True)]
    level = np.select([equal, typo | swapped], [2, 1], 0)
    out[:, _COL["birth"]] = np.where(present, level, -1)
    # A NIK one keystroke away already counts that typo: the birth date and sex read
    # from it would count it again (and call the owner someone else).
    nik_typo = out[:, _COL["nik"]] == 2
    derived = cols.from_nik[i] | cols.from_nik[j]
    for attr in ("birth", "sex"):
        out[:, _COL[attr]] = np.where(nik_typo & derived, -1, out[:, _COL[attr]])

    # address
    present, equal = both("address")
    streets, street_equal = both("street")
    street_close = street_equal | (
        sim(fuzz.ratio, "street", streets & ~street_equal, cutoff=88) >= 88
    )
    # One address written without its second part ("16 couvreur street" and "16
    # couvreur street kimberley caravan park", "Jl. Gatot Subroto" and "… Gg. Mawar"): the
    # shorter street's words, two or more, begin the longer one.
    rows = np.flatnonzero(streets & ~street_close)
    if len(rows):
        code, distinct = cols.code["street"], cols.distinct["street"]
        a, b = distinct[code[i[rows]]].tolist(), distinct[code[j[rows]]].tolist()
        street_close[rows] = [_begins(x, y) for x, y in zip(a, b, strict=True)]
    houses, house_equal = both("house")
    # "Jl. Noja No. 4" and "Jl. Noja No. 90" read alike but are two houses: with two
    # different house numbers the best an address can do is "same street".
    other_house = houses & ~house_equal
    rows = present & ~equal & ~other_house
    similarity = sim(fuzz.token_sort_ratio, "address", rows, cutoff=80)
    # The whole address but for a typo or two, apart from "street and number agree"
    # (the rest may be another unit, gang or caravan park). Token sort moves a word
    # whose first letter is mistyped ("clear vreek" / "clear creek": 79), so the
    # address is also compared as written, without its spaces.
    typo = (similarity >= 92) | (
        sim(fuzz.ratio, "address_compact", rows & (similarity < 92), cutoff=92) >= 92
    )
    level = np.select(
        [
            equal,
            rows & typo,
            street_close & house_equal,
            (similarity >= 80) & ~other_house,
            street_close,
        ],
        [5, 4, 3, 2, 1],
        0,
    )
    out[:, _COL["address"]] = np.where(present, level, -1)

    # desa
    present, equal = both("desa")
    # A desa or suburb written by name may be mistyped ("parramtta"); codes may not.
    named = cols.desa_named[i]
    equal |= sim(fuzz.ratio, "desa", present & named & ~equal, cutoff=85) >= 85
    kecamatans, same_kecamatan = both("kecamatan")
    # Two desa and a kecamatan unknown on one side: whether they lie in one kecamatan
    # is unknown too, not evidence of "another kecamatan".
    level = np.select([equal, same_kecamatan, kecamatans], [2, 1, 0], -1)
    out[:, _COL["desa"]] = np.where(present, level, -1)

    # product
    present, equal = both("product")
    rows = present & ~equal
    ratio = sim(fuzz.ratio, "product", rows, cutoff=80)
    tset = sim(fuzz.token_set_ratio, "product", rows & (ratio < 80), cutoff=90)
    # Short words ("roti"/"rotu", "tempe"/"trmpe") fall below any ratio with a typo or
    # two: count keystrokes instead (two only in words of five letters or more).
    rows &= (ratio < 80) & (tset < 90)
    keys = sim(OSA.distance, "product", rows, cutoff=2)
    short = np.minimum(cols.product_len[i], cols.product_len[j])
    typo = rows & ((keys <= 1) | ((keys <= 2) & (short >= 5)))
    level = np.select([equal, (ratio >= 80) | (tset >= 90) | typo], [2, 1], 0)
    out[:, _COL["product"]] = np.where(present, level, -1)
    return out
