"""The Excel export is for people, and the import still takes it back as it is."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from sentra.imports.tests import conftest as imports_conftest
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db
# The imports app's fixture: upload, validate and commit a file as an officer would.
run_import = imports_conftest.run_import
registry_state = imports_conftest.registry_state


@pytest.fixture
def two_ikm():
    IkmFactory(
        name="Endek Sumerta",
        desa_id=DESA_TIMUR,
        owner_sex="L",  # the factory's NIK is a man's
        owner_education="sma",
        owner_email="ayu.sumerta@contoh.id",
        investment=65_200_000,
        data_as_of=date(2025, 1, 1),
    )
    IkmFactory(
        name="Pie Susu Dauh Puri",
        desa_id=DESA_BARAT,
        owner_sex="L",
        owner_disability=True,
        owner_email="made.pie@contoh.id",
        subsector_id="B16-08",
        data_as_of=date(2025, 1, 1),
    )


def _sheet(client):
    response = client.get("/ikm/", {"format": "xlsx", "kecamatan": ""})
    assert response.status_code == 200
    return response.content, load_workbook(io.BytesIO(response.content)).active


def test_it_has_a_title_labels_formats_a_frozen_header_and_a_filter(client, admin_user, two_ikm):
    client.force_login(admin_user)
    _content, ws = _sheet(client)
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert "Daftar IKM" in rows[0][0] and rows[1][0].startswith("Saringan:")
    assert rows[2][0].startswith("Diunduh") and "admin" in rows[2][0]
    header = rows[4]
    assert header[:3] == ["ID Sentra", "Nama usaha", "Bentuk badan usaha"]
    assert "tk_dibayar_laki" not in header and "TK dibayar laki-laki" in header
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref.startswith("A5:")
    body = {r[header.index("Nama usaha")]: r for r in rows[5:]}
    endek = body["Endek Sumerta"]
    assert endek[header.index("Jenis kelamin")] == "Laki-laki"
    assert endek[header.index("Pendidikan")] not in ("sma", None)
    assert body["Pie Susu Dauh Puri"][header.index("Penyandang disabilitas")] == "ya"
    money = header.index("Investasi (Rp)") + 1
    assert endek[money - 1] == 65_200_000
    cells = {c.row: c for c in ws.iter_cols(min_col=money, max_col=money).__next__()}
    assert any(c.number_format.startswith('"Rp"') for c in cells.values() if c.row > 5)
    assert ws.column_dimensions["B"].width >= 12


def test_the_import_takes_it_back_with_no_mapping_and_no_change(
    client, admin_user, two_ikm, run_import
):
    client.force_login(admin_user)
    content, _ws = _sheet(client)
    before = registry_state()
    job = run_import(content, "daftar-ikm.xlsx", kind="survei")
    assert job.status == "committed", job.error
    assert job.layout == "sentra_labels"
    assert (job.rows_valid, job.created_count, job.updated_count) == (2, 0, 0)
    assert registry_state() == before
