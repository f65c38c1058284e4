"""Exhibition panels for pages of other apps (the dashboard, the growth page), so those
pages need one include line and no knowledge of exhibitions."""

from django import template

from sentra.exhibitions import selectors

register = template.Library()


@register.inclusion_tag("exhibitions/_dashboard.html")
def exhibition_panel():
    return selectors.dashboard_figures()


@register.inclusion_tag("exhibitions/_young.html")
def young_founders_table():
    return {"young": selectors.young_founders_by_year()}
