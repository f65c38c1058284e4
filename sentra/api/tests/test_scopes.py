"""Every API route × token scope × role: reads need a token, writes need the write scope
and a role that may write there; personal fields need the personal scope and the role.
The routes come from the OpenAPI schema, so a new route is covered the day it is added."""

from __future__ import annotations

import json

import pytest

from sentra.registry.models import PERSONAL_FIELDS
from sentra.testing.factories import DESA_BARAT, IkmFactory, UserFactory

pytestmark = pytest.mark.django_db

SCOPES = [("read",), ("read", "write"), ("read", "personal"), ("read", "write", "personal")]
BODIES = {
    ("post", "/api/v1/ikm"): {"name": "Uji Cakupan", "desa": DESA_BARAT},
    ("patch", "/api/v1/ikm/{ikm_id}"): {"version": None, "fields": {"main_products": "kopi"}},
    ("post", "/api/v1/ikm/{ikm_id}/tutup"): {"closed_on": "2026-01-31", "reason": "tutup"},
}


def _operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method in item:
            yield method, path


@pytest.mark.parametrize("role", ["viewer", "officer", "admin"])
def test_every_route_answers_each_scope_by_the_rule(client, token_for, role):
    user = UserFactory(role=role, is_superuser=role == "admin", kecamatan_codes=["51.71.03"])
    ikm = IkmFactory(desa_id=DESA_BARAT, owner_email="rahasia@contoh.id")
    checked = 0
    for scopes in SCOPES:
        headers = token_for(user, *scopes)
        for method, path in _operations(client):
            url = path.replace("{ikm_id}", str(ikm.pk))
            body = dict(BODIES.get((method, path), {}))
            if "version" in body:
                body["version"] = json.loads(client.get(url, **headers).content)["version"]
            response = (
                getattr(client, method)(url, body, content_type="application/json", **headers)
                if method != "get"
                else client.get(url, **headers)
            )
            code = response.status_code
            assert code < 500, (method, path, scopes, code)
            writes = method != "get"
            if writes and ("write" not in scopes or role == "viewer"):
                # No write scope, or a role that writes nowhere: refused either way.
                assert code == 403, (method, path, scopes, code)
            elif writes:
                assert code in (200, 201), (method, path, scopes, code, response.content[:300])
            else:
                assert code == 200, (method, path, scopes, code)
                text = response.content.decode()
                shows_personal = "personal" in scopes and role != "viewer"
                for name in PERSONAL_FIELDS:
                    value = getattr(ikm, name)
                    if value and str(value) in text:
                        assert shows_personal, (path, scopes, name)
            checked += 1
    assert checked >= 4 * 9
