"""Masking of personal data for those who may not see it."""


def mask(value: str | None, keep: int = 4) -> str:
    """Keep the last `keep` characters: enough to tell two records apart on a call, no more."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= keep:
        return "•" * len(value)
    return "•" * (len(value) - keep) + value[-keep:]
