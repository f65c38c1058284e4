"""Form fields for numbers as an Indonesian office types them.

"5.000.000", "Rp 5.000.000", "-8,65" in Indonesian; "5,000,000", "-8.65" in English.
A value that fits neither notation is refused with a message, never guessed: "5.000000"
is neither a grouped nor a plain number and would otherwise become Rp 5 or Rp 5 juta.
The inputs are text inputs (inputmode numeric/decimal): type=number drops the dots.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sentra.lib import formats

_CURRENCY = re.compile(r"(?i)^\s*(rp\.?|idr)\s*")


def parse_number(text: str, *, grouped: bool = True, any_decimal: bool = False) -> Decimal:
    """Decimal from text in the active language's notation; ValueError when it is not one.

    grouped: thousands separators allowed (in groups of three). any_decimal: coordinates
    pasted from a map app use "." in Indonesian too; they have no thousands to confuse.
    """
    thousands, decimal = formats.separators()
    value = _CURRENCY.sub("", text.strip()).replace("\u00a0", " ").replace(" ", "")
    if any_decimal:
        if not re.fullmatch(r"[-+]?\d+([.,]\d+)?", value):
            raise ValueError(value)
        return Decimal(value.replace(",", "."))
    t, d = re.escape(thousands), re.escape(decimal)
    plain = rf"[-+]?\d+({d}\d+)?"
    grouping = rf"[-+]?\d{{1,3}}({t}\d{{3}})+({d}\d+)?"
    if re.fullmatch(plain, value) or (grouped and re.fullmatch(grouping, value)):
        return Decimal(value.replace(thousands, "").replace(decimal, "."))
    raise ValueError(value)


class LocalizedNumberInput(forms.TextInput):
    """A text input showing the value in the active notation (grouped, decimal comma)."""

    def __init__(
        self, *, decimals: int = 0, grouped: bool = True, attrs: dict[str, Any] | None = None
    ) -> None:
        self.decimals, self.grouped = decimals, grouped
        base = {"inputmode": "decimal" if decimals else "numeric", "class": "num"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):  # the user's own text, shown back unchanged on error
            return value
        if self.decimals:
            # Drop trailing zeros ("12,50" stays, "8,650000" is "8,65").
            text = formats.number(Decimal(value), self.decimals, grouped=self.grouped)
            _, decimal = formats.separators()
            return text.rstrip("0").rstrip(decimal) if decimal in text else text
        return formats.number(value, 0, grouped=self.grouped)


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed in the active notation; see parse_number."""

    default_error_messages = {
        "invalid": _(
            "Tulis angka seperti 1.250.000 atau 12,5 (titik pemisah ribuan, koma desimal)."
        ),
    }

    def __init__(self, *, grouped: bool = True, any_decimal: bool = False, **kwargs: Any) -> None:
        self.grouped, self.any_decimal = grouped, any_decimal
        places = kwargs.get("decimal_places") or 0
        kwargs.setdefault("widget", LocalizedNumberInput(decimals=places, grouped=grouped))
        kwargs["localize"] = False  # our own parsing; Django's would accept "5.000000"
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField adds step/min/max meant for type=number; a text input needs none.
        return {}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_number(str(value), grouped=self.grouped, any_decimal=self.any_decimal)
        except (ValueError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class LocalizedIntegerField(LocalizedDecimalField):
    """Whole numbers (rupiah, counts): "5.000.000" → 5000000; "5.000.000,50" is refused."""

    default_error_messages = {
        "invalid": _("Tulis bilangan bulat seperti 5.000.000 (titik pemisah ribuan)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        super().__init__(**kwargs)
        # The digit-count check of DecimalField is for decimals; whole numbers are ints.
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


# Model field types whose values are grouped when shown and typed.
_GROUPED_INTEGERS = (models.BigIntegerField, models.PositiveIntegerField, models.IntegerField)


def localized_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Meta.formfield_callback: money, counts and decimals become localized text fields.

    Small integers (years, months) keep Django's field: they are never grouped.
    Coordinates (decimal_places ≥ 5) accept either decimal mark.
    """
    if isinstance(db_field, models.DecimalField):
        coordinate = db_field.decimal_places >= 5
        return db_field.formfield(
            form_class=LocalizedDecimalField,
            grouped=not coordinate,
            any_decimal=coordinate,
            **kwargs,
        )
    if isinstance(db_field, _GROUPED_INTEGERS) and not isinstance(
        db_field, models.SmallIntegerField | models.PositiveSmallIntegerField
    ):
        return db_field.formfield(form_class=LocalizedIntegerField, **kwargs)
    return db_field.formfield(**kwargs)
