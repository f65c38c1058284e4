"""The IKM API as a program would use it: tokens, filters, cursors, versions, masking."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from sentra.api.models import ApiToken
from sentra.audit.models import AuditEntry
from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    yield
    translation.activate("id")


def body(response):
    return json.loads(response.content)


def test_it_refuses_calls_without_a_valid_token(client, viewer, token_for):
    response = client.get("/api/v1/ikm")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    problem = body(response)
    assert problem["status"] == 401 and problem["title"] and problem["detail"]
    assert client.get("/api/v1/ikm", HTTP_AUTHORIZATION="Bearer snt_salah").status_code == 401


def test_the_token_is_stored_hashed_and_can_be_revoked(client, viewer, token_for):
    headers = token_for(viewer)
    raw = headers["HTTP_AUTHORIZATION"].split()[1]
    token = ApiToken.objects.get()
    assert raw not in (token.key_hash, token.prefix) and token.key_hash != raw
    assert client.get("/api/v1/ikm", **headers).status_code == 200
    client.force_login(viewer)
    client.post(f"/akun/token/{token.pk}/cabut/")
    assert client.get("/api/v1/ikm", **headers).status_code == 401
    assert AuditEntry.objects.filter(model="api.apitoken", action="revoke").exists()


def test_expired_tokens_do_not_work(client, viewer, token_for):
    from datetime import timedelta

    from django.utils import timezone

    headers = token_for(viewer)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/ikm", **headers).status_code == 401


def test_the_list_filters_like_the_page_and_pages_by_cursor(client, viewer, token_for):
    IkmFactory.create_batch(7, desa_id=DESA_BARAT, main_products="pie susu")
    IkmFactory.create_batch(3, desa_id=DESA_TIMUR)
    headers = token_for(viewer)
    seen, cursor = [], None
    while True:
        url = "/api/v1/ikm?kecamatan=51.71.03&limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = body(client.get(url, **headers))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    expected = list(
        Ikm.objects.filter(kecamatan_id="51.71.03")
        .order_by("name", "id")
        .values_list("id", flat=True)
    )
    assert seen == expected
    assert client.get("/api/v1/ikm?cursor=rusak!", **headers).status_code == 400


@pytest.mark.parametrize(
    "sort", ["name", "-name", "desa", "started", "-started", "-workers", "-investment", "-updated"]
)
def test_every_sort_pages_without_gaps(client, viewer, token_for, sort):
    IkmFactory.create_batch(5, started_year=None, investment=None)
    IkmFactory.create_batch(6)
    headers = token_for(viewer)
    seen, cursor = [], None
    for _ in range(20):
        page = body(
            client.get(
                f"/api/v1/ikm?sort={sort}&limit=2" + (f"&cursor={cursor}" if cursor else ""),
                **headers,
            )
        )
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(Ikm.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen))


def test_a_viewer_token_never_reads_personal_data(client, viewer, token_for):
    ikm = IkmFactory(owner_email="rahasia.lama@example.id")
    from sentra.registry.services import ikm_update
    from sentra.testing.factories import UserFactory

    admin = UserFactory(role="admin", is_superuser=True)
    ikm_update(
        actor=admin, ikm=ikm, data={"owner_phone": "081299998888", "owner_email": "baru@example.id"}
    )
    ikm.refresh_from_db()
    detail = client.get(f"/api/v1/ikm/{ikm.pk}", **token_for(viewer, "read", "personal"))
    text = detail.content.decode()
    for secret in (
        ikm.owner_nik,
        ikm.owner_phone,
        ikm.owner_email,
        "rahasia.lama@example.id",
        "081299998888",
        ikm.owner_birth_date.isoformat(),
    ):
        assert secret not in text
    assert body(detail)["personal_masked"] is True


def test_personal_data_need_the_scope_as_well_as_the_role(client, analyst, token_for):
    ikm = IkmFactory(owner_email="pemilik@example.id")
    without = body(client.get(f"/api/v1/ikm/{ikm.pk}", **token_for(analyst, "read")))
    assert without["owner_nik"] != ikm.owner_nik and without["personal_masked"]
    with_scope = body(client.get(f"/api/v1/ikm/{ikm.pk}", **token_for(analyst, "read", "personal")))
    assert with_scope["owner_nik"] == ikm.owner_nik
    assert with_scope["owner_email"] == "pemilik@example.id"


def test_detail_has_an_etag_and_answers_304(client, viewer, token_for):
    ikm = IkmFactory()
    headers = token_for(viewer)
    first = client.get(f"/api/v1/ikm/{ikm.pk}", **headers)
    etag = first["ETag"]
    again = client.get(f"/api/v1/ikm/{ikm.pk}", HTTP_IF_NONE_MATCH=etag, **headers)
    assert again.status_code == 304
    listing = client.get("/api/v1/ikm", **headers)
    assert (
        client.get("/api/v1/ikm", HTTP_IF_NONE_MATCH=listing["ETag"], **headers).status_code == 304
    )


def test_create_needs_the_write_scope_and_is_audited_with_the_token(
    client, officer_barat, token_for
):
    payload = {"name": "Tenun Ikat Sari", "desa": DESA_BARAT, "workers_paid_female": 3}
    read_only = client.post(
        "/api/v1/ikm", payload, content_type="application/json", **token_for(officer_barat)
    )
    assert read_only.status_code == 403
    created = client.post(
        "/api/v1/ikm", payload, content_type="application/json", **token_for(officer_barat, "write")
    )
    assert created.status_code == 201, created.content
    ikm = Ikm.objects.get(name="Tenun Ikat Sari")
    assert ikm.workers_total == 3
    entry = AuditEntry.objects.get(model="registry.ikm", object_id=str(ikm.pk), action="create")
    assert entry.actor == officer_barat and "token uji" in entry.source
    elsewhere = client.post(
        "/api/v1/ikm",
        {**payload, "desa": DESA_TIMUR},
        content_type="application/json",
        **token_for(officer_barat, "write"),
    )
    assert elsewhere.status_code == 403


def test_invalid_values_are_problems_per_field(client, admin_user, token_for):
    response = client.post(
        "/api/v1/ikm",
        {"name": "X", "desa": DESA_BARAT, "owner_nik": "123", "nib": "12"},
        content_type="application/json",
        **token_for(admin_user, "write"),
    )
    assert response.status_code == 422
    problem = body(response)
    assert {e["field"] for e in problem["errors"]} >= {"owner_nik", "nib"}
    assert not Ikm.objects.exists()


def test_update_checks_the_version(client, admin_user, token_for):
    ikm = IkmFactory(owner_phone="081200000001")
    headers = token_for(admin_user, "write", "personal")
    version = body(client.get(f"/api/v1/ikm/{ikm.pk}", **headers))["version"]
    ok = client.patch(
        f"/api/v1/ikm/{ikm.pk}",
        {"version": version, "fields": {"main_products": "kopi"}},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200, ok.content
    stale = client.patch(
        f"/api/v1/ikm/{ikm.pk}",
        {"version": version, "fields": {"owner_phone": "081200000002"}},
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 412
    assert body(stale)["current"]["owner_phone"] == "081200000001"
    ikm.refresh_from_db()
    assert ikm.owner_phone == "081200000001" and ikm.main_products == "kopi"
    missing = client.patch(
        f"/api/v1/ikm/{ikm.pk}",
        {"fields": {"main_products": "teh"}},
        content_type="application/json",
        **headers,
    )
    assert missing.status_code == 428


def test_problems_speak_english_when_asked(client):
    response = client.get("/api/v1/ikm", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert body(response)["title"] == "API token required"
    assert client.get("/api/v1/ikm").json()["title"] == "Perlu token API"


def test_it_throttles_per_token(client, viewer, token_for, settings):
    from django.core.cache import cache

    from sentra.api import urls

    cache.clear()
    throttle = urls.api.throttle[0]
    old = throttle.rate, throttle.num_requests, throttle.duration
    throttle.rate, throttle.num_requests, throttle.duration = "2/m", 2, 60
    try:
        headers = token_for(viewer)
        codes = [client.get("/api/v1/wilayah", **headers).status_code for _ in range(3)]
    finally:
        throttle.rate, throttle.num_requests, throttle.duration = old
        cache.clear()
    assert codes == [200, 200, 429]


def test_openapi_is_3_1_and_documents_the_routes(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/ikm", "/api/v1/ikm/{ikm_id}", "/api/v1/wilayah"} <= set(schema["paths"])


def test_nik_search_needs_the_personal_scope_as_well_as_the_role(client, analyst, token_for):
    ikm = IkmFactory(name="Kopi Merta", desa_id=DESA_BARAT)
    url = f"/api/v1/ikm?q={ikm.owner_nik}"
    found = body(client.get(url, **token_for(analyst, "read", "personal")))["items"]
    assert [row["id"] for row in found] == [ikm.pk]
    # The same analyst through a token without the personal scope: nothing to probe.
    assert body(client.get(url, **token_for(analyst, "read")))["items"] == []
