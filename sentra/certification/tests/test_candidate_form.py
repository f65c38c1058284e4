"""Tambah asesi: the IKM found by name with the registry autocomplete, then saved and
audited by services.candidate_create."""

from datetime import date

import pytest

from sentra.audit.models import AuditEntry
from sentra.certification.models import Candidate
from sentra.testing.factories import DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db
URL = "/sertifikasi/asesi/baru/"


def _post(ikm_ids, schemes, **extra):
    return {
        "ikm": ikm_ids,
        "scheme": schemes["manager"].pk,
        "name": "Ni Made Sari",
        "role": "manager",
        "coaching_finished_on": "2025-11-03",
        "documents_complete": "on",
        **extra,
    }


def test_the_autocomplete_answers_with_one_checkbox_named_ikm(client, officer_barat):
    ikm = IkmFactory(name="Tenun Ikat Sekar Jagat")
    client.force_login(officer_barat)
    page = client.get("/ikm/_pilih/", {"ikm_q": "sekar jagat", "field": "ikm"}).content.decode()
    assert f'name="ikm" value="{ikm.pk}"' in page
    form = client.get(URL).content.decode()
    assert 'name="field" value="ikm"' in form and "/ikm/_pilih/" in form


def test_officer_adds_a_candidate_picked_by_name(client, officer_barat, schemes):
    ikm = IkmFactory(name="Tenun Ikat Sekar Jagat")
    client.force_login(officer_barat)
    # Without JavaScript, "Cari" lists the matches and saves nothing.
    page = client.post(URL, {**_post([], schemes), "ikm_q": "sekar", "cari": "1"})
    assert f'value="{ikm.pk}"' in page.content.decode() and not Candidate.objects.exists()
    response = client.post(URL, _post([ikm.pk], schemes))
    assert response.status_code == 302 and response.url == "/sertifikasi/"
    candidate = Candidate.objects.get()
    assert (candidate.ikm, candidate.scheme, candidate.name) == (
        ikm,
        schemes["manager"],
        "Ni Made Sari",
    )
    assert candidate.coaching_finished_on == date(2025, 11, 3) and candidate.documents_complete
    entry = AuditEntry.objects.get(action="create", object_id=str(candidate.pk))
    assert entry.changes["name"] == [None, "Ni Made Sari"]


def test_refusals_are_shown_on_the_form(client, officer_barat, schemes):
    own, other = IkmFactory(), IkmFactory(desa_id=DESA_TIMUR)
    client.force_login(officer_barat)
    page = client.post(URL, _post([other.pk], schemes)).content.decode()
    assert "kecamatan tugasnya" in page
    page = client.post(URL, _post([own.pk, other.pk], schemes)).content.decode()
    assert "Pilih tepat satu IKM." in page
    # The service's own rule: a scheme for managers with the marketer role.
    page = client.post(URL, _post([own.pk], schemes, role="marketer")).content.decode()
    assert not Candidate.objects.exists()
    assert "untuk peran Pengelola, bukan Pemasaran." in page
    # The same IKM twice in one scheme.
    assert client.post(URL, _post([own.pk], schemes)).status_code == 302
    page = client.post(URL, _post([own.pk], schemes)).content.decode()
    assert Candidate.objects.count() == 1 and "sudah punya asesi untuk skema" in page


def test_viewer_and_analyst_may_not_add(client, viewer, analyst, schemes):
    ikm = IkmFactory()
    for user in (viewer, analyst):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, _post([ikm.pk], schemes)).status_code == 403
    assert not Candidate.objects.exists()
