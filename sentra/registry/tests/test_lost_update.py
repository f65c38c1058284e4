"""No lost update: two people with the same IKM open, the second is told.

Two sessions (two logged-in clients) load the edit form; the first saves; the second's
submit is refused with the first one's change shown field by field, nothing of it
is written, and saving again re-applies the second one's values knowingly. The same for
a merge page against an edit, and for a stale form against a merge.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sentra.accounts.models import Role
from sentra.audit.models import AuditEntry
from sentra.linkage.models import CandidatePair, Merge
from sentra.registry.models import Ikm
from sentra.registry.tests.test_ikm_pages import _form_data
from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, IkmFactory, UserFactory

pytestmark = pytest.mark.django_db


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _loaded_form(client: Client, ikm: Ikm) -> dict:
    """What the browser holds after opening the edit form: every field and the token."""
    html = client.get(f"/ikm/{ikm.pk}/ubah/").content.decode()
    token = re.search(r'name="edit_token" value="([^"]+)"', html).group(1)
    return {**_form_data(ikm), "edit_token": token}


@pytest.fixture
def two_officers(db):
    make = lambda name: UserFactory(  # noqa: E731
        username=name,
        first_name=name.capitalize(),
        role=Role.OFFICER,
        kecamatan_codes=[DENPASAR_BARAT],
    )
    return make("wayan"), make("made")


@pytest.fixture
def ikm(db):
    return IkmFactory(
        desa_id=DESA_BARAT,
        name="Pie Susu Dewi",
        owner_name="Ni Made Dewi",
        owner_phone="081234500001",
        owner_email="dewi@contoh.co.id",
        main_products="pie susu",
    )


def test_the_second_submit_is_refused_and_shows_the_first_change(two_officers, ikm):
    wayan, made = _session(two_officers[0]), _session(two_officers[1])
    form_wayan, form_made = _loaded_form(wayan, ikm), _loaded_form(made, ikm)

    first = wayan.post(
        f"/ikm/{ikm.pk}/ubah/",
        {**form_wayan, "owner_phone": "081299900002", "name": "Pie Susu Dewi Ayu"},
    )
    assert first.status_code == 302

    # Made changed only the products, from the form as it was before Wayan's save.
    second = made.post(f"/ikm/{ikm.pk}/ubah/", {**form_made, "main_products": "pie susu, pia"})
    assert second.status_code == 200
    html = second.content.decode()
    assert 'data-testid="edit-conflict"' in html
    assert "wayan" in html.lower()  # who changed it
    conflict = second.context["conflict"]
    by_field = {row["change"].name: row for row in conflict["changes"]}
    assert set(by_field) == {"owner_phone", "name"}
    assert (by_field["owner_phone"]["change"].before, by_field["owner_phone"]["change"].now) == (
        "081234500001",
        "081299900002",
    )
    assert by_field["owner_phone"]["mine"] == "081234500001"  # Made's form still has the old
    assert 'data-field="owner_phone"' in html and "081299900002" in html

    ikm.refresh_from_db()
    assert (ikm.owner_phone, ikm.name, ikm.main_products) == (
        "081299900002",
        "Pie Susu Dewi Ayu",
        "pie susu",
    )
    assert AuditEntry.objects.filter(object_id=str(ikm.pk), action="update").count() == 1

    # Made keeps Wayan's phone and name, re-applies the products: the re-rendered form
    # carries the current version now.
    token = re.search(r'name="edit_token" value="([^"]+)"', html).group(1)
    again = made.post(
        f"/ikm/{ikm.pk}/ubah/",
        {
            **form_made,
            "edit_token": token,
            "owner_phone": "081299900002",
            "name": "Pie Susu Dewi Ayu",
            "main_products": "pie susu, pia",
        },
    )
    assert again.status_code == 302
    ikm.refresh_from_db()
    assert (ikm.owner_phone, ikm.name, ikm.main_products) == (
        "081299900002",
        "Pie Susu Dewi Ayu",
        "pie susu, pia",
    )


def test_resubmitting_the_own_values_after_a_conflict_is_a_knowing_overwrite(two_officers, ikm):
    wayan, made = _session(two_officers[0]), _session(two_officers[1])
    form_wayan, form_made = _loaded_form(wayan, ikm), _loaded_form(made, ikm)
    wayan.post(f"/ikm/{ikm.pk}/ubah/", {**form_wayan, "owner_phone": "081299900002"})
    refused = made.post(f"/ikm/{ikm.pk}/ubah/", {**form_made, "owner_phone": "081277700003"})
    assert refused.context["conflict"]["changes"][0].get("mine") == "081277700003"
    token = re.search(r'name="edit_token" value="([^"]+)"', refused.content.decode()).group(1)
    kept = made.post(
        f"/ikm/{ikm.pk}/ubah/", {**form_made, "owner_phone": "081277700003", "edit_token": token}
    )
    assert kept.status_code == 302
    ikm.refresh_from_db()
    assert ikm.owner_phone == "081277700003"


def test_a_form_without_or_with_a_forged_token_is_refused(two_officers, ikm):
    wayan = _session(two_officers[0])
    form = _loaded_form(wayan, ikm)
    for token in ("", form["edit_token"][:-3] + "abc"):
        response = wayan.post(f"/ikm/{ikm.pk}/ubah/", {**form, "name": "X", "edit_token": token})
        assert response.status_code == 200 and response.context["conflict"] is not None
    ikm.refresh_from_db()
    assert ikm.name == "Pie Susu Dewi"


def _pair(a: Ikm, b: Ikm) -> CandidatePair:
    return CandidatePair.objects.create(ikm_a=a, ikm_b=b, score=0.95, weight=12.0)


def _merge_tokens(client: Client, pair: CandidatePair) -> dict[str, str]:
    html = client.get(reverse("linkage:pair_detail", args=[pair.pk])).content.decode()
    return dict(re.findall(r'name="(token_[ab])" value="([^"]+)"', html))


def test_a_merge_page_older_than_an_edit_is_refused(two_officers, ikm):
    twin = IkmFactory(
        desa_id=DESA_BARAT,
        name="Pie Susu Dewi",
        owner_name="Ni Made Dewi",
        owner_email="dewi.lain@contoh.co.id",
    )
    pair = _pair(ikm, twin)
    wayan, made = _session(two_officers[0]), _session(two_officers[1])
    tokens = _merge_tokens(made, pair)  # Made opens the pair to merge it
    form = _loaded_form(wayan, twin)
    wayan.post(f"/ikm/{twin.pk}/ubah/", {**form, "owner_phone": "081288800004"})

    response = made.post(
        reverse("linkage:pair_merge", args=[pair.pk]),
        {"keep": "a", "f_owner_phone": "b", **tokens},
        follow=True,
    )
    assert not Merge.objects.exists()
    shown = [str(m) for m in response.context["messages"]]
    assert any("081288800004" in m for m in shown), shown  # the edit, field by field
    # The page now shows the new values and fresh tokens: the merge goes through.
    again = made.post(
        reverse("linkage:pair_merge", args=[pair.pk]),
        {"keep": "a", "f_owner_phone": "b", **_merge_tokens(made, pair)},
    )
    assert again.status_code == 302
    ikm.refresh_from_db()
    assert ikm.owner_phone == "081288800004"


def test_an_edit_form_older_than_a_merge_is_refused_and_the_merged_one_is_read_only(
    two_officers, ikm
):
    twin = IkmFactory(desa_id=DESA_BARAT, name="Pie Susu Dewi", owner_email="d2@contoh.co.id")
    pair = _pair(ikm, twin)
    wayan, made = _session(two_officers[0]), _session(two_officers[1])
    stale_kept = _loaded_form(wayan, ikm)
    stale_merged = _loaded_form(wayan, twin)
    made.post(
        reverse("linkage:pair_merge", args=[pair.pk]),
        {"keep": "a", "f_owner_email": "b", **_merge_tokens(made, pair)},
    )
    ikm.refresh_from_db()
    assert ikm.owner_email == "d2@contoh.co.id"

    # The stale form would have put the old e-mail back over the merge's choice.
    refused = wayan.post(f"/ikm/{ikm.pk}/ubah/", {**stale_kept, "name": "Nama Baru"})
    assert refused.status_code == 200
    assert "owner_email" in {r["change"].name for r in refused.context["conflict"]["changes"]}
    ikm.refresh_from_db()
    assert (ikm.owner_email, ikm.name) == ("d2@contoh.co.id", "Pie Susu Dewi")

    # The merged-away record: read-only, with a link to the one it was merged into.
    twin.refresh_from_db()
    assert twin.merged_into_id == ikm.pk
    detail = wayan.get(f"/ikm/{twin.pk}/").content.decode()
    assert 'data-testid="merged-into"' in detail and f'href="/ikm/{ikm.pk}/"' in detail
    assert f'href="/ikm/{twin.pk}/ubah/"' not in detail
    assert wayan.get(f"/ikm/{twin.pk}/ubah/").status_code == 302
    wayan.post(f"/ikm/{twin.pk}/ubah/", {**stale_merged, "name": "Dihidupkan"})
    assert wayan.post(f"/ikm/{twin.pk}/buka/").status_code == 302
    twin.refresh_from_db()
    assert twin.name == "Pie Susu Dewi" and twin.closed_on is not None

    # Undoing the merge makes it writable again; the stale form stays stale.
    merge = Merge.objects.get()
    made.post(reverse("linkage:merge_undo", args=[merge.pk]))
    twin.refresh_from_db()
    assert twin.merged_into_id is None and twin.closed_on is None
    stale = wayan.post(f"/ikm/{twin.pk}/ubah/", {**stale_merged, "name": "Dihidupkan"})
    assert stale.status_code == 200 and stale.context["conflict"]
