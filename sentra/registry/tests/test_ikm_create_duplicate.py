"""Entered twice by hand: the create form warns before saving, with links."""

import pytest

from sentra.linkage import services as linkage_services
from sentra.linkage.models import CandidatePair
from sentra.registry.models import Ikm
from sentra.registry.tests.test_ikm_pages import _form_data
from sentra.testing.factories import DESA_BARAT, IkmFactory, valid_nik

pytestmark = pytest.mark.django_db

SAME = {
    "name": "Warung Kopi Men Tempe",
    "owner_name": "Ni Ketut Tempe",
    "owner_nik": valid_nik(female=True, serial=77),
    "owner_sex": "P",
    "owner_phone": "081999000123",
    "owner_email": "men.tempe@example.id",
    "address": "Jl. Pidada No. 9",
    "main_products": "kopi bubuk",
    "nib": "8120417390523",
}


def _new(**changes) -> dict:
    return _form_data(Ikm(kbli_id="10710"), desa=DESA_BARAT, **{**SAME, **changes})


def test_it_warns_before_saving_an_ikm_already_registered(client, officer_barat):
    first = IkmFactory(desa_id=DESA_BARAT, **SAME)
    client.force_login(officer_barat)
    response = client.post("/ikm/baru/", _new(name="Warung Kopi Men Tempeh"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="twins"' in html
    assert f"/ikm/{first.pk}/" in html
    assert "NIK pemilik sudah terdaftar" in html and "NIB sudah terdaftar" in html
    assert Ikm.objects.count() == 1  # nothing saved yet
    # "Save anyway" cannot give a second live IKM the same NIB (one NIB, one business):
    # the NIB field says so and nothing is saved.
    response = client.post("/ikm/baru/", {**_new(name="Warung Kopi Men Tempeh"),
                                           "confirm_duplicate": "1"})  # fmt: skip
    assert response.status_code == 200 and Ikm.objects.count() == 1
    response = client.post("/ikm/baru/", {**_new(name="Warung Kopi Men Tempeh", nib=""),
                                           "confirm_duplicate": "1"})  # fmt: skip
    assert response.status_code == 302
    assert Ikm.objects.count() == 2


def test_the_same_name_in_the_same_desa_is_flagged_without_any_number(client, officer_barat):
    IkmFactory(desa_id=DESA_BARAT, name="UD Sari Mekar", owner_nik="", nib="", owner_phone="")
    client.force_login(officer_barat)
    html = client.post(
        "/ikm/baru/",
        _new(name="Sari Mekar", owner_nik="", nib="", owner_phone="", owner_name="Made Oka"),
    ).content.decode()
    assert "nama usaha yang sama di desa/kelurahan yang sama" in html


def test_an_unrelated_ikm_is_saved_without_a_warning(client, officer_barat):
    IkmFactory(desa_id=DESA_BARAT, name="Bengkel Las Sinar", main_products="pagar besi")
    client.force_login(officer_barat)
    response = client.post(
        "/ikm/baru/",
        _new(owner_nik=valid_nik(serial=78), nib="", owner_phone="087700011122",
             owner_name="I Made Oka", owner_sex="L"),
    )  # fmt: skip
    assert response.status_code == 302


def test_a_registry_wide_pass_finds_an_ikm_saved_twice(admin_user):
    a = IkmFactory(desa_id=DESA_BARAT, **SAME)
    # Saved again without the NIB (the registry holds one live IKM per NIB), once with a
    # typo in the name and once the very same.
    b = IkmFactory(desa_id=DESA_BARAT, **{**SAME, "name": "Warung Kopi Men Tempeh", "nib": ""})
    c = IkmFactory(desa_id=DESA_BARAT, **{**SAME, "nib": ""})
    linkage_services.find_duplicates(actor=admin_user)
    pairs = {(p.ikm_a_id, p.ikm_b_id): p for p in CandidatePair.objects.all()}
    for x, y in ((a, b), (a, c), (b, c)):
        assert (min(x.pk, y.pk), max(x.pk, y.pk)) in pairs
        assert pairs[(min(x.pk, y.pk), max(x.pk, y.pk))].score >= 0.9  # likely: queued


def test_the_pairs_of_an_import_are_queued_for_the_new_ikm(admin_user):
    old = IkmFactory(desa_id=DESA_BARAT, **SAME)
    new = IkmFactory(desa_id=DESA_BARAT, **{**SAME, "name": "Warung Kopi Men Tempeh", "nib": ""})
    found, created = linkage_services.pairs_find_for(ikm_ids=[new.pk])
    assert created == 1
    pair = CandidatePair.objects.get()
    assert {pair.ikm_a_id, pair.ikm_b_id} == {old.pk, new.pk} and pair.score >= 0.9
