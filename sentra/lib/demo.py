"""Demo-data hooks: each app adds its synthetic records after the registry's.

    from sentra.lib import demo
    demo.register("coaching", build)   # build(*, rng: random.Random, scale: int, stdout) -> None
    demo.register_after("atlas", rebuild)   # rebuild(*, stdout) -> None
    demo.register_marker(demo_data_present)   # () -> bool

`manage.py demo_data` runs the build hooks in registration order, inside its
transaction, after the IKM exist. Every build hook must be deterministic for a given
rng. The after hooks run once the data and the planner statistics are in place (bulk
loads write no audit entries, so derived tables are rebuilt there). A marker tells the
pages that synthetic data are present (every page then says so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_hooks: list[tuple[str, Callable[..., Any]]] = []
_after: list[tuple[str, Callable[..., Any]]] = []
_markers: list[Callable[[], bool]] = []


def register(name: str, build: Callable[..., Any]) -> None:
    if all(existing != name for existing, _ in _hooks):
        _hooks.append((name, build))


def hooks() -> list[tuple[str, Callable[..., Any]]]:
    return list(_hooks)


def register_after(name: str, hook: Callable[..., Any]) -> None:
    if all(existing != name for existing, _ in _after):
        _after.append((name, hook))


def after_hooks() -> list[tuple[str, Callable[..., Any]]]:
    return list(_after)


def register_marker(present: Callable[[], bool]) -> None:
    if present not in _markers:
        _markers.append(present)


def present() -> bool:
    """True when any app holds synthetic demo records."""
    return any(marker() for marker in _markers)
