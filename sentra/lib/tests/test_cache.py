import pytest
from django.core.cache import cache

from sentra.lib import cache as figures
from sentra.lib.cache import cached, data_version
from sentra.registry import services
from sentra.testing.factories import DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(monkeypatch):
    monkeypatch.setenv("SENTRA_ATLAS_CACHE_SECONDS", "600")
    figures.clear()
    yield
    figures.clear()


def test_an_audited_change_invalidates_the_cached_figures(caching, admin_user, client):
    ikm = IkmFactory(desa_id=DESA_BARAT)
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert cached("x", build) == 1
    assert cached("x", build) == 1  # served from the cache
    before = data_version()
    services.ikm_close(actor=admin_user, ikm=ikm, closed_on=ikm.first_recorded_on, reason="tutup")
    assert data_version() != before
    assert cached("x", build) == 2

    # Through the pages: the dashboard shows the change at once.
    client.force_login(admin_user)
    IkmFactory(desa_id=DESA_BARAT)
    assert client.get("/").context["totals"]["n"] == 1
    IkmFactory(desa_id=DESA_BARAT)
    assert client.get("/").context["totals"]["n"] == 2


def test_no_cache_under_tests_by_default(monkeypatch):
    from sentra.lib.cache import ttl

    monkeypatch.delenv("SENTRA_ATLAS_CACHE_SECONDS", raising=False)
    assert ttl() == 0


def test_the_shared_tier_serves_a_process_that_has_not_built_it(caching):
    """Another worker (here: this process with its own copies forgotten) reads the value
    the first one stored, instead of computing it again."""
    calls = []

    def build():
        calls.append(1)
        return {"n": len(calls)}

    first = cached("shared", build)
    assert cached("shared", build) is first  # this process's own copy
    figures._local.clear()
    again = cached("shared", build)
    assert again == {"n": 1} and again is not first and len(calls) == 1
    cache.clear()
    assert cached("shared", build) == {"n": 1}  # still this process's copy
    figures._local.clear()
    assert cached("shared", build) == {"n": 2}


def test_the_data_version_is_each_watched_table_s_highest_id_in_one_query():
    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext

    from sentra.coaching.models import Participation

    IkmFactory()
    IkmFactory()
    assert figures._watched and Participation in figures._watched
    expected = "-".join(
        str(m._default_manager.aggregate(x=Max("id"))["x"] or 0) for m in figures._watched
    )
    with CaptureQueriesContext(connection) as queries:
        version = data_version()
    assert version == expected and len(queries) == 1
    assert version.split("-")[figures._watched.index(Participation)] == "0"
    IkmFactory()
    assert data_version() != version
