"""Atlas helpers for templates; the number filters come from sentra.lib.templatetags.fmt."""

from django import template

from sentra.atlas.selectors.report import bar_width
from sentra.lib.templatetags import fmt

register = template.Library()


# The number filters are the shared ones (sentra.lib.formats), re-registered here so
# templates that load "atlas" keep their names.
for _name in ("num", "pct", "rate", "rupiah", "share_pct"):
    register.filter(_name, fmt.register.filters[_name])


@register.filter
def barw(value, maximum) -> str:
    """Width of a bar for value against maximum as a whole percent 0–100: the page
    writes it as the class w-<n> (static/css/bars.css), the CSP forbidding style=""."""
    return str(bar_width(value, maximum))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def count_or_share(value) -> str:
    """A target that is either a number of IKM or a share."""
    if value is None:
        return "–"
    v = float(value)
    return fmt.share_pct(v) if 0 < v <= 1 else fmt.num(v)


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
