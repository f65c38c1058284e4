import re

import pytest
from playwright.sync_api import expect

from sentra.testing.factories import DESA_BARAT, DESA_SELATAN, IkmFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PEMOGAN = "51.71.01.2008"  # a large kelurahan of Denpasar Selatan


def test_map_click_area_opens_profile_and_pdf(page, login, analyst):
    IkmFactory.create_batch(3, desa_id=PEMOGAN, production_value=5_000_000)
    IkmFactory(desa_id=DESA_SELATAN)
    IkmFactory(desa_id=DESA_BARAT)
    login("analis")
    page.goto("/atlas/")
    page.wait_for_selector("#map[data-ready=desa]")
    assert page.locator("path[data-area]").count() == 43
    legend = page.get_by_test_id("legend").inner_text()
    assert "wilayah" in legend
    page.locator(f'path[data-area="{PEMOGAN}"]').dispatch_event("click")
    page.wait_for_url(re.compile(rf"/atlas/wilayah/{re.escape(PEMOGAN)}/$"))
    assert "Pemogan" in page.get_by_test_id("profile-title").inner_text()
    assert page.get_by_test_id("total-n").inner_text() == "3"
    href = page.get_by_test_id("pdf-link").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_switching_to_kecamatan_shows_four_areas(page, login, viewer):
    IkmFactory(desa_id=DESA_SELATAN)
    login("pemantau")
    page.goto("/atlas/")
    page.wait_for_selector("#map[data-ready=desa]")
    # Viewers get no IKM points control.
    assert page.locator("input[name=points]").count() == 0
    page.select_option("select[name=level]", "kecamatan")
    page.wait_for_selector("#map[data-ready=kecamatan]")
    assert page.locator("path[data-area]").count() == 4
    page.select_option("select[name=indicator]", "per_km2")
    # A locator waits without eval (the CSP allows no 'unsafe-eval', rightly).
    expect(page.locator("#map-status")).to_contain_text("km²")
