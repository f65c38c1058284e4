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


def _overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_zoom_glyphs_are_centred_and_labels_never_overlap(page, login, analyst):
    for desa, lat, lng in (
        (PEMOGAN, "-8.700000", "115.190000"),
        (DESA_SELATAN, "-8.727000", "115.232000"),
        (DESA_BARAT, "-8.655000", "115.205000"),
    ):
        IkmFactory.create_batch(4, desa_id=desa, latitude=lat, longitude=lng)
    login("analis")
    page.goto("/atlas/")
    page.wait_for_selector("#map[data-ready=desa]")
    for name in ("in", "out"):
        button = page.locator(f".leaflet-control-zoom-{name}").bounding_box()
        glyph = page.locator(f".leaflet-control-zoom-{name} span").bounding_box()
        centre = (button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
        middle = (glyph["x"] + glyph["width"] / 2, glyph["y"] + glyph["height"] / 2)
        assert abs(centre[0] - middle[0]) <= 2 and abs(centre[1] - middle[1]) <= 3, name
    page.check("input[name=points]")
    expect(page.locator(".cluster-icon").first).to_be_visible()
    page.wait_for_timeout(300)  # the declutter runs on the next animation frame
    boxes = [
        page.locator(".cluster-icon").nth(i).bounding_box()
        for i in range(page.locator(".cluster-icon").count())
    ]
    labels = page.locator(".area-label:not(.label-hidden)")
    boxes += [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert labels.count() > 0  # some numbers still show
    assert page.locator(".area-label.label-hidden").count() > 0  # 43 desa at city zoom
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b), (a, b)
