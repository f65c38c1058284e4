"""The participant picker's autocomplete: the list's search, personal data masked."""

import re

import pytest

from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kopi():
    return IkmFactory(
        name="Kopi Bubuk Merta",
        owner_name="I Wayan Sudarma",
        nib="9120001234567",
        owner_phone="081234567890",
        desa_id=DESA_BARAT,
        address="Jl. Gunung Agung 12",
    )


def _suggest(client, **params) -> str:
    return client.get("/ikm/_pilih/", params, HTTP_HX_REQUEST="true").content.decode()


def test_it_finds_by_name_owner_and_nib_with_a_typo(client, viewer, kopi):
    # Every searched field fixed: a random address must not happen to hold "merta".
    IkmFactory(
        name="Tenun Endek Sari",
        owner_name="Ni Luh Kartika",
        desa_id=DESA_TIMUR,
        address="Jl. Hayam Wuruk 7",
        main_products="kain endek",
        nib="9120009876543",
    )
    client.force_login(viewer)
    for typed in ("merta", "sudarma", "9120001234567", "kopii"):
        html = _suggest(client, ikm_q=typed)
        assert "Kopi Bubuk Merta" in html and "Tenun Endek" not in html, typed
        assert f'name="ikm_ids" value="{kopi.pk}"' in html
    assert "Tidak ada IKM aktif" in _suggest(client, ikm_q="xylofon")
    assert "Kopi" not in _suggest(client, ikm_q="k")  # one letter: no list yet


def test_phone_is_masked_for_a_viewer_and_shown_to_an_analyst(client, viewer, analyst, kopi):
    client.force_login(viewer)
    html = _suggest(client, ikm_q="merta")
    assert "081234567890" not in html and "••••••••7890" in html
    assert "Kopi" not in _suggest(client, ikm_q="081234567890")  # no probing by phone
    client.force_login(analyst)
    assert "081234567890" in _suggest(client, ikm_q="081234567890")


def test_ticked_ikm_stay_ticked_and_first(client, viewer, kopi):
    other = IkmFactory(name="Pie Susu Dewata", desa_id=DESA_BARAT)
    client.force_login(viewer)
    html = _suggest(client, ikm_q="merta", ikm_ids=[other.pk])
    ticked = re.findall(r'value="(\d+)" checked', html)
    assert ticked == [str(other.pk)]
    assert html.index("Pie Susu") < html.index("Kopi Bubuk")
