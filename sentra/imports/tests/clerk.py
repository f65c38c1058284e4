"""Workbooks as an office clerk makes them, built cell by cell the way they are typed.

Not as Sentra would like them: a title block, a two-row header with merged cells, NIK
and phone numbers typed into number cells (Excel keeps 15 significant digits, drops the
phone's leading 0), "Tahun Berdiri" typed as dates (and shown as serials), amounts
written "Rp 750.000,-", a turnover per month, a formula column (with the values Excel
caches when it saves), a JUMLAH row, a signature block, and a second sheet.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook

from sentra.testing.factories import valid_nik

HEADER_TOP = [
    "No",
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "No. HP",
    "Alamat",
    None,
    "Kecamatan",
    "Tenaga Kerja",
    None,
    "Jumlah TK",
    "Tahun Berdiri",
    "Investasi (Rp)",
    "Omzet/Bulan (Rp)",
    "Email",
]
HEADER_SUB = [None, None, None, None, None, "Jalan", "Kelurahan", None, "L", "P"]

NIK_KEPT = valid_nik(serial=1231)  # 16 digits ending in 1: cannot have been cut
NIK_TYPED = valid_nik(serial=4561)  # what the clerk typed; Excel keeps 15 digits:
NIK_CUT = NIK_TYPED[:15] + "0"
# (name, owner, NIK cell, phone cell, street, kelurahan, kecamatan, L, P, year, invest, omzet/bln)
ROWS = [
    (
        "Pie Susu Men Tempe",
        "Ni Made Sari",
        int(NIK_KEPT),
        81234567890,
        "Jl. Gunung Agung 12",
        "Padangsambian",
        "Denpasar Barat",
        2,
        3,
        datetime(2015, 3, 1),
        "Rp 750.000,-",
        "Rp 3.000.000,-",
    ),
    (
        "Endek Ayu",
        "I Wayan Sudarma",
        int(NIK_CUT),
        "0812-3456-7891",
        "Jl. Pulau Kawe 3",
        "Dauh Puri Klod",
        "Denpasar Barat",
        1,
        4,
        40179,
        "Rp. 2.500.000,00",
        "Rp 1.500.000",
    ),
    (
        "Perak Sari",
        "I Ketut Arta",
        f"'{valid_nik(serial=3332)}",
        "+62 813 3777 8899",
        "Jl. Danau Tamblingan 5",
        "Sanur Kaja",
        "Denpasar Selatan",
        3,
        0,
        2012,
        "1,5 jt",
        "750 rb",
    ),
    (
        "Dupa Wangi",
        "Ni Ketut Rai",
        None,
        "08123456",
        "Jl. Nangka 7",
        "Peguyangan Kangin",
        "Denpasar Utara",
        0,
        2,
        "2018",
        5000000,
        2000000,
    ),
    (
        "Kopi Bubuk Bali",
        "I Made Oka",
        valid_nik(serial=5553),
        6281805550123,
        "Jl. Hayam Wuruk 88",
        "Sumerta Kelod",
        "Denpasar Timur",
        4,
        4,
        datetime(2009, 7, 17),
        "Rp 10.000.000,-",
        "Rp 12.500.000,-",
    ),
]
SIGNATURE = [
    "Denpasar, 12 Desember 2024",
    "Mengetahui,",
    "Kepala Bidang Perindustrian",
    None,
    "I Made Contoh, S.E.",
    "NIP. 19700101 199503 1 001",
]


def clerk_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "DATA IKM 2024"
    ws["A1"] = "DATA INDUSTRI KECIL DAN MENENGAH KOTA DENPASAR"
    ws.merge_cells("A1:O1")
    ws["A2"] = "KEADAAN S.D. DESEMBER 2024"
    ws.merge_cells("A2:O2")
    for col, text in enumerate(HEADER_TOP, start=1):
        if text:
            ws.cell(row=4, column=col, value=text)
    for col, text in enumerate(HEADER_SUB, start=1):
        if text:
            ws.cell(row=5, column=col, value=text)
    for col in (1, 2, 3, 4, 5, 8, 11, 12, 13, 14, 15):
        ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    ws.merge_cells("F4:G4")
    ws.merge_cells("I4:J4")
    row = 6
    for n, data in enumerate(ROWS, start=1):
        name, owner, nik, phone, street, kel, kec, male, female, year, invest, omzet = data
        values = [
            n,
            name,
            owner,
            nik,
            phone,
            street,
            kel,
            kec,
            male,
            female,
            f"=I{row}+J{row}",
            year,
            invest,
            omzet,
            f"usaha{n}@contoh.id",
        ]
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=row, column=col, value=value)
        if isinstance(year, datetime):
            ws.cell(row=row, column=12).number_format = "dd/mm/yyyy"
        row += 1
        if n == 2:
            row += 1  # a blank row the clerk left between entries
    # A formula Excel could not compute when saving (no cached value): one cell warning.
    ws.cell(row=row - 1, column=13, value=f"=M{row - 2}*2")
    formula_without_value = f"M{row - 1}"
    ws.cell(row=row, column=2, value="JUMLAH")
    ws.cell(row=row, column=9, value=f"=SUM(I6:I{row - 1})")
    ws.cell(row=row, column=10, value=f"=SUM(J6:J{row - 1})")
    row += 2
    for text in SIGNATURE:
        if text:
            ws.cell(row=row, column=13, value=text)
        row += 1
    rekap = wb.create_sheet("Rekap")
    rekap.append(["Kecamatan", "Jumlah IKM"])
    rekap.append(["Denpasar Barat", 2])
    buf = io.BytesIO()
    wb.save(buf)
    return _cache_values(buf.getvalue(), skip=formula_without_value)


def _cache_values(content: bytes, *, skip: str) -> bytes:
    """Give every formula cell the value Excel would have cached on saving (the sum
    columns), except `skip`: openpyxl writes formulas without values."""
    sheet = "xl/worksheets/sheet1.xml"
    src = zipfile.ZipFile(io.BytesIO(content))
    xml = src.read(sheet).decode()
    totals = {r: ROWS[i][7] + ROWS[i][8] for i, r in enumerate([6, 7, 9, 10, 11])}

    def cached(match: re.Match) -> str:
        ref, formula = match.group(1), match.group(3)
        if ref == skip:
            return match.group(0)
        col, r = re.match(r"([A-Z]+)(\d+)", ref).groups()
        if col == "K":
            value = totals.get(int(r), 0)
        elif col == "I":
            value = sum(x[7] for x in ROWS)
        else:
            value = sum(x[8] for x in ROWS)
        return f'<c r="{ref}"{match.group(2)}><f>{formula}</f><v>{value}</v></c>'

    xml = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>', cached, xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = xml.encode() if item.filename == sheet else src.read(item.filename)
            dst.writestr(item, data)
    return out.getvalue()
