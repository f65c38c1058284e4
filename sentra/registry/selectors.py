"""Reads from the IKM registry. The list page, the export and the API share `ikm_list`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db import connection
from django.db.models import Aggregate, BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from sentra.accounts.permissions import mask
from sentra.lib.db import Year
from sentra.lib.text import fold
from sentra.registry.models import Ikm, IkmSource, SourceKind

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "desa": ("desa__name", "name", "id"),
    "started": ("started_year", "id"),
    "-started": ("-started_year", "-id"),
    "workers": ("workers_total", "id"),
    "-workers": ("-workers_total", "-id"),
    "investment": ("investment", "id"),
    "-investment": ("-investment", "-id"),
    "-updated": ("-updated_at", "-id"),
}


@dataclass(frozen=True)
class IkmFilters:
    q: str = ""
    kecamatan: str = ""
    desa: str = ""
    subsector: str = ""  # a subsector code, or "none" for bukan ekraf
    kbli_section: str = ""
    scale: str = ""
    status: str = "active"  # active, closed or all
    sort: str = "name"


def filter_area_sector_scale(
    qs: QuerySet, *, kecamatan: str = "", desa: str = "", subsector: str = "", scale: str = ""
) -> QuerySet:
    """The list's area, subsector ("none": bukan ekraf) and scale filters, for any model
    with those columns: the registry and the atlas's summary tables filter alike."""
    if kecamatan:
        qs = qs.filter(kecamatan_id=kecamatan)
    if desa:
        qs = qs.filter(desa_id=desa)
    if subsector == "none":
        qs = qs.filter(subsector__isnull=True)
    elif subsector:
        qs = qs.filter(subsector_id=subsector)
    if scale:
        qs = qs.filter(scale=scale)
    return qs


def ikm_list(*, filters: IkmFilters) -> QuerySet[Ikm]:
    qs: QuerySet[Ikm] = Ikm.objects.all()
    if filters.status == "active":
        qs = qs.filter(closed_on__isnull=True)
    elif filters.status == "closed":
        qs = qs.filter(closed_on__isnull=False)
    qs = filter_area_sector_scale(
        qs,
        kecamatan=filters.kecamatan,
        desa=filters.desa,
        subsector=filters.subsector,
        scale=filters.scale,
    )
    if filters.kbli_section:
        qs = qs.filter(kbli__section=filters.kbli_section)
    if filters.q:
        narrowed = bool(filters.kecamatan or filters.desa or filters.subsector)
        for term in fold(filters.q).split()[:5]:
            qs = _search(qs, term, narrowed=narrowed)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def _sqlite_fts() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'registry_ikm_fts_ai'")
        return cursor.fetchone() is not None


def _search(qs: QuerySet[Ikm], term: str, *, narrowed: bool) -> QuerySet[Ikm]:
    """Substring search on the folded text, through an index where there is one.

    PostgreSQL: LIKE on search_text uses the pg_trgm GIN index. SQLite: the FTS5 trigram
    table answers a phrase query (same result as LIKE '%term%') for terms of three
    characters or more; shorter terms scan. When an area or subsector filter already
    narrows the rows, the unary + keeps SQLite walking that filter's index and probing
    the search result, instead of fetching every matching row by key.
    """
    if connection.vendor == "sqlite" and len(term) >= 3 and _sqlite_fts():
        # A quoted phrase on a trigram table matches the substring, case-insensitively.
        phrase = '"' + term.replace('"', '""') + '"'
        subquery = "SELECT rowid FROM registry_ikm_fts WHERE registry_ikm_fts MATCH %s"
        if narrowed:
            return qs.filter(
                RawSQL(f"+registry_ikm.id IN ({subquery})", [phrase], output_field=BooleanField())
            )
        return qs.filter(id__in=RawSQL(subquery, [phrase]))
    return qs.filter(search_text__contains=term)


def ikm_count(qs: QuerySet[Ikm], *, filters: IkmFilters) -> int:
    """The number of rows of the list.

    SQLite's planner counts all active rows with a full table scan; the partial index on
    active names holds exactly those rows and is a fraction of the size.
    """
    only_status = replace(filters, sort="name") == IkmFilters(status=filters.status)
    if connection.vendor == "sqlite" and only_status and filters.status == "active":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM registry_ikm INDEXED BY ikm_active_name "
                "WHERE closed_on IS NULL"
            )
            return cursor.fetchone()[0]
    return qs.count()


def ikm_page(
    qs: QuerySet[Ikm], *, filters: IkmFilters, page: int | str | None, per_page: int = 50
) -> Page[Any]:
    """One page of the list in two cheap queries.

    The page's ids come from the IKM table alone (so the database walks a partial index
    in name order and stops after one page), then those rows are read with their names.
    Joining first lets SQLite's planner start from the area table and sort everything.
    """
    from django.core.paginator import Paginator

    paginator = Paginator(qs.values_list("id", flat=True), per_page)
    paginator.count = ikm_count(qs, filters=filters)  # a cached_property, set ahead
    page_obj = paginator.get_page(page)
    ids = list(page_obj.object_list)
    rows = {ikm.id: ikm for ikm in ikm_page_rows(Ikm.objects.filter(id__in=ids))}
    page_obj.object_list = [rows[i] for i in ids if i in rows]  # type: ignore[misc]  # ids → rows
    return page_obj


def ikm_page_rows(qs: QuerySet[Ikm]) -> QuerySet[Ikm]:
    """Only what the list table shows, with the names it needs in one query."""
    return qs.select_related("desa", "kecamatan", "subsector").only(
        "id",
        "name",
        "owner_name",
        "nib",
        "main_products",
        "scale",
        "workers_total",
        "started_year",
        "closed_on",
        "location_check",
        "desa__name",
        "kecamatan__name",
        "subsector__name",
    )


def ikm_detail(*, pk: int) -> Ikm:
    return Ikm.objects.select_related("desa", "kecamatan", "subsector", "kbli").get(pk=pk)


def demo_data_present() -> bool:
    return IkmSource.objects.filter(kind=SourceKind.DEMO).exists()


# --- life cycle counts (growth) ------------------------------------------------------


def in_stock_at_end_of(year: int) -> Q:
    """Active stock at 31 December `year` as a plain condition (no function on a column):
    entered by then (start year, or record date when the start is unknown) and not
    closed on or before that day."""
    end = date(year, 12, 31)
    entered = Q(started_year__lte=year) | Q(started_year__isnull=True, first_recorded_on__lte=end)
    return entered & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))


def ikm_life_groups(qs: QuerySet[Ikm], **measures: Aggregate) -> list[dict[str, Any]]:
    """ONE grouped query by (start year `started_year`, record year `ry`, close year
    `cy`): at most a few thousand combinations however many IKM there are; every yearly
    measure is a sum over them (`atlas.growth.accumulate`)."""
    grouped = (
        qs.annotate(ry=Year("first_recorded_on"), cy=Year("closed_on"))
        .values("started_year", "ry", "cy")
        .annotate(**(measures or {"n": Count("id")}))
        .order_by()
    )
    return [dict(g) for g in grouped]


def ikm_stock_by(qs: QuerySet[Ikm], *, key: str, years: list[int]) -> dict[str, dict[int, int]]:
    """{value of `key`: {year: active stock at its end}}: one grouped query with a
    conditional count per year. Rows without a value of `key` are left out."""
    grouped = (
        qs.values(key)
        .annotate(**{f"s{y}": Count("id", filter=in_stock_at_end_of(y)) for y in years})
        .order_by()
    )
    return {g[key]: {y: g[f"s{y}"] for y in years} for g in grouped if g[key] is not None}


# --- export -------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("id", "id_sentra"),
    ("name", "nama_usaha"),
    ("legal_form", "bentuk_badan_usaha"),
    ("nib", "nib"),
    ("pirt_number", "nomor_pirt"),
    ("halal_number", "nomor_halal"),
    ("kbli_id", "kode_kbli"),
    ("subsector__name", "subsektor_ekraf"),
    ("main_products", "produk_utama"),
    ("business_activity", "kegiatan_utama"),
    ("owner_name", "nama_pemilik"),
    ("owner_nik", "nik_pemilik"),
    ("owner_sex", "jenis_kelamin"),
    ("owner_birth_date", "tanggal_lahir"),
    ("owner_education", "pendidikan"),
    ("owner_disability", "disabilitas"),
    ("owner_phone", "kontak_hp"),
    ("owner_email", "email"),
    ("address", "alamat_usaha"),
    ("rt", "rt"),
    ("rw", "rw"),
    ("desa_id", "kode_desa"),
    ("desa__name", "desa_kelurahan"),
    ("kecamatan__name", "kecamatan"),
    ("postal_code", "kode_pos"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("location_check", "cek_lokasi"),
    ("workers_paid_male", "tk_dibayar_laki"),
    ("workers_paid_female", "tk_dibayar_perempuan"),
    ("workers_unpaid_male", "tk_tidak_dibayar_laki"),
    ("workers_unpaid_female", "tk_tidak_dibayar_perempuan"),
    ("workers_unspecified", "tk_tanpa_rincian"),
    ("workers_total", "tk_jumlah"),
    ("investment", "investasi"),
    ("land_building_value", "nilai_tanah_bangunan"),
    ("production_capacity", "kapasitas_produksi"),
    ("production_capacity_unit", "satuan_kapasitas"),
    ("production_value", "nilai_produksi"),
    ("raw_material_value", "nilai_bahan_baku"),
    ("annual_turnover", "omzet_tahunan"),
    ("assets", "aset"),
    ("scale", "skala_usaha"),
    ("started_year", "tahun_mulai_operasi"),
    ("started_month", "bulan_mulai_operasi"),
    ("first_recorded_on", "tanggal_tercatat"),
    ("closed_on", "tanggal_tutup"),
    ("closed_reason", "alasan_tutup"),
    ("data_as_of", "data_per"),
]


def ikm_export_header() -> list[str]:
    return [header for _, header in EXPORT_COLUMNS]


def ikm_export_rows(qs: QuerySet[Ikm], *, user: Any) -> Iterator[list[Any]]:
    """Rows of the filtered list as plain values, personal data masked per row."""
    fields = [field for field, _ in EXPORT_COLUMNS]
    kec_idx = len(fields)
    values = qs.values_list(*fields, "kecamatan_id")
    for row in values.iterator(chunk_size=2000):
        yield mask(user, row[:kec_idx], kecamatan_code=row[kec_idx], fields=fields)
