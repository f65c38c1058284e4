"""Page numbers and sortable headers for list pages, as plain links (htmx adds hx-get).

Both keep every other query parameter (the filters), so a click never loses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.http import QueryDict


def _url(query: QueryDict, **changes: Any) -> str:
    q = query.copy()
    q.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            q.pop(key, None)
        else:
            q[key] = str(value)
    return "?" + q.urlencode()


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap ("…")
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pager:
    links: list[PageLink]
    previous: str  # "" on the first page
    next: str  # "" on the last page
    first: str
    last: str
    hidden: list[tuple[str, str]]  # the filters, for the "go to page" box


def pager(page: Page[Any], query: QueryDict, *, on_each_side: int = 2) -> Pager:
    """1 … 4 5 [6] 7 8 … 81: the first and last page, the current one with its
    neighbours, gaps in between (Django's elided page range)."""
    paginator = page.paginator
    links = []
    for number in paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=1
    ):
        if not isinstance(number, int):  # Paginator.ELLIPSIS, a lazy "…"
            links.append(PageLink(None))
        else:
            links.append(PageLink(int(number), _url(query, page=number), number == page.number))
    return Pager(
        links=links,
        previous=_url(query, page=page.previous_page_number()) if page.has_previous() else "",
        next=_url(query, page=page.next_page_number()) if page.has_next() else "",
        first=_url(query, page=1),
        last=_url(query, page=paginator.num_pages),
        hidden=[(k, v) for k, values in query.lists() if k != "page" for v in values],
    )


@dataclass(frozen=True)
class SortHeader:
    url: str
    order: str  # "ascending", "descending" or "" (aria-sort; the arrow follows it)


def sort_headers(query: QueryDict, *, current: str, keys: Iterable[str]) -> dict[str, SortHeader]:
    """A header link per sort key: ascending first, the same header again reverses.
    `keys` are the ascending keys; "-key" is the reverse of each."""
    headers = {}
    for key in keys:
        if current == key:
            headers[key] = SortHeader(_url(query, sort=f"-{key}"), "ascending")
        elif current == f"-{key}":
            headers[key] = SortHeader(_url(query, sort=key), "descending")
        else:
            headers[key] = SortHeader(_url(query, sort=key), "")
    return headers
