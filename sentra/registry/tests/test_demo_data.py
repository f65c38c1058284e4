from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum

from sentra.registry.models import Ikm

pytestmark = pytest.mark.django_db


def _stock(year: int) -> int:
    return (
        Ikm.objects.filter(started_year__lte=year)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=date(year, 12, 31)))
        .count()
    )


def test_demo_data_match_the_published_figures(client):
    call_command("demo_data", "--no-users", stdout=StringIO())
    active = Ikm.objects.active()
    totals = active.aggregate(workers=Sum("workers_total"), investment=Sum("investment"))
    assert active.count() == 4045
    assert totals["workers"] == 30_862
    assert totals["investment"] == 282_000_000_000
    assert Ikm.objects.closed().exists()
    assert active.values("desa").distinct().count() == 43
    for year in (2023, 2024, 2025):
        growth = _stock(year) / _stock(year - 1) - 1
        assert 0.05 <= growth <= 0.06, (year, growth)
    # Every record passes the same validation as a hand-entered one.
    for ikm in Ikm.objects.order_by("?")[:200]:
        ikm.full_clean()


def test_demo_data_are_deterministic_and_labelled(client, viewer):
    call_command("demo_data", "--no-users", stdout=StringIO())
    first = list(Ikm.objects.order_by("id").values_list("name", "owner_nik", "investment")[:50])
    call_command("demo_data", "--no-users", "--replace", stdout=StringIO())
    again = list(Ikm.objects.order_by("id").values_list("name", "owner_nik", "investment")[:50])
    assert first == again
    client.force_login(viewer)
    assert "DATA CONTOH" in client.get("/ikm/").content.decode()
