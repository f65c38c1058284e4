"""The readers read a large file without holding it whole: the formula scan of an .xlsx
goes chunk by chunk, a CSV is decoded record by record; what they find is what a
reading of the whole text finds."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from sentra.imports.readers import read_table, spreadsheet
from sentra.imports.tests.clerk import clerk_workbook
from sentra.imports.tests.samples import SIDT_HEADER, sidt_csv, sidt_row


def _sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("chunk", [1, 7, 64, 1000])
def test_the_formula_scan_in_chunks_finds_what_one_pass_finds(monkeypatch, chunk):
    xml = _sheet_xml(clerk_workbook())
    # The same sheet with prefixed tags (x:c, x:f, x:row), as some tools write it.
    prefixed = xml.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")
    prefixed = prefixed.replace(b"<f>", b"<x:f>").replace(b"</f>", b"</x:f>")
    prefixed = prefixed.replace(b"<row ", b"<x:row ").replace(b"</row>", b"</x:row>")
    for data in (xml, prefixed):
        whole = [
            (int(m.group(2)), spreadsheet.col_index(m.group(1).decode()))
            for m in spreadsheet._FORMULA_CELL.finditer(data)
        ]
        assert whole  # the clerk's sheet has a formula column
        monkeypatch.setattr(spreadsheet, "_SCAN_CHUNK", chunk)
        assert spreadsheet._formula_cells_in(io.BytesIO(data)) == whole


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8 (BOM)"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("cp1252", b"", "Windows-1252"),
    ],
)
def test_a_csv_read_record_by_record_gives_every_row(tmp_path, encoding, bom, name):
    rows = [sidt_row(n, nama_usaha=f"Kopi Ñusa {n}") for n in range(30)]
    rows[3]["alamat_usaha"] = "Jl. Gatot Subroto\nGang Mawar No. 4"  # a line break in a cell
    path = tmp_path / "data.csv"
    path.write_bytes(bom + sidt_csv(rows).decode("utf-8").encode(encoding))
    table = read_table(path, original_name="data.csv")
    read = list(table.rows)
    assert table.header == SIDT_HEADER
    assert f"Pengodean: {name};" in table.notes[0]
    assert len(read) == 30
    assert read[3][1][SIDT_HEADER.index("alamat_usaha")] == "Jl. Gatot Subroto\nGang Mawar No. 4"
    assert read[29][1][SIDT_HEADER.index("nama_usaha")] == "Kopi Ñusa 29"
    assert [number for number, _cells in read][:4] == [2, 3, 4, 5]
