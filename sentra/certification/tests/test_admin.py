import pytest

from sentra.audit.models import AuditEntry
from sentra.certification.models import Assessor, AvailabilityWindow

pytestmark = pytest.mark.django_db


def _form(lsp, scheme, windows):
    data = {
        "name": "Asesor Admin",
        "lsp": lsp.pk,
        "home_city": "Surabaya",
        "candidates_per_day": 10,
        "schemes": [scheme.pk],
        "active": "on",
        "windows-TOTAL_FORMS": len(windows),
        "windows-INITIAL_FORMS": 0,
        "windows-MIN_NUM_FORMS": 0,
        "windows-MAX_NUM_FORMS": 1000,
    }
    for i, (s, e) in enumerate(windows):
        data[f"windows-{i}-start"], data[f"windows-{i}-end"] = s, e
    return data


def test_admin_refuses_overlapping_windows_and_audits(client, setup, admin_user):
    client.force_login(admin_user)
    url = "/admin/certification/assessor/add/"
    bad = _form(
        setup["lsp"], setup["manager"], [("2027-01-04", "2027-01-08"), ("2027-01-06", "2027-01-12")]
    )
    response = client.post(url, bad)
    assert "bertumpang tindih" in response.content.decode()
    assert not Assessor.objects.filter(name="Asesor Admin").exists()
    good = _form(setup["lsp"], setup["manager"], [("2027-01-04", "2027-01-08")])
    assert client.post(url, good).status_code == 302
    assessor = Assessor.objects.get(name="Asesor Admin")
    assert AvailabilityWindow.objects.filter(assessor=assessor).count() == 1
    assert AuditEntry.objects.filter(
        model="certification.assessor", object_id=str(assessor.pk), source="admin"
    ).exists()
