from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sentra.lib.fields import (
    LocalizedDecimalField,
    LocalizedIntegerField,
    LocalizedNumberInput,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.000.000", Decimal("5000000")),
        ("Rp 5.000.000", Decimal("5000000")),
        ("Rp.5.000.000", Decimal("5000000")),
        ("5000000", Decimal("5000000")),
        ("-8,65", Decimal("-8.65")),
        ("1.234,5", Decimal("1234.5")),
        (" 12 ", Decimal("12")),
    ],
)
def test_it_reads_indonesian_notation(text, expected):
    with translation.override("id"):
        assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["5.000000", "5,000,000", "1.23.456", "5 juta", "abc", "5.000.000."]
)
def test_it_refuses_what_is_not_indonesian_notation(text):
    with translation.override("id"), pytest.raises(ValueError):
        parse_number(text)


def test_it_reads_english_notation():
    with translation.override("en"):
        assert parse_number("IDR 5,000,000") == Decimal("5000000")
        assert parse_number("-8.65") == Decimal("-8.65")
        with pytest.raises(ValueError):
            parse_number("5.000.000")


def test_coordinates_take_either_decimal_mark_but_no_grouping():
    with translation.override("id"):
        assert parse_number("-8.650742", any_decimal=True) == Decimal("-8.650742")
        assert parse_number("-8,650742", any_decimal=True) == Decimal("-8.650742")
        with pytest.raises(ValueError):
            parse_number("-8.650.742", any_decimal=True)


def test_integer_field_refuses_cents_instead_of_rounding():
    field = LocalizedIntegerField(required=False)
    with translation.override("id"):
        assert field.clean("5.000.000") == 5_000_000
        assert field.clean("") is None
        with pytest.raises(ValidationError) as exc:
            field.clean("5.000.000,50")
        assert "bilangan bulat" in str(exc.value)
        with pytest.raises(ValidationError):
            field.clean("5.000000")


def test_decimal_field_keeps_its_limits():
    field = LocalizedDecimalField(max_digits=9, decimal_places=6, required=False)
    with translation.override("id"):
        assert field.clean("-8,65") == Decimal("-8.65")
        with pytest.raises(ValidationError):
            field.clean("-8,6512345")  # seven decimals do not fit the column


def test_widget_shows_the_active_notation_and_no_number_type():
    widget = LocalizedNumberInput()
    with translation.override("id"):
        html = widget.render("investment", 6_000_000)
        assert 'value="6.000.000"' in html and 'type="text"' in html
        assert 'inputmode="numeric"' in html
    with translation.override("en"):
        assert 'value="6,000,000"' in widget.render("investment", 6_000_000)
    coordinate = LocalizedNumberInput(decimals=6, grouped=False)
    with translation.override("id"):
        assert 'value="-8,650742"' in coordinate.render("latitude", Decimal("-8.650742"))
        assert 'value="-8,65"' in coordinate.render("latitude", Decimal("-8.650000"))
    # What the user typed comes back as typed when the form is shown again with an error.
    assert 'value="5.000000"' in widget.render("investment", "5.000000")
