"""The open data: aggregates of the registry that anyone may download, without login.

Every table is read from the atlas's summary tables (never from IKM rows), so no
personal field can reach it, and every count below `SUPPRESS_BELOW` IKM is hidden with
its complements (`disclosure.suppress`). A table is computed once per rebuild of the
summary tables and kept as a `Release`, so every download of one version is the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.areas.models import Area, Level
from sentra.atlas import freshness
from sentra.atlas.models import Cell, YearCell
from sentra.opendata.disclosure import ALL, Dimension, Key, Table, build_table, suppress
from sentra.opendata.models import Release
from sentra.registry.scale import Scale
from sentra.sectors.models import Scheme, Subsector

SUPPRESS_BELOW = getattr(settings, "SENTRA_OPEN_DATA_MIN_CELL", 3)
NONE = "bukan_ekraf"  # IKM outside the creative economy
UNKNOWN_SCALE = "tidak_diketahui"
MEASURES = ("n", "workers_male", "workers_female", "workers", "investment")


@dataclass(frozen=True)
class Column:
    name: str
    title: object  # lazy translation
    type: str  # Frictionless Table Schema type
    description: object
    unit: str = ""


COLUMNS: dict[str, Column] = {
    c.name: c
    for c in [
        Column(
            "tahun",
            _("Tahun"),
            "integer",
            _("Tahun data (posisi akhir tahun, atau hari ini untuk tahun berjalan)."),
        ),
        Column(
            "tingkat_wilayah",
            _("Tingkat wilayah"),
            "string",
            _("kota, kecamatan atau desa_kelurahan."),
        ),
        Column(
            "kode_wilayah",
            _("Kode wilayah"),
            "string",
            _("Kode wilayah Kemendagri (Permendagri 72/2019 dan pemutakhirannya)."),
        ),
        Column("nama_wilayah", _("Nama wilayah"), "string", _("Nama wilayah menurut Kemendagri.")),
        Column(
            "kode_subsektor",
            _("Kode subsektor"),
            "string",
            _(
                "Kode subsektor ekonomi kreatif (Bekraf); kosong = semua subsektor; bukan_ekraf = di luar ekonomi kreatif."
            ),
        ),
        Column(
            "nama_subsektor", _("Nama subsektor"), "string", _("Nama subsektor ekonomi kreatif.")
        ),
        Column(
            "kode_kbli",
            _("Kode KBLI"),
            "string",
            _("Kelompok KBLI 2020 (3 digit, Peraturan BPS 2/2020); kosong = semua."),
        ),
        Column(
            "skala_usaha",
            _("Skala usaha"),
            "string",
            _("Skala usaha menurut PP 7/2021 (mikro, kecil, menengah); kosong = semua skala."),
        ),
        Column(
            "jumlah_ikm",
            _("Jumlah IKM"),
            "integer",
            _("IKM aktif (tanpa tanggal tutup) yang tercatat di dinas."),
            "unit usaha",
        ),
        Column(
            "tenaga_kerja_laki",
            _("Tenaga kerja laki-laki"),
            "integer",
            _("Tenaga kerja laki-laki (dibayar dan tidak dibayar)."),
            "orang",
        ),
        Column(
            "tenaga_kerja_perempuan",
            _("Tenaga kerja perempuan"),
            "integer",
            _("Tenaga kerja perempuan (dibayar dan tidak dibayar)."),
            "orang",
        ),
        Column(
            "tenaga_kerja",
            _("Tenaga kerja"),
            "integer",
            _("Seluruh tenaga kerja, termasuk yang tanpa rincian jenis kelamin."),
            "orang",
        ),
        Column(
            "investasi_rp",
            _("Nilai investasi"),
            "integer",
            _("Nilai investasi di luar tanah dan bangunan."),
            "rupiah",
        ),
        Column(
            "pertumbuhan_persen",
            _("Pertumbuhan"),
            "number",
            _("Pertumbuhan jumlah IKM aktif dari akhir tahun sebelumnya: stok(T)/stok(T−1) − 1."),
            "persen",
        ),
        Column(
            "disembunyikan",
            _("Disembunyikan"),
            "boolean",
            _(
                "true: angka sel ini disembunyikan karena kurang dari 3 IKM (termasuk 0), atau untuk melindungi sel semacam itu."
            ),
        ),
    ]
}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    columns: tuple[str, ...]


DATASETS: dict[str, Dataset] = {
    d.slug: d
    for d in [
        Dataset(
            "ikm-wilayah-subsektor",
            _("IKM per wilayah dan subsektor ekonomi kreatif"),
            _(
                "Jumlah IKM aktif, tenaga kerja menurut jenis kelamin dan nilai investasi per kota, kecamatan dan desa/kelurahan, menurut subsektor ekonomi kreatif."
            ),
            (
                "tahun",
                "tingkat_wilayah",
                "kode_wilayah",
                "nama_wilayah",
                "kode_subsektor",
                "nama_subsektor",
                "jumlah_ikm",
                "tenaga_kerja_laki",
                "tenaga_kerja_perempuan",
                "tenaga_kerja",
                "investasi_rp",
                "disembunyikan",
            ),
        ),
        Dataset(
            "ikm-wilayah-skala",
            _("IKM per wilayah dan skala usaha"),
            _(
                "Jumlah IKM aktif, tenaga kerja dan investasi per kota dan kecamatan menurut subsektor dan skala usaha."
            ),
            (
                "tahun",
                "tingkat_wilayah",
                "kode_wilayah",
                "nama_wilayah",
                "kode_subsektor",
                "nama_subsektor",
                "skala_usaha",
                "jumlah_ikm",
                "tenaga_kerja_laki",
                "tenaga_kerja_perempuan",
                "tenaga_kerja",
                "investasi_rp",
                "disembunyikan",
            ),
        ),
        Dataset(
            "pertumbuhan-ikm",
            _("Pertumbuhan IKM per tahun"),
            _(
                "IKM aktif pada akhir tiap tahun lengkap dan pertumbuhannya, per kota dan kecamatan menurut subsektor ekonomi kreatif."
            ),
            (
                "tahun",
                "tingkat_wilayah",
                "kode_wilayah",
                "nama_wilayah",
                "kode_subsektor",
                "nama_subsektor",
                "jumlah_ikm",
                "pertumbuhan_persen",
                "disembunyikan",
            ),
        ),
    ]
}


# --- the hierarchies -------------------------------------------------------------------


# One row of a published table: its dataset's columns (`DATASETS[slug].columns`) with
# plain values (None where the cell is suppressed).
PublishedRow = dict[str, str | int | float | bool | None]


def _areas() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """desa → kecamatan → city (ALL), and each code's (level, name)."""
    city = settings.SENTRA_CITY_CODE
    parent: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {ALL: ("kota", "")}
    for code, name, level, parent_code in Area.objects.filter(code__startswith=city).values_list(
        "code", "name", "level", "parent_id"
    ):
        if code == city:
            names[ALL] = ("kota", name)
        elif level == Level.DISTRICT:
            parent[code] = ALL
            names[code] = ("kecamatan", name)
        elif level == Level.VILLAGE:
            parent[code] = parent_code
            names[code] = ("desa_kelurahan", name)
    return parent, names


def _subsectors() -> dict[str, str]:
    names = dict(
        Subsector.objects.filter(scheme=Scheme.BEKRAF_16)
        .values_list("code", "name")
        .order_by("code")
    )
    names[NONE] = str(_("Bukan ekonomi kreatif"))
    return names


def _scales() -> dict[str, str]:
    return {**{s.value: str(s.label) for s in Scale}, UNKNOWN_SCALE: str(_("Tidak diketahui"))}


# --- computing a table -------------------------------------------------------------------


def _stock_base(*, by_desa: bool, by_scale: bool) -> dict[Key, dict[str, int]]:
    """Measures per finest cell of the current stock, from the summary table."""
    area = "desa_id" if by_desa else "kecamatan_id"
    keys = [area, "subsector_id"] + (["scale"] if by_scale else [])
    rows = (
        Cell.objects.filter(active=True)
        .values(*keys)
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by()
    )
    base: dict[Key, dict[str, int]] = {}
    for row in rows:
        key = (row[area], row["subsector_id"] or NONE) + (
            ((row["scale"] or UNKNOWN_SCALE),) if by_scale else ()
        )
        base[key] = {m: int(row[m] or 0) for m in MEASURES}
    return base


def _sums(table: Table, base: dict[Key, dict[str, int]], measure: str) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for cell, leaves in table.leaves.items():
        out[cell] = sum(base.get(leaf, {}).get(measure, 0) for leaf in leaves)
    return out


def _stock_rows(slug: str, *, year: int) -> list[PublishedRow]:
    by_desa = slug == "ikm-wilayah-subsektor"
    by_scale = slug == "ikm-wilayah-skala"
    area_parent, area_names = _areas()
    if not by_desa:
        area_parent = {c: p for c, p in area_parent.items() if p == ALL}
    subsectors, scales = _subsectors(), _scales()
    dims = [Dimension("area", area_parent), Dimension("subsector", dict.fromkeys(subsectors, ALL))]
    if by_scale:
        dims.append(Dimension("scale", dict.fromkeys(scales, ALL)))
    base = _stock_base(by_desa=by_desa, by_scale=by_scale)
    table = build_table(dims, {k: v["n"] for k, v in base.items()})
    hidden = suppress(table, threshold=SUPPRESS_BELOW)
    sums = {m: _sums(table, base, m) for m in MEASURES if m != "n"}
    rows: list[PublishedRow] = []
    for cell in sorted(table.counts, key=lambda c: _order(c, area_names)):
        level, area_name = area_names.get(cell[0], ("", ""))
        sub = cell[1]
        row: PublishedRow = {
            "tahun": year,
            "tingkat_wilayah": level,
            "kode_wilayah": settings.SENTRA_CITY_CODE if cell[0] == ALL else cell[0],
            "nama_wilayah": area_name,
            "kode_subsektor": "" if sub == ALL else sub,
            "nama_subsektor": "" if sub == ALL else subsectors.get(sub, sub),
        }
        if by_scale:
            row["skala_usaha"] = "" if cell[2] == ALL else cell[2]
        shown = cell not in hidden
        row["jumlah_ikm"] = table.counts[cell] if shown else None
        row["tenaga_kerja_laki"] = sums["workers_male"][cell] if shown else None
        row["tenaga_kerja_perempuan"] = sums["workers_female"][cell] if shown else None
        row["tenaga_kerja"] = sums["workers"][cell] if shown else None
        row["investasi_rp"] = sums["investment"][cell] if shown else None
        row["disembunyikan"] = not shown
        rows.append(row)
    return rows


def _order(cell: Key, names: dict[str, tuple[str, str]]) -> tuple[Any, ...]:
    """Rows city first, then kecamatan, then desa; totals before their parts."""
    rank = {"kota": 0, "kecamatan": 1, "desa_kelurahan": 2}
    return (rank.get(names.get(cell[0], ("",))[0], 3), cell[0], *((c != ALL, c) for c in cell[1:]))


def _growth_rows(*, year: int) -> list[PublishedRow]:
    """Stock at the end of each complete year per kecamatan × subsector; a year's growth
    is shown only where both years' counts are."""
    area_parent, area_names = _areas()
    area_parent = {c: p for c, p in area_parent.items() if p == ALL}
    subsectors = _subsectors()
    dims = [Dimension("area", area_parent), Dimension("subsector", dict.fromkeys(subsectors, ALL))]
    flows: dict[Key, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    years_seen: set[int] = set()
    for row in (
        YearCell.objects.filter(year__isnull=False, year__lt=year)
        .values("kecamatan_id", "subsector_id", "year")
        .annotate(entered=Sum("entered"), exited=Sum("exited"))
        .order_by()
    ):
        key = (row["kecamatan_id"], row["subsector_id"] or NONE)
        year_of_row = row["year"] or 0  # never 0: year__isnull=False above
        flows[key][year_of_row] += int(row["entered"] or 0) - int(row["exited"] or 0)
        years_seen.add(year_of_row)
    if not years_seen:
        return []
    # Ten complete years; the year before the first is needed for its growth, and is
    # suppressed like the others so a published rate cannot give it away.
    first = max(min(years_seen), year - 10)
    out: list[PublishedRow] = []
    previous: dict[Key, int | None] = {}
    for y in range(first - 1, year):
        base = {k: sum(v for yy, v in f.items() if yy <= y) for k, f in flows.items()}
        table = build_table(dims, {k: max(v, 0) for k, v in base.items()})
        hidden = suppress(table, threshold=SUPPRESS_BELOW)
        current = {c: (None if c in hidden else n) for c, n in table.counts.items()}
        if y >= first:
            for cell in sorted(table.counts, key=lambda c: _order(c, area_names)):
                n, before = current[cell], previous.get(cell)
                level, area_name = area_names.get(cell[0], ("", ""))
                out.append(
                    {
                        "tahun": y,
                        "tingkat_wilayah": level,
                        "kode_wilayah": settings.SENTRA_CITY_CODE if cell[0] == ALL else cell[0],
                        "nama_wilayah": area_name,
                        "kode_subsektor": "" if cell[1] == ALL else cell[1],
                        "nama_subsektor": "" if cell[1] == ALL else subsectors.get(cell[1], ""),
                        "jumlah_ikm": n,
                        "pertumbuhan_persen": round(100 * (n / before - 1), 2)
                        if n is not None and before
                        else None,
                        "disembunyikan": n is None,
                    }
                )
        previous = current
    return out


def compute(slug: str, *, year: int) -> list[PublishedRow]:
    if slug == "pertumbuhan-ikm":
        return _growth_rows(year=year)
    return _stock_rows(slug, year=year)


def release(slug: str, *, today: date | None = None) -> Release:
    """The published table for the summary tables' current build, computed once."""
    if slug not in DATASETS:
        raise KeyError(slug)
    fresh = freshness.current(today=today)
    stamp = fresh.stamp
    found = Release.objects.filter(dataset=slug, stamp=stamp).first()
    if found:
        return found
    year = (fresh.built_on or timezone.localdate()).year
    rows = compute(slug, year=year)
    with transaction.atomic():
        found, _created = Release.objects.get_or_create(
            dataset=slug,
            stamp=stamp,
            defaults={
                "rows": rows,
                "period": year,
                "as_of": fresh.built_at or timezone.now(),
                "hidden": sum(1 for r in rows if r["disembunyikan"]),
            },
        )
        Release.objects.filter(dataset=slug).exclude(pk=found.pk).delete()
    return found


def geojson(rel: Release, *, level: str) -> dict[str, Any]:
    """The table's rows of one area level as GeoJSON features with the area's boundary."""
    rows = [r for r in rel.rows if r["tingkat_wilayah"] == level]
    shapes = dict(
        Area.objects.filter(code__in={r["kode_wilayah"] for r in rows}).values_list(
            "code", "geometry"
        )
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": shapes.get(r["kode_wilayah"]), "properties": r}
            for r in rows
        ],
    }


def rows_as_table(rel: Release) -> tuple[list[str], Iterable[list[Any]]]:
    columns = list(DATASETS[rel.dataset].columns)
    return columns, ([row.get(c) for c in columns] for row in rel.rows)
