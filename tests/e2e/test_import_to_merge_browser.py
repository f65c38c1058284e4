"""The whole path of a list from outside: upload → report → commit → review → merge."""

import re

import pytest

from sentra.imports.tests.samples import sidt_csv, sidt_row
from sentra.registry.models import Ikm, IkmSource
from sentra.testing.factories import DESA_BARAT, IkmFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_upload_report_commit_review_merge(page, login, admin_user):
    # Already in the registry, typed by an officer: legal form, "Jl." and a local phone.
    existing = IkmFactory(
        name="UD Kopi Bubuk Merta Sari", owner_name="I Wayan Suartana", desa_id=DESA_BARAT,
        address="Jl. Imam Bonjol No. 10", owner_phone="081298765432", main_products="kopi bubuk",
        nib="", owner_nik="",
    )  # fmt: skip
    IkmSource.objects.create(ikm=existing, kind="manual", reference="input petugas")
    # The SIDT export spells the same business differently; a second row is unrelated.
    same = sidt_row(
        0, nama_usaha="Kopi Bubuk Merta Sari", nama_pengusaha="Wayan Suartana",
        alamat_usaha="Jalan Imam Bonjol 10", kontak_hp="+62 812-9876-5432",
        produk_utama="Kopi bubuk", kec_usaha="Denpasar Barat", kel_usaha="Dauh Puri", nib="",
    )  # fmt: skip
    login("admin")
    page.goto("/impor/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "sidt.csv", "mimeType": "text/csv", "buffer": sidt_csv([same, sidt_row(3)])}
        ],
    )
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url(re.compile(r"/impor/\d+/$"))
    page.get_by_test_id("rows-valid").wait_for()
    assert page.get_by_test_id("rows-valid").inner_text() == "2"
    page.get_by_test_id("commit").click()
    page.get_by_test_id("created").wait_for()
    assert "duplikat" in page.content()

    page.goto("/duplikat/")
    table = page.get_by_test_id("pair-table")
    table.get_by_text("Kopi Bubuk Merta Sari").first.wait_for()
    table.get_by_role("link", name="Tinjau").first.click()
    page.wait_for_url(re.compile(r"/duplikat/\d+/$"))
    # The NIK comes from the SIDT row; its birth date must come along, or the merge is
    # refused (NIK and birth date disagree) and nothing is saved.
    page.get_by_test_id("pick-b-owner_birth_date").check()
    page.get_by_test_id("merge").click()
    page.wait_for_url(re.compile(r"/duplikat/gabungan/\d+/$"))

    imported = Ikm.objects.get(name="Kopi Bubuk Merta Sari")
    closed = [
        i for i in (existing, imported) if Ikm.objects.get(pk=i.pk).closed_reason == "duplikat"
    ]
    assert len(closed) == 1
    kept = imported if closed[0].pk == existing.pk else existing
    # The kept record carries both provenances: the officer's entry and the SIDT row.
    kinds = set(Ikm.objects.get(pk=kept.pk).sources.values_list("kind", flat=True))
    assert {"manual", "sidt"} <= kinds
