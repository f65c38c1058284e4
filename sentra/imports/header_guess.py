"""A mapping guessed from the header words of any file: the synonyms clerks write, Sentra's
own labels, KoboToolbox and ODK Central exports (groups, GPS parts, choice columns).
"""

from __future__ import annotations

from sentra.imports.layouts import SENTRA_MAPPING, SIDT_MAPPING
from sentra.imports.targets import IGNORE, TARGETS, norm_header

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

# --- survey tools: KoboToolbox and ODK Central exports ---------------------------------
# Kobo writes a question inside a group as "group/question" (or with the separator the
# export chose, "." or "-"), ODK Central as "group-question"; a GPS question comes
# split as "_lokasi_latitude", "_lokasi_longitude", … (Kobo) or "lokasi-Latitude", …
# (Central); a "select multiple" question adds one 0/1 column per choice,
# "question/choice". Their metadata columns:
_SURVEY_META = {
    "uuid": "_external_id",
    "instanceid": "_external_id",
    "meta_instanceid": "_external_id",
    "key": "_external_id",
    "submission_time": "data_as_of",
    "submissiondate": "data_as_of",
    "id": IGNORE,
    "index": IGNORE,
    "validation_status": IGNORE,
    "status": IGNORE,
    "submitted_by": IGNORE,
    "submitterid": IGNORE,
    "submittername": IGNORE,
    "version": IGNORE,
    "formversion": IGNORE,
    "tags": IGNORE,
    "notes": IGNORE,
    "attachmentspresent": IGNORE,
    "attachmentsexpected": IGNORE,
    "reviewstate": IGNORE,
    "deviceid": IGNORE,
    "edits": IGNORE,
    "start": IGNORE,
    "end": IGNORE,
    "today": IGNORE,
    "parent_index": IGNORE,
    "parent_table_name": IGNORE,
    "submission_uuid": IGNORE,
}
_CENTRAL_META = {
    "submissiondate",
    "key",
    "meta_instanceid",
    "instanceid",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "reviewstate",
    "deviceid",
    "formversion",
    "parent_key",
}
_SURVEY_META["parent_key"] = IGNORE
_GROUP_SEPARATORS = ("/", "-", ".", ":")


def _is_choice_column(header: str, headers: set[str]) -> bool:
    """A select-multiple choice column: "produk/kain_tenun" beside "produk" (survey
    tools write names without spaces; "No. HP" beside "No" is not one)."""
    if " " in header.strip():
        return False
    for sep in _GROUP_SEPARATORS:
        parent, found, _choice = header.rpartition(sep)
        if found and parent in headers:
            return True
    return False


def _last_segment(header: str) -> str:
    """The question name without its groups, for names that carry no spaces (survey
    tools); "Desa/Kelurahan" and "No. Telp/HP" keep their meaning as a whole."""
    if " " in header.strip():
        return header
    for sep in _GROUP_SEPARATORS:
        if sep in header:
            return header.rsplit(sep, 1)[1]
    return header


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
    """A mapping guessed from the header words, for any layout: the web page shows it to
    confirm or change, and an import whose guess finds the business name and its place
    runs on it directly (the report lists the mapping used)."""
    field_names = {norm_header(k): k for k in TARGETS if not k.startswith("_")}
    labels = {norm_header(str(t.label)): t.key for t in TARGETS.values()}
    known = {**{k: v for k, v in SENTRA_MAPPING.items()}, **SIDT_MAPPING}
    headers = set(header)
    out = {}
    for h in header:
        if _is_choice_column(h, headers):
            out[h] = IGNORE
            continue
        out[h] = _guess_one(h, known=known, field_names=field_names, labels=labels)
    # "Jumlah TK" beside "TK L" and "TK P" is their sum: counting it too would double.
    split = {"workers_paid_male", "workers_paid_female", "workers_unpaid_male"}
    if split & set(out.values()):
        out = {h: IGNORE if t == "workers_unspecified" else t for h, t in out.items()}
    return out


def _guess_one(h: str, *, known: dict, field_names: dict, labels: dict) -> str:
    key = norm_header(h)
    # Kobo's metadata start with "_"; Central's have names no person would give a column.
    if key in _SURVEY_META and (h.lstrip().startswith("_") or key in _CENTRAL_META):
        return _SURVEY_META[key]
    found = (
        _GUESSES.get(key)
        or known.get(key)
        or field_names.get(key)
        or labels.get(key)
        or _guess_by_words(set(key.split("_")) - {""})
    )
    if found == IGNORE:
        segment = _last_segment(h)
        if segment != h:
            return _guess_one(segment, known=known, field_names=field_names, labels=labels)
    return found
