"""Duplicate warnings before a save: apps register a finder instead of the registry
importing them (the linkage app registers `linkage.selectors.registered_twins`).

    from sentra.lib import duplicates
    duplicates.register(finder)   # finder(*, record: dict) -> list[dict]
    duplicates.find(record={...}) # every finder's hits, in registration order

A hit is {"ikm_id", "name", "owner_name", "desa", "reasons": [msgid, ...]}.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Hit = dict[str, Any]

_finders: list[Callable[..., list[Hit]]] = []


def register(finder: Callable[..., list[Hit]]) -> None:
    if finder not in _finders:
        _finders.append(finder)


def find(*, record: dict[str, Any]) -> list[Hit]:
    seen: set[int] = set()
    hits = []
    for finder in _finders:
        for hit in finder(record=record):
            if hit["ikm_id"] not in seen:
                seen.add(hit["ikm_id"])
                hits.append(hit)
    return hits
