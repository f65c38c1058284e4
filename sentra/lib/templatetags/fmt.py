"""The one set of number and date filters, loaded into every template (settings builtins).

They all call sentra.lib.formats, so Indonesian and English pages each use one notation.
"""

from typing import Any

from django import template

from sentra.lib import formats

register = template.Library()


@register.filter
def num(value: Any, decimals: int = 0) -> str:
    """12345.6 → "12.346"; with decimals=1 → "12.345,6"; None → "–"."""
    return formats.number(value, int(decimals))


@register.filter
def pct(value: Any, decimals: int = 1) -> str:
    """A value already in percent: 5.25 → "5,3 %"."""
    return formats.percent(value, int(decimals))


@register.filter
def rate(value: Any, decimals: int = 1) -> str:
    """A fraction as percent with sign: 0.0525 → "+5,3 %"."""
    if value is None or value == "":
        return "–"
    return formats.percent(100 * float(value), int(decimals), signed=True)


@register.filter
def share_pct(value: Any, decimals: int = 1) -> str:
    """A share given either as a fraction (0.42) or already in percent (42) → "42,0 %"."""
    if value is None or value == "":
        return "–"
    v = float(value)
    return formats.percent(v * 100 if abs(v) <= 1 else v, int(decimals))


@register.filter
def rupiah(value: Any) -> str:
    """Large amounts in words: 12_300_000_000 → "Rp 12,3 miliar" / "IDR 12.3 billion"."""
    return formats.rupiah_short(value)


@register.filter
def rp(value: Any) -> str:
    """An exact amount: 5000000 → "Rp 5.000.000" / "IDR 5,000,000"."""
    return formats.rupiah(value)


@register.filter
def coord(value: Any) -> str:
    """A coordinate with six decimals in the active notation: "-8,650742"."""
    return formats.coordinate(value)


@register.filter
def tgl(value: Any) -> str:
    """A date as "6 Des 2026" / "6 Dec 2026" (datetimes with local hours)."""
    return formats.date(value)


@register.filter
def share_of(part: Any, whole: Any) -> str:
    """part as a percentage of whole: 822 of 4045 → "20,3 %"; "–" when whole is 0."""
    try:
        p, w = float(part or 0), float(whole or 0)
    except (TypeError, ValueError):
        return "–"
    return formats.percent(100 * p / w) if w else "–"
