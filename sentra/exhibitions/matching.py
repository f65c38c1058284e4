"""How exhibitions match applicants and students to the registry: the thresholds and
the record shapes. The engine itself is called through `sentra.linkage.matching`
(shared with the coaching attendance lists), re-exported here.
"""

from __future__ import annotations

from datetime import date

from sentra.linkage.matching import RegistryMatch, registry_matches

__all__ = [
    "STUDENT_THRESHOLD",
    "SIGNUP_THRESHOLD",
    "RegistryMatch",
    "birth_dates_agree",
    "registry_matches",
    "student_record",
]

# A sign-up is linked to an existing IKM only when the engine is quite sure; below this
# the applicant becomes a new IKM "perlu diverifikasi" and the officer decides.
SIGNUP_THRESHOLD = 0.9
# A student-to-owner link is only ever proposed (an officer confirms), so it may be looser.
STUDENT_THRESHOLD = 0.5


def student_record(*, name: str, nik: str = "", phone: str = "") -> dict:
    """A student as the engine sees an IKM owner: the owner fields only."""
    return {"owner_name": name, "owner_nik": nik, "owner_phone": phone}


def birth_dates_agree(student_birth: date | None, owner_birth: date | None) -> bool:
    """The engine does not compare birth dates; a known, different one rules a pair out."""
    return student_birth is None or owner_birth is None or student_birth == owner_birth
