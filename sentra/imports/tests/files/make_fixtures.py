"""How the binary fixtures in this folder were made (run once; the tests only read them).

    pip install --target /tmp/fixtools msoffcrypto-tool xlwt
    PYTHONPATH=/tmp/fixtools:. python sentra/imports/tests/files/make_fixtures.py

- terkunci.xlsx: a Sentra-layout workbook encrypted with the password "rahasia"
  (msoffcrypto-tool, ECMA-376 agile encryption, as Excel's "Encrypt with Password").
- sentra.xls: a BIFF8 (.xls) workbook in Sentra's layout (xlwt): row 2 valid, row 3
  with the NIK stored as a number, as Excel does when the column is not formatted as text.
"""

import io
import sys
from datetime import date
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))

HERE = Path(__file__).resolve().parent


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
    django.setup()
    import xlwt
    from msoffcrypto.format.ooxml import OOXMLFile

    from sentra.imports.tests.samples import SENTRA_HEADER, sentra_row, sentra_xlsx

    plain = io.BytesIO(sentra_xlsx([sentra_row(1)]))
    encrypted = io.BytesIO()
    office = OOXMLFile(plain)
    office.encrypt("rahasia", encrypted)
    (HERE / "terkunci.xlsx").write_bytes(encrypted.getvalue())

    book = xlwt.Workbook()
    sheet = book.add_sheet("data")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for col, name in enumerate(SENTRA_HEADER):
        sheet.write(0, col, name)
    for r, row in enumerate([sentra_row(1), sentra_row(2)], start=1):
        for col, name in enumerate(SENTRA_HEADER):
            value = row[name]
            if r == 2 and name == "nik_pemilik":
                value = float(value)
            if isinstance(value, date):
                sheet.write(r, col, value, date_style)
            elif value != "":
                sheet.write(r, col, value)
    book.save(str(HERE / "sentra.xls"))


if __name__ == "__main__":
    main()
