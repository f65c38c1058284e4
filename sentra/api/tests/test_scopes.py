"""Every API route × token scope × role: reads need a token, writes need the write scope
and a role that may write there; personal fields need the personal scope and the role.
The routes come from the OpenAPI schema, so a new route is covered the day it is added
(a route without a way to fill its path here fails the test)."""

from __future__ import annotations

import json

import pytest

from sentra.accounts.tests.world import build_world, forbidden_strings
from sentra.testing.factories import DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db

SCOPES = [("read",), ("read", "write"), ("read", "personal"), ("read", "write", "personal")]

# Who may make each write (the page's rule): role → allowed for an officer of Barat
# working on Barat's records.
WRITERS = {
    ("post", "/api/v1/ikm"): {"officer", "admin"},
    ("patch", "/api/v1/ikm/{ikm_id}"): {"officer", "admin"},
    ("post", "/api/v1/ikm/{ikm_id}/tutup"): {"officer", "admin"},
    ("post", "/api/v1/impor"): {"officer", "admin"},
    ("post", "/api/v1/duplikat/{pair_id}/gabung"): {"officer", "admin"},
    ("post", "/api/v1/duplikat/{pair_id}/tolak"): {"officer", "admin"},
    ("post", "/api/v1/gabungan/{merge_id}/batal"): {"officer", "admin"},
    ("post", "/api/v1/pembinaan/kegiatan/{activity_id}/peserta"): {"officer", "admin"},
    ("delete", "/api/v1/pembinaan/kegiatan/{activity_id}/peserta/{ikm_id}"): {"officer", "admin"},
    ("post", "/api/v1/pameran/{exhibition_id}/pendaftar"): {"officer", "admin"},
}
# Reads open to some roles only (as the pages): import jobs are the uploader's and admins'.
READERS = {
    "/api/v1/impor": {"officer", "admin"},
    "/api/v1/impor/{job_id}": {"officer", "admin"},
    "/api/v1/impor/{job_id}/baris": {"officer", "admin"},
}


def _operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method in item:
            yield method, path


def _fresh(kind: str, objects: dict, admin):
    """A new record for one write, so that each write finds its target undecided."""
    from sentra.coaching import services as coaching
    from sentra.linkage import services as linkage
    from sentra.linkage.models import CandidatePair

    if kind == "pair":
        a, b = IkmFactory.create_batch(2, desa_id=DESA_BARAT)
        return CandidatePair.objects.create(ikm_a=a, ikm_b=b, score=0.9)
    if kind == "merge":
        a, b = IkmFactory.create_batch(2, desa_id=DESA_BARAT)
        pair = CandidatePair.objects.create(ikm_a=a, ikm_b=b, score=0.9)
        return linkage.pair_merge(actor=admin, pair=pair, keep_id=a.pk, choices={})
    if kind == "participant":
        ikm = IkmFactory(desa_id=DESA_BARAT)
        coaching.activity_add_participants(
            actor=admin, activity=objects["activity"], ikm_ids=[ikm.pk]
        )
        return ikm
    raise KeyError(kind)


def _request(client, method, path, objects, users, headers, role):
    admin = users["admin"]
    ids = {
        "ikm_id": IkmFactory(desa_id=DESA_BARAT).pk if method != "get" else objects["ikm"].pk,
        "job_id": objects["job"].pk,
        "pair_id": (_fresh("pair", objects, admin) if method != "get" else objects["pair"]).pk,
        "merge_id": (_fresh("merge", objects, admin) if method != "get" else objects["merge"]).pk,
        "programme_id": objects["programme"].pk,
        "activity_id": objects["activity"].pk,
        "batch_id": objects["batch"].pk,
        "exhibition_id": objects["exhibition"].pk,
    }
    if method == "delete":
        ids["ikm_id"] = _fresh("participant", objects, admin).pk
    url = path
    for key, value in ids.items():
        url = url.replace("{" + key + "}", str(value))
    assert "{" not in url, f"no record for {path}: extend _request"
    if method == "get":
        return client.get(url, **headers)
    if path == "/api/v1/impor":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from sentra.imports.tests.samples import sentra_row, sentra_xlsx

        content = sentra_xlsx([sentra_row(1, kode_desa=DESA_BARAT)])
        upload = SimpleUploadedFile("uji.xlsx", content)
        return client.post(url, {"file": upload, "kind": "lainnya"}, **headers)
    body: dict = {}
    if path == "/api/v1/ikm":
        body = {"name": "Uji Cakupan", "desa": DESA_BARAT}
    elif path == "/api/v1/ikm/{ikm_id}":
        version = json.loads(client.get(url, **headers).content)["version"]
        body = {"version": version, "fields": {"main_products": "kopi"}}
    elif path.endswith("/tutup"):
        body = {"closed_on": "2026-01-31", "reason": "tutup"}
    elif path.endswith("/gabung"):
        from sentra.linkage.models import CandidatePair

        pair = CandidatePair.objects.get(pk=ids["pair_id"])
        body = {"keep": "a", "version_a": pair.ikm_a.version, "version_b": pair.ikm_b.version}
    elif path.endswith("/peserta"):
        body = {"ikm_ids": [IkmFactory(desa_id=DESA_BARAT).pk]}
    elif path.endswith("/pendaftar"):
        booth = objects["exhibition"].booths.first()
        body = {
            "ikm": IkmFactory(desa_id=DESA_BARAT).pk,
            "booth_type": booth.pk,
            "products": "kain endek",
            "contact_name": "Made Uji",
        }
    return getattr(client, method)(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("role", ["viewer", "officer", "admin"])
def test_every_route_answers_each_scope_by_the_rule(client, token_for, role):
    world = build_world()
    users, objects = world.users, world.objects["barat"]
    user = users[role]
    secrets = forbidden_strings("barat")
    checked = 0
    for scopes in SCOPES:
        headers = token_for(user, *scopes)
        for method, path in _operations(client):
            response = _request(client, method, path, objects, users, headers, role)
            code = response.status_code
            where = (method, path, scopes, code, response.content[:300])
            assert code < 500, where
            if method != "get":
                if "write" not in scopes or role not in WRITERS[(method, path)]:
                    # No write scope, or a role that may not: refused either way.
                    assert code == 403, where
                else:
                    assert code in (200, 201, 204), where
            elif role not in READERS.get(path, {role}):
                assert code == 403, where
            else:
                assert code == 200, where
                text = response.content.decode()
                shows_personal = "personal" in scopes and role != "viewer"
                if not shows_personal:
                    leaked = [s for s in secrets if len(s) > 5 and s in text]
                    assert not leaked, (path, scopes, leaked)
            checked += 1
    assert checked >= 4 * 28
