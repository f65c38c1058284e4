"""Typing amounts and coordinates the way an Indonesian office writes them."""

import re
from decimal import Decimal

import pytest

from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_stores_and_shows_indonesian_amounts_and_coordinates(page, login, admin_user):
    login("admin")
    page.goto("/ikm/baru/")
    page.fill("#id_name", "Tenun Ikat Pemecutan")
    # The kecamatan narrows the desa list to its own desa/kelurahan.
    page.select_option("#id_kecamatan", "51.71.03")
    hidden = page.eval_on_selector_all(
        "#id_desa option[data-kecamatan]",
        "os => os.filter(o => !o.hidden).map(o => o.dataset.kecamatan)",
    )
    assert hidden and set(hidden) == {"51.71.03"}
    page.select_option("#id_desa", DESA_BARAT)
    page.fill("#id_owner_name", "Ni Luh Sari")
    page.fill("#id_owner_email", "niluh.sari@contoh.id")
    page.type("#id_owner_nik", "51710312")
    assert "8 dari 16 digit" in page.inner_text("#id_owner_nik_digits")
    page.type("#id_owner_nik", "04850007")
    assert "lengkap" in page.inner_text("#id_owner_nik_digits")
    page.type("#id_investment", "5.000.000")
    page.type("#id_latitude", "-8,65")
    page.type("#id_longitude", "115,2")
    page.click("#ikm-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ikm/\d+/$"))

    ikm = Ikm.objects.get(name="Tenun Ikat Pemecutan")
    assert ikm.investment == 5_000_000
    assert ikm.latitude == Decimal("-8.65")
    body = page.inner_text("main")
    assert "Rp 5.000.000" in body
    assert "-8,650000" in body

    # Shown again for editing in the same notation, and saved unchanged.
    page.goto(f"/ikm/{ikm.pk}/ubah/")
    assert page.input_value("#id_investment") == "5.000.000"
    assert page.input_value("#id_latitude") == "-8,65"
    page.click("#ikm-form button[type=submit]")
    page.wait_for_url(re.compile(r"/ikm/\d+/$"))
    ikm.refresh_from_db()
    assert ikm.investment == 5_000_000 and ikm.latitude == Decimal("-8.65")


def test_an_ambiguous_amount_is_refused_not_guessed(page, login, admin_user):
    login("admin")
    page.goto("/ikm/baru/")
    page.fill("#id_name", "Kopi Sanur")
    page.select_option("#id_desa", DESA_BARAT)
    page.type("#id_investment", "5.000000")
    page.click("#ikm-form button[type=submit]")
    page.get_by_text("titik pemisah ribuan").first.wait_for()
    assert page.input_value("#id_investment") == "5.000000"
    assert not Ikm.objects.filter(name="Kopi Sanur").exists()
