"""Main-menu entries. Each app adds its own in AppConfig.ready(), so base.html needs no edits.

nav.register("atlas:map", gettext_lazy("Peta"), order=20)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: StrOrPromise
    order: int = 50
    # A decision of sentra.accounts.permissions (e.g. can_import); None: every signed-in user.
    allowed: Callable[..., bool] | None = None


_items: list[NavItem] = []


def register(
    url_name: str,
    label: StrOrPromise,
    *,
    order: int = 50,
    allowed: Callable[[Any], bool] | None = None,
) -> None:
    if all(item.url_name != url_name for item in _items):
        _items.append(NavItem(url_name, label, order, allowed))


def items_for(user: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in sorted(_items, key=lambda i: i.order):
        if item.allowed is not None and not item.allowed(user):
            continue
        try:
            out.append({"url": reverse(item.url_name), "label": item.label})
        except NoReverseMatch:
            continue
    return out
