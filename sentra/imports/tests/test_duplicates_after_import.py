"""An import's new IKM that look like existing ones land in the review queue."""

import pytest

from sentra.lib.tabular import xlsx_bytes
from sentra.linkage.models import CandidatePair
from sentra.registry.models import Ikm
from sentra.registry.selectors import ikm_export_header
from sentra.testing.factories import DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def test_a_spelling_variant_of_an_existing_ikm_is_queued_for_review(run_import, admin_user):
    existing = IkmFactory(
        name="UD Endek Sari Merta",
        owner_name="Ni Made Sukerti",
        desa_id=DESA_TIMUR,
        address="Jl. Nangka No. 12",
        owner_phone="081234567890",
        main_products="kain endek",
        nib="",
        owner_nik="",
    )
    IkmFactory.create_batch(5, desa_id=DESA_TIMUR)  # unrelated records
    header = ikm_export_header()
    row = {name: "" for name in header}
    row.update(
        {
            "nama_usaha": "Endek Sari Merta",
            "nama_pemilik": "Made Sukerti",
            "alamat_usaha": "Jalan Nangka 12",
            "kontak_hp": "+62 812-3456-7890",
            "produk_utama": "Kain endek",
            "kode_desa": DESA_TIMUR,
            "kecamatan": "Denpasar Timur",
            "desa_kelurahan": "Dangin Puri",
            "data_per": "2025-06-30",
        }
    )
    job = run_import(
        xlsx_bytes(header, [[row[h] for h in header]]),
        "survei.xlsx",
        kind="survei",
        actor=admin_user,
    )
    assert job.status == "committed", job.error
    new = Ikm.objects.get(name="Endek Sari Merta")
    pair = CandidatePair.objects.get()
    assert {pair.ikm_a_id, pair.ikm_b_id} == {existing.pk, new.pk}
    assert any("duplikat" in note for note in job.notes)
