"""What a column of a file may mean: the targets (an Ikm field or a pseudo-target starting
with "_"), which of them a row needs, and the unit a money column's header gives.

A mapping is {header as written in the file: target}. Several columns may feed one
target: parts of the owner's region are joined; for any other target the first
non-empty wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sentra.imports import convert
from sentra.lib.text import fold
from sentra.registry.models import (
    CapacityUnit,
    Education,
    LegalForm,
    Sex,
)


@dataclass(frozen=True)
class Target:
    key: str
    label: StrOrPromise
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
        _T("owner_nik", _("NIK pemilik"), convert.nik),
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
        _T("owner_phone", _("Nomor HP"), convert.phone),
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
        _T("started_year", _("Tahun mulai beroperasi"), convert.year),
        _T("started_month", _("Bulan mulai beroperasi"), convert.integer),
        _T("first_recorded_on", _("Pertama tercatat di dinas"), convert.a_date),
        _T("data_as_of", _("Data per tanggal"), convert.a_date),
        _T("photo_url", _("Foto usaha (URL)"), convert.text),
        _T("_external_id", _("ID di sistem asal"), convert.code("ID sistem asal")),
        _T("_sentra_id", _("ID Sentra"), convert.integer),
    ]
}
IGNORE = "_ignore"
# Targets a row cannot be an IKM without: a bad or missing value here refuses the row;
# a bad value anywhere else costs that field only (see validate.RowValidator).
REQUIRED = {"name", "_desa", "_kecamatan", "_city"}
# Money that flows over a period (a header may give it per month); the others are stocks.
FLOWS = {"annual_turnover", "production_value", "raw_material_value"}
# Ikm fields a target writes to (pseudo-targets write elsewhere or nowhere).
FIELD_OF = {key: key for key in TARGETS if not key.startswith("_") and key != "kbli"} | {
    "kbli": "kbli_id"
}


def norm_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


# --- units in a money column's header -----------------------------------------------

_SCALE_WORDS = {"ribu": 10**3, "rb": 10**3, "000": 10**3, "juta": 10**6, "jt": 10**6}
_SCALE_WORDS |= {"miliar": 10**9, "milyar": 10**9, "m": 10**9}
_PERIOD_WORDS = {
    "bulan": 12,
    "bln": 12,
    "bulanan": 12,
    "perbulan": 12,
    "minggu": 52,
    "mingguan": 52,
    "tahun": 1,
    "thn": 1,
    "tahunan": 1,
    "pertahun": 1,
}


@dataclass(frozen=True)
class MoneyUnit:
    scale: int = 1  # rupiah per unit written ("(Rp juta)": 1,000,000)
    period: int = 1  # periods per year ("/bulan": 12)
    stated: bool = False  # the header said anything at all

    @property
    def factor(self) -> int:
        return self.scale * self.period


def money_unit(header: str, target: str) -> MoneyUnit:
    """The unit a money column's header gives: "Omzet/Bulan (Rp)", "Omzet per bulan",
    "Investasi (Rp juta)", "Aset (ribu)", "Penjualan per tahun". The period applies to
    flows only (a stock such as investment has no "per month")."""
    words = norm_header(header).split("_")
    scale = 1
    for word in words:
        if word in _SCALE_WORDS and (word != "m" or "rp" in words):
            scale = _SCALE_WORDS[word]
    period = 1
    stated = scale != 1
    if target in FLOWS:
        for word in words:
            if word in _PERIOD_WORDS:
                period = _PERIOD_WORDS[word]
                stated = True
    return MoneyUnit(scale=scale, period=period, stated=stated)


def target_choices() -> list[tuple[str, StrOrPromise]]:
    return [(IGNORE, _("(abaikan kolom ini)"))] + [(t.key, t.label) for t in TARGETS.values()]
