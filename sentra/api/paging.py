"""Cursor pagination for every API list (sentra.lib.keyset), one page schema shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query
from ninja.errors import HttpError

MAX_LIMIT = 200
CURSOR_HELP = "Kirim sebagai ?cursor= untuk halaman berikutnya; null di halaman terakhir."


def limit_param(default: int = 50) -> Any:
    return Query(default, ge=1, le=MAX_LIMIT)


def next_cursor_field() -> Any:
    return Field(description=CURSOR_HELP)


def paged(
    qs: QuerySet[Any], ordering: Sequence[str], *, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of `qs` in `ordering` (ending in a unique column); a bad cursor is a 400."""
    from sentra.lib import keyset

    try:
        return keyset.page(qs, ordering, cursor=cursor, limit=limit)
    except keyset.BadCursor as exc:
        raise HttpError(400, _("Cursor tidak valid.")) from exc
