"""Demo-data hooks: each app adds its synthetic records after the registry's.

    from sentra.lib import demo
    demo.register("coaching", build)   # build(*, rng: random.Random, scale: int, stdout) -> None

`manage.py demo_data` runs the hooks in registration order, inside its transaction,
after the IKM exist. Every hook must be deterministic for a given rng.
"""

from __future__ import annotations

from collections.abc import Callable

_hooks: list[tuple[str, Callable]] = []


def register(name: str, build: Callable) -> None:
    if all(existing != name for existing, _ in _hooks):
        _hooks.append((name, build))


def hooks() -> list[tuple[str, Callable]]:
    return list(_hooks)
