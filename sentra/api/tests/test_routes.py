"""The new API routes as a program uses them: an import's row report masked by scope,
a merge and its undo audited with the token named, coaching participants."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sentra.audit.models import AuditEntry
from sentra.imports.tests.samples import sentra_row, sentra_xlsx
from sentra.linkage.models import CandidatePair, PairStatus
from sentra.testing.factories import DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db


def test_an_upload_becomes_a_job_whose_rows_show_nik_only_with_the_personal_scope(
    client, officer_barat, token_for, django_capture_on_commit_callbacks
):
    bad_nik = "51710312345X7890"
    content = sentra_xlsx(
        [sentra_row(1, kode_desa=DESA_BARAT, nik_pemilik=bad_nik, desa_kelurahan="", kecamatan="")]
    )
    headers = token_for(officer_barat, "write")
    with django_capture_on_commit_callbacks(execute=True):  # the validation task
        created = client.post(
            "/api/v1/impor", {"file": SimpleUploadedFile("ikm.xlsx", content)}, **headers
        )
    assert created.status_code == 201, created.content
    job = created.json()
    status = client.get(f"/api/v1/impor/{job['id']}", **headers).json()
    assert status["status"] == "validated" and status["percent"] == 100
    masked = client.get(f"/api/v1/impor/{job['id']}/baris", **headers)
    assert bad_nik not in masked.content.decode() and masked.json()["personal_masked"]
    assert [i["column"] for i in masked.json()["items"]] == ["nik_pemilik"]
    assert masked.json()["items"][0]["value"].endswith(bad_nik[-4:])
    shown = client.get(
        f"/api/v1/impor/{job['id']}/baris", **token_for(officer_barat, "personal")
    ).json()
    assert bad_nik in {i["value"] for i in shown["items"]}


def test_a_refused_upload_is_a_problem_per_field(client, officer_barat, token_for):
    response = client.post(
        "/api/v1/impor",
        {"file": SimpleUploadedFile("ikm.pdf", b"%PDF-1.4")},
        **token_for(officer_barat, "write"),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


def test_merge_and_undo_are_audited_with_the_token(client, officer_barat, token_for):
    a, b = IkmFactory.create_batch(2, desa_id=DESA_BARAT, main_products="")
    b.main_products = "pie susu"
    b.save()
    pair = CandidatePair.objects.create(ikm_a=a, ikm_b=b, score=0.95)
    headers = token_for(officer_barat, "write")
    listed = client.get("/api/v1/duplikat?kecamatan=51.71.03", **headers).json()
    assert [p["id"] for p in listed["items"]] == [pair.pk]
    stale = client.post(
        f"/api/v1/duplikat/{pair.pk}/gabung",
        {"keep": "a", "version_a": a.version - 1, "version_b": b.version},
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 412
    merged = client.post(
        f"/api/v1/duplikat/{pair.pk}/gabung",
        {
            "keep": "a",
            "fields": {"main_products": "b"},
            "version_a": a.version,
            "version_b": b.version,
        },
        content_type="application/json",
        **headers,
    )
    assert merged.status_code == 200, merged.content
    merge = merged.json()
    assert {"field": "main_products", "before": "", "after": "pie susu"} in merge["changed"]
    entries = AuditEntry.objects.filter(action="merge")
    assert entries.count() == 2 and all("token uji" in e.source for e in entries)
    undone = client.post(f"/api/v1/gabungan/{merge['id']}/batal", **headers)
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert all("token uji" in e.source for e in AuditEntry.objects.filter(action="merge_undo"))
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


def test_participants_are_added_and_removed_within_the_officers_kecamatan(
    client, officer_barat, token_for
):
    from sentra.coaching import services
    from sentra.coaching.models import Category, Participation
    from sentra.testing.factories import DESA_TIMUR, UserFactory

    admin = UserFactory(role="admin", is_superuser=True)
    programme = services.programme_create(
        actor=admin,
        data={"category": Category.objects.first(), "year": 2026, "name": "P", "organiser": "D"},
    )
    activity = services.activity_create(
        actor=admin,
        data={
            "programme": programme,
            "kind": "pelatihan",
            "title": "Uji",
            "date": "2026-03-02",
            "place": "Aula",
        },
    )
    mine, theirs = IkmFactory(desa_id=DESA_BARAT), IkmFactory(desa_id=DESA_TIMUR)
    headers = token_for(officer_barat, "write")
    url = f"/api/v1/pembinaan/kegiatan/{activity.pk}/peserta"
    body = json.dumps({"ikm_ids": [mine.pk]})
    added = client.post(url, body, content_type="application/json", **headers)
    assert added.json() == {"added": 1}
    refused = client.post(
        url, json.dumps({"ikm_ids": [theirs.pk]}), content_type="application/json", **headers
    )
    assert refused.status_code == 403
    shown = client.get(f"/api/v1/pembinaan/kegiatan/{activity.pk}", **headers).json()
    assert [p["ikm_id"] for p in shown["participants"]["items"]] == [mine.pk]
    assert client.delete(f"{url}/{mine.pk}", **headers).status_code == 204
    assert not Participation.objects.exists()
    entry = AuditEntry.objects.get(action="remove_participant")
    assert "token uji" in entry.source


def test_candidates_are_listed_by_scheme_and_kecamatan_page_by_page(
    client, viewer, admin_user, token_for
):
    from sentra.certification import services as cert
    from sentra.certification.models import Scheme
    from sentra.testing.factories import DESA_TIMUR

    schemes = {"manager": Scheme.objects.get(code="pengelola-ikm")}
    made = []
    for n, desa in enumerate([DESA_BARAT, DESA_BARAT, DESA_TIMUR]):
        ikm = IkmFactory(desa_id=desa)
        made.append(
            cert.candidate_create(
                actor=admin_user,
                ikm=ikm,
                scheme=schemes["manager"],
                name=f"Asesi {n}",
                role="manager",
                documents_complete=n != 1,
            )
        )
    headers = token_for(viewer, "read")
    first = client.get("/api/v1/sertifikasi/asesi/daftar?limit=2", **headers).json()
    assert [c["name"] for c in first["items"]] == ["Asesi 0", "Asesi 1"]
    rest = client.get(
        f"/api/v1/sertifikasi/asesi/daftar?limit=2&cursor={first['next_cursor']}", **headers
    ).json()
    assert [c["name"] for c in rest["items"]] == ["Asesi 2"] and rest["next_cursor"] is None
    assert first["items"][1]["prerequisites_met"] is False
    barat = client.get("/api/v1/sertifikasi/asesi/daftar?kecamatan=51.71.03", **headers).json()[
        "items"
    ]
    assert {c["id"] for c in barat} == {made[0].pk, made[1].pk}
    other = client.get("/api/v1/sertifikasi/asesi/daftar?scheme=tidak-ada", **headers).json()
    assert other["items"] == []
