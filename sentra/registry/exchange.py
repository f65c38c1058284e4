"""The filtered list in other systems' layouts: the Satu Data UMKM (SIDT) 49-column export
and the SIINas Industri Kecil report fields. Each layout is read back by Sentra's import
(`imports.layouts`), so an export re-imports with no change.

SIINas: Permenperin 13/2025 Pasal 7 huruf a lists what an industri kecil reports in the
production stage (investment without and with land and buildings, production capacity,
installed capacity, production, raw materials, workers, water, fuel, electricity,
machines) beside its identity. Sentra holds the identity, investment, capacity,
production value, raw material value and workers; the columns it does not hold are
written empty so the layout stays whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sentra.accounts.permissions import Actor, can_see_personal, mask_value
from sentra.registry.models import PERSONAL_FIELDS, Ikm, SourceKind


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Ikm], Any]
    personal: str = ""  # the personal field it shows, masked for those who may not see it


def _label(field: str) -> Callable[[Ikm], str]:
    return lambda ikm: getattr(ikm, f"get_{field}_display")() if getattr(ikm, field) else ""


def _text(field: str) -> Callable[[Ikm], Any]:
    return lambda ikm: "" if getattr(ikm, field) is None else getattr(ikm, field)


def _region_part(index: int) -> Callable[[Ikm], str]:
    """SIDT splits the owner's domicile in kelurahan, kecamatan, kabupaten, provinsi; Sentra
    keeps it as one text joined the same way, so it splits back along its commas."""

    def part(ikm: Ikm) -> str:
        parts = [p.strip() for p in ikm.owner_region.split(",")] if ikm.owner_region else []
        if len(parts) != 4:
            return ikm.owner_region if index == 0 else ""
        return parts[index]

    return part


def _sidt_id(ikm: Ikm) -> str:
    for source in ikm.sources.all():
        if source.kind == SourceKind.SIDT and source.external_id:
            return source.external_id
    return ""


def _yes_no(field: str) -> Callable[[Ikm], str]:
    return lambda ikm: "Ya" if getattr(ikm, field) else "Tidak"


def _date_time(field: str) -> Callable[[Ikm], str]:
    return lambda ikm: f"{getattr(ikm, field):%Y-%m-%d} 00:00:00" if getattr(ikm, field) else ""


def _city(ikm: Ikm) -> str:
    city = ikm.kecamatan.parent
    return city.name.upper() if city else ""


def _province(ikm: Ikm) -> str:
    city = ikm.kecamatan.parent
    return city.parent.name.upper() if city and city.parent else ""


SIDT: list[Column] = [
    Column("id_data_badan_usaha", _sidt_id),
    Column("nik_pengusaha", _text("owner_nik"), "owner_nik"),
    Column("nama_pengusaha", _text("owner_name")),
    Column("nib", _text("nib")),
    Column("jenis_kelamin", _label("owner_sex")),
    Column("is_disabilitas", _yes_no("owner_disability")),
    Column("tanggal_lahir", _text("owner_birth_date"), "owner_birth_date"),
    Column("pendidikan_formal", _label("owner_education")),
    Column("kontak_hp", _text("owner_phone"), "owner_phone"),
    Column("prov_pengusaha", _region_part(3)),
    Column("kab_pengusaha", _region_part(2)),
    Column("kec_pengusaha", _region_part(1)),
    Column("kel_pengusaha", _region_part(0)),
    Column("alamat_pengusaha", _text("owner_address")),
    Column("rt_pengusaha", lambda ikm: ""),
    Column("rw_pengusaha", lambda ikm: ""),
    Column("nama_usaha", _text("name")),
    Column("kegiatan_utama", _text("business_activity")),
    Column("produk_utama", _text("main_products")),
    Column("kategori_kbli", lambda ikm: ikm.kbli.section if ikm.kbli else ""),
    Column("kode_kbli", lambda ikm: ikm.kbli_id or ""),
    Column("status_badan_usaha", _label("legal_form")),
    Column("skala_usaha", _label("scale")),
    Column("modal_pendirian", _text("initial_capital")),
    Column("bulan_mulai_operasi", _text("started_month")),
    Column("tahun_mulai_operasi", _text("started_year")),
    Column("omzet_tahunan", _text("annual_turnover")),
    Column("asset", _text("assets")),
    Column("prov_usaha", _province),
    Column("kab_usaha", _city),
    Column("kec_usaha", lambda ikm: ikm.kecamatan.name),
    Column("kel_usaha", lambda ikm: ikm.desa.name),
    Column("alamat_usaha", _text("address")),
    Column("rt_usaha", _text("rt")),
    Column("rw_usaha", _text("rw")),
    Column("foto_usaha", _text("photo_url")),
    Column("alamat_latitude", _text("latitude")),
    Column("alamat_longitude", _text("longitude")),
    Column("tk_dibayar_laki", _text("workers_paid_male")),
    Column("tk_dibayar_perempuan", _text("workers_paid_female")),
    Column("tk_dibayar_disabil_laki", _text("workers_paid_disabled_male")),
    Column("tk_dibayar_disabil_perempuan", _text("workers_paid_disabled_female")),
    Column("tk_not_dibayar_laki", _text("workers_unpaid_male")),
    Column("tk_not_dibayar_perempuan", _text("workers_unpaid_female")),
    Column("tk_not_dibayar_disabil_laki", _text("workers_unpaid_disabled_male")),
    Column("tk_not_dibayar_disabil_perempua", _text("workers_unpaid_disabled_female")),
    Column("pulled_at", lambda ikm: ""),
    Column("updated_at", _date_time("data_as_of")),
    Column("source_page", lambda ikm: ""),
]

SIINAS: list[Column] = [
    Column("nama_perusahaan", _text("name")),
    Column("bentuk_badan_usaha", _label("legal_form")),
    Column("nib", _text("nib")),
    Column("kbli", lambda ikm: ikm.kbli_id or ""),
    Column("jenis_produk", _text("main_products")),
    Column("nama_pemilik", _text("owner_name")),
    Column("nik_pemilik", _text("owner_nik"), "owner_nik"),
    Column("jenis_kelamin_pemilik", _label("owner_sex")),
    Column("telepon", _text("owner_phone"), "owner_phone"),
    Column("email", _text("owner_email"), "owner_email"),
    Column("alamat_pabrik", _text("address")),
    Column("kelurahan_desa", lambda ikm: ikm.desa.name),
    Column("kode_wilayah", lambda ikm: ikm.desa_id),
    Column("kecamatan", lambda ikm: ikm.kecamatan.name),
    Column("kabupaten_kota", _city),
    Column("provinsi", _province),
    Column("kode_pos", _text("postal_code")),
    Column("latitude", _text("latitude")),
    Column("longitude", _text("longitude")),
    Column("tahun_berdiri", _text("started_year")),
    Column("nilai_investasi_tanpa_tanah_bangunan", _text("investment")),
    Column("nilai_investasi_tanah_bangunan", _text("land_building_value")),
    Column("kapasitas_produksi", _text("production_capacity")),
    Column("satuan_kapasitas_produksi", _text("production_capacity_unit")),
    Column("kapasitas_terpasang", lambda ikm: ""),
    Column("nilai_produksi", _text("production_value")),
    Column("nilai_bahan_baku", _text("raw_material_value")),
    Column("tenaga_kerja_laki_laki", lambda ikm: ikm.workers_paid_male + ikm.workers_unpaid_male),
    Column(
        "tenaga_kerja_perempuan", lambda ikm: ikm.workers_paid_female + ikm.workers_unpaid_female
    ),
    Column("penggunaan_air_baku", lambda ikm: ""),
    Column("penggunaan_bahan_bakar", lambda ikm: ""),
    Column("penggunaan_tenaga_listrik", lambda ikm: ""),
    Column("mesin_peralatan", lambda ikm: ""),
    Column("data_per", _text("data_as_of")),
]

LAYOUTS: dict[str, list[Column]] = {"sidt": SIDT, "siinas": SIINAS}
assert len(SIDT) == 49
assert {c.personal for c in SIDT + SIINAS} - {""} <= set(PERSONAL_FIELDS)


def export_header(layout: str) -> list[str]:
    return [c.header for c in LAYOUTS[layout]]


def export_rows(qs: QuerySet[Ikm], *, layout: str, user: Actor) -> Iterator[list[Any]]:
    """The list's rows in `layout`, personal values masked per row as on the page."""
    columns = LAYOUTS[layout]
    rows = qs.select_related("desa", "kecamatan__parent__parent", "kbli").prefetch_related(
        "sources"
    )
    for ikm in rows.iterator(chunk_size=1000):
        shown = can_see_personal(user, ikm.kecamatan_id)
        out = []
        for column in columns:
            value = column.value(ikm)
            if column.personal and not shown:
                value = mask_value(column.personal, value)
            out.append(value)
        yield out
