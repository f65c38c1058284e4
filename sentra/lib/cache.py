"""Figures cached until the data change.

Aggregates over 400k IKM take a second or more on SQLite; the same figures are read by
every profile, the dashboard, the map and the coaching page. They are cached under a key
that includes a *data version*: the highest id of each watched table. Apps watch their
tables in AppConfig.ready() (`cache.watch(Model)`): the audit trail (every service
writes an entry, so any edit, close, import, coaching or certification change moves it),
the IKM table, coaching participations and certification outcomes (bulk demo loads write
no audit entries). A change therefore makes the next read recompute;
SENTRA_ATLAS_CACHE_SECONDS (default 600, 0 under tests) bounds how long an entry lives.

Two tiers: Django's cache (files in var/cache, shared by every web worker, so one worker
computes a figure for all) and, in front of it, the last entries this process read, kept
as objects: unpickling a profile costs more than the page's own work. A cached value is
therefore shared between requests; readers never change it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Model

_watched: list[type[Model]] = []
_local: dict[str, tuple[float, object]] = {}
LOCAL_ENTRIES = 256


def watch(*models: type[Model]) -> None:
    """Make the data version move whenever a row is added to one of `models`."""
    for model in models:
        if model not in _watched:
            _watched.append(model)


def ttl() -> int:
    default = "0" if getattr(settings, "TESTING", False) else "600"
    return int(os.environ.get("SENTRA_ATLAS_CACHE_SECONDS", default))


def data_version() -> str:
    """The highest id of each watched table, read in one statement: every cached figure
    of a page asks for it, and nine aggregates a figure were most of a dashboard's queries."""
    if not _watched:
        return ""
    quote = connection.ops.quote_name
    ends = ", ".join(
        f"(SELECT max({quote(str(model._meta.pk.column))}) FROM {quote(model._meta.db_table)})"
        for model in _watched
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {ends}")  # table and column names from the models only
        parts = cursor.fetchone()
    return "-".join(str(p or 0) for p in parts)


def cached[T](name: str, build: Callable[[], T], *, version: str | None = None) -> T:
    """build() once per data version (and at most every ttl() seconds).

    `version` replaces the data version for figures read from the analytics tables
    (`atlas.summary.Freshness.stamp`): they change when the tables are rebuilt, not before.
    """
    seconds = ttl()
    if seconds <= 0:
        return build()
    key = f"sentra-atlas:{name}:{version or data_version()}"
    hit = _local.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]  # type: ignore[return-value]
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    _keep(key, value, seconds)
    return value


def kept[T](name: str, build: Callable[[], T], *, seconds: float) -> T:
    """build() at most every `seconds`, kept in this process only: for a value that is
    cheap to rebuild and only steers how something is read (a search's plan), where a
    data version would cost more than the value. Not kept when ttl() is 0 (under tests)."""
    if ttl() <= 0:
        return build()
    key = f"sentra-kept:{name}"
    hit = _local.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]  # type: ignore[return-value]
    value = build()
    _keep(key, value, seconds)
    return value


def _keep(key: str, value: object, seconds: float) -> None:
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()  # old data versions pile up otherwise; refilled from the shared tier
    _local[key] = (time.monotonic() + seconds, value)


def clear() -> None:
    """Forget every cached figure, in this process and in the shared cache."""
    _local.clear()
    cache.clear()
