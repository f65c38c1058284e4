"""Records from outside the registry (a sign-up, a student, a row of an attendance list)
matched to the registry IKM they likely are: the one place other apps call the linkage
engine, so a change of the engine's interface is one edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RegistryMatch:
    ikm_id: int
    probability: float
    evidence: dict


def registry_matches(
    records: list[dict],
    *,
    threshold: float,
    registry: list[dict] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> list[list[RegistryMatch]]:
    """For each record (a dict of Ikm field names), the registry IKM it likely is, best
    first. One engine run for the whole batch: the registry is prepared once. `progress`
    hears the engine's stage and its percent."""
    from sentra.linkage import engine
    from sentra.linkage.selectors import latest_params, registry_records

    found = engine.by_incoming_row(
        engine.match_incoming(
            incoming=records,
            registry=registry_records() if registry is None else registry,
            params=latest_params(),
            threshold=threshold,
            within_incoming=False,
            progress=progress,
        )
    )
    return [
        [
            RegistryMatch(ikm_id=int(m.right), probability=m.probability, evidence=m.evidence)
            for m in found.get(i, [])
        ]
        for i in range(len(records))
    ]
