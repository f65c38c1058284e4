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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from sentra.lib.text import fold

EXTENSIONS = {".xlsx", ".xls", ".ods", ".csv"}


def max_bytes() -> int:
    return getattr(settings, "SENTRA_IMPORT_MAX_BYTES", 100 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "SENTRA_IMPORT_MAX_ROWS", 1_000_000)


def max_unpacked_bytes() -> int:
    """What the members of an .xlsx/.ods may unpack to together (a 100,000-row export
    of Sentra unpacks to about 60 MB)."""
    return getattr(settings, "SENTRA_IMPORT_MAX_UNPACKED_BYTES", 400 * 1024 * 1024)


def max_cells() -> int:
    """Cells an .xlsx sheet may declare in its used range (100,000 rows × 60 columns)."""
    return getattr(settings, "SENTRA_IMPORT_MAX_CELLS", 6_000_000)


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
    # Totals, signature blocks and numbered empty rows met while reading (their notes
    # are complete once `rows` is exhausted).
    skipped: SkippedRows | None = None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def too_large_message(size: int) -> str:
    return _(
        "Berkas terlalu besar (%(size)s); batasnya %(limit)s. Pecah berkas menjadi beberapa "
        "bagian, atau simpan sebagai .csv yang lebih ringkas."
    ) % {"size": _mb(size), "limit": _mb(max_bytes())}


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
    "xlsx": _lazy("buku kerja Excel (.xlsx)"),
    "ods": _lazy("lembar kerja OpenDocument (.ods)"),
    "ole": _lazy("buku kerja Excel lama (.xls)"),
    "html": _lazy("halaman web (HTML), bukan lembar kerja"),
    "pdf": _lazy("dokumen PDF"),
    "text": _lazy("teks/CSV"),
    "binary": _lazy("berkas biner yang tidak dikenal"),
    "zip": _lazy("arsip ZIP yang bukan lembar kerja"),
    "docx": _lazy("dokumen Word (.docx)"),
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
            _(
                "Berkas rusak: arsip di dalamnya tidak utuh (mungkin terpotong saat diunduh "
                "atau disalin). Buka berkas di Excel/LibreOffice, simpan ulang, lalu unggah lagi."
            )
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
        raise FileRejected(_("Berkas kosong (0 byte). Periksa apakah berkas yang benar terpilih."))
    if size > max_bytes():
        raise FileRejected(too_large_message(size))
    if extension not in EXTENSIONS:
        raise FileRejected(
            _("Jenis berkas %(extension)s tidak didukung. Gunakan .xlsx, .xls, .ods, atau .csv.")
            % {"extension": extension or _("(tanpa akhiran)")}
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    kind = sniff_kind(head)
    if kind == "zip":
        kind = _zip_kind(path)
    if kind == "ole" and _ole_encrypted(path):
        raise FileRejected(
            _(
                "Buku kerja ini dilindungi kata sandi, sehingga isinya tidak dapat dibaca. "
                "Buka di Excel, hapus kata sandinya (File › Info › Protect Workbook), simpan, "
                "lalu unggah lagi."
            )
        )
    expected = {".xlsx": "xlsx", ".ods": "ods", ".xls": "ole", ".csv": "text"}[extension]
    if kind != expected:
        actual = str(_KIND_NAMES.get(kind, kind))
        hint = ""
        if kind == "html" and extension == ".xls":
            hint = " " + _(
                "Banyak aplikasi mengekspor tabel web dengan akhiran .xls; buka berkas itu "
                "di Excel lalu simpan sebagai .xlsx."
            )
        elif kind in ("xlsx", "ods", "ole", "text"):
            hint = " " + _(
                "Ganti akhiran nama berkas sesuai isinya, atau simpan ulang dengan jenis yang benar."
            )
        raise FileRejected(
            _("Nama berkas berakhiran %(extension)s, tetapi isinya %(actual)s.")
            % {"extension": extension, "actual": actual}
            + hint
        )
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


def _check_archive(path: Path, kind: str) -> None:
    """Refuse a workbook that would unpack to more than the limits, before any parser
    sees it: the zip directory states every member's unpacked size, and an .xlsx sheet
    states its used range (<dimension ref="A1:Z100000">) in its first bytes. A 4 MB
    file that unpacks to a gigabyte (a "zip bomb", or a sheet formatted to the last
    row) is thus refused for a few kilobytes of reading."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        unpacked = sum(i.file_size for i in infos)
        if unpacked > max_unpacked_bytes():
            raise FileRejected(
                _(
                    "Isi berkas terlalu besar setelah dibuka: %(size)s, batasnya %(limit)s. "
                    "Berkas mungkin berisi banyak baris atau format kosong sampai baris "
                    "terakhir; hapus baris dan kolom kosong, atau pecah berkas."
                )
                % {"size": _mb(unpacked), "limit": _mb(max_unpacked_bytes())}
            )
        if kind != "xlsx":
            return
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with zf.open(info) as fh:
                head = fh.read(4096)
            found = _DIMENSION.search(head)
            if not found:
                continue
            c1, r1 = _col_index(found.group(1).decode()), int(found.group(2))
            c2 = _col_index((found.group(3) or found.group(1)).decode())
            r2 = int(found.group(4) or found.group(2))
            cells = (r2 - r1 + 1) * (c2 - c1 + 1)
            if cells > max_cells():
                raise FileRejected(
                    _(
                        "Lembar kerja terlalu besar: rentang terpakai %(range)s berisi "
                        "%(cells)s sel; batasnya %(limit)s sel. Hapus baris dan kolom kosong "
                        "di ujung lembar (atau pecah berkas), simpan, lalu unggah lagi."
                    )
                    % {
                        "range": found.group(0).decode().split('"')[1],
                        "cells": f"{cells:,}".replace(",", "."),
                        "limit": f"{max_cells():,}".replace(",", "."),
                    }
                )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _text(value) -> str:
    return "" if _is_blank(value) else str(value).strip()


def read_workbook(path: Path, *, kind: str, sheet: str = "") -> Table:
    if kind in ("xlsx", "ods"):
        _check_archive(path, kind)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise FileRejected(
            _(
                "Buku kerja ini dilindungi kata sandi. Hapus kata sandinya di Excel, simpan, "
                "lalu unggah lagi."
            )
        ) from exc
    except (CalamineError, OSError, ValueError) as exc:
        raise FileRejected(
            _(
                "Berkas rusak atau bukan lembar kerja yang sah, sehingga tidak dapat dibaca "
                "(%(error)s). Buka di Excel/LibreOffice, simpan ulang, lalu unggah lagi."
            )
            % {"error": type(exc).__name__}
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
                    _("Lembar '%(sheet)s' tidak ada. Lembar dalam berkas: %(names)s.")
                    % {"sheet": sheet, "names": ", ".join(names)}
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
                        _(
                            "Data hanya ada di lembar tersembunyi (%(names)s). Tampilkan "
                            "lembar itu (Unhide) atau sebutkan namanya di kolom 'Lembar'."
                        )
                        % {"names": ", ".join(hidden_with_data)}
                    )
                raise FileRejected(_("Berkas tidak berisi data: semua lembar kosong."))
        if not chosen.height:
            raise FileRejected(_("Lembar '%(sheet)s' kosong.") % {"sheet": chosen.name})
        if chosen.height > max_rows() + 1:
            raise FileRejected(
                _(
                    "Lembar '%(sheet)s' berisi %(rows)s baris; batasnya %(limit)s baris per "
                    "impor. Pecah berkas menjadi beberapa bagian."
                )
                % {
                    "sheet": chosen.name,
                    "rows": f"{chosen.height:,}".replace(",", "."),
                    "limit": f"{max_rows():,}".replace(",", "."),
                }
            )
        _start_row, start_col = chosen.start or (0, 0)
        rows_iter = chosen.iter_rows()
        merged = [
            ((r1 + 1, c1 - start_col), (r2 + 1, c2 - start_col))
            for (r1, c1), (r2, c2) in (chosen.merged_cell_ranges or [])
        ]
    except CalamineError as exc:
        raise FileRejected(
            _(
                "Berkas rusak: lembar tidak dapat dibaca (%(error)s). Simpan ulang dari "
                "Excel/LibreOffice lalu unggah lagi."
            )
            % {"error": type(exc).__name__}
        ) from exc

    notes.append(_("Lembar yang dibaca: '%(sheet)s'.") % {"sheet": chosen.name})
    others = [m.name for m in metas if m.name != chosen.name]
    if others:
        shown = [_("%(name)s (tersembunyi)") % {"name": n} if n in hidden else n for n in others]
        notes.append(
            _("Lembar lain tidak dibaca: %(names)s (pilih lembar lain di kolom 'Lembar').")
            % {"names": ", ".join(shown)}
        )

    numbered = enumerate(rows_iter)
    header_row, header_cells, pending = locate_header(numbered, notes=notes)
    if not header_row:
        raise FileRejected(_("Lembar '%(sheet)s' kosong.") % {"sheet": chosen.name})
    problems: list[str] = []
    header, last_header_row, pending = combine_header(
        header_cells,
        header_row=header_row,
        rest=itertools.chain(pending, numbered),
        merged=merged,
        col_offset=start_col,
        notes=notes,
    )

    cell_issues: dict[tuple[int, int], str] = {}
    # A value merged down over several rows (a kecamatan written once for its block of
    # rows) belongs to each of them: it is copied into every row of the range.
    fill: dict[tuple[int, int], tuple[int, int]] = {}
    for (r1, c1), (r2, c2) in merged:
        if r1 <= last_header_row:
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    fill[(r, c)] = (r1, c1)
    if fill:
        notes.append(
            _(
                "Sel data yang digabung (merge) dibaca sebagai nilai yang sama untuk setiap "
                "baris dalam gabungan itu."
            )
        )
    formulas: set[tuple[int, int]] = set()
    if kind == "xlsx":
        for r, c in _xlsx_formula_cells(path, chosen.name):
            if r > last_header_row:
                formulas.add((r, c - start_col))
            elif r >= header_row:
                problems.append(
                    _("Judul kolom di %(cell)s berisi rumus (formula). Ganti dengan teks.")
                    % {"cell": cell_ref(r, c)}
                )
    elif kind == "ods" and _ods_has_formula(path):
        notes.append(
            _("Lembar kerja berisi rumus (formula): nilai hasil yang tersimpan di berkas dipakai.")
        )
    if problems:
        raise FileRejected(" ".join(problems))

    skipped = SkippedRows(header)

    def data_rows() -> Iterator[tuple[int, list]]:
        width = len(header)
        sources = set(fill.values())
        seen: dict[tuple[int, int], object] = {}
        for index, cells in pending:
            number = index + 1
            if fill:
                cells = list(cells)
                for c in range(len(cells)):
                    if (number, c) in sources:
                        seen[(number, c)] = cells[c]
                    elif (number, c) in fill and _is_blank(cells[c]):
                        cells[c] = seen.get(fill[(number, c)], "")
            if all(_is_blank(c) for c in cells):
                continue
            if len(cells) < width:
                cells = list(cells) + [""] * (width - len(cells))
            if skipped.trailer(number, cells):
                continue
            if formulas:
                for c in range(width):
                    if (number, c) not in formulas:
                        continue
                    skipped.formula_columns.add(c)
                    if _is_blank(cells[c]):
                        cell_issues[(number, c)] = _(
                            "Sel berisi rumus (formula) tanpa nilai tersimpan. Buka berkas "
                            "di Excel, simpan (agar hasil rumus tersimpan) atau Tempel Nilai "
                            "(Paste Values), lalu unggah lagi."
                        )
            yield number, cells

    return Table(
        header=header,
        rows=data_rows(),
        total=max(chosen.height - last_header_row, 0),
        header_row=last_header_row,
        sheet=chosen.name,
        notes=notes,
        cell_issues=cell_issues,
        skipped=skipped,
    )


# --- rows below the data: totals and signature blocks ---------------------------------

_TOTAL_WORDS = {"jumlah", "total", "jumlah total", "grand total", "sub total", "subtotal", "jml"}
_SIGNATURE = re.compile(
    r"^(mengetahui|menyetujui|disetujui|diperiksa|dibuat oleh|disusun oleh|tanda tangan|"
    r"kepala (dinas|bidang|seksi|bagian|sub ?bagian)|kabid|kasi|sekretaris|a\.?n\.? |"
    r"plt\.?|plh\.?|nip\b|nip\.|pembina|penata|pengatur|petugas pendata|pencacah)",
)
# "Denpasar, 12 Maret 2025": the place and date above a signature.
_PLACE_DATE = re.compile(r"^[a-z .]+,\s*\d{1,2}\s+[a-z]+\s+\d{4}$")


class SkippedRows:
    """Rows below the data that are not records: a JUMLAH/TOTAL line, the place and
    date, "Mengetahui", "Kepala Bidang …", the signatory's name and "NIP. …". Once a
    total or signature row is seen, sparse rows after it (three cells or fewer) belong
    to the same block; a row that is filled like data again is data."""

    def __init__(self, header: list[str] | None = None) -> None:
        self.header = header or []
        self.formula_columns: set[int] = set()
        self.rows: list[tuple[int, str]] = []
        self.numbered_only: list[int] = []
        self._in_block = False

    def trailer(self, number: int, cells: list) -> bool:
        texts = [_text(c) for c in cells]
        filled = [t for t in texts if t]
        folded = [fold(t).rstrip(" :") for t in filled]
        if len(filled) == 1 and not _is_blank(cells[0]) and isinstance(cells[0], int | float):
            self.numbered_only.append(number)  # a numbered but empty row ("No" only)
            return True
        is_total = any(f in _TOTAL_WORDS for f in folded[:3])
        is_signature = len(filled) <= 3 and any(
            _SIGNATURE.match(f) or _PLACE_DATE.match(f) for f in folded
        )
        if is_total or is_signature or (self._in_block and len(filled) <= 3):
            self._in_block = True
            self.rows.append((number, " / ".join(t[:40] for t in filled[:3])))
            return True
        self._in_block = False
        return False

    def notes(self) -> list[str]:
        out = []
        if self.formula_columns:
            out.append(
                _(
                    "Kolom %(columns)s berisi rumus (formula): nilai hasil yang tersimpan di "
                    "berkas dipakai; rumus tanpa nilai tersimpan ditandai per sel."
                )
                % {
                    "columns": ", ".join(
                        self.header[c] for c in sorted(self.formula_columns) if c < len(self.header)
                    )
                }
            )
        if self.rows:
            out.append(
                _(
                    "Baris %(rows)s bukan data IKM (baris jumlah atau blok tanda tangan) dan "
                    "dilewati: %(texts)s."
                )
                % {
                    "rows": ", ".join(str(n) for n, _t in self.rows[:20]),
                    "texts": "; ".join(t for _n, t in self.rows[:8]),
                }
            )
        if self.numbered_only:
            out.append(
                _("Baris %(rows)s hanya berisi nomor urut, tanpa data, dan dilewati.")
                % {"rows": _ranges(self.numbered_only)}
            )
        return out


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


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
                    _(
                        "Baris %(rows)s di atas judul kolom dibaca sebagai judul lembar dan "
                        "dilewati: %(text)s."
                    )
                    % {"rows": rows, "text": text}
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


_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")


def _looks_like_sub_header(top: list[str], below: list) -> bool:
    """A second header row: text only, and it fills the gaps the first row leaves."""
    texts = [_text(c) for c in below]
    filled = [i for i, t in enumerate(texts) if t]
    if not filled or any(not isinstance(below[i], str) for i in filled):
        return False
    if any(len(texts[i]) > 40 for i in filled):
        return False
    last = max((i for i, t in enumerate(top) if t), default=-1)
    gaps = [i for i in range(last + 1) if not top[i]]
    if not gaps or not all(i < len(texts) and texts[i] for i in gaps):
        return False
    # Sub-names stand only under a parent and the gaps to its right, never under a
    # column that has its own name: a data row fills those too.
    allowed = set(gaps)
    for i in gaps:
        j = i
        while j > 0 and not top[j]:
            j -= 1
        allowed.add(j)
    return set(filled) <= allowed


def combine_header(
    cells: list,
    *,
    header_row: int,
    rest: Iterator[tuple[int, list]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    col_offset: int = 0,
    notes: list[str],
) -> tuple[list[str], int, Iterator[tuple[int, list]]]:
    """(column names, last header row, the data rows) for a header of one or two rows.

    A parent cell merged over sub-cells ("Tenaga Kerja" over "L" and "P") gives combined
    names ("Tenaga Kerja L", "Tenaga Kerja P"); a cell merged down over both rows keeps
    its own name. Without merge information (CSV, or merges undone) a second row of short
    texts that fills the first row's gaps is read the same way, each gap taking the
    parent on its left. A row of column numbers ("1", "(2)", …) under the header, as
    government forms have, is skipped. Blank names become "(kolom X)" and repeated names
    get a number, both said in the notes, so that no column is silently lost.
    """
    top = [_text(c) for c in cells]
    width = len(top)
    spans = [
        (c1, c2) for (r1, c1), (r2, c2) in merged if r1 == header_row and c2 > c1 and c1 < width
    ]
    down = {c1 for (r1, c1), (r2, c2) in merged if r1 == header_row and r2 > r1}
    rest = iter(rest)
    lookahead = next(rest, None)
    two_rows = False
    if lookahead is not None:
        below = list(lookahead[1])
        if spans or down:
            two_rows = (
                lookahead[0] + 1 == header_row + 1
                and all(isinstance(c, str) or _is_blank(c) for c in below)
                and any(_text(c) for c in below)
            )
        else:
            two_rows = _looks_like_sub_header(top, below)
    last_row = header_row
    if two_rows:
        assert lookahead is not None
        below = [_text(c) for c in lookahead[1]]
        width = max(width, len(below))
        top += [""] * (width - len(top))
        below += [""] * (width - len(below))
        parent = list(top)
        for c1, c2 in spans:
            for c in range(c1 + 1, min(c2, width - 1) + 1):
                parent[c] = top[c1]
        if not spans:
            for i in range(1, width):
                if not parent[i] and below[i]:
                    parent[i] = parent[i - 1]
        top = [
            f"{p} {b}" if p and b and fold(p) != fold(b) else (p or b)
            for p, b in zip(parent, below, strict=True)
        ]
        last_row = header_row + 1
        notes.append(
            _("Judul kolom dua baris (%(first)s–%(last)s) digabung, mis. '%(example)s'.")
            % {
                "first": header_row,
                "last": last_row,
                "example": next((t for t, b in zip(top, below, strict=True) if b), top[0]),
            }
        )
        lookahead = next(rest, None)
    if lookahead is not None:
        texts = [_text(c) for c in lookahead[1]]
        filled = [t for t in texts if t]
        if len(filled) >= 2 and all(_COLUMN_NUMBER.match(t.replace(".0", "")) for t in filled):
            notes.append(
                _("Baris %(row)s berisi nomor kolom (1, 2, 3, …) dan dilewati.")
                % {"row": lookahead[0] + 1}
            )
            last_row = lookahead[0] + 1
            lookahead = None
    data = itertools.chain([lookahead] if lookahead is not None else [], rest)
    return _header(top, header_row=header_row, col_offset=col_offset, notes=notes), last_row, data


def _header(cells: list, *, header_row: int, col_offset: int = 0, notes: list[str]) -> list[str]:
    """Header texts: blank names get their column letter, repeated ones a number."""
    header = [_text(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    blanks = [i for i, h in enumerate(header) if not h]
    for i in blanks:
        header[i] = _("(kolom %(letter)s)") % {"letter": _col_letter(i + col_offset)}
    if blanks:
        notes.append(
            _(
                "Judul kolom kosong di %(cells)s: kolom itu diberi nama menurut hurufnya dan "
                "tidak dipetakan (petakan sendiri bila berisi data)."
            )
            % {"cells": ", ".join(cell_ref(header_row, i + col_offset) for i in blanks[:10])}
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = " ".join(name.lower().split())
        if key in seen:
            renamed = f"{name} ({sum(1 for k in seen if k.split(' (')[0] == key) + 1})"
            notes.append(
                _(
                    "Judul kolom '%(name)s' muncul dua kali (%(first)s dan %(second)s); yang "
                    "kedua dibaca sebagai '%(renamed)s'."
                )
                % {
                    "name": name,
                    "first": cell_ref(header_row, seen[key] + col_offset),
                    "second": cell_ref(header_row, i + col_offset),
                    "renamed": renamed,
                }
            )
            header[i] = renamed
            key = " ".join(renamed.lower().split())
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
            _(
                "Pengodean teks berkas CSV tidak dikenali (bukan UTF-8 atau Windows-1252). "
                "Simpan ulang sebagai 'CSV UTF-8'."
            )
        ) from exc


def sniff_delimiter(first_lines: str) -> str:
    """`,`, `;` or tab: whichever splits one of the first lines into the most columns."""
    counts = {}
    for delim in (",", ";", "\t"):
        lines = first_lines.split("\n")
        try:
            counts[delim] = max(len(r) for r in csv.reader(lines, delimiter=delim))
        except csv.Error:  # an over-long cell: the reader below says so
            counts[delim] = 1
    best = max(counts.values())
    for delim in (",", ";", "\t"):  # ties go to the comma
        if counts[delim] == best:
            return delim
    return ","


_DELIM_NAMES = {",": _lazy("koma"), ";": _lazy("titik koma"), "\t": _lazy("tab")}


def _csv_records(reader) -> Iterator[list[str]]:
    """csv.reader's records, its errors told as the person can act on them."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRejected(
                    _(
                        "Satu sel di sekitar baris %(line)s lebih panjang dari batas "
                        '%(limit)s karakter per sel. Biasanya tanda kutip (") yang tidak '
                        "ditutup, sehingga sisa berkas terbaca sebagai satu sel; atau sel "
                        "berisi teks yang sangat panjang. Periksa baris itu, simpan, lalu "
                        "unggah lagi."
                    )
                    % {
                        "line": reader.line_num,
                        "limit": f"{csv.field_size_limit():,}".replace(",", "."),
                    }
                ) from exc
            raise FileRejected(
                _("Baris %(line)s tidak terbaca sebagai CSV (%(error)s).")
                % {"line": reader.line_num, "error": exc}
            ) from exc
        yield record


def read_csv(path: Path) -> Table:
    text, encoding = decode_text(path.read_bytes())
    if not text.strip():
        raise FileRejected(_("Berkas CSV kosong."))
    lines = text.count("\n") + 1
    if lines > max_rows() + 1:
        raise FileRejected(
            _(
                "Berkas berisi %(rows)s baris; batasnya %(limit)s baris per impor. Pecah "
                "berkas menjadi beberapa bagian."
            )
            % {
                "rows": f"{lines:,}".replace(",", "."),
                "limit": f"{max_rows():,}".replace(",", "."),
            }
        )
    stream = io.StringIO(text, newline="")
    # Title lines above the header hold no delimiter: sniff on the first lines together.
    first_lines = [line.rstrip("\r\n") for line in itertools.islice(stream, TITLE_ROWS + 1)]
    delimiter = sniff_delimiter("\n".join(line for line in first_lines if line.strip()))
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    notes = [
        _("Pengodean: %(encoding)s; pemisah kolom: %(delimiter)s.")
        % {"encoding": encoding, "delimiter": _DELIM_NAMES[delimiter]}
    ]
    numbered = enumerate(_csv_records(reader))
    header_row, header_cells, pending = locate_header(numbered, notes=notes)
    header, last_row, data = combine_header(
        header_cells,
        header_row=header_row,
        rest=itertools.chain(pending, numbered),
        merged=[],
        notes=notes,
    )
    skipped = SkippedRows()

    def data_rows() -> Iterator[tuple[int, list]]:
        width = len(header)
        for index, record in data:
            if not any(c.strip() for c in record):
                continue
            if len(record) < width:
                record = record + [""] * (width - len(record))
            if skipped.trailer(index + 1, record):
                continue
            yield index + 1, record

    return Table(
        header=header,
        rows=data_rows(),
        total=max(lines - last_row, 0),
        header_row=last_row,
        notes=notes,
        skipped=skipped,
    )


def read_table(path: Path, *, original_name: str, sheet: str = "") -> Table:
    """Open any supported file; raises FileRejected with the reason in Indonesian."""
    extension = Path(original_name).suffix.lower()
    kind = detect_kind(path, extension=extension)
    if kind == "text":
        return read_csv(path)
    return read_workbook(path, kind={"ole": "xls"}.get(kind, kind), sheet=sheet)
