"""The certification page's snapshot: recompute it from the registry.

Reads only, then one short UPDATE of the snapshot row: nothing an office user edits is
held while the figures are counted (seconds at 400k IKM).
"""

from __future__ import annotations

import logging
import time
from datetime import date

from django.utils import timezone

from sentra.certification.models import ProgressSnapshot
from sentra.certification.selectors import figures_to_json, progress_figures, progress_snapshot
from sentra.lib.cache import data_version

logger = logging.getLogger(__name__)


def progress_snapshot_refresh(*, today: date | None = None) -> ProgressSnapshot:
    today = today or timezone.localdate()
    started = time.monotonic()
    pk = progress_snapshot().pk
    version = data_version()
    # Changes committed from here on ask for the next rebuild.
    ProgressSnapshot.objects.filter(pk=pk).update(pending=False)
    figures = figures_to_json(progress_figures(on=today))
    seconds = time.monotonic() - started
    ProgressSnapshot.objects.filter(pk=pk).update(
        built_version=version,
        built_on=today,
        built_at=timezone.now(),
        seconds=seconds,
        figures=figures,
    )
    logger.info("certification progress recomputed in %.1f s (data %s)", seconds, version)
    return ProgressSnapshot.objects.get(pk=pk)
