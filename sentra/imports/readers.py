"""Read .xlsx, .xls, .ods and .csv into one shape: a header and raw rows.

Cells keep the type the file gave them (text, number, date…): the converters decide
what a number in a code column means (an error, never a silent fix). Every problem
with the file as a whole raises `FileRejected` with a message for the person who
uploaded it; problems in single cells are returned in `Table.cell_issues`.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

EXTENSIONS = {".xlsx", ".xls", ".ods", ".csv"}


def max_bytes() -> int:
    return getattr(settings, "SENTRA_IMPORT_MAX_BYTES", 100 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "SENTRA_IMPORT_MAX_ROWS", 1_000_000)


class FileRejected(Exception):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    total: int  # upper bound of data rows, for progress
    header_row: int = 1
    sheet: str = ""
    notes: list[str] = field(default_factory=list)
    # {(row number, column index): message} for cells the reader itself distrusts.
    cell_issues: dict[tuple[int, int], str] = field(default_factory=dict)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def sniff_kind(head: bytes) -> str:
    """What the first bytes say the file is: xlsx, ods, zip, ole, html, pdf, text, binary."""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in head[:8192]:
        return "binary"
    return "text"


_KIND_NAMES = {
    "xlsx": "buku kerja Excel (.xlsx)",
    "ods": "lembar kerja OpenDocument (.ods)",
    "ole": "buku kerja Excel lama (.xls)",
    "html": "halaman web (HTML), bukan lembar kerja",
    "pdf": "dokumen PDF",
    "text": "teks/CSV",
    "binary": "berkas biner yang tidak dikenal",
    "zip": "arsip ZIP yang bukan lembar kerja",
    "docx": "dokumen Word (.docx)",
}


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and zf.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"
            ):
                return "ods"
            if "word/document.xml" in names:
                return "docx"
            return "zip"
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise FileRejected(
            "Berkas rusak: arsip di dalamnya tidak utuh (mungkin terpotong saat diunduh "
            "atau disalin). Buka berkas di Excel/LibreOffice, simpan ulang, lalu unggah lagi."
        ) from exc


def _ole_encrypted(path: Path) -> bool:
    # An .xlsx with a password is an OLE container holding an "EncryptionInfo" stream.
    with path.open("rb") as fh:
        head = fh.read(2 * 1024 * 1024)
    return "EncryptionInfo".encode("utf-16-le") in head


def detect_kind(path: Path, *, extension: str) -> str:
    """The real type of the file, checked against its name; raises FileRejected."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("Berkas kosong (0 byte). Periksa apakah berkas yang benar terpilih.")
    if size > max_bytes():
        raise FileRejected(
            f"Berkas terlalu besar ({_mb(size)}); batasnya {_mb(max_bytes())}. "
            "Pecah berkas menjadi beberapa bagian, atau simpan sebagai .csv yang lebih ringkas."
        )
    if extension not in EXTENSIONS:
        raise FileRejected(
            f"Jenis berkas {extension or '(tanpa akhiran)'} tidak didukung. "
            "Gunakan .xlsx, .xls, .ods, atau .csv."
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = sniff_kind(head)
    if kind == "zip":
        kind = _zip_kind(path)
    if kind == "ole" and _ole_encrypted(path):
        raise FileRejected(
            "Buku kerja ini dilindungi kata sandi, sehingga isinya tidak dapat dibaca. "
            "Buka di Excel, hapus kata sandinya (File › Info › Protect Workbook), simpan, "
            "lalu unggah lagi."
        )
    expected = {".xlsx": "xlsx", ".ods": "ods", ".xls": "ole", ".csv": "text"}[extension]
    if kind != expected:
        actual = _KIND_NAMES.get(kind, kind)
        hint = ""
        if kind == "html" and extension == ".xls":
            hint = (
                " Banyak aplikasi mengekspor tabel web dengan akhiran .xls; buka berkas itu "
                "di Excel lalu simpan sebagai .xlsx."
            )
        elif kind in ("xlsx", "ods", "ole", "text"):
            hint = " Ganti akhiran nama berkas sesuai isinya, atau simpan ulang dengan jenis yang benar."
        raise FileRejected(f"Nama berkas berakhiran {extension}, tetapi isinya {actual}.{hint}")
    return kind


# --- spreadsheets ---------------------------------------------------------------------


def _col_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_ref(row: int, col: int) -> str:
    return f"{_col_letter(col)}{row}"


_FORMULA_ANY = re.compile(rb"<(?:\w+:)?f[ >/]")
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).){0,200}?<(?:\w+:)?f[ >/]',
    re.DOTALL,
)
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xlsx_formula_cells(path: Path, sheet_name: str) -> list[tuple[int, int]]:
    """(row, column index) of every formula cell of one sheet of an .xlsx."""
    with zipfile.ZipFile(path) as zf:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        target = None
        for sheet in workbook.iter():
            if sheet.tag.endswith("}sheet") and sheet.get("name") == sheet_name:
                target = targets.get(sheet.get(f"{_REL_NS}id"))
        if not target:
            return []
        target = target.lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        data = zf.read(member)
    # bytes.find is memchr-fast; the regex runs only when "<f" or a prefixed ":f" occurs
    # at all (every match of _FORMULA_ANY contains one of them).
    if (b"<f" not in data and b":f" not in data) or not _FORMULA_ANY.search(data):
        return []
    return [
        (int(m.group(2)), _col_index(m.group(1).decode())) for m in _FORMULA_CELL.finditer(data)
    ]


def _ods_has_formula(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return b"table:formula=" in zf.read("content.xml")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(path: Path, *, kind: str, sheet: str = "") -> Table:
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise FileRejected(
            "Buku kerja ini dilindungi kata sandi. Hapus kata sandinya di Excel, simpan, "
            "lalu unggah lagi."
        ) from exc
    except (CalamineError, OSError, ValueError) as exc:
        raise FileRejected(
            "Berkas rusak atau bukan lembar kerja yang sah, sehingga tidak dapat dibaca "
            f"({type(exc).__name__}). Buka di Excel/LibreOffice, simpan ulang, lalu unggah lagi."
        ) from exc
    notes: list[str] = []
    sheet_types = (SheetTypeEnum.WorkSheet, SheetTypeEnum.DialogSheet)
    metas = [m for m in wb.sheets_metadata if m.typ in sheet_types]
    hidden = {m.name for m in metas if m.visible != SheetVisibleEnum.Visible}
    try:
        if sheet:
            names = [m.name for m in metas]
            if sheet not in names:
                raise FileRejected(
                    f"Lembar '{sheet}' tidak ada. Lembar dalam berkas: {', '.join(names)}."
                )
            chosen = wb.get_sheet_by_name(sheet)
        else:
            chosen = None
            for meta in metas:
                if meta.name in hidden:
                    continue
                candidate = wb.get_sheet_by_name(meta.name)
                if candidate.height and candidate.width:
                    chosen = candidate
                    break
            if chosen is None:
                hidden_with_data = [
                    m.name
                    for m in metas
                    if m.name in hidden and wb.get_sheet_by_name(m.name).height
                ]
                if hidden_with_data:
                    raise FileRejected(
                        "Data hanya ada di lembar tersembunyi "
                        f"({', '.join(hidden_with_data)}). Tampilkan lembar itu (Unhide) "
                        "atau sebutkan namanya di kolom 'Lembar'."
                    )
                raise FileRejected("Berkas tidak berisi data: semua lembar kosong.")
        if not chosen.height:
            raise FileRejected(f"Lembar '{chosen.name}' kosong.")
        if chosen.height > max_rows() + 1:
            raise FileRejected(
                f"Lembar '{chosen.name}' berisi {chosen.height:,} baris; batasnya "
                f"{max_rows():,} baris per impor. Pecah berkas menjadi beberapa bagian.".replace(
                    ",", "."
                )
            )
        start_row, start_col = chosen.start or (0, 0)
        rows_iter = chosen.iter_rows()
        merged = chosen.merged_cell_ranges or []
    except CalamineError as exc:
        raise FileRejected(
            f"Berkas rusak: lembar tidak dapat dibaca ({type(exc).__name__}). "
            "Simpan ulang dari Excel/LibreOffice lalu unggah lagi."
        ) from exc

    notes.append(f"Lembar yang dibaca: '{chosen.name}'.")
    others = [m.name for m in metas if m.name != chosen.name]
    if others:
        shown = [f"{n} (tersembunyi)" if n in hidden else n for n in others]
        notes.append(f"Lembar lain tidak dibaca: {', '.join(shown)}.")

    numbered = enumerate(rows_iter)
    header_row, header_cells, pending = locate_header(numbered, notes=notes)
    if not header_row:
        raise FileRejected(f"Lembar '{chosen.name}' kosong.")

    for (r1, c1), (r2, c2) in merged:
        if r1 + 1 <= header_row <= r2 + 1:
            raise FileRejected(
                "Judul kolom memakai sel gabungan (merge) di "
                f"{cell_ref(r1 + 1, c1)}:{cell_ref(r2 + 1, c2)}. Pisahkan sel itu (Unmerge) "
                "sehingga setiap kolom punya satu judul di satu baris, lalu unggah lagi."
            )
    header = _header(header_cells, header_row=header_row, col_offset=start_col)

    cell_issues: dict[tuple[int, int], str] = {}
    for (r1, c1), (r2, c2) in merged:
        if r1 + 1 <= header_row:
            continue
        ref = f"{cell_ref(r1 + 1, c1)}:{cell_ref(r2 + 1, c2)}"
        for r in range(r1 + 1, r2 + 2):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1 + 1, c1):
                    cell_issues[(r, c - start_col)] = (
                        f"Sel digabung (merge) {ref}: isinya hanya terbaca di sel pertama. "
                        "Pisahkan sel dan isi setiap baris."
                    )
    if kind == "xlsx":
        formulas = _xlsx_formula_cells(path, chosen.name)
        for r, c in formulas:
            if r > header_row:
                cell_issues[(r, c - start_col)] = (
                    "Sel berisi rumus (formula), bukan nilai. Salin kolom lalu Tempel Nilai "
                    "(Paste Values) sebelum mengimpor."
                )
            elif r == header_row:
                raise FileRejected(
                    f"Judul kolom di {cell_ref(r, c)} berisi rumus (formula). Ganti dengan teks."
                )
    elif kind == "ods" and _ods_has_formula(path):
        raise FileRejected(
            "Lembar kerja berisi rumus (formula). Salin data lalu Tempel Nilai saja "
            "(Paste Special › Values) ke lembar baru, simpan, dan unggah lagi."
        )
    del start_row

    def data_rows() -> Iterator[tuple[int, list]]:
        width = len(header)
        for index, cells in itertools.chain(pending, numbered):
            if all(_is_blank(c) for c in cells):
                continue
            if len(cells) < width:
                cells = list(cells) + [""] * (width - len(cells))
            yield index + 1, cells

    return Table(
        header=header,
        rows=data_rows(),
        total=max(chosen.height - header_row, 0),
        header_row=header_row,
        sheet=chosen.name,
        notes=notes,
        cell_issues=cell_issues,
    )


TITLE_ROWS = 10


def locate_header(
    numbered: Iterator[tuple[int, list]], *, notes: list[str]
) -> tuple[int, list, list[tuple[int, list]]]:
    """(1-based header row, its cells, rows read past it) from `enumerate(rows)`.

    Government spreadsheets often start with a title block — "DATA IKM KOTA DENPASAR
    TAHUN 2024", "Sumber: Bidang Perindustrian" — one filled cell a row above the column
    titles. The header is the first row with two or more filled cells; up to TITLE_ROWS
    single-cell rows above it are skipped and named in a note. With no such row near the
    top, the first filled row is the header (a one-column file) and the rest is data.
    0 as the row: the sheet is empty.
    """
    titles: list[tuple[int, list]] = []
    for index, cells in numbered:
        filled = [c for c in cells if not _is_blank(c)]
        if len(filled) >= 2:
            if titles:
                first, last = titles[0][0] + 1, titles[-1][0] + 1
                rows = f"{first}" if first == last else f"{first}–{last}"
                text = " / ".join(
                    str(next(c for c in t if not _is_blank(c)))[:60] for _, t in titles
                )
                notes.append(
                    f"Baris {rows} di atas judul kolom dibaca sebagai judul lembar dan "
                    f"dilewati: {text}."
                )
            return index + 1, cells, []
        if filled:
            titles.append((index, cells))
            if len(titles) > TITLE_ROWS:
                break
    if not titles:
        return 0, [], []
    (index, cells), rest = titles[0], titles[1:]
    return index + 1, cells, rest


def _header(cells: list, *, header_row: int, col_offset: int = 0) -> list[str]:
    """Header texts; blank or repeated names are an error (the data would be ambiguous)."""
    header = [("" if _is_blank(c) else str(c).strip()) for c in cells]
    while header and not header[-1]:
        header.pop()
    blanks = [cell_ref(header_row, i + col_offset) for i, h in enumerate(header) if not h]
    if blanks:
        raise FileRejected(
            f"Judul kolom kosong di {', '.join(blanks[:5])}. Setiap kolom harus punya "
            "judul; hapus kolom kosong atau beri judul."
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = " ".join(name.lower().split())
        if key in seen:
            raise FileRejected(
                f"Judul kolom '{name}' muncul dua kali ({cell_ref(header_row, seen[key] + col_offset)}"
                f" dan {cell_ref(header_row, i + col_offset)}). Setiap judul harus unik; "
                "ganti atau hapus salah satunya."
            )
        seen[key] = i
    return header


# --- CSV ------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16, cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            "Pengodean teks berkas CSV tidak dikenali (bukan UTF-8 atau Windows-1252). "
            "Simpan ulang sebagai 'CSV UTF-8'."
        ) from exc


def sniff_delimiter(first_lines: str) -> str:
    """`,`, `;` or tab: whichever splits one of the first lines into the most columns."""
    counts = {}
    for delim in (",", ";", "\t"):
        lines = first_lines.split("\n")
        counts[delim] = max(len(r) for r in csv.reader(lines, delimiter=delim))
    best = max(counts.values())
    for delim in (",", ";", "\t"):  # ties go to the comma
        if counts[delim] == best:
            return delim
    return ","


_DELIM_NAMES = {",": "koma", ";": "titik koma", "\t": "tab"}


def read_csv(path: Path) -> Table:
    text, encoding = decode_text(path.read_bytes())
    if not text.strip():
        raise FileRejected("Berkas CSV kosong.")
    lines = text.count("\n") + 1
    if lines > max_rows() + 1:
        raise FileRejected(
            f"Berkas berisi {lines:,} baris; batasnya {max_rows():,} baris per impor. ".replace(
                ",", "."
            )
            + "Pecah berkas menjadi beberapa bagian."
        )
    stream = io.StringIO(text, newline="")
    # Title lines above the header hold no delimiter: sniff on the first lines together.
    first_lines = [line.rstrip("\r\n") for line in itertools.islice(stream, TITLE_ROWS + 1)]
    delimiter = sniff_delimiter("\n".join(line for line in first_lines if line.strip()))
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    notes = [f"Pengodean: {encoding}; pemisah kolom: {_DELIM_NAMES[delimiter]}."]
    numbered = enumerate(reader)
    header_row, header_cells, pending = locate_header(numbered, notes=notes)
    header = _header(header_cells, header_row=header_row)

    def data_rows() -> Iterator[tuple[int, list]]:
        width = len(header)
        for index, record in itertools.chain(pending, numbered):
            if not any(c.strip() for c in record):
                continue
            if len(record) < width:
                record = record + [""] * (width - len(record))
            yield index + 1, record

    return Table(
        header=header,
        rows=data_rows(),
        total=max(lines - header_row, 0),
        header_row=header_row,
        notes=notes,
    )


def read_table(path: Path, *, original_name: str, sheet: str = "") -> Table:
    """Open any supported file; raises FileRejected with the reason in Indonesian."""
    extension = Path(original_name).suffix.lower()
    kind = detect_kind(path, extension=extension)
    if kind == "text":
        return read_csv(path)
    return read_workbook(path, kind={"ole": "xls"}.get(kind, kind), sheet=sheet)
