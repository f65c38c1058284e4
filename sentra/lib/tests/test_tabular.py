import io

from openpyxl import load_workbook

from sentra.lib.tabular import RUPIAH_FORMAT, Line, xlsx_lines_bytes


def test_lines_keep_their_shape_bold_headers_money_and_no_formulas():
    data = xlsx_lines_bytes(
        [
            Line(["Kondisi", "Indikator", "Nilai"], bold=True),
            Line(["Kondisi", "Investasi", 12_500_000], money=frozenset({2})),
            Line([]),
            Line(["LQ", "=HYPERLINK(1)", 1.5, "x"]),
        ]
    )
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]][:3] == ["Kondisi", "Indikator", "Nilai"]
    assert rows[0][0].font.bold and not rows[1][0].font.bold
    assert rows[1][2].value == 12_500_000 and rows[1][2].number_format == RUPIAH_FORMAT
    assert all(c.value is None for c in rows[2])
    assert [c.value for c in rows[3]] == ["LQ", "'=HYPERLINK(1)", 1.5, "x"]
