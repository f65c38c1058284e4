"""One way to write a number, an amount, a share and a date, in the active language.

Indonesian: 1.234 · 5,6 % · Rp 65,2 juta · Rp 5.000.000 · 6 Des 2026
English:    1,234 · 5.6 % · IDR 65.2 million · IDR 5,000,000 · 6 Dec 2026

Every template filter (sentra_fmt, atlas) and the localized form fields go through
these functions, so a page never mixes "1.5%" with "+8,4 %".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def separators() -> tuple[str, str]:
    """(thousands, decimal) for the active language."""
    if (translation.get_language() or "id").startswith("en"):
        return ",", "."
    return ".", ","


def number(value: Any, decimals: int = 0, *, grouped: bool = True) -> str:
    """12345.6 → "12.346" (id) / "12,346" (en); None or "" → "–"."""
    if value is None or value == "":
        return "–"
    thousands, decimal = separators()
    text = f"{float(value) if not isinstance(value, Decimal) else value:,.{int(decimals)}f}"
    if not grouped:
        text = text.replace(",", "")
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def percent(value: Any, decimals: int = 1, *, signed: bool = False) -> str:
    """A value already in percent: 5.25 → "5,3 %"; signed adds "+" to gains."""
    if value is None or value == "":
        return "–"
    sign = "+" if signed and float(value) > 0 else ""
    return f"{sign}{number(value, decimals)} %"


def currency() -> str:
    # The symbol before every amount: "Rp" in Indonesian, the ISO code in English.
    return pgettext("currency symbol", "Rp")


def rupiah(value: Any) -> str:
    """An exact amount: 5000000 → "Rp 5.000.000" / "IDR 5,000,000"."""
    if value is None or value == "":
        return "–"
    return f"{currency()} {number(value, 0)}"


def rupiah_short(value: Any) -> str:
    """Large amounts in words read aloud: 12_300_000_000 → "Rp 12,3 miliar"."""
    if value is None or value == "":
        return "–"
    v = float(value)
    for size, word in (
        (1e12, _("triliun")),
        (1e9, _("miliar")),
        (1e6, _("juta")),
    ):
        if abs(v) >= size:
            return f"{currency()} {number(v / size, 1)} {word}"
    return rupiah(v)


def coordinate(value: Any) -> str:
    """-8.650742 → "-8,650742" (id) / "-8.650742" (en): six decimals, never grouped."""
    if value is None or value == "":
        return "–"
    return number(Decimal(value), 6, grouped=False)


def date(value: Any) -> str:
    """6 Des 2026 / 6 Dec 2026; a datetime is shown in local time with hours."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "j M Y H:i")
    return formats.date_format(value, "j M Y")
