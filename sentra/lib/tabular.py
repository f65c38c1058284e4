"""One row source, many renderers: the same header + rows become xlsx or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


RUPIAH_FORMAT = '"Rp" #,##0'


def _safe_text(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def xlsx_bytes(
    header: list[str],
    rows: Iterable[Iterable[Any]],
    *,
    sheet: str = "data",
    title: list[str] | None = None,
    money: set[int] | frozenset[int] = frozenset(),
    widths: list[int] | None = None,
) -> bytes:
    """A write-only workbook: constant memory, so 100k rows are fine.

    Strings stay strings, so codes such as NIK, NIB and KBLI keep their leading zeros.
    For people (title given): the title lines above the header, one cell each (the import
    skips such a title block), a frozen header with an autofilter, column widths, and
    the `money` columns (indexes) in a rupiah number format that Excel shows with the
    reader's own separators.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    bold = Font(bold=True)
    title = title or []
    header_row = len(title) + (2 if title else 1)  # a blank row between title and header
    if title:
        ws.freeze_panes = f"A{header_row + 1}"
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{header_row}"
        for i, name in enumerate(header):
            width = widths[i] if widths else min(max(len(str(name)) + 2, 10), 40)
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        for n, line in enumerate(title):
            cell = WriteOnlyCell(ws, value=_cell_value(line))
            if n == 0:
                cell.font = Font(bold=True, size=13)
            ws.append([cell])
        ws.append([])
    head_cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        head_cells.append(cell)
    ws.append(head_cells)
    for row in rows:
        values = [_cell_value(v) for v in row]
        if money:
            cells = []
            for i, v in enumerate(values):
                if i in money and isinstance(v, int | float):
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = RUPIAH_FORMAT
                    cells.append(cell)
                else:
                    cells.append(v)
            values = cells
        ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class Line:
    """One line of a report sheet whose tables differ in shape (xlsx_lines_bytes)."""

    values: Sequence[Any]
    bold: bool = False
    money: frozenset[int] = frozenset()  # indexes written in the rupiah number format


def xlsx_lines_bytes(
    lines: Iterable[Line], *, sheet: str = "data", widths: Sequence[int] = ()
) -> bytes:
    """A write-only workbook of lines as given: several tables on one sheet, each with
    its own bold header, for reports read by people (one table: xlsx_bytes)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    bold = Font(bold=True)
    for line in lines:
        cells: list[Any] = []
        for i, v in enumerate(line.values):
            value = _cell_value(v)
            if not line.bold and i not in line.money:
                cells.append(value)
                continue
            cell = WriteOnlyCell(ws, value=value)
            if line.bold:
                cell.font = bold
            if i in line.money and isinstance(value, int | float):
                cell.number_format = RUPIAH_FORMAT
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_lines_response(lines: Iterable[Line], *, filename: str, **layout: Any) -> HttpResponse:
    response = HttpResponse(
        xlsx_lines_bytes(lines, **layout),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return _safe_text(value)
    return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: Excel then reads the file as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def xlsx_response(
    header: list[str], rows: Iterable[Iterable[Any]], *, filename: str, **layout: Any
) -> HttpResponse:
    """layout: xlsx_bytes' title, money and widths for a sheet people read."""
    response = HttpResponse(
        xlsx_bytes(header, rows, **layout),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def csv_response(
    header: list[str], rows: Iterable[Iterable[Any]], *, filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
