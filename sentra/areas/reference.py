"""Loading the reference data (areas, KBLI, ekraf subsectors) from the CSV/GeoJSON files.

Used by the initial data migrations and by `manage.py load_reference` for another
city's files. Every `kode` is read as text: KBLI codes have leading zeros.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.conf import settings

REFERENCE_DIR = settings.BASE_DIR / "reference"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_areas(Area, directory: Path = REFERENCE_DIR) -> int:  # noqa: N803 (model class)
    """Insert or update the area tree; parents before children."""
    rows = _rows(directory / "denpasar_induk.csv") + _rows(directory / "denpasar_wilayah.csv")
    postal = {r["kode"]: r["kode_pos"] for r in _rows(directory / "denpasar_kodepos.csv")}
    shapes: dict[str, tuple[dict, float | None]] = {}
    for name in ("denpasar_kecamatan.geojson", "denpasar_desa.geojson"):
        path = directory / name
        if path.exists():
            for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
                props = feature["properties"]
                shapes[props["kode"]] = (feature["geometry"], props.get("luas_km2_approx"))
    level_of = {
        "provinsi": ("provinsi", ""),
        "kabupaten_kota": ("kabupaten_kota", ""),
        "kecamatan": ("kecamatan", ""),
        "desa": ("desa_kelurahan", "desa"),
        "kelurahan": ("desa_kelurahan", "kelurahan"),
    }
    rows.sort(key=lambda r: (r["kode"].count("."), r["kode"]))
    for row in rows:
        level, kind = level_of[row["jenis"]]
        geometry, area_km2 = shapes.get(row["kode"], (None, None))
        Area.objects.update_or_create(
            code=row["kode"],
            defaults={
                "name": row["nama"],
                "level": level,
                "village_kind": kind,
                "parent_id": row["kode_induk"] or None,
                "postal_code": postal.get(row["kode"], ""),
                "geometry": geometry,
                "area_km2": area_km2,
            },
        )
    return len(rows)


def load_kbli(Kbli, directory: Path = REFERENCE_DIR) -> int:  # noqa: N803
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


def load_subsectors(Subsector, directory: Path = REFERENCE_DIR) -> int:  # noqa: N803
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
