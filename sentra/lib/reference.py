"""Where the reference files (areas, KBLI, subsectors) live, and how they are read."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

REFERENCE_DIR: Path = settings.BASE_DIR / "reference"


def rows(path: Path) -> list[dict[str, str]]:
    """Every row of a UTF-8 CSV file as text (codes keep their leading zeros)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
