import pytest
from django.db import connection

from sentra.registry.models import Ikm
from sentra.registry.search_index import drop_sqlite_fts, ensure_sqlite_fts
from sentra.registry.selectors import IkmFilters, ikm_list
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def _names(**filters) -> set[str]:
    return set(ikm_list(filters=IkmFilters(**filters)).values_list("name", flat=True))


def test_search_follows_inserts_updates_and_deletes():
    a = IkmFactory(name="Pie Susu Dewata", desa_id=DESA_BARAT, main_products="pie susu")
    b = IkmFactory(name="Kopi Merta", desa_id=DESA_TIMUR, main_products="kopi bubuk")
    assert _names(q="susu") == {"Pie Susu Dewata"}
    assert _names(q="SUSU dewata", kecamatan="51.71.03") == {"Pie Susu Dewata"}
    assert _names(q="kopi", kecamatan="51.71.03") == set()
    b.name = "Kopi Susu Merta"
    b.save()
    assert _names(q="susu") == {"Pie Susu Dewata", "Kopi Susu Merta"}
    a.delete()
    assert _names(q="susu") == {"Kopi Susu Merta"}
    assert _names(q="su") == {"Kopi Susu Merta"}  # under three characters: plain scan


def test_search_index_exists_and_survives_lost_triggers():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'registry_ikm_search_trgm'")
            assert cursor.fetchone() is not None
        return
    IkmFactory(name="Endek Sari")
    drop_sqlite_fts(connection)  # what a table rebuild in a migration does to triggers
    assert _names(q="endek") == {"Endek Sari"}  # scan fallback, still right
    IkmFactory(name="Endek Baru")
    assert ensure_sqlite_fts(connection)
    assert _names(q="endek") == {"Endek Sari", "Endek Baru"}
    assert Ikm.objects.count() == 2
