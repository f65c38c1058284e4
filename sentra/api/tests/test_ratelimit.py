"""The rate limit counts per token in the database: every process sees the same count."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from sentra.api import urls
from sentra.api.models import ApiRate


@pytest.fixture
def two_per_minute():
    throttle = urls.api.throttle[0]
    old = throttle.rate, throttle.num_requests, throttle.duration
    throttle.rate, throttle.num_requests, throttle.duration = "2/m", 2, 60
    # Never at a window's edge: the test's calls all fall in one minute.
    old_timer = type(throttle).timer
    type(throttle).timer = staticmethod(lambda: 6_000_030.0)
    yield throttle
    throttle.rate, throttle.num_requests, throttle.duration = old
    type(throttle).timer = old_timer


@pytest.mark.django_db(transaction=True)
def test_a_limit_reached_through_one_connection_holds_on_another(viewer, token_for, two_per_minute):
    headers = token_for(viewer)
    client = Client()
    assert [client.get("/api/v1/wilayah", **headers).status_code for _ in range(2)] == [200, 200]
    cache.clear()  # nothing in this process's memory may be what refuses the next call
    codes: list[int] = []
    here = connections["default"]

    def elsewhere() -> None:
        # A thread has its own database connection, as another worker process would.
        try:
            codes.append(connections["default"] is not here)
            codes.append(Client().get("/api/v1/wilayah", **headers).status_code)
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert codes == [True, 429]
    assert ApiRate.objects.get().n == 3


@pytest.mark.django_db
def test_each_token_has_its_own_count_and_a_new_period_starts_afresh(
    client, viewer, analyst, token_for, two_per_minute
):
    mine, theirs = token_for(viewer), token_for(analyst)
    assert [client.get("/api/v1/wilayah", **mine).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/wilayah", **mine)
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 61
    assert client.get("/api/v1/wilayah", **theirs).status_code == 200
    type(two_per_minute).timer = staticmethod(lambda: 6_000_090.0)  # the next minute
    assert client.get("/api/v1/wilayah", **mine).status_code == 200
    # The first call of a period removes the token's older ones.
    assert ApiRate.objects.filter(slot=6_000_030 // 60).count() == 1
