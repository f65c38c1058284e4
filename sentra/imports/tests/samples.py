"""Realistic sample files for the import tests: SIDT CSV exports and Sentra workbooks."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook

from sentra.imports.layouts import SIDT_MAPPING
from sentra.registry.selectors import EXPORT_COLUMNS
from sentra.testing.factories import valid_nik

SIDT_HEADER = list(SIDT_MAPPING)
SENTRA_HEADER = [header for _, header in EXPORT_COLUMNS]

_PLACES = [
    ("DENPASAR BARAT", "DAUH PURI KLOD"),
    ("Kec. Denpasar Barat", "Padang Sambian"),
    ("DENSEL", "Sanur Kaja"),
    ("Denpasar Timur", "Kel. Sumerta Kelod"),
    ("DENUT", "Peguyangan Kangin"),
]


def sidt_row(n: int, **overrides) -> dict[str, str]:
    """One SIDT record as the export writes it: every value text, dates as timestamps."""
    female = n % 2 == 1
    born = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    kec, kel = _PLACES[n % len(_PLACES)]
    row = {
        "id_data_badan_usaha": f"{700000 + n}",
        "nik_pengusaha": valid_nik(born=born, female=female, serial=n + 1),
        "nama_pengusaha": ("Ni Made Sari " if female else "I Wayan Sudarma ") + str(n),
        "nib": f"{912000000000 + n:013d}",
        "jenis_kelamin": "Perempuan" if female else "Laki-laki",
        "is_disabilitas": "Tidak",
        "tanggal_lahir": born.isoformat(),
        "pendidikan_formal": ["SMA/SMK", "S1", "SD", "D3"][n % 4],
        "kontak_hp": f"0812{n:08d}",
        "prov_pengusaha": "BALI",
        "kab_pengusaha": "KOTA DENPASAR",
        "kec_pengusaha": kec,
        "kel_pengusaha": kel,
        "alamat_pengusaha": f"Jl. Gunung Agung Gg. {n} No. {n + 1}",
        "rt_pengusaha": "001",
        "rw_pengusaha": "",
        "nama_usaha": f"Pie Susu Dewata {n}",
        "kegiatan_utama": "Produksi kue kering",
        "produk_utama": "pie susu",
        "kategori_kbli": "C",
        "kode_kbli": "10710",
        "status_badan_usaha": "Perseorangan",
        "skala_usaha": "Mikro",
        "modal_pendirian": "15000000",
        "bulan_mulai_operasi": str(1 + n % 12),
        "tahun_mulai_operasi": str(2000 + n % 20),
        "omzet_tahunan": "120000000",
        "asset": "50000000",
        "prov_usaha": "BALI",
        "kab_usaha": "KOTA DENPASAR",
        "kec_usaha": kec,
        "kel_usaha": kel,
        "alamat_usaha": f"Jl. Imam Bonjol No. {n + 10}",
        "rt_usaha": "003",
        "rw_usaha": "",
        "foto_usaha": "",
        "alamat_latitude": "",
        "alamat_longitude": "",
        "tk_dibayar_laki": "1",
        "tk_dibayar_perempuan": "2",
        "tk_dibayar_disabil_laki": "0",
        "tk_dibayar_disabil_perempuan": "0",
        "tk_not_dibayar_laki": "0",
        "tk_not_dibayar_perempuan": "1",
        "tk_not_dibayar_disabil_laki": "0",
        "tk_not_dibayar_disabil_perempua": "0",
        "pulled_at": "2025-01-10 08:00:00",
        "updated_at": "2024-11-02 14:22:10",
        "source_page": str(1 + n // 50),
    }
    row.update(overrides)
    return row


def sidt_csv(rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=SIDT_HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def sentra_row(n: int, **overrides) -> dict:
    row = {header: "" for header in SENTRA_HEADER}
    row.update(
        {
            "nama_usaha": f"Endek Sumerta {n}",
            "bentuk_badan_usaha": "perorangan",
            "nib": f"{812000000000 + n:013d}",
            "kode_kbli": "13112",
            "subsektor_ekraf": "Fesyen",
            "produk_utama": "kain endek",
            "nama_pemilik": f"Ketut Suarta {n}",
            "nik_pemilik": valid_nik(serial=n + 1),
            "jenis_kelamin": "L",
            "tanggal_lahir": date(1985, 4, 12),
            "kontak_hp": f"0813{n:08d}",
            "alamat_usaha": f"Jl. Hayam Wuruk No. {n}",
            "rt": "002",
            "kode_desa": "51.71.02.1006",
            "desa_kelurahan": "Sumerta",
            "kecamatan": "Denpasar Timur",
            "kode_pos": "80239",
            "tk_dibayar_laki": 2,
            "tk_dibayar_perempuan": 3,
            "investasi": 250_000_000,
            "tahun_mulai_operasi": 2010,
            "data_per": date(2025, 6, 30),
        }
    )
    row.update(overrides)
    return row


def sentra_xlsx(rows: list[dict], *, sheet: str = "data") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(SENTRA_HEADER)
    for row in rows:
        ws.append([row.get(h, "") for h in SENTRA_HEADER])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
