"""Template helpers shared by every app."""

from html import escape
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def escaped(value: Any) -> str:
    """conditional_escape without its lazy wrapper: safe strings stay as they are."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


@register.simple_tag
def select(field: BoundField, **attrs: Any) -> SafeString:
    """A <select> for a bound ChoiceField, built in Python.

    Django's widget templates render each option through the template engine; list
    pages with a dozen filters spent most of their render time there. The options are
    escaped with the standard library's html.escape (what Django's escape wraps) rather
    than through format_html, whose lazy-aware escape cost more than the option itself.
    """
    value = field.value()
    current = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
    options = "".join(
        f'<option value="{escaped(value)}"{" selected" if str(value) in current else ""}>'
        f"{escaped(label)}</option>"
        for value, label in field.field.choices  # type: ignore[attr-defined]  # a ChoiceField
    )
    extra = format_html_join("", ' {}="{}"', ((k.replace("_", "-"), v) for k, v in attrs.items()))
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        field.html_name,
        field.auto_id,
        extra,
        mark_safe(options),  # every value and label escaped above
    )


@register.simple_tag
def chart(spec: dict[str, Any] | None, name: str) -> str:
    """A chart figure: the server's SVG (printed, and shown without JavaScript) plus the
    spec as JSON that static/js/charts.js draws with Chart.js in its place."""
    from django.utils.html import json_script

    from sentra.lib.charts import svg

    if not spec:
        return ""
    return format_html(
        '<figure class="chart" data-chart="chart-{}" data-testid="chart-{}">'
        '<div class="chart-svg">{}</div>{}</figure>',
        name,
        name,
        mark_safe(svg(spec)),  # built from numbers and escaped labels only
        json_script(spec, f"chart-{name}"),
    )


@register.simple_tag
def chart_svg(spec: dict[str, Any] | None) -> str:
    """The chart as SVG only, for PDFs (WeasyPrint draws SVG)."""

    from sentra.lib.charts import svg

    return mark_safe(svg(spec)) if spec else ""


@register.simple_tag
def svg_markup(markup: str) -> str:
    """Markup built by sentra.lib.charts (numbers and escaped labels only)."""

    return mark_safe(markup or "")
