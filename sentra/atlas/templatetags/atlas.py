"""Number formatting for the atlas pages, PDF and dashboard (Indonesian separators)."""

from django import template

register = template.Library()


def _id(number: float, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def num(value, decimals: int = 0) -> str:
    """12345.6 → "12.346"; with decimals=1 → "12.345,6"; None → "–"."""
    if value is None or value == "":
        return "–"
    return _id(float(value), int(decimals))


@register.filter
def pct(value, decimals: int = 1) -> str:
    """A value already in percent: 5.25 → "5,3 %"."""
    if value is None:
        return "–"
    return f"{_id(float(value), int(decimals))} %"


@register.filter
def rate(value, decimals: int = 1) -> str:
    """A fraction as percent with sign: 0.0525 → "+5,3 %"."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{_id(100 * float(value), int(decimals))} %"


@register.filter
def barw(value, maximum) -> str:
    """Width of a bar for value against maximum as a whole percent 0–100: the page
    writes it as the class w-<n> (static/css/bars.css), the CSP forbidding style=""."""
    try:
        v, m = float(value or 0), float(maximum or 0)
    except (TypeError, ValueError):
        return "0"
    if m <= 0 or v <= 0:
        return "0"
    return str(round(min(100.0, 100 * v / m)))


@register.filter
def rupiah(value) -> str:
    """Large amounts in words an officer reads aloud: 12_300_000_000 → "Rp 12,3 miliar"."""
    if value is None:
        return "–"
    v = float(value)
    for size, word in ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")):
        if abs(v) >= size:
            return f"Rp {_id(v / size, 1)} {word}"
    return f"Rp {_id(v, 0)}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def share_pct(value, decimals: int = 1) -> str:
    """A share given either as a fraction (0.42) or already in percent (42) → "42,0 %"."""
    if value is None:
        return "–"
    v = float(value)
    return f"{_id(v * 100 if abs(v) <= 1 else v, int(decimals))} %"


@register.filter
def count_or_share(value) -> str:
    """A target that is either a number of IKM or a share."""
    if value is None:
        return "–"
    v = float(value)
    return share_pct(v) if 0 < v <= 1 else _id(v, 0)


# AreaProfile methods that take an argument, for templates.
@register.filter
def city_avg(profile, key):
    return profile.city_avg(key)


@register.filter
def per_ikm(profile, key):
    return profile.per_ikm(key)


@register.filter
def city_per_ikm(profile, key):
    return profile.city_per_ikm(key)


@register.filter
def share(profile, key):
    return profile.share(key)


@register.filter
def city_share(profile, key):
    return profile.city_share(key)


@register.simple_tag
def inline_static_css(path: str) -> str:
    """A static CSS file's text, for PDFs (WeasyPrint fetches no URLs; no CSP there)."""
    from django.contrib.staticfiles import finders
    from django.utils.safestring import mark_safe

    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, encoding="utf-8") as handle:
        return mark_safe(handle.read())  # our own file, never user input
