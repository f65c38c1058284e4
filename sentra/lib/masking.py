"""Masking of personal data for those who may not see it."""

from typing import Any


def mask(value: str | None, keep: int = 4) -> str:
    """Keep the last `keep` characters: enough to tell two records apart on a call, no more."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= keep:
        return "•" * len(value)
    return "•" * (len(value) - keep) + value[-keep:]


def mask_personal(field: str, value: Any) -> Any:
    """How one personal field of an IKM owner shows to a role that may not see it:
    pages and exports both call this, so the two never disagree."""
    if value in (None, ""):
        return value
    if field == "owner_birth_date":
        return "••••"
    if field == "owner_email":
        return mask(value, 0)
    return mask(value)
