"""Attendance lists (daftar hadir) as a clerk types them for a coaching activity: two
title rows and a date line, a header whose "Alamat" is merged over two columns with
"Jalan" and "Desa" below, a "No." column, a "Tanda Tangan" column with the zigzag
numbers, a blank row, phone numbers typed into number cells (Excel drops the 0), and
the signature block of the head of division at the bottom."""

from __future__ import annotations

import io

from openpyxl import Workbook

TITLE = "DAFTAR HADIR PESERTA"
# (name, business, phone cell, street, desa)
PEOPLE = [
    (
        "Ni Made Sukarmini",
        "Endek Sari Warna",
        "0812-3900-1111",
        "Jl. Gunung Agung 12",
        "Padangsambian",
    ),
    # A typo in the name: the registry has "I Wayan Sudarma".
    ("I Wayan Sudrama", "Perak Sudarma", "081239002222", "Jl. Pulau Kawe 3", "Dauh Puri Kauh"),
    # The phone typed as a number: 81239003333 for 0812-3900-3333.
    ("Ni Luh Putu Ayu Lestari", "Pie Susu Bu Ayu", 81239003333, "Jl. Noja 9", "Kesiman"),
    # Nobody in the registry.
    ("Komang Adi Pranata", "Kopi Adi", "085737004444", "Jl. Nangka Utara 1", "Tonja"),
]


def attendance_xlsx(people=PEOPLE) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Daftar Hadir"
    ws.append([TITLE])
    ws.merge_cells("A1:G1")
    ws.append(["PELATIHAN PENGEMASAN PRODUK IKM TAHUN 2026"])
    ws.merge_cells("A2:G2")
    ws.append(["Hari/Tanggal : Kamis, 12 Maret 2026   Tempat : Aula Dinas"])
    ws.append([])
    ws.append(["No.", "Nama", "Nama Usaha", "No. HP", "Alamat", None, "Tanda Tangan"])
    ws.append([None, None, None, None, "Jalan", "Desa", None])
    ws.merge_cells("E5:F5")
    for col in "ABCDG":
        ws.merge_cells(f"{col}5:{col}6")
    for n, (name, business, phone, street, desa) in enumerate(people, start=1):
        ws.append([n, name, business, phone, street, desa, f"{n}. ........"])
        if n == 2:
            ws.append([])  # the clerk left a line free
    ws.append([])
    ws.append([None, None, None, None, "Denpasar, 12 Maret 2026"])
    ws.append([None, None, None, None, "Kepala Bidang Perindustrian"])
    ws.append([])
    ws.append([None, None, None, None, "I Gusti Made Contoh, S.E."])
    ws.append([None, None, None, None, "NIP. 19700101 199003 1 001"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def attendance_csv() -> bytes:
    """The same list saved as CSV from Excel (semicolons, as an Indonesian Excel does)."""
    lines = [
        f"{TITLE};;;;;",
        "No.;Nama Peserta;Nama Usaha;No. HP;Alamat/Desa;Tanda Tangan",
    ]
    for n, (name, business, phone, street, desa) in enumerate(PEOPLE, start=1):
        lines.append(f"{n};{name};{business};{phone};{street} {desa};")
    lines += [";;;;;", ";;;;Mengetahui;", ";;;;Kepala Bidang Perindustrian;"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
