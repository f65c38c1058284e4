import re

import pytest

from sentra.linkage.services import find_duplicates
from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT, IkmFactory, valid_nik

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_review_merge_with_a_chosen_value_then_undo(page, login, admin_user):
    a = IkmFactory(
        name="UD Pie Susu Dewata", owner_name="I Wayan Sukarta", owner_phone="081234567890",
        address="Jl. Noja No. 7", desa_id=DESA_BARAT, main_products="pie susu",
        owner_nik=valid_nik(serial=31),
    )  # fmt: skip
    b = IkmFactory(
        name="Pie Susu Dewata Asli", owner_name="Wayan Sukarta", owner_phone="+62 812-3456-7890",
        address="Jalan Noja Nomor 7", desa_id=DESA_BARAT, main_products="pie susu",
        owner_nik=valid_nik(serial=31),
    )  # fmt: skip
    find_duplicates(actor=admin_user)
    login("admin")

    page.goto("/duplikat/")
    table = page.get_by_test_id("pair-table")
    table.get_by_text("Pie Susu Dewata Asli").wait_for()
    table.get_by_role("link", name="Tinjau").first.click()
    page.wait_for_url(re.compile(r"/duplikat/\d+/$"))
    assert "NIK sama" in page.get_by_test_id("evidence-for").inner_text()

    # Keep the older record (A) but take B's business name.
    page.check("input[name=keep][value=a]")
    page.get_by_test_id("pick-b-name").check()
    page.get_by_test_id("merge").click()
    page.wait_for_url(re.compile(r"/duplikat/gabungan/\d+/$"))

    page.get_by_test_id("kept-link").click()
    page.wait_for_url(re.compile(rf"/ikm/{a.pk}/$"))
    page.get_by_role("heading", name="Pie Susu Dewata Asli").wait_for()
    assert "Digabung dengan duplikat" in page.content()
    assert Ikm.objects.get(pk=b.pk).closed_reason == "duplikat"

    page.go_back()
    page.get_by_test_id("undo").click()
    page.get_by_test_id("undone").wait_for()
    page.goto(f"/ikm/{a.pk}/")
    page.get_by_role("heading", name="UD Pie Susu Dewata").wait_for()
    assert Ikm.objects.get(pk=b.pk).closed_on is None
