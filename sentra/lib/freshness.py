"""Summaries rebuilt in the background when the data move on: the one freshness rule.

The atlas analytics tables (`atlas.freshness`) and the certification page's figures
(`certification.tasks.progress_current`) are each one costly computation kept in a state
row (`built_version`, `built_on`, `built_at`, `pending`, `requested_at`). The rule:

- a summary is stale when the data version (`cache.data_version`) or the day (certificates
  expire) has moved since it was built;
- a stale summary asks for one background rebuild and the page shows the figures it has
  with their time, so the first request after a change stays fast;
- a requested rebuild no worker has taken after RETRY_AFTER (none running, or one stuck) is
  done by the request that finds it, so figures are never further behind than that;
- only a summary never built is built in the request at once: there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from django.db.models import Model
from django.utils import timezone

from sentra.lib.cache import data_version

RETRY_AFTER = timedelta(minutes=15)


class BuildState(Protocol):
    """The fields a summary's state row keeps (a model instance: it can be reloaded)."""

    built_version: str
    built_on: date | None
    built_at: datetime | None
    pending: bool
    requested_at: datetime | None

    def refresh_from_db(self) -> None: ...


@dataclass(frozen=True)
class Current[S: BuildState]:
    row: S  # the state row as it is after any rebuild this call did or saw
    stale: bool  # the data moved on since; a rebuild is on its way


def building_marker(version: str, today: date) -> str:
    """What a rebuild records when it starts: the data version and day it reads."""
    return f"{version}@{today}"


def keep_current[S: BuildState](
    row: S,
    *,
    rebuild: Callable[[], S],
    enqueue: Callable[[], object],
    today: date,
    started: Callable[[S], str] | None = None,
) -> Current[S]:
    """Keep the summary behind `row` current by the rule above.

    `rebuild()` builds it now (for `today`) and returns the state row; `enqueue()` asks
    for a background rebuild (`request_rebuild`). `started(row)`, when the summary records
    it, is the `building_marker` of the rebuild running now: readers that find this very
    version being built wait for it, since a second rebuild would only make the next
    change wait for both.
    """
    version = data_version()
    if row.built_at is None:
        row = rebuild()  # never built: nothing to show yet, so build now
    elif row.built_version != version or row.built_on != today:
        overdue = row.requested_at and row.requested_at < timezone.now() - RETRY_AFTER
        if row.pending and overdue:
            row = rebuild()  # no worker has taken the request
        else:
            if started is None or started(row) != building_marker(version, today):
                enqueue()
            row.refresh_from_db()  # the immediate backend (tests) has rebuilt already
    stale = row.built_version != version or row.built_on != today
    return Current(row, stale)


def request_rebuild(row: Model, *, enqueue: Callable[[], object]) -> bool:
    """Enqueue one rebuild unless one is already pending; True if this call enqueued.

    The claim is one conditional UPDATE, so of two requests at once only one enqueues.
    """
    claimed = (
        type(row)
        ._default_manager.filter(pk=row.pk, pending=False)
        .update(pending=True, requested_at=timezone.now())
    )
    if claimed:
        enqueue()
    return bool(claimed)
