from datetime import date

import pytest

from sentra.audit.models import AuditEntry
from sentra.coaching.models import Activity, Category, Programme
from sentra.testing.factories import IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return Programme.objects.create(
        category=Category.objects.get(code="fashion"), year=2025, name="Fesyen 2025", organiser="D"
    )


def test_officer_records_an_activity_with_participants(client, officer_barat, programme):
    a, b = IkmFactory(), IkmFactory()
    client.force_login(officer_barat)
    response = client.post(
        f"/pembinaan/program/{programme.pk}/kegiatan/baru/",
        {
            "kind": "pelatihan",
            "title": "Pelatihan pola busana",
            "date": "2025-04-10",
            "place": "Aula",
            "ikm_ids": f"{a.pk}, {b.pk}",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == f"/pembinaan/kegiatan/{activity.pk}/"
    assert set(activity.participants.values_list("pk", flat=True)) == {a.pk, b.pk}
    page = client.get(f"/pembinaan/kegiatan/{activity.pk}/")
    assert a.name in page.content.decode()
    # The IKM's own page shows the activity on its timeline.
    assert "Pelatihan pola busana" in client.get(f"/ikm/{a.pk}/").content.decode()


def test_bad_participant_ids_save_nothing(client, admin_user, programme):
    client.force_login(admin_user)
    response = client.post(
        f"/pembinaan/program/{programme.pk}/kegiatan/baru/",
        {"kind": "kunjungan", "title": "K", "date": "2025-04-10", "place": "A", "ikm_ids": "12x"},
    )
    assert response.status_code == 200
    assert "Bukan ID IKM" in response.content.decode()
    response = client.post(
        f"/pembinaan/program/{programme.pk}/kegiatan/baru/",
        {
            "kind": "kunjungan",
            "title": "K",
            "date": "2025-04-10",
            "place": "A",
            "ikm_ids": "999999",
        },
    )
    assert "tidak ditemukan" in response.content.decode()
    assert Activity.objects.count() == 0
    assert not AuditEntry.objects.filter(model="coaching.activity").exists()


def test_participants_add_and_remove(client, admin_user, viewer, programme):
    activity = Activity.objects.create(
        programme=programme, kind="pendampingan", title="P", date=date(2025, 5, 1), place="A"
    )
    ikm = IkmFactory()
    client.force_login(viewer)
    assert (
        client.post(f"/pembinaan/kegiatan/{activity.pk}/peserta/", {"ikm_ids": ikm.pk}).status_code
        == 403
    )
    client.force_login(admin_user)
    client.post(f"/pembinaan/kegiatan/{activity.pk}/peserta/", {"ikm_ids": str(ikm.pk)})
    assert activity.participations.count() == 1
    client.post(f"/pembinaan/kegiatan/{activity.pk}/peserta/{ikm.pk}/hapus/")
    assert activity.participations.count() == 0
    actions = set(
        AuditEntry.objects.filter(model="coaching.activity").values_list("action", flat=True)
    )
    assert actions == {"add_participants", "remove_participant"}


def test_category_edit_is_audited(client, admin_user):
    cat = Category.objects.get(code="animasi")
    client.force_login(admin_user)
    response = client.post(
        f"/pembinaan/kategori/{cat.pk}/ubah/",
        {
            "code": "animasi",
            "name": "Animasi & video",
            "subsector": "B16-05",
            "partial": "on",
            "is_active": "on",
            "order": "1",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="coaching.category", action="update")
    assert entry.changes["name"] == ["Animasi", "Animasi & video"]


def test_participants_are_added_by_name_with_or_without_javascript(
    client, officer_barat, programme
):
    from sentra.coaching.models import Activity

    activity = Activity.objects.create(
        programme=programme, kind="pelatihan", title="T", date=date(2025, 4, 10), place="A"
    )
    a = IkmFactory(name="Kopi Bubuk Merta")
    b = IkmFactory(name="Pie Susu Dewata")
    client.force_login(officer_barat)
    url = f"/pembinaan/kegiatan/{activity.pk}/peserta/"
    # Without JavaScript "Cari" comes back to the page with the matches listed.
    response = client.post(url, {"ikm_q": "merta", "ikm_ids": [b.pk], "cari": "1"})
    assert response.status_code == 302 and "ikm_q=merta" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert f'value="{a.pk}"' in page and f'value="{b.pk}" checked' in page
    # Ticked boxes (one value each) are what is added; the addition is audited.
    assert client.post(url, {"ikm_ids": [a.pk, b.pk]}).status_code == 302
    assert set(activity.participations.values_list("ikm_id", flat=True)) == {a.pk, b.pk}
    assert AuditEntry.objects.filter(action="add_participants").exists()
