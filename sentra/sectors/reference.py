"""Loading KBLI 2020 and the ekraf subsectors from the reference CSV files.

Used by the initial data migration and by `manage.py load_reference`. Every `kode` is
read as text: KBLI codes have leading zeros.
"""

from __future__ import annotations

from pathlib import Path

from sentra.lib.reference import REFERENCE_DIR
from sentra.lib.reference import rows as _rows


def load_kbli(Kbli, directory: Path = REFERENCE_DIR) -> int:
    rows = _rows(directory / "kbli2020.csv")
    existing = set(Kbli.objects.values_list("code", flat=True))
    # Parents come before children in the file (kategori, golongan pokok, ...).
    order = {"kategori": 0, "golongan_pokok": 1, "golongan": 2, "subgolongan": 3, "kelompok": 4}
    rows.sort(key=lambda r: order[r["tingkat"]])
    new = [
        Kbli(
            code=r["kode"],
            title=r["judul"],
            level=r["tingkat"],
            section=r["kategori"],
            parent_id=r["kode_induk"] or None,
        )
        for r in rows
        if r["kode"] not in existing
    ]
    Kbli.objects.bulk_create(new, batch_size=1000)
    return len(rows)


def load_subsectors(Subsector, directory: Path = REFERENCE_DIR) -> int:
    rows = _rows(directory / "ekraf_subsektor.csv")
    for r in rows:
        Subsector.objects.update_or_create(
            code=r["kode"],
            defaults={
                "name": r["nama"],
                "name_en": r["nama_en"],
                "scheme": r["skema"],
                "aliases": r["alias"],
            },
        )
    for r in rows:
        sub = Subsector.objects.get(code=r["kode"])
        sub.counterparts.set([c.strip() for c in r["kode_padanan"].split(";") if c.strip()])
    return len(rows)
