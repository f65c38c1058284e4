"""Long work in a background task that reports progress: the work runs in a thread
while the caller's thread writes progress every few tenths of a second, so a solver's
callbacks only store and every database write stays in the task's own thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

TICK_EVERY = 0.5  # seconds between two progress writes


def run_with_ticks[T](
    work: Callable[[], T], on_tick: Callable[[], None], *, every: float = TICK_EVERY
) -> T:
    """`work()` in a thread, `on_tick()` every `every` seconds and once at the end; the
    work's exception is raised here, in the caller's thread."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # re-raised below, in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="sentra-background", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(every)
        on_tick()
    if "error" in box:
        raise box["error"]
    result: T = box["result"]
    return result
