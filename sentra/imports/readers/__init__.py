"""Read .xlsx, .xls, .ods and .csv into one shape: a header and raw rows.

Cells keep the type the file gave them (text, number, date…): the converters decide
what a number in a code column means (an error, never a silent fix). Every problem
with the file as a whole raises `FileRejected` with a message for the person who
uploaded it; problems in single cells are returned in `Table.cell_issues`.

The package: `base` (limits, FileRejected, cell helpers), `detect` (what the file
really is), `spreadsheet` (.xlsx/.xls/.ods), `delimited` (.csv), `shape` (title rows,
header detection, totals and signatures below the data; `Table`). Callers open a file
with `read_table` here.
"""

from __future__ import annotations

from pathlib import Path

from sentra.imports.readers.delimited import read_csv
from sentra.imports.readers.detect import detect_kind
from sentra.imports.readers.shape import Table
from sentra.imports.readers.spreadsheet import read_workbook


def read_table(path: Path, *, original_name: str, sheet: str = "") -> Table:
    """Open any supported file; raises FileRejected with the reason in Indonesian."""
    extension = Path(original_name).suffix.lower()
    kind = detect_kind(path, extension=extension)
    if kind == "text":
        return read_csv(path)
    return read_workbook(path, kind={"ole": "xls"}.get(kind, kind), sheet=sheet)
