"""Are the atlas analytics tables current? Every atlas read asks first.

Above both the rebuild (`summary`) and the task that runs it (`tasks`): a stale table
asks for a background rebuild and the page shows the figures it has with their time.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sentra.atlas.summary import RETRY_AFTER, Freshness, building_marker, refresh, refresh_state
from sentra.atlas.tasks import request_refresh
from sentra.lib.cache import data_version


def current(*, today: date | None = None) -> Freshness:
    """The tables' freshness, asking for a rebuild when the registry moved on."""
    today = today or timezone.localdate()
    state = refresh_state()
    version = data_version()
    if state.built_at is None:
        refresh(today=today)  # never built: nothing to show yet, so build now
        state = refresh_state()
    elif state.built_version != version or state.built_on != today:
        overdue = state.requested_at and state.requested_at < timezone.now() - RETRY_AFTER
        if state.pending and overdue:
            # No worker has picked the request up (none running, or one stuck): rebuild
            # here, so the figures are never more than RETRY_AFTER behind.
            refresh(today=today)
        elif state.building != building_marker(version, today):
            # Unless the rebuild running now already reads this version: a second one
            # would only make the next change wait for both.
            request_refresh()
        state = refresh_state()  # the immediate backend (tests) has rebuilt already
    stale = state.built_version != version or state.built_on != today
    return Freshness(state.built_at, state.built_on, state.seconds, stale)
