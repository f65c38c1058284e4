import io

import pytest
from openpyxl import load_workbook

from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def test_export_is_exactly_the_filtered_list(client, analyst):
    IkmFactory.create_batch(3, desa_id=DESA_BARAT, main_products="pie susu")
    IkmFactory.create_batch(2, desa_id=DESA_TIMUR, main_products="pie susu")
    IkmFactory(desa_id=DESA_BARAT, main_products="patung")
    client.force_login(analyst)
    response = client.get("/ikm/", {"kecamatan": "51.71.03", "q": "pie", "format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    # A title block (office, filter, date), a blank row, then the labelled header.
    assert "Kecamatan: Denpasar Barat" in rows[1][0] and "Cari: pie" in rows[1][0]
    header, body = rows[4], rows[5:]
    assert len(body) == 3
    kec = header.index("Kecamatan")
    assert {r[kec] for r in body} == {"Denpasar Barat"}


def test_xlsx_keeps_codes_as_text_and_masks_for_viewer(client, viewer):
    IkmFactory(owner_nik="5171031204850001", nib="0120001234567", kbli_id="01111")
    client.force_login(viewer)
    response = client.get("/ikm/", {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    header, row = [list(r) for r in ws.iter_rows(values_only=True)][4:6]
    assert row[header.index("NIB")] == "0120001234567"
    assert row[header.index("Kode KBLI")] == "01111"
    assert "5171031204850001" not in row
    assert row[header.index("NIK pemilik")].endswith("0001")


def test_csv_neutralises_formulas(client, analyst):
    IkmFactory(name='=HYPERLINK("http://x")')
    client.force_login(analyst)
    body = b"".join(client.get("/ikm/", {"format": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK" in body
