import pytest
from django.core.cache import cache

from sentra.lib.cache import cached, data_version
from sentra.registry import services
from sentra.testing.factories import DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(monkeypatch):
    monkeypatch.setenv("SENTRA_ATLAS_CACHE_SECONDS", "600")
    cache.clear()
    yield
    cache.clear()


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
