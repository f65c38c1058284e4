"""The one place where exhibitions call the linkage engine.

The engine's internals are being reworked; everything here goes through
`registry_matches`, so a change of the engine's interface is one edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# A sign-up is linked to an existing IKM only when the engine is quite sure; below this
# the applicant becomes a new IKM "perlu diverifikasi" and the officer decides.
SIGNUP_THRESHOLD = 0.9
# A student-to-owner link is only ever proposed (an officer confirms), so it may be looser.
STUDENT_THRESHOLD = 0.5


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


def student_record(*, name: str, nik: str = "", phone: str = "") -> dict:
    """A student as the engine sees an IKM owner: the owner fields only."""
    return {"owner_name": name, "owner_nik": nik, "owner_phone": phone}


def birth_dates_agree(student_birth: date | None, owner_birth: date | None) -> bool:
    """The engine does not compare birth dates; a known, different one rules a pair out."""
    return student_birth is None or owner_birth is None or student_birth == owner_birth
