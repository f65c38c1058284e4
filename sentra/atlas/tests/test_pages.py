import io
from datetime import date

import pytest
from django.db.models import Sum

from sentra.registry.models import Ikm
from sentra.testing.factories import DENPASAR_SELATAN, DESA_BARAT, DESA_SELATAN, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_ikm():
    IkmFactory.create_batch(
        3, desa_id=DESA_SELATAN, production_value=7_000_000, subsector_id="B16-08"
    )
    IkmFactory.create_batch(2, desa_id=DESA_BARAT, latitude="-8.6560", longitude="115.2100")


def test_home_dashboard_links_numbers_to_records(client, viewer, some_ikm):
    client.force_login(viewer)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/ikm/"' in html
    assert "?kecamatan=51.71.01" in html
    assert "Kuliner" in html and "Kriya" in html
    assert response.context["totals"]["n"] == 5


def test_map_page_and_data_endpoint(client, viewer, some_ikm):
    client.force_login(viewer)
    assert client.get("/atlas/").status_code == 200
    data = client.get("/atlas/peta/data.json", {"indicator": "production_value"}).json()
    assert len(data["areas"]) == 43
    assert data["areas"][DESA_SELATAN]["value"] == 21_000_000
    geo = client.get("/atlas/peta/wilayah.geojson", {"level": "kecamatan"}).json()
    assert len(geo["features"]) == 4
    # Bad filters fall back to the defaults instead of failing.
    assert client.get("/atlas/peta/data.json", {"level": "x", "subsector": "zz"}).status_code == 200


def test_points_endpoint_is_closed_to_viewers(client, viewer, analyst, some_ikm):
    client.force_login(viewer)
    params = {"bbox": "115.1,-8.8,115.3,-8.5", "zoom": "14"}
    assert client.get("/atlas/peta/titik.json", params).status_code == 403
    client.force_login(analyst)
    body = client.get("/atlas/peta/titik.json", params).json()
    assert sum(p[0] for p in body["points"]) == 2
    assert client.get("/atlas/peta/titik.json", {"bbox": "x"}).status_code == 400


def test_profile_pages_pdf_and_excel(client, viewer, some_ikm):
    client.force_login(viewer)
    response = client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/")
    assert response.status_code == 200
    registry = Ikm.objects.filter(kecamatan_id=DENPASAR_SELATAN, closed_on__isnull=True)
    p = response.context["p"]
    assert p.totals["n"] == registry.count() == 3
    assert p.totals["workers"] == registry.aggregate(s=Sum("workers_total"))["s"]
    assert p.totals["production_value"] == 21_000_000

    pdf = client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The numbers that feed the PDF: its HTML is rendered from the same profile.
    from django.template.loader import render_to_string

    from sentra.atlas.views import _profile_context

    request = response.wsgi_request
    html = render_to_string("atlas/profile_pdf.html", _profile_context(request, p), request)
    assert 'data-testid="total-n">3<' in html
    assert 'data-testid="total-production">21.000.000<' in html
    assert "counter(pages)" in html and "Sumber" in html

    xlsx = client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.xlsx")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {(r[0], r[1]): r[2] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[("Kondisi", "IKM aktif")] == 3
    assert rows[("Kondisi", "Nilai produksi (Rp/tahun)")] == 21_000_000

    desa = client.get(f"/atlas/wilayah/{DESA_SELATAN}/")
    assert desa.status_code == 200 and desa.context["p"].level == "desa"
    assert client.get("/atlas/wilayah/51.71/").status_code == 404


def test_growth_and_methodology_pages(client, viewer):
    IkmFactory(started_year=2015, first_recorded_on=date(2023, 3, 1))
    IkmFactory(started_year=2023, first_recorded_on=date(2023, 4, 1))
    client.force_login(viewer)
    response = client.get("/atlas/pertumbuhan/", {"proyeksi": "2030", "kecamatan": "51.71.03"})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.year == 2023)
    assert (row.founded, row.recorded_new, row.recorded_found) == (1, 1, 1)
    page = client.get("/atlas/metodologi/")
    assert page.status_code == 200
    assert "ditemukan" in page.content.decode() and "PP 29/2018" in page.content.decode()


def test_coaching_overview_and_forms(client, admin_user, viewer):
    IkmFactory(subsector_id="B16-06")
    client.force_login(viewer)
    page = client.get("/pembinaan/")
    assert page.status_code == 200
    assert "Fotografi" in page.content.decode()
    assert client.get("/pembinaan/program/baru/").status_code == 403
    client.force_login(admin_user)
    response = client.post(
        "/pembinaan/program/baru/",
        {"category": "1", "year": "2025", "name": "Kuliner 2025", "organiser": "Disperindag"},
    )
    assert response.status_code == 302
    assert client.get("/pembinaan/cakupan.xlsx").status_code == 200
