"""The list filters' choices come from the reference tables, cached between requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sentra.lib import cache
from sentra.registry.forms import IkmFilterForm

pytestmark = pytest.mark.django_db


def _choices(form: IkmFilterForm) -> dict:
    names = ("kecamatan", "desa", "subsector", "kbli_section")
    return {name: [(v, str(label)) for v, label in form.fields[name].choices] for name in names}


def test_cached_choices_are_the_reference_tables_and_cost_no_query(monkeypatch):
    fresh = _choices(IkmFilterForm({"kecamatan": "51.71.03"}))
    assert fresh["desa"][0] == ("", "Semua desa/kelurahan")
    assert len(fresh["desa"]) > 2 and all(
        code.startswith("51.71.03.") for code, _ in fresh["desa"][1:]
    )
    assert [code for code, _ in fresh["kecamatan"][1:]] == [
        "51.71.01",
        "51.71.02",
        "51.71.03",
        "51.71.04",
    ]

    monkeypatch.setenv("SENTRA_ATLAS_CACHE_SECONDS", "600")
    cache.clear()
    IkmFilterForm(None)  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        cached = _choices(IkmFilterForm({"kecamatan": "51.71.03"}))
    assert cached == fresh
    assert len(queries) == 0
    every_desa = _choices(IkmFilterForm(None))["desa"]
    assert len(every_desa) > len(fresh["desa"])
    cache.clear()
