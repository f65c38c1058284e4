from datetime import date

import pytest

from sentra.lib.identity import IdentityError, validate_nib, validate_nik

TODAY = date(2026, 11, 27)


def test_it_accepts_a_plausible_nik_and_strips_separators():
    assert validate_nik("5171 0312 0485 0001", today=TODAY) == "5171031204850001"


def test_women_have_day_plus_40():
    assert validate_nik("5171035204850001", birth_date=date(1985, 4, 12), sex="P", today=TODAY)
    with pytest.raises(IdentityError, match="Jenis kelamin"):
        validate_nik("5171031204850001", sex="P", today=TODAY)


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("517103120485001", "16 angka"),
        ("51710312048500A1", "16 angka"),
        ("9971031204850001", "Kode provinsi"),
        ("5100031204850001", "tidak boleh 00"),
        ("5171033204850001", "bukan tanggal yang sah"),  # day 32
        ("5171031213850001", "bukan tanggal yang sah"),  # month 13
        ("5171031204850000", "0000"),
        ("5171031204250001", "umur"),  # born 2025
    ],
)
def test_it_rejects_implausible_niks_with_a_reason(nik, message):
    with pytest.raises(IdentityError, match=message):
        validate_nik(nik, today=TODAY)


def test_birth_date_must_agree():
    with pytest.raises(IdentityError, match="tidak sama"):
        validate_nik("5171031204850001", birth_date=date(1985, 4, 13), today=TODAY)


def test_nib_has_13_digits():
    assert validate_nib("9120001234567") == "9120001234567"
    with pytest.raises(IdentityError, match="13 angka"):
        validate_nib("912000123456")
