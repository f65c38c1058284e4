from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sentra.registry.models import Ikm
from sentra.registry.services import ikm_create
from sentra.testing.factories import DESA_BARAT

pytestmark = pytest.mark.django_db


def _ikm(**kwargs) -> Ikm:
    base = dict(name="Sari Rasa", desa_id=DESA_BARAT, owner_nik="", kbli_id="10710")
    base.update(kwargs)
    return Ikm(**base)


def _errors(ikm: Ikm) -> dict:
    with pytest.raises(ValidationError) as exc:
        ikm.full_clean()
    return exc.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"owner_nik": "12345"}, "owner_nik", "16 angka"),
        ({"nib": "123"}, "nib", "13 angka"),
        ({"kbli_id": "1071"}, "kbli", "5 angka"),
        ({"investment": -5}, "investment", "negatif"),
        ({"started_year": 1850}, "started_year", "antara 1900"),
        ({"started_year": 2999}, "started_year", "antara 1900"),
        ({"latitude": Decimal("-8.65")}, "longitude", "lintang dan bujur"),
        ({"rt": "0a1"}, "rt", "angka"),
        ({"closed_on": date(1999, 1, 1), "started_year": 2005}, "closed_on", "sebelum tahun mulai"),
    ],
)
def test_it_rejects_bad_values_in_indonesian(fields, field, text):
    errors = _errors(_ikm(**fields))
    assert text in " ".join(errors[field])


def test_a_kbli_code_not_in_kbli_2020_is_rejected(admin_user):
    with pytest.raises(ValidationError) as exc:
        ikm_create(actor=admin_user, data={"name": "X", "desa_id": DESA_BARAT, "kbli_id": "99999"})
    assert "kbli" in exc.value.message_dict
    assert not Ikm.objects.exists()


def test_coordinates_in_another_desa_are_flagged_not_refused(admin_user):
    # A point in Serangan (Denpasar Selatan) for a record in Dauh Puri (Denpasar Barat).
    ikm = ikm_create(
        actor=admin_user,
        data={
            "name": "X",
            "desa_id": DESA_BARAT,
            "latitude": Decimal("-8.7295"),
            "longitude": Decimal("115.2380"),
        },
    )
    assert ikm.location_check in ("mismatch", "outside")
    assert ikm.kecamatan_id == "51.71.03"


def test_derived_fields_follow_the_data(admin_user):
    ikm = ikm_create(
        actor=admin_user,
        data={
            "name": "UD Maju",
            "desa_id": DESA_BARAT,
            "workers_paid_male": 3,
            "workers_unpaid_female": 2,
            "investment": 2_000_000_000,
            "owner_name": "Ni Made Ayu",
        },
    )
    assert ikm.workers_total == 5
    assert ikm.scale == "kecil"
    assert ikm.industry_class == "menengah"
    assert "ni made ayu" in ikm.search_text
    assert ikm.sources.get().kind == "manual"
