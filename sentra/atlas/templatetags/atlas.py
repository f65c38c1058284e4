"""Atlas helpers for templates; the number filters come from sentra.lib.templatetags.fmt."""

from django import template

from sentra.lib.templatetags import fmt

register = template.Library()


# The number filters are the shared ones (sentra.lib.formats), re-registered here so
# templates that load "atlas" keep their names.
for _name in ("num", "pct", "rate", "rupiah", "share_pct"):
    register.filter(_name, fmt.register.filters[_name])


@register.filter
def barw(value, maximum) -> str:
    """Width in percent of a bar for value against maximum (0–100, CSS-safe)."""
    try:
        v, m = float(value or 0), float(maximum or 0)
    except (TypeError, ValueError):
        return "0"
    if m <= 0 or v <= 0:
        return "0"
    return f"{min(100.0, 100 * v / m):.1f}"


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
