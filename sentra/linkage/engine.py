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
   number, postcode with name initials, or name prefixes in the desa. Blocks larger
   than `MAX_BLOCK` are skipped (they carry no information), so the work grows roughly
   linearly.
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

`docs/linkage.md` has the benchmark figures and why this engine, not Splink.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from sentra.lib.identity import PROVINCE_CODES, nik_facts
from sentra.linkage import normalize

MAX_BLOCK = 60
# A NIK, NIB or phone shared by more records than this is a filler (the office's own
# number, a clerk's NIK typed for everyone), not evidence.
MAX_SHARED = 6
RANDOM_PAIRS = 60_000
EM_ITERATIONS = 25

# The bands, in match probability (the model's posterior that a pair is one IKM). The
# one place that sets them: pairs ≥ LIKELY are queued for review, pairs ≥ POSSIBLE are
# listed apart with their reasons, the rest are not shown.
LIKELY = 0.9
POSSIBLE = 0.3


def band(probability: float) -> str:
    return "likely" if probability >= LIKELY else "possible" if probability >= POSSIBLE else ""


# --- preparing records ------------------------------------------------------------------


@dataclass(slots=True)
class Prepared:
    key: int | str
    name: str  # core, legal forms removed
    name_sorted: str
    name_tokens: tuple[str, ...]
    name_phonetic: str
    legal: tuple[str, ...]
    owner: str  # strong tokens, sorted
    owner_tokens: tuple[str, ...]
    owner_phonetic: str
    sex: str
    order: str  # birth-order group "1"–"4", "" when none
    birth: str  # YYYYMMDD
    from_nik: bool  # birth date or sex read from the NIK, not from their own fields
    address: str
    street: str
    house: str
    desa: str
    kecamatan: str
    postcode: str
    phone: str
    product: str
    nib: str
    nik: str
    nik_kind: int  # _NIK plausible NIK, _OTHER_ID another identity number, 0 none/mistyped


_NIK, _OTHER_ID = 2, 1


def _house_number(addr: str) -> str:
    tokens = addr.split()
    for i, token in enumerate(tokens[:-1]):
        if token == "no" and tokens[i + 1][:1].isdigit():
            return tokens[i + 1]
    # Addresses written number first ("245 duncan street", most non-Indonesian lists).
    return tokens[0] if tokens and tokens[0].isdigit() else ""


def _birth(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    # ISO (1967-03-12) or what FEBRL and most exports write (19670312).
    return digits if len(digits) == 8 and digits[:2] in ("19", "20") else ""


def _postcode(value) -> str:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits if 4 <= len(digits) <= 5 else ""


def prepare(record: dict, key: int | str) -> Prepared:
    name = normalize.business_name(record.get("name"))
    person = normalize.person_name(record.get("owner_name"))
    addr = normalize.address(record.get("address"))
    raw_desa = str(record.get("desa_id") or record.get("desa") or "").strip()
    # A Kemendagri code as it is; a desa or suburb written by name, cleaned.
    desa = raw_desa if raw_desa.replace(".", "").isdigit() else normalize.clean(raw_desa)
    kecamatan = str(record.get("kecamatan") or "").strip()
    if not kecamatan and desa.count(".") == 3:
        kecamatan = desa.rsplit(".", 1)[0]
    nib = normalize.identifier(record.get("nib"))
    nik = normalize.identifier(record.get("owner_nik") or record.get("nik"))
    # A NIK is "valid" when it is a plausible Indonesian one; then its birth date and
    # sex count when the fields are empty, and a second valid NIK is a second person.
    # Another list's identity number (not 16 digits) is compared as it is; a 16-digit
    # number that is no plausible NIK is mistyped, so its difference proves nothing.
    facts = nik_facts(nik) if len(nik) == 16 and nik[:2] in PROVINCE_CODES else None
    sex = normalize.sex_code(record.get("owner_sex"))
    birth = _birth(record.get("owner_birth_date"))
    from_nik = bool(facts) and not (sex and birth)
    sex = sex or (facts[1] if facts else "") or normalize.sex_from_name(person)
    birth = birth or (facts[0].strftime("%Y%m%d") if facts else "")
    owner_tokens = tuple(sorted(person.strong))
    owner = " ".join(owner_tokens)
    name_sorted = " ".join(sorted(name.tokens))
    order = normalize.birth_order(person)
    return Prepared(
        key=key,
        name=name.core,
        name_sorted=name_sorted,
        name_tokens=tuple(name.tokens),
        name_phonetic=" ".join(sorted(normalize.phonetic(name.core).split())),
        legal=name.legal_forms,
        owner=owner,
        owner_tokens=owner_tokens,
        owner_phonetic=" ".join(sorted(normalize.phonetic(owner).split())),
        sex=sex,
        order=str(order) if order else "",
        birth=birth,
        from_nik=from_nik,
        address=addr,
        street=normalize.street(None, normalised=addr),
        house=_house_number(addr),
        desa=desa,
        kecamatan=kecamatan,
        postcode=_postcode(record.get("postcode")),
        phone=normalize.phone(record.get("owner_phone")),
        product=normalize.clean(record.get("main_products")),
        nib=nib,
        nik=nik,
        nik_kind=_NIK if facts else _OTHER_ID if nik and len(nik) != 16 else 0,
    )


PARALLEL_FROM = 20_000


def _prepare_chunk(chunk: list[tuple[dict, int | str]]) -> list[Prepared]:
    return [prepare(record, key) for record, key in chunk]


def _prepare_chunk_timed(chunk: list[tuple[dict, int | str]]) -> tuple[list[Prepared], float]:
    start = time.process_time()
    return _prepare_chunk(chunk), time.process_time() - start


def _drop_fillers(prepared: list[Prepared]) -> None:
    for attr in ("nib", "nik", "phone"):
        counts = Counter(getattr(p, attr) for p in prepared)
        fillers = {v for v, c in counts.items() if v and c > MAX_SHARED}
        for p in prepared if fillers else ():
            if getattr(p, attr) in fillers:
                setattr(p, attr, "")
                if attr == "nik":
                    p.nik_kind = 0


def prepare_all(
    records: list[dict], keys: list[int | str], *, stats: dict | None = None
) -> list[Prepared]:
    """Normalise every record; large sets on every core (normalisation is pure Python,
    so threads would not help). forkserver, not fork: safe inside a threaded server."""
    items = list(zip(records, keys, strict=True))
    workers = os.cpu_count() or 1
    if len(items) < PARALLEL_FROM or workers < 2:
        prepared = _prepare_chunk(items)
    else:
        size = -(-len(items) // (workers * 4))
        chunks = [items[k : k + size] for k in range(0, len(items), size)]
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_prepare_chunk_timed, chunks))
        if stats is not None:
            stats["worker_cpu_seconds"] = sum(cpu for _, cpu in parts)
        prepared = [p for part, _ in parts for p in part]
    _drop_fillers(prepared)
    return prepared


# --- blocking ---------------------------------------------------------------------------


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


# --- comparisons ------------------------------------------------------------------------

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
    "address": [_("berbeda"), _("jalan sama"), _("mirip"), _("jalan dan nomor sama"), _("sama")],
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
        for attr in _TEXT:
            setattr(self, attr, [getattr(p, attr) for p in prepared])
        for attr in (*_EXACT, *_TEXT):
            values = [getattr(p, attr) for p in prepared]
            codes: dict[str, int] = {"": 0}
            setattr(
                self,
                f"{attr}_code",
                np.array([codes.setdefault(v, len(codes)) for v in values], dtype=np.int64),
            )
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


def _take(values: list[str], index: np.ndarray) -> list[str]:
    return [values[k] for k in index.tolist()]


def gammas(prepared: list[Prepared], pairs: np.ndarray) -> np.ndarray:
    """Comparison level per pair and field (FIELDS order); -1 where a value is missing."""
    cols = _Columns(prepared)
    out = np.full((len(pairs), len(FIELDS)), -1, dtype=np.int8)
    if not len(pairs):
        return out
    i, j = pairs[:, 0], pairs[:, 1]

    def both(attr):
        c = getattr(cols, f"{attr}_code")
        a, b = c[i], c[j]
        return (a != 0) & (b != 0), (a == b) & (a != 0)

    def sim(scorer, attr, mask):
        """scorer on the rows in mask only (zero elsewhere): most pairs lack a NIK or
        a birth date, or agree exactly, and need no string comparison."""
        out = np.zeros(len(pairs), dtype=np.float32)
        rows = np.flatnonzero(mask)
        if len(rows):
            values = getattr(cols, attr)
            a, b = _take(values, i[rows]), _take(values, j[rows])
            out[rows] = process.cpdist(a, b, scorer=scorer, workers=-1, dtype=np.float32)
        return out

    def keystroke(attr):
        present, equal = both(attr)
        rows = present & ~equal
        return equal | (rows & (sim(OSA.distance, attr, rows) <= 1))

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
    rows = present & ~(equal | equal_sorted)
    sort = sim(fuzz.ratio, "name_sorted", rows)
    jw = sim(JaroWinkler.normalized_similarity, "name", rows)
    tset = sim(fuzz.token_set_ratio, "name", rows)
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
    ratio = sim(fuzz.ratio, "owner", rows)
    tset = sim(fuzz.token_set_ratio, "owner", rows)
    level = np.select([equal, ratio >= 85, (ratio >= 70) | (tset >= 90)], [3, 2, 1], 0)
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
        a, b = _take(cols.birth, i[rows]), _take(cols.birth, j[rows])
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
    street_close = street_equal | (sim(fuzz.ratio, "street", streets & ~street_equal) >= 88)
    houses, house_equal = both("house")
    similarity = sim(fuzz.token_sort_ratio, "address", present & ~equal)
    # "Jl. Noja No. 4" and "Jl. Noja No. 90" read alike but are two houses: with two
    # different house numbers the best an address can do is "same street".
    other_house = houses & ~house_equal
    level = np.select(
        [
            equal,
            (street_close & house_equal) | ((similarity >= 92) & ~other_house),
            (similarity >= 80) & ~other_house,
            street_close,
        ],
        [4, 3, 2, 1],
        0,
    )
    out[:, _COL["address"]] = np.where(present, level, -1)

    # desa
    present, equal = both("desa")
    # A desa or suburb written by name may be mistyped ("parramtta"); codes may not.
    named = cols.desa_named[i]
    equal |= sim(fuzz.ratio, "desa", present & named & ~equal) >= 85
    _, same_kecamatan = both("kecamatan")
    out[:, _COL["desa"]] = np.where(present, np.select([equal, same_kecamatan], [2, 1], 0), -1)

    # product
    present, equal = both("product")
    rows = present & ~equal
    ratio = sim(fuzz.ratio, "product", rows)
    tset = sim(fuzz.token_set_ratio, "product", rows)
    # Short words ("roti"/"rotu", "tempe"/"trmpe") fall below any ratio with a typo or
    # two: count keystrokes instead (two only in words of five letters or more).
    keys = sim(OSA.distance, "product", rows)
    short = np.minimum(cols.product_len[i], cols.product_len[j])
    typo = rows & ((keys <= 1) | ((keys <= 2) & (short >= 5)))
    level = np.select([equal, (ratio >= 80) | (tset >= 90) | typo], [2, 1], 0)
    out[:, _COL["product"]] = np.where(present, level, -1)
    return out


# --- the model --------------------------------------------------------------------------


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

    def to_json(self) -> dict:
        return {"m": self.m, "u": self.u, "prior": self.prior, "trained_on": self.trained_on}

    @classmethod
    def from_json(cls, data: dict) -> ModelParams:
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
        "owner": [0.03, 0.07, 0.2, 0.7],
        "phone": [0.15, 0.85],
        "sex": [0.01, 0.99],
        "birth": [0.01, 0.04, 0.95],
        "order": [0.15, 0.85],
        "address": [0.05, 0.05, 0.1, 0.3, 0.5],
        "desa": [0.01, 0.02, 0.97],
        "postcode": [0.04, 0.04, 0.92],
        "product": [0.05, 0.15, 0.8],
    },
    u={
        "nib": [0.999998, 0.000001, 0.000001],
        "nik": [0.5, 0.499998, 0.000001, 0.000001],
        "name": [0.97, 0.02, 0.006, 0.003, 0.001],
        "owner": [0.95, 0.03, 0.013, 0.007],
        "phone": [0.9999, 0.0001],
        "sex": [0.5, 0.5],
        "birth": [0.9995, 0.0004, 0.0001],
        "order": [0.7, 0.3],
        "address": [0.95, 0.03, 0.01, 0.0099, 0.0001],
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
    return (counts / counts.sum()).tolist()


def estimate_u(prepared: list[Prepared], *, rng: random.Random, pairs: int = RANDOM_PAIRS):
    """Chance agreement: level shares over random record pairs (almost all non-matches)."""
    n = len(prepared)
    draw = np.random.default_rng(rng.randrange(2**32)).integers(0, n, size=(pairs, 2))
    g = gammas(prepared, draw[draw[:, 0] != draw[:, 1]])
    u: dict[str, list[float]] = {}
    for col, f in enumerate(FIELDS):
        counts = np.bincount(g[:, col][g[:, col] >= 0], minlength=len(LEVELS[f])).astype(float)
        # Random pairs are a sample: the built-in u, a few hundred pairs' worth, covers
        # the levels a sample never shows (NIK agreement) without hiding what it shows.
        counts = counts + 300 * np.array(DEFAULT_PARAMS.u[f])
        u[f] = _normalise(counts)
    return u


def _log_bf(g: np.ndarray, m: dict, u: dict) -> np.ndarray:
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
    g: np.ndarray, m: dict, u: dict, prior: float, tf: np.ndarray | None = None
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


def _probability(weight: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp2(-np.clip(weight, -60, 60)))


def estimate(g: np.ndarray, u_start: dict, start: ModelParams) -> tuple[dict, dict, float]:
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
    g, count = np.unique(g, axis=0, return_counts=True)
    total = count.sum()
    for _ in range(EM_ITERATIONS):
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


def fit(prepared: list[Prepared], g: np.ndarray, *, seed: int = 0) -> ModelParams:
    u_random = estimate_u(prepared, rng=random.Random(seed))
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
    for col, attr, exact in ((_NAME, "name_sorted", 4), (_COL["owner"], "owner", 3)):
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


def evidence(row: np.ndarray, params: ModelParams, *, tf: float = 0.0) -> dict[str, dict]:
    """Each comparison's level and weight in bits (negative = evidence against); the
    comparisons with a value missing on either side are left out."""
    weights = params.weights()
    out = {}
    for col, f in enumerate(FIELDS):
        level = int(row[col])
        if level >= 0:
            out[f] = {"level": LEVELS[f][level], "weight": round(float(weights[f][level]), 2)}
    if tf:
        level = _("nama jarang") if tf > 0 else _("nama umum")
        out["frequency"] = {"level": level, "weight": round(tf, 2)}
    return out


# --- the entry point --------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    left: int | str
    right: int | str
    probability: float
    weight: float
    evidence: dict = field(default_factory=dict, compare=False)

    @property
    def band(self) -> str:
        return band(self.probability)


MIN_PAIRS_TO_FIT = 200


def link(
    records: list[dict],
    *,
    keys: list[int | str] | None = None,
    only_with: set[int] | None = None,
    groups: list | None = None,
    threshold: float = POSSIBLE,
    params: ModelParams | None = None,
    fit_params: bool = True,
    progress: Callable[[str, int], None] | None = None,
    stats: dict | None = None,
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
    g = gammas(prepared, pairs)
    if params is None:
        if fit_params and len(pairs) >= MIN_PAIRS_TO_FIT and len(prepared) >= 1000:
            say("estimasi model", 75)
            params = fit(prepared, g)
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
    incoming: list[dict],
    registry: list[dict],
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
