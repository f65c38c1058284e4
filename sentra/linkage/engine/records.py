"""Records as the engine compares them: normalised once (on every core for large sets),
with identity numbers that too many records share treated as unknown.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sentra.lib.identity import PROVINCE_CODES, nik_facts
from sentra.linkage import normalize

# A NIK, NIB or phone shared by more records than this is a filler (the office's own
# number, a clerk's NIK typed for everyone), not evidence.
MAX_SHARED = 6


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


def _birth(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    # ISO (1967-03-12) or what FEBRL and most exports write (19670312).
    return digits if len(digits) == 8 and digits[:2] in ("19", "20") else ""


def _postcode(value: object) -> str:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits if 4 <= len(digits) <= 5 else ""


class _Memo:
    """Normalisation results by raw value within one batch: owner names, products and
    desa repeat across a registry (a value normalises the same way every time; the
    results are immutable)."""

    def __init__(self) -> None:
        self.person: dict[str, normalize.PersonParts] = {}
        self.phonetic: dict[str, str] = {}
        self.clean: dict[str, str] = {}

    def person_name(self, raw: str | None) -> normalize.PersonParts:
        if not isinstance(raw, str):
            return normalize.person_name(raw)
        out = self.person.get(raw)
        if out is None:
            out = self.person[raw] = normalize.person_name(raw)
        return out

    def sorted_phonetic(self, text: str) -> str:
        out = self.phonetic.get(text)
        if out is None:
            out = self.phonetic[text] = " ".join(sorted(normalize.phonetic(text).split()))
        return out

    def cleaned(self, raw: str | None) -> str:
        if not isinstance(raw, str):
            return normalize.clean(raw)
        out = self.clean.get(raw)
        if out is None:
            out = self.clean[raw] = normalize.clean(raw)
        return out


def prepare(record: dict[str, Any], key: int | str, memo: _Memo | None = None) -> Prepared:
    memo = memo if memo is not None else _Memo()
    name = normalize.business_name(record.get("name"))
    person = memo.person_name(record.get("owner_name"))
    addr = normalize.address(record.get("address"))
    raw_desa = str(record.get("desa_id") or record.get("desa") or "").strip()
    # A Kemendagri code as it is; a desa or suburb written by name, cleaned.
    desa = raw_desa if raw_desa.replace(".", "").isdigit() else memo.cleaned(raw_desa)
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
        name_phonetic=memo.sorted_phonetic(name.core),
        legal=name.legal_forms,
        owner=owner,
        owner_tokens=owner_tokens,
        owner_phonetic=memo.sorted_phonetic(owner),
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
        product=memo.cleaned(record.get("main_products")),
        nib=nib,
        nik=nik,
        nik_kind=_NIK if facts else _OTHER_ID if nik and len(nik) != 16 else 0,
    )


PARALLEL_FROM = 20_000


def _prepare_chunk(chunk: list[tuple[dict[str, Any], int | str]]) -> list[Prepared]:
    memo = _Memo()
    return [prepare(record, key, memo) for record, key in chunk]


def _prepare_chunk_timed(
    chunk: list[tuple[dict[str, Any], int | str]],
) -> tuple[list[Prepared], float]:
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
    records: list[dict[str, Any]], keys: list[int | str], *, stats: dict[str, Any] | None = None
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
