"""The list's lines are read as plain values: each must say what the IKM itself says."""

from datetime import date

import pytest

from sentra.registry.models import Ikm
from sentra.registry.selectors import IkmFilters, ikm_list, ikm_list_rows, ikm_page
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def test_a_list_line_holds_the_ikm_s_own_names_and_labels():
    IkmFactory(name="Endek Sari", desa_id=DESA_BARAT, subsector_id="B16-08", investment=None)
    IkmFactory(
        name="Patung Kayu", desa_id=DESA_TIMUR, subsector_id=None, closed_on=date(2025, 3, 1)
    )
    gaps = IkmFactory(name="Dupa Wangi", owner_nik="", kbli_id=None)
    # As an import leaves them: the fields it emptied, and a point outside its desa.
    Ikm.objects.filter(pk=gaps.pk).update(
        incomplete_fields=["owner_nik", "kbli"], location_check="mismatch"
    )

    lines = ikm_list_rows(list(Ikm.objects.values_list("id", flat=True)))

    assert len(lines) == 3
    for line in lines:
        ikm = Ikm.objects.select_related("desa", "kecamatan", "subsector").get(pk=line.pk)
        assert (line.name, line.owner_name, line.main_products) == (
            ikm.name,
            ikm.owner_name,
            ikm.main_products,
        )
        assert (line.workers_total, line.started_year, line.closed_on) == (
            ikm.workers_total,
            ikm.started_year,
            ikm.closed_on,
        )
        assert line.desa_name == ikm.desa.name
        assert line.kecamatan_name == ikm.kecamatan.name
        assert line.subsector_name == (ikm.subsector.name if ikm.subsector else None)
        assert line.scale_label == ikm.get_scale_display()
        assert line.location_label == ikm.get_location_check_display()
        assert line.incomplete_labels == ikm.incomplete_labels
    labels = {line.name: line.incomplete_labels for line in lines}
    assert labels["Dupa Wangi"] == ["NIK pemilik", "KBLI (5 digit)"]
    assert {line.name: line.scale_label for line in lines}["Endek Sari"] == "Belum diketahui"


def test_a_page_keeps_the_list_s_order():
    for name in ("Cempaka", "Anggrek", "Bougenvil"):
        IkmFactory(name=name)
    filters = IkmFilters(sort="-name")
    page = ikm_page(ikm_list(filters=filters), filters=filters, page=1)
    assert [line.name for line in page.object_list] == ["Cempaka", "Bougenvil", "Anggrek"]


def test_the_active_count_is_cached_until_the_registry_changes(monkeypatch, admin_user):
    from sentra.lib import cache
    from sentra.registry import services
    from sentra.registry.selectors import ikm_count

    monkeypatch.setenv("SENTRA_ATLAS_CACHE_SECONDS", "600")
    cache.clear()
    first, second, _third = (IkmFactory() for _ in range(3))
    filters = IkmFilters()

    def count() -> int:
        return ikm_count(ikm_list(filters=filters), filters=filters)

    assert count() == 3
    # Cached: a change that writes neither a row nor an audit entry is not seen (services
    # always audit; only such a bypass shows the cache at work).
    Ikm.objects.filter(pk=second.pk).update(closed_on=date(2026, 1, 5))
    assert count() == 3
    IkmFactory()
    assert count() == 3  # four active rows, one closed behind the services' back
    services.ikm_close(actor=admin_user, ikm=first, closed_on=date(2026, 1, 5), reason="tutup")
    assert count() == 2  # closing writes an audit entry: the version moves
    cache.clear()
