"""Are the atlas analytics tables current? Every atlas read asks first.

Above both the rebuild (`summary`) and the task that runs it (`tasks`): the rule itself
(stale when the data or the day moved; a background rebuild; a request rebuilds what no
worker took) is `sentra.lib.freshness`, shared with the certification page.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sentra.atlas.summary import Freshness, refresh, refresh_state
from sentra.atlas.tasks import request_refresh
from sentra.lib.freshness import keep_current


def current(*, today: date | None = None) -> Freshness:
    """The tables' freshness, asking for a rebuild when the registry moved on."""
    day = today or timezone.localdate()
    kept = keep_current(
        refresh_state(),
        rebuild=lambda: refresh(today=day),
        enqueue=request_refresh,
        today=day,
        # A rebuild running now from these very data: a second would add nothing.
        started=lambda state: state.building,
    )
    state = kept.row
    return Freshness(state.built_at, state.built_on, state.seconds, kept.stale)
