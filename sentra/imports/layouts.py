"""The layouts known by heart: Sentra's own export (codes or labels), the Satu Data UMKM
(SIDT) CSV export and the SIINas Industri Kecil fields, recognised by their headers.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

from sentra.imports.targets import IGNORE, norm_header
from sentra.registry.selectors import EXPORT_COLUMNS, EXPORT_LABELS

# --- Sentra's own export --------------------------------------------------------------

_SENTRA_FIELD_TARGET = {
    "id": "_sentra_id",
    "kbli_id": "kbli",
    "subsector__name": "_subsector",
    "desa_id": "_desa",
    "desa__name": "_desa",  # used only when kode_desa is empty
    "kecamatan__name": "_kecamatan",
    # Derived or life-cycle columns: Sentra computes or records them itself.
    "location_check": IGNORE,
    "workers_total": IGNORE,
    "scale": IGNORE,
    "closed_on": IGNORE,
    "closed_reason": IGNORE,
    "incomplete_fields": IGNORE,  # Sentra keeps it itself
}
SENTRA_MAPPING: dict[str, str] = {
    header: _SENTRA_FIELD_TARGET.get(field, field) for field, header in EXPORT_COLUMNS
}

# --- Satu Data UMKM (SIDT) CSV export, exactly as it comes ------------------------------

SIDT_MAPPING: dict[str, str] = {
    "id_data_badan_usaha": "_external_id",
    "nik_pengusaha": "owner_nik",
    "nama_pengusaha": "owner_name",
    "nib": "nib",
    "jenis_kelamin": "owner_sex",
    "is_disabilitas": "owner_disability",
    "tanggal_lahir": "owner_birth_date",
    "pendidikan_formal": "owner_education",
    "kontak_hp": "owner_phone",
    "prov_pengusaha": "_owner_region",
    "kab_pengusaha": "_owner_region",
    "kec_pengusaha": "_owner_region",
    "kel_pengusaha": "_owner_region",
    "alamat_pengusaha": "owner_address",
    "rt_pengusaha": "_owner_rt",
    "rw_pengusaha": "_owner_rw",
    "nama_usaha": "name",
    "kegiatan_utama": "business_activity",
    "produk_utama": "main_products",
    "kategori_kbli": IGNORE,  # the KBLI section letter, implied by kode_kbli
    "kode_kbli": "kbli",
    "status_badan_usaha": "legal_form",
    "skala_usaha": IGNORE,  # Sentra derives the scale (PP 7/2021)
    "modal_pendirian": "initial_capital",
    "bulan_mulai_operasi": "started_month",
    "tahun_mulai_operasi": "started_year",
    "omzet_tahunan": "annual_turnover",
    "asset": "assets",
    "prov_usaha": IGNORE,  # kab_usaha decides whether the business is in the city
    "kab_usaha": "_city",
    "kec_usaha": "_kecamatan",
    "kel_usaha": "_desa",
    "alamat_usaha": "address",
    "rt_usaha": "rt",
    "rw_usaha": "rw",
    "foto_usaha": "photo_url",
    "alamat_latitude": "latitude",
    "alamat_longitude": "longitude",
    "tk_dibayar_laki": "workers_paid_male",
    "tk_dibayar_perempuan": "workers_paid_female",
    "tk_dibayar_disabil_laki": "workers_paid_disabled_male",
    "tk_dibayar_disabil_perempuan": "workers_paid_disabled_female",
    "tk_not_dibayar_laki": "workers_unpaid_male",
    "tk_not_dibayar_perempuan": "workers_unpaid_female",
    "tk_not_dibayar_disabil_laki": "workers_unpaid_disabled_male",
    # Sic: SIDT truncates this header to 32 characters.
    "tk_not_dibayar_disabil_perempua": "workers_unpaid_disabled_female",
    "pulled_at": IGNORE,
    "updated_at": "data_as_of",
    "source_page": IGNORE,
}
assert len(SIDT_MAPPING) == 49

# --- SIINas Industri Kecil fields, as registry.exchange writes them ----------------------

SIINAS_MAPPING: dict[str, str] = {
    "nama_perusahaan": "name",
    "bentuk_badan_usaha": "legal_form",
    "nib": "nib",
    "kbli": "kbli",
    "jenis_produk": "main_products",
    "nama_pemilik": "owner_name",
    "nik_pemilik": "owner_nik",
    "jenis_kelamin_pemilik": "owner_sex",
    "telepon": "owner_phone",
    "email": "owner_email",
    "alamat_pabrik": "address",
    "kelurahan_desa": "_desa",
    "kode_wilayah": "_desa",
    "kecamatan": "_kecamatan",
    "kabupaten_kota": "_city",
    "provinsi": IGNORE,
    "kode_pos": "postal_code",
    "latitude": "latitude",
    "longitude": "longitude",
    "tahun_berdiri": "started_year",
    "nilai_investasi_tanpa_tanah_bangunan": "investment",
    "nilai_investasi_tanah_bangunan": "land_building_value",
    "kapasitas_produksi": "production_capacity",
    "satuan_kapasitas_produksi": "production_capacity_unit",
    "kapasitas_terpasang": IGNORE,  # Sentra does not hold it
    "nilai_produksi": "production_value",
    "nilai_bahan_baku": "raw_material_value",
    # SIINas counts workers by sex only; Sentra reads them as paid (the paid/unpaid split
    # is not in this layout, so it cannot come back from it).
    "tenaga_kerja_laki_laki": "workers_paid_male",
    "tenaga_kerja_perempuan": "workers_paid_female",
    "penggunaan_air_baku": IGNORE,
    "penggunaan_bahan_bakar": IGNORE,
    "penggunaan_tenaga_listrik": IGNORE,
    "mesin_peralatan": IGNORE,
    "data_per": "data_as_of",
}


# The same export for people (Excel): human labels as headers, choice labels as values.
SENTRA_LABELLED_MAPPING: dict[str, str] = {
    norm_header(EXPORT_LABELS[header]): target for header, target in SENTRA_MAPPING.items()
}


LAYOUTS = {
    "sentra": SENTRA_MAPPING,
    "sentra_labels": SENTRA_LABELLED_MAPPING,
    "sidt": SIDT_MAPPING,
    "siinas": SIINAS_MAPPING,
}
LAYOUT_LABELS = {
    "sentra": _("Ekspor Sentra"),
    "sentra_labels": _("Ekspor Excel Sentra"),
    "sidt": _("Ekspor Satu Data UMKM (SIDT)"),
    "siinas": _("Kolom SIINas Industri Kecil"),
    "profile": _("Profil pemetaan tersimpan"),
    "manual": _("Pemetaan manual"),
    "guessed": _("Pemetaan ditebak dari judul kolom"),
}


def header_signature(header: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(norm_header(h) for h in header)).encode()).hexdigest()


def detect_layout(header: list[str]) -> tuple[str, dict[str, str]] | None:
    """("sentra"|"sidt", mapping for this file's headers) when the file is one of them.

    Columns are recognised by name in any order and case; the layout counts as known
    when nearly all of its columns are there.
    """
    normalized = {norm_header(h): h for h in header}
    for name, layout in LAYOUTS.items():
        present = [key for key in layout if key in normalized]
        if len(present) >= 0.9 * len(layout):
            return name, {normalized[key]: layout[key] for key in present} | {
                h: IGNORE for h in header if norm_header(h) not in layout
            }
    return None
