"""Template helpers shared by every app."""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def select(field: BoundField, **attrs: Any) -> SafeString:
    """A <select> for a bound ChoiceField, built in Python.

    Django's widget templates render each option through the template engine; list
    pages with a dozen filters spent most of their render time there.
    """
    value = field.value()
    current = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) in current else "", label)
            for value, label in field.field.choices  # type: ignore[attr-defined]  # a ChoiceField
        ),
    )
    extra = format_html_join("", ' {}="{}"', ((k.replace("_", "-"), v) for k, v in attrs.items()))
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>', field.html_name, field.auto_id, extra, options
    )
