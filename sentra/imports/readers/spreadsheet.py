"""Workbooks (.xlsx, .xls, .ods) through calamine: the archive limits checked first,
hidden and formula cells, merged cells filled, the rows of the chosen sheet.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from sentra.imports.readers.base import (
    FileRejected,
    cell_ref,
    col_index,
    is_blank,
    max_cells,
    max_rows,
    max_unpacked_bytes,
    megabytes,
)
from sentra.imports.readers.shape import (
    SkippedRows,
    Table,
    combine_header,
    locate_header,
)

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
        # In chunks: a 100,000-row sheet unpacks to over 100 MB, which the parser
        # (calamine) holds already in its own form.
        with zf.open(member) as fh:
            return _formula_cells_in(fh)


_SCAN_CHUNK = 4 * 1024 * 1024
_ROW_END = re.compile(rb"</(?:\w+:)?row>$")


def _formula_cells_in(fh) -> list[tuple[int, int]]:
    """The formula cells of a sheet's XML read from `fh`, one chunk at a time.

    A chunk is scanned up to its last row end (`</row>`): a formula cell's match never
    crosses one (it ends inside its cell), so the cells found are those of the whole
    text at once; the rest is carried into the next chunk.
    """
    cells: list[tuple[int, int]] = []
    carry = b""
    while True:
        chunk = fh.read(_SCAN_CHUNK)
        data = carry + chunk
        if chunk:
            cut = _last_row_end(data)
            segment, carry = data[:cut], data[cut:]
        else:
            segment, carry = data, b""
        # bytes.find is memchr-fast; the regex runs only when "<f" or a prefixed ":f"
        # occurs at all (every match of _FORMULA_ANY contains one of them).
        if (b"<f" in segment or b":f" in segment) and _FORMULA_ANY.search(segment):
            cells.extend(
                (int(m.group(2)), col_index(m.group(1).decode()))
                for m in _FORMULA_CELL.finditer(segment)
            )
        if not chunk:
            return cells


def _last_row_end(data: bytes) -> int:
    """Where the last `</row>` (or `</x:row>`) of `data` ends; 0 without one."""
    pos = data.rfind(b"row>")
    while pos != -1:
        if _ROW_END.search(data, max(0, pos - 40), pos + 4):
            return pos + 4
        pos = data.rfind(b"row>", 0, pos)
    return 0


def _ods_has_formula(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return b"table:formula=" in zf.read("content.xml")


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
                % {"size": megabytes(unpacked), "limit": megabytes(max_unpacked_bytes())}
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
            c1, r1 = col_index(found.group(1).decode()), int(found.group(2))
            c2 = col_index((found.group(3) or found.group(1)).decode())
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
            found: CalamineSheet | None = None
            for meta in metas:
                if meta.name in hidden:
                    continue
                candidate = wb.get_sheet_by_name(meta.name)
                if candidate.height and candidate.width:
                    found = candidate
                    break
            if found is None:
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
            chosen = found
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
    header_row, header_cells, read_past = locate_header(numbered, notes=notes)
    if not header_row:
        raise FileRejected(_("Lembar '%(sheet)s' kosong.") % {"sheet": chosen.name})
    problems: list[str] = []
    header, last_header_row, pending = combine_header(
        header_cells,
        header_row=header_row,
        rest=itertools.chain(read_past, numbered),
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
                    elif (number, c) in fill and is_blank(cells[c]):
                        cells[c] = seen.get(fill[(number, c)], "")
            if all(is_blank(c) for c in cells):
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
                    if is_blank(cells[c]):
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
