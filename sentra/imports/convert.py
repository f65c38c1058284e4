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

import phonenumbers
from django.utils.translation import gettext as _

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
                _(
                    "Sel berisi galat Excel %(error)s: rumus yang gagal, bukan nilai. Perbaiki "
                    "di berkas sumber lalu Tempel Nilai (Paste Values)."
                )
                % {"error": stripped}
            )
        return not stripped or stripped in _PLACEHOLDERS
    return False


def unquote(value):
    """A text cell without the apostrophe Excel users type to keep a code as text
    ('5171…): Excel hides it, but CSV exports and some readers keep it."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith(("'", "’")):
            return value[1:].strip()
    return value


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    return repr(value)


def text(value):
    value = unquote(value)
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
        value = unquote(value)
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise CellError(_("%(label)s berisi nilai benar/salah, bukan kode.") % {"label": label})
        if isinstance(value, int | float):
            raise CellError(
                _(
                    "%(label)s tersimpan sebagai angka (%(value)s), bukan teks: angka nol di "
                    "depan atau digit terakhir bisa sudah hilang. Format kolom sebagai Teks, "
                    "lalu isi ulang dari sumber aslinya."
                )
                % {"label": label, "value": _number_text(value)}
            )
        if isinstance(value, date | time | timedelta):
            raise CellError(_("%(label)s berisi tanggal/waktu, bukan kode.") % {"label": label})
        raw = str(value).strip()
        if _SCIENTIFIC.match(raw):
            raise CellError(
                _(
                    "%(label)s '%(value)s' berbentuk notasi ilmiah dari Excel: digit "
                    "terakhirnya sudah hilang. Isi ulang dari sumber aslinya sebagai teks."
                )
                % {"label": label, "value": raw}
            )
        if _EXCEL_DOT_ZERO.match(raw):
            raise CellError(
                _(
                    "%(label)s '%(value)s' berakhiran desimal: tanda kode yang pernah diubah "
                    "Excel menjadi angka. Isi ulang dari sumber aslinya sebagai teks."
                )
                % {"label": label, "value": raw}
            )
        cleaned = "".join(raw.split())
        if length and leading_zero_hint and cleaned.isdigit() and len(cleaned) == length - 1:
            raise CellError(
                _(
                    "%(label)s '%(value)s' hanya %(digits)s angka, seharusnya %(length)s: "
                    "kemungkinan angka nol di depan hilang (mis. 0%(value)s). Periksa "
                    "sumbernya; Sentra tidak menambahkannya sendiri."
                )
                % {"label": label, "value": cleaned, "digits": len(cleaned), "length": length}
            )
        return cleaned

    return convert


# "3 orang", "12 unit": a count with its unit word.
_UNIT_WORDS = re.compile(r"(?i)\s*(orang|org|jiwa|unit|buah|bh)\.?$")


def integer(value):
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Harus berupa bilangan bulat."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Harus berupa bilangan bulat, bukan %(value)s.") % {"value": value})
    raw = _UNIT_WORDS.sub("", str(value).strip()).replace(" ", "")
    if raw.lstrip("-").isdigit():
        return int(raw)
    if _EXCEL_DOT_ZERO.match(raw):
        return int(raw.split(".")[0].split(",")[0])
    raise CellError(_("Harus berupa bilangan bulat, bukan '%(value)s'.") % {"value": raw})


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
_RP = re.compile(r"(?i)^-?\s*rp\.?\s*")
_DASH_END = re.compile(r"[,.]-+$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_SEPARATOR = re.compile(r"[.,]")
_YEAR_WORD = re.compile(r"(?:th\.?|tahun)?\s*(\d{4})", re.IGNORECASE)
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
# A national number as dialled in Indonesia: 0, then an area code or a mobile prefix.
_NATIONAL = re.compile(r"0[2-9][0-9]{6,14}")
_SCALED = re.compile(r"(?i)^(\d+(?:[.,]\d+)?)(ribu|rb|k|juta|jt|miliar|milyar|m|triliun)\.?$")


def _rupiah(amount: Decimal, value) -> int:
    if amount != amount.to_integral_value():
        raise CellError(
            _("Nilai rupiah harus bilangan bulat, bukan '%(value)s'.") % {"value": value}
        )
    return int(amount)


def parse_money(value, *, unit: int = 1) -> tuple[int | None, bool]:
    """(whole rupiah, whether the cell said its own scale) for one cell.

    "Rp 1.500.000", "Rp 750.000,-", "Rp. 2.500.000,00", "1,500,000", "25 juta", "1,5 jt",
    "750 rb", "1,5 M" (miliar) are read. `unit` is the column's scale from its header
    ("(Rp juta)" = 1,000,000): a bare number is multiplied by it, a cell that names its
    own scale ("1,5 jt") is not.
    """
    value = unquote(value)
    if _blank(value):
        return None, False
    if isinstance(value, bool):
        raise CellError(_("Nilai rupiah harus berupa angka."))
    if isinstance(value, int):
        return value * unit, False
    if isinstance(value, float):
        return _rupiah(Decimal(repr(value)) * unit, value), False
    raw = str(value).strip()
    negative = raw.startswith("-") and not raw.endswith(",-")
    raw = _RP.sub("", raw).replace(" ", "").lstrip("-")
    raw = _DASH_END.sub("", raw)  # "750.000,-": the dash closes the amount
    scaled = _SCALED.match(raw)
    if scaled:
        number, word = scaled.groups()
        whole, sep, rest = number.replace(",", ".").partition(".")
        if sep and len(rest) == 3:  # "1.500 juta": the dot groups thousands
            whole, rest = whole + rest, ""
        amount = Decimal(f"{whole}.{rest or 0}") * _SCALE[word.lower().rstrip(".")]
        return (-1 if negative else 1) * _rupiah(amount, value), True
    if raw.isdigit():
        amount = Decimal(raw)
    elif _GROUPED_DOT.match(raw):
        whole, _sep, cents = raw.partition(",")
        amount = Decimal(f"{whole.replace('.', '')}.{cents or 0}")
    elif _GROUPED_COMMA.match(raw):
        whole, _sep, cents = raw.partition(".")
        amount = Decimal(f"{whole.replace(',', '')}.{cents or 0}")
    elif _PLAIN.match(raw) or (unit > 1 and _DECIMAL.match(raw)):
        whole, cents = _SEPARATOR.split(raw)
        amount = Decimal(f"{whole}.{cents}")
    else:
        raise CellError(
            _("Nilai rupiah tidak terbaca: '%(value)s'. Tulis angka saja, mis. 1500000.")
            % {"value": value}
        )
    return (-1 if negative else 1) * _rupiah(amount * unit, value), False


def money(value):
    """Whole rupiah (see parse_money); cents are refused."""
    return parse_money(value)[0]


def money_in(unit: int, period: int) -> Converter:
    """Whole rupiah for a column whose header gives a scale and a period ("Omzet per
    bulan (Rp ribu)": unit 1,000, period 12): the figure per year."""

    def convert(value):
        amount, _own_scale = parse_money(value, unit=unit)
        return None if amount is None else amount * period

    return convert


def decimal(places: int) -> Converter:
    quantum = Decimal(1).scaleb(-places)

    def convert(value):
        if _blank(value):
            return None
        if isinstance(value, bool):
            raise CellError(_("Harus berupa angka."))
        if isinstance(value, int | float):
            raw = repr(value)
        else:
            raw = str(value).strip().replace(" ", "")
            if raw.count(",") == 1 and "." not in raw:
                raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation as exc:
            raise CellError(_("Harus berupa angka, bukan '%(value)s'.") % {"value": value}) from exc
        if not number.is_finite():
            raise CellError(_("Harus berupa angka, bukan '%(value)s'.") % {"value": value})
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
            _(
                "Tanggal tersimpan sebagai angka (%(value)s). Format sel sebagai Tanggal, atau "
                "tulis seperti 2024-05-31."
            )
            % {"value": _number_text(value)}
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
    raise CellError(
        _("Tanggal tidak terbaca: '%(value)s'. Tulis seperti 2024-05-31 atau 31-05-2024.")
        % {"value": value}
    )


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
        raise CellError(_("Isi dengan ya/tidak, bukan %(value)s.") % {"value": value})
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("Isi dengan ya/tidak, bukan '%(value)s'.") % {"value": value})


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
            raise CellError(
                _("%(label)s '%(value)s' tidak dikenal. Pilihan: %(choices)s.")
                % {"label": label, "value": value, "choices": shown}
            )
        return found

    return convert


# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = date(1899, 12, 30)


def year(value):
    """A year from a year, a date, a date text or an Excel date serial (e.g. 36526 =
    2000-01-01: a "Tahun Berdiri" column typed as dates and then shown as numbers)."""
    value = unquote(value)
    if _blank(value):
        return None
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, bool):
        raise CellError(_("Tahun harus berupa angka, mis. 2015."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(
                _("Tahun harus berupa angka, mis. 2015, bukan %(value)s.") % {"value": value}
            )
        number = int(value)
        if 1000 <= number <= 9999:
            return number  # the model's rule says which years are plausible
        if 10_000 <= number <= 80_000:  # an Excel date serial (1927–2119)
            return (_EXCEL_EPOCH + timedelta(days=number)).year
        raise CellError(_("Tahun '%(value)s' tidak masuk akal.") % {"value": _number_text(value)})
    raw = str(value).strip()
    if raw.isdigit():
        return year(int(raw))
    try:
        return a_date(raw).year
    except CellError:
        pass
    found = _YEAR_WORD.fullmatch(raw)
    if found:
        return int(found.group(1))
    raise CellError(_("Tahun tidak terbaca: '%(value)s'. Tulis seperti 2015.") % {"value": value})


def nik(value):
    """A NIK as text. A NIK typed into a number cell is kept only when it cannot have
    been cut: Excel keeps 15 significant digits, so a typed 16-digit NIK comes back with
    its last digit turned to 0 (or, in scientific notation, more digits lost). A 16-digit
    number that does not end in 0 has all its digits; the NIK check decides the rest."""
    value = unquote(value)
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("NIK berisi nilai benar/salah, bukan nomor."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(
                _("NIK tersimpan sebagai angka pecahan (%(value)s): digitnya sudah hilang.")
                % {"value": repr(value)}
            )
        digits = str(int(value))
        if len(digits) == 16 and not digits.endswith("0"):
            return digits
        raise CellError(
            _(
                "NIK tersimpan sebagai angka (%(value)s): Excel hanya menyimpan 15 digit, "
                "jadi digit terakhir mungkin sudah terpotong. Tidak disimpan; isi ulang dari "
                "KTP sebagai teks."
            )
            % {"value": digits}
        )
    if isinstance(value, date | time | timedelta):
        raise CellError(_("NIK berisi tanggal/waktu, bukan nomor."))
    raw = "".join(str(value).split())
    if _SCIENTIFIC.match(raw):
        raise CellError(
            _(
                "NIK '%(value)s' berbentuk notasi ilmiah dari Excel: digit terakhirnya sudah "
                "hilang. Tidak disimpan; isi ulang dari KTP sebagai teks."
            )
            % {"value": raw}
        )
    if _EXCEL_DOT_ZERO.match(raw):
        raw = _SEPARATOR.split(raw)[0]
        return nik(int(raw))  # text of a number cell: the same rule as the number
    return raw


def phone(value):
    """One stored form for an Indonesian phone number: the national digits with the
    leading 0 ("081234567890"), from "812…" (a number cell dropped the 0), "+62 812-…",
    "62812…", "(0361) 234567". Too short or not a number: refused with the reason."""
    value = unquote(value)
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Nomor HP berisi nilai benar/salah, bukan nomor."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Nomor HP tidak terbaca: '%(value)s'.") % {"value": value})
        value = int(value)
    raw = str(value).strip()
    digits = _PHONE_PUNCTUATION.sub("", raw)
    if digits.startswith("8") and digits.isdigit():
        digits = "0" + digits  # a number cell dropped the leading 0
    elif digits.startswith("62") and digits.isdigit():
        digits = "+" + digits
    if _NATIONAL.fullmatch(digits) and phonenumbers.is_valid_number(
        phonenumbers.PhoneNumber(country_code=62, national_number=int(digits[1:]))
    ):
        # What phonenumbers.parse gives for a national number with its 0 (no country
        # code, no international prefix: those start with 00 or 01), at a fifth of the
        # cost; anything else, and any number not valid, goes the long way below, which
        # also says why a number is refused. test_convert proves the two agree.
        return digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException as exc:
        raise CellError(_("Nomor HP tidak terbaca: '%(value)s'.") % {"value": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        raise CellError(
            _("Nomor HP '%(value)s' tidak sah (terlalu pendek atau bukan nomor Indonesia).")
            % {"value": raw}
        )
    if number.country_code != 62:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "0" + str(number.national_number)
