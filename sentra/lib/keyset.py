"""Keyset ("cursor") pagination over any ordering that ends in a unique column.

The cursor holds the last row's values of the ordering columns, so the next page is
`WHERE (ordering) > (those values)`: as fast on page 1,000 as on page 1, and stable
while rows are added. NULLs sort first on SQLite and last on PostgreSQL (ascending);
the condition follows the database.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet


class BadCursor(ValueError):
    pass


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if "$d" in value:
            text = value["$d"]
            return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        if "$n" in value:
            return Decimal(value["$n"])
        raise BadCursor("cursor")
    return value


def encode(values: Sequence[Any]) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, *, length: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("cursor") from exc
    if not isinstance(values, list) or len(values) != length:
        raise BadCursor("cursor")
    return [_unplain(v) for v in values]


def _after(column: str, value: Any, *, descending: bool) -> Q:
    """Rows strictly after `value` in this column's order."""
    nulls_first = connection.vendor == "sqlite"  # ascending order
    if descending:
        nulls_first = not nulls_first
    if value is None:
        # After NULL come the values if NULLs sort first, nothing if they sort last.
        return Q(**{f"{column}__isnull": False}) if nulls_first else Q(pk__in=[])
    step = Q(**{f"{column}__lt" if descending else f"{column}__gt": value})
    return step if nulls_first else step | Q(**{f"{column}__isnull": True})


def _equal(column: str, value: Any) -> Q:
    return Q(**{f"{column}__isnull": True}) if value is None else Q(**{column: value})


def after(qs: QuerySet[Any], ordering: Sequence[str], values: Sequence[Any]) -> QuerySet[Any]:
    """`qs` from just after the row whose ordering columns held `values`."""
    condition = Q(pk__in=[])
    prefix = Q()
    for field, value in zip(ordering, values, strict=True):
        column = field.lstrip("-")
        condition |= prefix & _after(column, value, descending=field.startswith("-"))
        prefix &= _equal(column, value)
    return qs.filter(condition)


def page(
    qs: QuerySet[Any], ordering: Sequence[str], *, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of `qs` ordered by `ordering`, and the cursor of the next page (or None)."""
    if cursor:
        qs = after(qs, ordering, decode(cursor, length=len(ordering)))
    rows = list(qs.order_by(*ordering)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return rows, None
    last = rows[-1]
    return rows, encode([_value(last, f.lstrip("-")) for f in ordering])


def _value(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part) if obj is not None else None
    return obj
