from datetime import date, datetime
from decimal import Decimal

import pytest

from sentra.imports import convert
from sentra.imports.convert import CellError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Rp 1.500.000", 1_500_000),
        ("1.500.000,00", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1500000.00", 1_500_000),
        ("1500000", 1_500_000),
        (1500000.0, 1_500_000),
        (1500000, 1_500_000),
        ("-5000", -5000),  # Ikm.clean() then says it must not be negative
        ("", None),
        (None, None),
    ],
)
def test_money(raw, expected):
    assert convert.money(raw) == expected


@pytest.mark.parametrize("raw", ["1.500,50", "satu juta", 1500.5])
def test_money_refuses_fractions_and_words(raw):
    with pytest.raises(CellError):
        convert.money(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (5171031204850001.0, "tersimpan sebagai angka (5171031204850001)"),
        (5.17103120485e15, "tersimpan sebagai angka"),
        ("5.17103120485E+15", "notasi ilmiah"),
        ("5,17103E+15", "notasi ilmiah"),
        ("912000000000.0", "berakhiran desimal"),
    ],
)
def test_codes_mangled_by_excel_are_refused_never_repaired(raw, message):
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        convert.code("NIK", length=16)(raw)


def test_a_code_that_lost_its_leading_zero():
    with pytest.raises(CellError, match="nol di depan hilang"):
        convert.code("KBLI", length=5)("1071")
    assert convert.code("KBLI", length=5)("01071") == "01071"
    assert convert.code("NIK", length=16)("5171 0312 0485 0001") == "5171031204850001"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-11-02 14:22:10", date(2024, 11, 2)),
        ("2024-11-02T14:22:10+08:00", date(2024, 11, 2)),
        ("02-11-2024", date(2024, 11, 2)),
        ("02/11/2024", date(2024, 11, 2)),
        (datetime(2024, 11, 2, 8, 0), date(2024, 11, 2)),
    ],
)
def test_dates(raw, expected):
    assert convert.a_date(raw) == expected


def test_a_date_as_an_excel_serial_number_is_refused():
    with pytest.raises(CellError, match="Tanggal tersimpan sebagai angka"):
        convert.a_date(45598)


def test_decimal_comma_and_rounding_of_coordinates():
    assert convert.decimal(6)("-8,6572123") == Decimal("-8.657212")
    assert convert.decimal(6)(115.2049) == Decimal("115.204900")


@pytest.mark.parametrize(
    ("raw", "expected"), [("Ya", True), ("tidak", False), (1, True), ("0", False)]
)
def test_booleans(raw, expected):
    assert convert.boolean(raw) is expected


def test_choices_by_code_label_or_synonym():
    from sentra.imports.targets import TARGETS

    legal = TARGETS["legal_form"].converter
    assert legal("Perseorangan") == "perorangan"
    assert legal("PT") == "pt" and legal("Perseroan Terbatas") == "pt"
    sex = TARGETS["owner_sex"].converter
    assert sex("Laki-laki") == "L" and sex("perempuan") == "P"
    with pytest.raises(CellError, match="tidak dikenal. Pilihan"):
        sex("X")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25 juta", 25_000_000),
        ("Rp 1,5 juta", 1_500_000),
        ("1.5 jt", 1_500_000),
        ("2,5 M", 2_500_000_000),  # M is miliar in Indonesian, not million
        ("1.500 juta", 1_500_000_000),  # the dot groups thousands
        ("750 rb", 750_000),
        ("Rp 3 miliar", 3_000_000_000),
    ],
)
def test_money_in_indonesian_shorthand(raw, expected):
    assert convert.money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 April 1985", date(1985, 4, 12)),
        ("12 Agustus 1985", date(1985, 8, 12)),
        ("12-Agt-1985", date(1985, 8, 12)),
        ("3 Des. 2024", date(2024, 12, 3)),
        ("1 Pebruari 1990", date(1990, 2, 1)),
        ("5 October 2001", date(2001, 10, 5)),
    ],
)
def test_dates_with_month_names(raw, expected):
    assert convert.a_date(raw) == expected


@pytest.mark.parametrize("raw", ["31 Februari 1990", "12 Bulan 1985"])
def test_impossible_or_unknown_named_dates_are_refused(raw):
    with pytest.raises(CellError, match="Tanggal tidak terbaca"):
        convert.a_date(raw)


@pytest.mark.parametrize("raw", ["-", " – ", "—", "N/A"])
def test_a_dash_is_an_empty_cell_in_every_kind_of_column(raw):
    assert convert.text(raw) is None
    assert convert.money(raw) is None
    assert convert.integer(raw) is None
    assert convert.a_date(raw) is None
    assert convert.code("NIB", length=13)(raw) is None


def test_an_excel_error_value_is_reported_not_read():
    with pytest.raises(CellError, match="galat Excel #N/A"):
        convert.text("#N/A")
    with pytest.raises(CellError, match="galat Excel #REF!"):
        convert.money("#REF!")


def test_a_count_with_its_unit_word():
    assert convert.integer("3 orang") == 3
    assert convert.integer("12 unit") == 12


def _phone_the_long_way(digits: str):
    """convert.phone's answer through phonenumbers.parse alone (before its shortcut)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        return "refused"
    if not phonenumbers.is_valid_number(number):
        return "refused"
    if number.country_code != 62:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "0" + str(number.national_number)


def _phone_or_refused(value):
    try:
        return convert.phone(value)
    except CellError:
        return "refused"


def test_phone_shortcut_gives_what_phonenumbers_parse_gives():
    import random

    rng = random.Random(9)
    prefixes = ["0", "00", "01", "02", "021", "0361", "0370", "08", "080", "0800", "0811"]
    prefixes += ["0812", "0817", "0838", "0851", "0855", "0878", "0881", "0899", "09", "05"]
    samples = []
    for _ in range(4000):
        prefix = rng.choice(prefixes)
        samples.append(
            prefix + "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 15)))
        )
    samples += ["081234567890", "0361234567", "0٨١٢٣٤٥٦٧٨٩٠", "0812-3456-7890", "(0361) 234567"]
    valid = 0
    for digits in samples:
        expected = _phone_the_long_way(
            digits.replace("-", "").replace("(", "").replace(")", "").replace(" ", "")
        )
        assert _phone_or_refused(digits) == expected, digits
        valid += expected != "refused"
    assert valid > 500  # the shortcut was taken, not only the long way
