"""The authorisation matrix: every URL pattern × every role, GET and POST, against the
table in access_matrix.csv (one row per URL and method, one column per role).

Generated from the URL resolver: a URL added without a row in the table fails here, and
so does any change of who may open what. Each request runs in a savepoint that is rolled
back, so every cell sees the same world. Outcomes:

    ok     the page or action answered (2xx, or a redirect that is not to the login)
    login  sent to the login page (anonymous; the Django admin for non-admins)
    403    refused by the policy, with the rule on the page
    405    the method is not offered
    401    the API: a session is not a token (its scopes are checked in sentra/api/tests)

The Django admin's own URLs are checked with GET only: its POSTs pass the same
`admin_view` gate. To see the observed table (e.g. after adding a URL, to copy the new
rows after checking them): SENTRA_MATRIX_OUT=/tmp/matrix.csv pytest this file.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from sentra.accounts.tests.urls_walk import post_data, routes, url_for
from sentra.accounts.tests.world import build_world

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("access_matrix.csv")
# column → (user key or None for anonymous, kecamatan of the record)
COLUMNS = {
    "anonymous": (None, "barat"),
    "viewer": ("viewer", "barat"),
    "analyst": ("analyst", "barat"),
    "officer@barat": ("officer", "barat"),
    "officer@timur": ("officer", "timur"),
    "coordinator": ("coordinator", "barat"),
    "admin": ("admin", "barat"),
}


class _Rollback(Exception):
    pass


def _outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if "next=" in location and ("/akun/masuk/" in location or "/admin/login/" in location):
            return "login"
        return "ok"
    if code in (403, 405):
        return str(code)
    if code == 404:
        return "404"
    if 200 <= code < 300:
        return "ok"
    return str(code)


def _request(client: Client, user, method: str, url: str, data: dict):
    """One request whose writes are undone, so the next cell sees the same world."""
    result = {}
    try:
        with transaction.atomic():
            if user is not None:
                client.force_login(user)  # a POST to the logout ends the session
            if method == "GET":
                result["response"] = client.get(url)
            else:
                result["response"] = client.post(url, data)
            raise _Rollback
    except _Rollback:
        pass
    return result["response"]


def observed_matrix() -> tuple[list[dict], dict]:
    world = build_world()
    client = Client(raise_request_exception=True)
    rows = []
    for route in routes():
        for method in ("GET",) if route.admin else ("GET", "POST"):
            row = {"url": route.name, "method": method}
            for column, (user, kecamatan) in COLUMNS.items():
                objects = world.objects[kecamatan]
                url = url_for(route, objects, world.users)
                if url is None:
                    row[column] = "no record"
                    continue
                if user is None:
                    client.logout()
                account = world.users[user] if user else None
                response = _request(client, account, method, url, post_data(route, objects))
                row[column] = _outcome(response)
            rows.append(row)
    return rows, world


def _read_table() -> dict[tuple[str, str], dict]:
    with TABLE.open(encoding="utf-8") as handle:
        return {(r["url"], r["method"]): r for r in csv.DictReader(handle)}


def _write(rows: list[dict], path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["url", "method", *COLUMNS])
        writer.writeheader()
        writer.writerows(rows)


def test_every_url_and_role_matches_the_access_table(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the world's import files
    rows, _world = observed_matrix()
    if os.environ.get("SENTRA_MATRIX_OUT"):
        _write(rows, os.environ["SENTRA_MATRIX_OUT"])
    expected = _read_table()
    observed = {(r["url"], r["method"]): r for r in rows}
    missing = sorted(set(observed) - set(expected))
    assert not missing, f"URLs without a row in {TABLE.name}: {missing}"
    stale = sorted(set(expected) - set(observed))
    assert not stale, f"rows in {TABLE.name} for URLs that no longer exist: {stale}"
    wrong = [
        f"{url} {method} as {column}: expected {expected[url, method][column]}, got {cell}"
        for (url, method), row in observed.items()
        for column, cell in row.items()
        if column in COLUMNS and expected[url, method][column] != cell
    ]
    assert not wrong, "\n".join(wrong)
    allowed = sum(1 for r in rows for c in COLUMNS if r[c] == "ok")
    refused = sum(1 for r in rows for c in COLUMNS if r[c] in ("403", "login"))
    print(
        f"\naccess matrix: {len({r['url'] for r in rows})} URLs, {len(rows)} URL×method rows"
        f" × {len(COLUMNS)} roles = {len(rows) * len(COLUMNS)} cells;"
        f" allowed {allowed}, refused {refused}, other {len(rows) * len(COLUMNS) - allowed - refused}"
    )


def test_the_table_names_every_role_and_only_known_outcomes():
    with TABLE.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["url", "method", *COLUMNS]
        cells = {row[c] for row in reader for c in COLUMNS}
    # 401: the API asks for its token (a session alone is not enough there).
    assert cells <= {"ok", "login", "401", "403", "405", "404"}
