"""Loading the area tree from the reference CSV/GeoJSON files (KBLI and subsectors:
sentra.sectors.reference).

Used by the initial data migrations and by `manage.py load_reference` for another
city's files. Every `kode` is read as text: KBLI codes have leading zeros.
"""

from __future__ import annotations

import json
from pathlib import Path

from sentra.lib.reference import REFERENCE_DIR
from sentra.lib.reference import rows as _rows


def load_areas(Area, directory: Path = REFERENCE_DIR) -> int:
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
