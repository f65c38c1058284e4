"""Machine-readable catalogue of the open data: a Frictionless Data Package and CKAN
`package_create` metadata, both built from `selectors.DATASETS` and `COLUMNS`, so the
data dictionary page, the package and the portal never disagree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sentra.opendata.selectors import COLUMNS, DATASETS, SUPPRESS_BELOW

LICENSES = {
    # SPDX id → (title, URL, CKAN licence id)
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "cc-by",
    ),
    "CC0-1.0": (
        "Creative Commons Zero 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "cc-zero",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        "odc-odbl",
    ),
}
SOURCE = "Registri IKM Sentra (data dinas, diolah dari tabel ringkasan)"


def license_info() -> dict[str, Any]:
    spdx = getattr(settings, "SENTRA_OPEN_DATA_LICENSE", "CC-BY-4.0")
    title, url, ckan = LICENSES.get(spdx, (spdx, "", spdx.lower()))
    return {"name": spdx, "title": title, "path": url, "ckan_id": ckan}


def _absolute(base: str, url: str) -> str:
    """`url` on this site; `base` is its public scheme and host ("" keeps it relative)."""
    return base.rstrip("/") + url


def _fields(slug: str) -> list[dict[str, object]]:
    out = []
    for name in DATASETS[slug].columns:
        column = COLUMNS[name]
        field: dict[str, object] = {
            "name": name,
            "type": column.type,
            "title": str(column.title),
            "description": str(column.description),
        }
        if column.unit:
            field["unit"] = column.unit
        if column.type == "boolean":  # how lib.tabular writes booleans in CSV
            field |= {"trueValues": ["ya"], "falseValues": ["tidak"]}
        out.append(field)
    return out


def datapackage(base: str = "") -> dict[str, Any]:
    """A Frictionless Data Package (datapackage.json) with one CSV resource per table."""
    lic = license_info()
    return {
        "profile": "tabular-data-package",
        "name": "sentra-ikm-" + settings.SENTRA_CITY_CODE.replace(".", "-"),
        "title": f"Data terbuka IKM — {settings.SENTRA_OFFICE_NAME}",
        "description": (
            "Agregat IKM per wilayah (kode Kemendagri), subsektor ekonomi kreatif, skala usaha "
            f"dan tahun. Sel dengan kurang dari {SUPPRESS_BELOW} IKM (termasuk 0) disembunyikan, "
            "beserta sel pelindungnya, sehingga tidak dapat dihitung ulang dari totalnya; setiap "
            "kombinasi wilayah, subsektor dan skala adalah satu baris."
        ),
        "licenses": [{"name": lic["name"], "title": lic["title"], "path": lic["path"]}],
        "sources": [{"title": SOURCE}],
        "contributors": [{"title": settings.SENTRA_OFFICE_NAME, "role": "publisher"}],
        "keywords": ["IKM", "industri kecil menengah", "ekonomi kreatif", "Satu Data Indonesia"],
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [
            {
                "name": slug,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "path": _absolute(base, reverse("opendata:download", args=[slug, "csv"])),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": _fields(slug), "missingValues": [""]},
            }
            for slug, dataset in DATASETS.items()
        ],
    }


def ckan_package(slug: str, base: str = "") -> dict[str, Any]:
    """The body of CKAN's `package_create` (or `package_update`) for one table."""
    dataset, lic = DATASETS[slug], license_info()
    name = f"{slug}-{settings.SENTRA_CITY_CODE.replace('.', '-')}"
    resources = [
        {
            "name": f"{dataset.title} ({fmt.upper()})",
            "url": _absolute(base, reverse("opendata:download", args=[slug, fmt])),
            "format": fmt.upper(),
            "description": str(dataset.description),
        }
        for fmt in ("csv", "json", "geojson")
    ]
    return {
        "name": name,
        "title": str(dataset.title),
        "notes": str(dataset.description),
        "license_id": lic["ckan_id"],
        "owner_org": getattr(settings, "SENTRA_OPEN_DATA_ORG", "") or None,
        "author": settings.SENTRA_OFFICE_NAME,
        "maintainer": settings.SENTRA_OFFICE_NAME,
        "url": _absolute(base, reverse("opendata:index")),
        "tags": [{"name": t} for t in ("IKM", "industri", "ekonomi-kreatif", "satu-data")],
        "extras": [
            {"key": "kode_wilayah", "value": settings.SENTRA_CITY_CODE},
            {"key": "sumber", "value": SOURCE},
            {"key": "periode", "value": "tahunan"},
            {"key": "kamus_data", "value": _absolute(base, reverse("opendata:dictionary"))},
            {"key": "aturan_penyembunyian", "value": f"sel < {SUPPRESS_BELOW} IKM"},
        ],
        "resources": resources,
    }
