from datetime import date

import pytest

from sentra.audit.models import AuditEntry
from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


def _form_data(ikm: Ikm, **changes) -> dict:
    from sentra.registry.forms import IkmForm

    form = IkmForm(instance=ikm)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if name == "owner_disability":
            if value:
                data[name] = "on"
            continue
        data[name] = field.prepare_value(value) if name == "kbli" else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_lists_and_filters_by_kecamatan(client, viewer):
    IkmFactory(name="Pie Susu Barat", desa_id=DESA_BARAT)
    IkmFactory(name="Endek Timur", desa_id=DESA_TIMUR)
    client.force_login(viewer)
    response = client.get("/ikm/", {"kecamatan": "51.71.02"})
    assert response.status_code == 200
    assert b"Endek Timur" in response.content
    assert b"Pie Susu Barat" not in response.content


def test_it_searches_name_owner_nib_product(client, viewer):
    IkmFactory(
        name="Sari Rasa", owner_name="Ni Made Ayu", nib="1234567890123", main_products="pie susu"
    )
    # Every searched field seeded: Faker's Indonesian names often contain "Sari".
    IkmFactory(name="Lain", owner_name="I Ketut Budi", nib="9876543210987", main_products="patung")
    client.force_login(viewer)
    for term in ["sari", "MADE ayu", "1234567890123", "pie"]:
        response = client.get("/ikm/", {"q": term})
        assert b"Sari Rasa" in response.content, term
        assert b">Lain<" not in response.content, term


def test_officer_of_barat_gets_403_editing_timur(client, officer_barat):
    ikm = IkmFactory(desa_id=DESA_TIMUR)
    client.force_login(officer_barat)
    assert client.get(f"/ikm/{ikm.pk}/ubah/").status_code == 403
    assert client.post(f"/ikm/{ikm.pk}/ubah/", _form_data(ikm, name="X")).status_code == 403
    assert client.get(f"/ikm/{ikm.pk}/tutup/").status_code == 403
    ikm.refresh_from_db()
    assert ikm.name != "X"


def test_officer_edit_is_audited_field_by_field(client, officer_barat):
    ikm = IkmFactory(desa_id=DESA_BARAT, name="Lama")
    client.force_login(officer_barat)
    response = client.post(
        f"/ikm/{ikm.pk}/ubah/", _form_data(ikm, name="Baru", workers_paid_male=9)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="update", object_id=str(ikm.pk))
    assert entry.actor == officer_barat
    assert entry.changes["name"] == ["Lama", "Baru"]
    assert entry.changes["workers_paid_male"][1] == 9
    detail = client.get(f"/ikm/{ikm.pk}/").content.decode()
    assert "Baru" in detail and "Lama" in detail  # old → new shown in the timeline


def test_viewer_sees_masked_nik_in_page_and_export(client, viewer):
    ikm = IkmFactory(owner_nik="5171031204850001", owner_phone="081234567890")
    client.force_login(viewer)
    page = client.get(f"/ikm/{ikm.pk}/").content.decode()
    assert "5171031204850001" not in page and "081234567890" not in page
    assert "0001" in page
    export = b"".join(client.get("/ikm/", {"format": "csv"}).streaming_content).decode()
    assert "5171031204850001" not in export and "081234567890" not in export


def test_analyst_sees_nik(client, analyst):
    ikm = IkmFactory(owner_nik="5171031204850001")
    client.force_login(analyst)
    assert "5171031204850001" in client.get(f"/ikm/{ikm.pk}/").content.decode()


def test_close_keeps_record_and_audits(client, officer_barat):
    ikm = IkmFactory(desa_id=DESA_BARAT, started_year=2000)
    client.force_login(officer_barat)
    response = client.post(f"/ikm/{ikm.pk}/tutup/", {"closed_on": "2025-03-01", "reason": "tutup"})
    assert response.status_code == 302
    ikm.refresh_from_db()
    assert ikm.closed_on == date(2025, 3, 1)
    assert AuditEntry.objects.filter(action="close", object_id=str(ikm.pk)).exists()


def test_officer_creates_only_in_own_kecamatan(client, officer_barat):
    client.force_login(officer_barat)
    form = client.get("/ikm/baru/").content.decode()
    assert DESA_BARAT in form and DESA_TIMUR not in form
    new = Ikm(kbli_id="10710")
    response = client.post("/ikm/baru/", _form_data(new, name="Usaha Timur", desa=DESA_TIMUR))
    assert response.status_code == 200  # form error, nothing saved
    assert not Ikm.objects.filter(name="Usaha Timur").exists()
    response = client.post("/ikm/baru/", _form_data(new, name="Usaha Barat", desa=DESA_BARAT))
    assert response.status_code == 302
    ikm = Ikm.objects.get(name="Usaha Barat")
    assert AuditEntry.objects.filter(action="create", object_id=str(ikm.pk)).exists()


def test_viewer_and_analyst_cannot_create_or_edit(client, viewer, analyst):
    ikm = IkmFactory(desa_id=DESA_BARAT)
    for user in (viewer, analyst):
        client.force_login(user)
        assert client.get("/ikm/baru/").status_code == 403
        assert client.get(f"/ikm/{ikm.pk}/ubah/").status_code == 403
        assert client.post(f"/ikm/{ikm.pk}/buka/").status_code == 403
