"""Synthetic exhibition data (filled in below)."""


def build(*, rng, scale: int, stdout) -> None:
    return None
