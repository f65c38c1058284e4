import pytest

from sentra.testing.factories import DENPASAR_SELATAN, DESA_BARAT, DESA_SELATAN, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_ikm():
    for year in (2019, 2020, 2021, 2022, 2023):
        IkmFactory.create_batch(2, desa_id=DESA_SELATAN, started_year=year, subsector_id="B16-08")
    IkmFactory.create_batch(2, desa_id=DESA_BARAT, started_year=2021)


def test_growth_page_has_its_chart_with_target_band_and_projection(client, viewer, some_ikm):
    client.force_login(viewer)
    response = client.get("/atlas/pertumbuhan/")
    html = response.content.decode()
    spec = response.context["growth_chart"]
    assert spec["target"] and spec["projection"]
    assert 'data-testid="chart-growth"' in html
    assert 'id="chart-growth" type="application/json"' in html
    assert "<svg" in html and "chartjs-4.6.1/chart.umd.min.js" in html
    # The numbers stay in the table beside the chart.
    assert 'data-testid="growth-table"' in html


def test_dashboard_bars_per_kecamatan_and_coverage(client, viewer, some_ikm):
    client.force_login(viewer)
    response = client.get("/")
    charts = response.context["charts"]
    assert sum(charts["kecamatan"]["values"]) == 12
    assert charts["coverage"]["unit"] == "%"
    assert 'data-testid="chart-kecamatan"' in response.content.decode()


def test_profile_has_its_small_map_and_charts_also_in_the_pdf(client, viewer, some_ikm):
    client.force_login(viewer)
    response = client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/")
    html = response.content.decode()
    assert 'data-testid="area-map"><svg' in html
    assert 'data-testid="chart-scale"' in html and 'data-testid="chart-subsector"' in html
    from django.template.loader import render_to_string

    from sentra.atlas.views import _profile_context

    request = response.wsgi_request
    pdf_html = render_to_string(
        "atlas/profile_pdf.html", _profile_context(request, response.context["p"]), request
    )
    # Server-side SVG: the locator map plus three charts, no script.
    assert pdf_html.count("<svg") == 4 and "<canvas" not in pdf_html
    pdf = client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
