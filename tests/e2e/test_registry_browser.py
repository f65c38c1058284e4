import re

import pytest

from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_filter_by_kecamatan_open_ikm(page, login, analyst):
    IkmFactory(name="Pie Susu Dauh Puri", desa_id=DESA_BARAT)
    IkmFactory(name="Endek Dangin Puri", desa_id=DESA_TIMUR, owner_nik="5171031204850007")
    login("analis")
    page.goto("/ikm/")
    page.select_option("select[name=kecamatan]", "51.71.02")
    page.wait_for_url(re.compile(r"kecamatan=51\.71\.02"))
    page.get_by_role("link", name="Endek Dangin Puri").wait_for()
    assert page.get_by_role("link", name="Pie Susu Dauh Puri").count() == 0
    page.get_by_role("link", name="Endek Dangin Puri").click()
    page.wait_for_url(re.compile(r"/ikm/\d+/$"))
    assert page.get_by_test_id("owner-nik").inner_text().startswith("5171031204850007")


def test_viewer_sees_nik_masked(page, login, viewer):
    ikm = IkmFactory(name="Kopi Bubuk Sumerta", owner_nik="5171031204850009")
    login("pemantau")
    page.goto(f"/ikm/{ikm.pk}/")
    nik = page.get_by_test_id("owner-nik").inner_text()
    assert "5171031204850009" not in nik
    assert "0009" in nik
