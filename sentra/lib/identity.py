"""Checks of Indonesian identity numbers: NIK (Nomor Induk Kependudukan) and NIB.

NIK layout (Permendagri on Adminduk): PP KK CC DDMMYY NNNN — province, kabupaten/kota,
kecamatan, birth date (day + 40 for women), serial. The checks are plausibility checks:
a NIK that passes may still not exist, but one that fails is certainly mistyped.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

# Kemendagri province codes (Kepmendagri 300.2.2-2138/2025), incl. the Papua provinces of 2022.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    }
)


class IdentityError(ValueError):
    pass


def nik_facts(nik: str, *, today: date | None = None) -> tuple[date, str] | None:
    """Birth date and sex ("L"/"P") encoded in a cleaned 16-digit NIK, or None when
    those digits are no date. Pure (no messages), so the linkage engine can use it."""
    if len(nik) != 16 or not nik.isdigit():
        return None
    today = today or date.today()
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    # Two-digit year: the most recent century that does not put the birth in the future.
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    if born > today:
        born = date(year - 100, month, day)
    return born, sex


def nik_birth_date(nik: str, *, today: date | None = None) -> tuple[date, str]:
    """Birth date and sex ("L"/"P") encoded in a NIK; raises IdentityError."""
    facts = nik_facts(nik, today=today)
    if facts is None:
        raise IdentityError(_("Tanggal lahir dalam NIK (digit 7–12) bukan tanggal yang sah."))
    return facts


def validate_nik(
    nik: str, *, birth_date: date | None = None, sex: str | None = None, today: date | None = None
) -> str:
    """Return the NIK cleaned of spaces and dots, or raise IdentityError with the reason."""
    cleaned = str(nik)
    if not cleaned.isdigit():  # most are clean already: an import checks 100,000
        cleaned = "".join(ch for ch in cleaned if not ch.isspace() and ch not in ".-")
    if not cleaned.isdigit() or len(cleaned) != 16:
        raise IdentityError(_("NIK harus terdiri atas 16 angka."))
    if cleaned[:2] not in PROVINCE_CODES:
        raise IdentityError(
            _("Kode provinsi pada NIK (%(code)s) tidak dikenal.") % {"code": cleaned[:2]}
        )
    if cleaned[2:4] == "00" or cleaned[4:6] == "00":
        raise IdentityError(_("Kode kabupaten/kota atau kecamatan pada NIK tidak boleh 00."))
    if cleaned[12:] == "0000":
        raise IdentityError(_("Nomor urut pada NIK (4 digit terakhir) tidak boleh 0000."))
    # One clock read for both checks: an import validates 100,000 NIK, and date.today()
    # costs microseconds (the local time zone is looked up on every call).
    today = today or date.today()
    born, nik_sex = nik_birth_date(cleaned, today=today)
    age = (today - born).days // 365
    if age < 10 or age > 100:
        raise IdentityError(_("Tanggal lahir dalam NIK memberi umur yang tidak masuk akal."))
    if birth_date and birth_date != born:
        raise IdentityError(
            _("Tanggal lahir dalam NIK (%(date)s) tidak sama dengan tanggal lahir yang diisi.")
            % {"date": f"{born:%d-%m-%Y}"}
        )
    if sex and sex != nik_sex:
        raise IdentityError(
            _("Jenis kelamin tidak cocok dengan NIK (untuk perempuan, tanggal lahir ditambah 40).")
        )
    return cleaned


def validate_nib(nib: str) -> str:
    cleaned = str(nib)
    if not cleaned.isdigit():
        cleaned = "".join(ch for ch in cleaned if not ch.isspace())
    if not cleaned.isdigit() or len(cleaned) != 13:
        raise IdentityError(_("NIB harus terdiri atas 13 angka."))
    return cleaned
