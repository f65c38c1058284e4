"""Cell values → Python values, one converter per kind of column.

A converter returns None for an empty cell and raises `CellError` with an Indonesian
message for a value it will not accept. Codes are never repaired: a NIK that Excel
turned into 5.17103120485e+15 has already lost digits, and a KBLI that lost its
leading zero may now be another code, so both are reported for a person to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from sentra.lib.text import fold


class CellError(ValueError):
    pass


Converter = Callable[[object], object]

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_EXCEL_DOT_ZERO = re.compile(r"^\d+[.,]0+$")


# Hand-made lists write "-" for "none"; an empty cell by another name.
_PLACEHOLDERS = {"-", "--", "---", "–", "—", "n/a", "N/A", "NA", "na", "."}
_EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}


def _blank(value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, str):
        stripped = value.strip()
        if stripped in _EXCEL_ERRORS:
            raise CellError(
                f"Sel berisi galat Excel {stripped}: rumus yang gagal, bukan nilai. Perbaiki "
                "di berkas sumber lalu Tempel Nilai (Paste Values)."
            )
        return not stripped or stripped in _PLACEHOLDERS
    return False


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return repr(value)


def text(value):
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def code(label: str, *, length: int | None = None, leading_zero_hint: bool = True) -> Converter:
    """A code kept as text. Numbers, scientific notation and `…​.0` are refused."""

    def convert(value):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise CellError(f"{label} berisi nilai benar/salah, bukan kode.")
        if isinstance(value, int | float):
            raise CellError(
                f"{label} tersimpan sebagai angka ({_number_text(value)}), bukan teks: "
                "angka nol di depan atau digit terakhir bisa sudah hilang. Format kolom "
                "sebagai Teks, lalu isi ulang dari sumber aslinya."
            )
        if isinstance(value, date | time | timedelta):
            raise CellError(f"{label} berisi tanggal/waktu, bukan kode.")
        raw = str(value).strip()
        if _SCIENTIFIC.match(raw):
            raise CellError(
                f"{label} '{raw}' berbentuk notasi ilmiah dari Excel: digit terakhirnya "
                "sudah hilang. Isi ulang dari sumber aslinya sebagai teks."
            )
        if _EXCEL_DOT_ZERO.match(raw):
            raise CellError(
                f"{label} '{raw}' berakhiran desimal: tanda kode yang pernah diubah Excel "
                "menjadi angka. Isi ulang dari sumber aslinya sebagai teks."
            )
        cleaned = "".join(raw.split())
        if length and leading_zero_hint and cleaned.isdigit() and len(cleaned) == length - 1:
            raise CellError(
                f"{label} '{cleaned}' hanya {len(cleaned)} angka, seharusnya {length}: "
                f"kemungkinan angka nol di depan hilang (mis. 0{cleaned}). Periksa sumbernya; "
                "Sentra tidak menambahkannya sendiri."
            )
        return cleaned

    return convert


# "3 orang", "12 unit": a count with its unit word.
_UNIT_WORDS = re.compile(r"(?i)\s*(orang|org|jiwa|unit|buah|bh)\.?$")


def integer(value):
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("Harus berupa bilangan bulat.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"Harus berupa bilangan bulat, bukan {value}.")
    raw = _UNIT_WORDS.sub("", str(value).strip()).replace(" ", "")
    if raw.lstrip("-").isdigit():
        return int(raw)
    if _EXCEL_DOT_ZERO.match(raw):
        return int(raw.split(".")[0].split(",")[0])
    raise CellError(f"Harus berupa bilangan bulat, bukan '{raw}'.")


_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")  # 1.500.000 or 1.500.000,00
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$")  # 1,500,000.00
_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


# Indonesian shorthand: "25 juta", "1,5 M" (miliar, not million), "750 rb".
_SCALE = {
    "ribu": 10**3,
    "rb": 10**3,
    "k": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "m": 10**9,
    "triliun": 10**12,
}
_SCALED = re.compile(r"(?i)^(\d+(?:[.,]\d+)?)(ribu|rb|k|juta|jt|miliar|milyar|m|triliun)\.?$")


def money(value):
    """Whole rupiah. "Rp 1.500.000", "1,500,000", "1500000.00", "25 juta", "1,5 M" are
    read; cents are refused."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("Nilai rupiah harus berupa angka.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"Nilai rupiah harus bilangan bulat, bukan {value}.")
    raw = str(value).strip()
    negative = raw.startswith("-")
    raw = re.sub(r"(?i)^-?\s*rp\.?\s*", "", raw).replace(" ", "").lstrip("-")
    scaled = _SCALED.match(raw)
    if scaled:
        number, word = scaled.groups()
        whole, sep, rest = number.replace(",", ".").partition(".")
        if sep and len(rest) == 3:  # "1.500 juta": the dot groups thousands
            whole, rest = whole + rest, ""
        amount = Decimal(f"{whole}.{rest or 0}") * _SCALE[word.lower().rstrip(".")]
        if amount != amount.to_integral_value():
            raise CellError(f"Nilai rupiah harus bilangan bulat, bukan '{value}'.")
        amount = int(amount)
    elif raw.isdigit():
        amount = int(raw)
    elif _GROUPED_DOT.match(raw):
        whole, _, cents = raw.partition(",")
        if cents.strip("0"):
            raise CellError(f"Nilai rupiah harus bilangan bulat, bukan '{value}'.")
        amount = int(whole.replace(".", ""))
    elif _GROUPED_COMMA.match(raw):
        whole, _, cents = raw.partition(".")
        if cents.strip("0"):
            raise CellError(f"Nilai rupiah harus bilangan bulat, bukan '{value}'.")
        amount = int(whole.replace(",", ""))
    elif _PLAIN.match(raw):
        whole, cents = re.split(r"[.,]", raw)
        if cents.strip("0"):
            raise CellError(f"Nilai rupiah harus bilangan bulat, bukan '{value}'.")
        amount = int(whole)
    else:
        raise CellError(f"Nilai rupiah tidak terbaca: '{value}'. Tulis angka saja, mis. 1500000.")
    return -amount if negative else amount


def decimal(places: int) -> Converter:
    quantum = Decimal(1).scaleb(-places)

    def convert(value):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise CellError("Harus berupa angka.")
        if isinstance(value, int | float):
            raw = repr(value)
        else:
            raw = str(value).strip().replace(" ", "")
            if raw.count(",") == 1 and "." not in raw:
                raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation as exc:
            raise CellError(f"Harus berupa angka, bukan '{value}'.") from exc
        if not number.is_finite():
            raise CellError(f"Harus berupa angka, bukan '{value}'.")
        return number.quantize(quantum)

    return convert


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


# "12 April 1985", "12 Agustus 1985", "12-Agt-1985", "3 Des 2024" (and English names).
_NAMED_MONTH = re.compile(r"^(\d{1,2})[\s./-]+([A-Za-z]{3,9}\.?)[\s./-]+(\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan", "january"),
            ("februari", "feb", "pebruari", "peb", "february"),
            ("maret", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "ags", "agst", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def a_date(value):
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            f"Tanggal tersimpan sebagai angka ({_number_text(value)}). Format sel sebagai "
            "Tanggal, atau tulis seperti 2024-05-31."
        )
    raw = str(value).strip()
    if len(raw) > 10 and raw[10] in " T":
        raw = raw[:10]  # a timestamp such as SIDT's updated_at: the day is what counts
    if len(raw) == 10 and raw[4] == "-":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    named = _NAMED_MONTH.match(str(value).strip())
    if named:
        day, month, year = named.groups()
        number = _MONTHS.get(fold(month).rstrip("."))
        if number:
            try:
                return date(int(year), number, int(day))
            except ValueError:
                pass
    raise CellError(f"Tanggal tidak terbaca: '{value}'. Tulis seperti 2024-05-31 atau 31-05-2024.")


_TRUE = {"ya", "y", "iya", "yes", "true", "benar", "1", "ada"}
_FALSE = {"tidak", "t", "tdk", "no", "n", "false", "salah", "0", "bukan", "tidak ada"}


def boolean(value):
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(f"Isi dengan ya/tidak, bukan {value}.")
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"Isi dengan ya/tidak, bukan '{value}'.")


def choice(label: str, choices, synonyms: dict[str, str] | None = None) -> Converter:
    """A value of a TextChoices, given as its code, its label or a common synonym."""
    lookup: dict[str, str] = {}
    for value, name in choices:
        if value:
            lookup[fold(value)] = value
            lookup[fold(str(name))] = value
    for word, value in (synonyms or {}).items():
        lookup[fold(word)] = value
    shown = ", ".join(str(name) for value, name in choices if value)

    def convert(value):
        if _blank(value):
            return None
        key = fold(str(value)).strip(" .")
        found = (
            lookup.get(key) or lookup.get(key.replace("-", " ")) or lookup.get(key.replace(" ", ""))
        )
        if found is None:
            raise CellError(f"{label} '{value}' tidak dikenal. Pilihan: {shown}.")
        return found

    return convert
