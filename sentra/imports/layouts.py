"""What each column of a file means: targets, the two layouts known by heart, and guesses.

A mapping is {header as written in the file: target}. A target is an `Ikm` field or one
of the pseudo-targets below (starting with "_"). Several columns may feed one target:
parts of the owner's region are joined; for any other target the first non-empty wins.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sentra.imports import convert
from sentra.lib.text import fold
from sentra.registry.models import (
    CapacityUnit,
    Education,
    LegalForm,
    Sex,
)
from sentra.registry.selectors import EXPORT_COLUMNS


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    converter: convert.Converter


_LEGAL_SYNONYMS = {
    "perseorangan": "perorangan",
    "pribadi": "perorangan",
    "individu": "perorangan",
    "orang perseorangan": "perorangan",
    "usaha perseorangan": "perorangan",
    "usaha dagang": "ud",
    "persekutuan komanditer": "cv",
    "perseroan terbatas": "pt",
    "pt perorangan": "pt",
    "pt perseorangan": "pt",
    "pt perseroan perorangan": "pt",
    "fa": "firma",
    "persekutuan firma": "firma",
    "kop": "koperasi",
    "lainnya": "lainnya",
    "lain-lain": "lainnya",
    "belum berbadan usaha": "perorangan",
}
_SEX_SYNONYMS = {
    "laki laki": "L",
    "laki": "L",
    "lk": "L",
    "pria": "L",
    "male": "L",
    "m": "L",
    "wanita": "P",
    "pr": "P",
    "female": "P",
    "f": "P",
    "w": "P",
}
_EDU_SYNONYMS = {
    "tidak sekolah": "tidak_sekolah",
    "belum sekolah": "tidak_sekolah",
    "tidak tamat sd": "tidak_sekolah",
    "tidak/belum sekolah": "tidak_sekolah",
    "sd": "sd",
    "sd/mi": "sd",
    "smp": "smp",
    "sltp": "smp",
    "smp/mts": "smp",
    "sma": "sma",
    "smk": "sma",
    "slta": "sma",
    "sma/smk": "sma",
    "sma/smk/ma": "sma",
    "d1": "diploma",
    "d2": "diploma",
    "d3": "diploma",
    "d1/d2/d3": "diploma",
    "diploma": "diploma",
    "d4": "s1",
    "s1": "s1",
    "s1/d4": "s1",
    "d4/s1": "s1",
    "sarjana": "s1",
    "s2": "s2",
    "magister": "s2",
    "s3": "s3",
    "doktor": "s3",
}

_T = Target
TARGETS: dict[str, Target] = {
    t.key: t
    for t in [
        _T("name", _("Nama usaha"), convert.text),
        _T(
            "legal_form",
            _("Bentuk badan usaha"),
            convert.choice("Bentuk badan usaha", LegalForm.choices, _LEGAL_SYNONYMS),
        ),
        _T("nib", _("NIB"), convert.code("NIB", length=13)),
        _T("pirt_number", _("Nomor PIRT"), convert.code("Nomor PIRT")),
        _T("halal_number", _("Nomor sertifikat halal"), convert.code("Nomor sertifikat halal")),
        _T("other_permits", _("Izin lain"), convert.text),
        _T("kbli", _("KBLI (5 angka)"), convert.code("KBLI", length=5)),
        _T("_subsector", _("Subsektor ekraf (nama atau kode)"), convert.text),
        _T("main_products", _("Produk utama"), convert.text),
        _T("business_activity", _("Kegiatan utama"), convert.text),
        _T("owner_name", _("Nama pemilik"), convert.text),
        _T("owner_nik", _("NIK pemilik"), convert.code("NIK", length=16, leading_zero_hint=False)),
        _T(
            "owner_sex",
            _("Jenis kelamin"),
            convert.choice("Jenis kelamin", Sex.choices, _SEX_SYNONYMS),
        ),
        _T("owner_birth_date", _("Tanggal lahir"), convert.a_date),
        _T(
            "owner_education",
            _("Pendidikan"),
            convert.choice("Pendidikan", Education.choices, _EDU_SYNONYMS),
        ),
        _T("owner_disability", _("Penyandang disabilitas (ya/tidak)"), convert.boolean),
        _T("owner_phone", _("Nomor HP"), convert.code("Nomor HP")),
        _T("owner_email", _("E-mail"), convert.text),
        _T("owner_address", _("Alamat pemilik"), convert.text),
        _T("_owner_region", _("Wilayah domisili pemilik (bagian)"), convert.text),
        _T("_owner_rt", _("RT domisili pemilik"), convert.code("RT pemilik")),
        _T("_owner_rw", _("RW domisili pemilik"), convert.code("RW pemilik")),
        _T("address", _("Alamat usaha"), convert.text),
        _T("rt", _("RT usaha"), convert.code("RT")),
        _T("rw", _("RW usaha"), convert.code("RW")),
        _T("_desa", _("Desa/kelurahan (nama atau kode)"), convert.text),
        _T("_kecamatan", _("Kecamatan (nama atau kode)"), convert.text),
        _T("_city", _("Kabupaten/kota usaha"), convert.text),
        _T("postal_code", _("Kode pos"), convert.code("Kode pos", length=5)),
        _T("latitude", _("Lintang"), convert.decimal(6)),
        _T("longitude", _("Bujur"), convert.decimal(6)),
        _T("workers_paid_male", _("TK dibayar laki-laki"), convert.integer),
        _T("workers_paid_female", _("TK dibayar perempuan"), convert.integer),
        _T("workers_unpaid_male", _("TK tidak dibayar laki-laki"), convert.integer),
        _T("workers_unpaid_female", _("TK tidak dibayar perempuan"), convert.integer),
        _T("workers_paid_disabled_male", _("TK dibayar disabilitas laki-laki"), convert.integer),
        _T("workers_paid_disabled_female", _("TK dibayar disabilitas perempuan"), convert.integer),
        _T(
            "workers_unpaid_disabled_male",
            _("TK tidak dibayar disabilitas laki-laki"),
            convert.integer,
        ),
        _T(
            "workers_unpaid_disabled_female",
            _("TK tidak dibayar disabilitas perempuan"),
            convert.integer,
        ),
        _T("workers_unspecified", _("TK tanpa rincian (jumlah saja)"), convert.integer),
        _T("investment", _("Nilai investasi"), convert.money),
        _T("land_building_value", _("Nilai tanah dan bangunan"), convert.money),
        _T("initial_capital", _("Modal pendirian"), convert.money),
        _T("production_capacity", _("Kapasitas produksi"), convert.decimal(2)),
        _T(
            "production_capacity_unit",
            _("Satuan kapasitas"),
            convert.choice("Satuan kapasitas", CapacityUnit.choices),
        ),
        _T("production_value", _("Nilai produksi"), convert.money),
        _T("raw_material_value", _("Nilai bahan baku"), convert.money),
        _T("annual_turnover", _("Omzet per tahun"), convert.money),
        _T("assets", _("Aset"), convert.money),
        _T("started_year", _("Tahun mulai beroperasi"), convert.integer),
        _T("started_month", _("Bulan mulai beroperasi"), convert.integer),
        _T("first_recorded_on", _("Pertama tercatat di dinas"), convert.a_date),
        _T("data_as_of", _("Data per tanggal"), convert.a_date),
        _T("photo_url", _("Foto usaha (URL)"), convert.text),
        _T("_external_id", _("ID di sistem asal"), convert.code("ID sistem asal")),
        _T("_sentra_id", _("ID Sentra"), convert.integer),
    ]
}
IGNORE = "_ignore"
# Ikm fields a target writes to (pseudo-targets write elsewhere or nowhere).
FIELD_OF = {key: key for key in TARGETS if not key.startswith("_") and key != "kbli"} | {
    "kbli": "kbli_id"
}


def norm_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


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

LAYOUTS = {"sentra": SENTRA_MAPPING, "sidt": SIDT_MAPPING, "siinas": SIINAS_MAPPING}
LAYOUT_LABELS = {
    "sentra": _("Ekspor Sentra"),
    "sidt": _("Ekspor Satu Data UMKM (SIDT)"),
    "siinas": _("Kolom SIINas Industri Kecil"),
    "profile": _("Profil pemetaan tersimpan"),
    "manual": _("Pemetaan manual"),
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


_GUESSES = {
    "nama_usaha": "name",
    "nama_ikm": "name",
    "nama_perusahaan": "name",
    "perusahaan": "name",
    "nama_pemilik": "owner_name",
    "pemilik": "owner_name",
    "nama_pengusaha": "owner_name",
    "nik": "owner_nik",
    "nik_pemilik": "owner_nik",
    "no_hp": "owner_phone",
    "hp": "owner_phone",
    "telepon": "owner_phone",
    "no_telp": "owner_phone",
    "kontak": "owner_phone",
    "alamat": "address",
    "alamat_usaha": "address",
    "desa": "_desa",
    "kelurahan": "_desa",
    "desa_kelurahan": "_desa",
    "kel": "_desa",
    "kecamatan": "_kecamatan",
    "kec": "_kecamatan",
    "kbli": "kbli",
    "kode_kbli": "kbli",
    "produk": "main_products",
    "jenis_produk": "main_products",
    "produk_utama": "main_products",
    "nib": "nib",
    "jenis_kelamin": "owner_sex",
    "jk": "owner_sex",
    "l_p": "owner_sex",
    "tahun_berdiri": "started_year",
    "tahun_mulai": "started_year",
    "investasi": "investment",
    "nilai_investasi": "investment",
    "omzet": "annual_turnover",
    "kode_pos": "postal_code",
    "rt": "rt",
    "rw": "rw",
    "email": "owner_email",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "lng": "longitude",
}


_MALE = {"l", "lk", "laki", "pria"}
_FEMALE = {"p", "pr", "perempuan", "wanita"}
_PHONE = {"hp", "telp", "tlp", "telepon", "telpon", "wa", "whatsapp", "handphone", "ponsel"}
_OWNER = {"pemilik", "pengusaha", "penanggung", "owner"}
_BUSINESS = {"usaha", "perusahaan", "ikm", "umkm", "toko", "badan", "unit"}
_DESCRIPTION = {"judul", "uraian", "nama", "keterangan", "kategori", "deskripsi"}


def _guess_by_words(words: set[str]) -> str:
    """Headers as other systems and hand-made lists write them ("No. Telp/HP", "Nama
    Perusahaan / Pelaku Usaha", "Tenaga Kerja L", "Nilai Investasi (Rp)"): by their words.
    Order matters: the more specific rule first."""
    if "tanggal" in words or "tgl" in words:
        return "owner_birth_date" if "lahir" in words else IGNORE
    if words & {"nik", "ktp"}:
        return "owner_nik"
    if "nib" in words:
        return "nib"
    if "kbli" in words:
        return IGNORE if words & _DESCRIPTION else "kbli"
    if words & _PHONE:
        return "owner_phone"
    if words & {"email", "surel"} or {"e", "mail"} <= words:
        return "owner_email"
    if words & {"tk", "tenaga", "karyawan", "pekerja"}:
        # A list's workers are its employees unless it says otherwise; the person checks.
        if words & _MALE:
            return "workers_paid_male"
        if words & _FEMALE:
            return "workers_paid_female"
        if words & {"disabilitas", "difabel", "asing", "tka"}:
            return IGNORE  # a part of the workforce, not all of it
        return "workers_unspecified"
    if words & {"kelurahan", "desa", "kel"}:
        return "_desa"
    if words & {"kecamatan", "kec"}:
        return "_kecamatan"
    if words & {"kabupaten", "kota", "kab"} and "alamat" not in words:
        return "_city"
    if "alamat" in words:
        return "owner_address" if words & (_OWNER | {"rumah", "domisili"}) else "address"
    if "nama" in words and words & {"perusahaan", "ikm", "umkm", "toko"}:
        return "name"  # before the owner: OSS writes "Nama Perusahaan / Pelaku Usaha"
    if words & _OWNER and ("nama" in words or len(words) == 1) or words == {"nama", "lengkap"}:
        return "owner_name"
    if "nama" in words and words & _BUSINESS or words == {"perusahaan"}:
        return "name"
    if words & {"bentuk", "badan"} or {"status", "usaha"} <= words:
        return "legal_form"
    if words & {"produk", "komoditi", "komoditas"}:
        return "main_products"
    if "investasi" in words:
        return "investment"
    if "modal" in words:
        return "initial_capital"
    if words & {"omzet", "omset", "penjualan"}:
        return "annual_turnover"
    if {"bahan", "baku"} <= words:
        return "raw_material_value"
    if "produksi" in words:
        return "production_value" if "nilai" in words else "production_capacity"
    if "tahun" in words and words & {"berdiri", "mulai", "pendirian", "operasi", "beroperasi"}:
        return "started_year"
    if {"kode", "pos"} <= words:
        return "postal_code"
    if words & {"lintang", "latitude", "lat"}:
        return "latitude"
    if words & {"bujur", "longitude", "lon", "lng", "long"}:
        return "longitude"
    if {"jenis", "kelamin"} <= words:
        return "owner_sex"
    if "pendidikan" in words:
        return "owner_education"
    if "pirt" in words or "p_irt" in words:
        return "pirt_number"
    if "halal" in words:
        return "halal_number"
    return IGNORE


def guess_mapping(header: list[str]) -> dict[str, str]:
    """A first guess for the mapping screen; the person confirms or changes it."""
    field_names = {norm_header(k): k for k in TARGETS if not k.startswith("_")}
    labels = {norm_header(str(t.label)): t.key for t in TARGETS.values()}
    known = {**{k: v for k, v in SENTRA_MAPPING.items()}, **SIDT_MAPPING}
    out = {}
    for h in header:
        key = norm_header(h)
        out[h] = (
            _GUESSES.get(key)
            or known.get(key)
            or field_names.get(key)
            or labels.get(key)
            or _guess_by_words(set(key.split("_")) - {""})
        )
    # "Jumlah TK" beside "TK L" and "TK P" is their sum: counting it too would double.
    split = {"workers_paid_male", "workers_paid_female", "workers_unpaid_male"}
    if split & set(out.values()):
        out = {h: IGNORE if t == "workers_unspecified" else t for h, t in out.items()}
    return out


def target_choices() -> list[tuple[str, str]]:
    return [(IGNORE, _("(abaikan kolom ini)"))] + [(t.key, t.label) for t in TARGETS.values()]
