"""Exports in SIDT's and SIINas's layouts come back through Sentra's own import unchanged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sentra.registry.exchange import SIDT, SIINAS, export_header
from sentra.registry.models import Ikm
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory, valid_nik

pytestmark = pytest.mark.django_db

SIDT_FIELDS = [
    "name",
    "legal_form",
    "nib",
    "kbli_id",
    "main_products",
    "business_activity",
    "owner_name",
    "owner_nik",
    "owner_sex",
    "owner_birth_date",
    "owner_education",
    "owner_disability",
    "owner_phone",
    "owner_address",
    "owner_region",
    "address",
    "rt",
    "rw",
    "desa_id",
    "latitude",
    "longitude",
    "photo_url",
    "initial_capital",
    "annual_turnover",
    "assets",
    "started_year",
    "started_month",
    "workers_paid_male",
    "workers_paid_female",
    "workers_unpaid_male",
    "workers_unpaid_female",
    "workers_paid_disabled_male",
    "workers_paid_disabled_female",
    "workers_unpaid_disabled_male",
    "workers_unpaid_disabled_female",
    "data_as_of",
]
SIINAS_FIELDS = [
    "name",
    "legal_form",
    "nib",
    "kbli_id",
    "main_products",
    "owner_name",
    "owner_nik",
    "owner_sex",
    "owner_phone",
    "owner_email",
    "address",
    "desa_id",
    "postal_code",
    "latitude",
    "longitude",
    "started_year",
    "investment",
    "land_building_value",
    "production_capacity",
    "production_capacity_unit",
    "production_value",
    "raw_material_value",
    "workers_total",
    "data_as_of",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def registry():
    """Every field seeded, as a clerk would have filled them."""
    common = dict(
        legal_form="cv",
        kbli_id="13112",
        business_activity="Tenun endek",
        owner_education="sma",
        owner_disability=True,
        owner_address="Jl. Nangka Utara 7",
        owner_region="Dangin Puri Kaja, Denpasar Utara, Kota Denpasar, Bali",
        address="Jl. Gatot Subroto Barat 21",
        rt="004",
        rw="002",
        postal_code="80117",
        latitude=Decimal("-8.650742"),
        longitude=Decimal("115.203421"),
        photo_url="https://contoh.id/foto.jpg",
        initial_capital=25_000_000,
        annual_turnover=360_000_000,
        assets=90_000_000,
        land_building_value=150_000_000,
        production_capacity=Decimal("1200.00"),
        production_capacity_unit="meter",
        production_value=300_000_000,
        raw_material_value=120_000_000,
        started_month=7,
        workers_paid_disabled_male=1,
        workers_unpaid_disabled_female=1,
        workers_unpaid_male=1,
        data_as_of=date(2025, 6, 30),
        owner_email="pemilik@contoh.id",
    )
    ikms = [
        IkmFactory(
            desa_id=desa,
            nib=f"{812345678900 + n:013d}",
            owner_sex=sex,
            owner_nik=valid_nik(female=sex == "P", serial=n + 11),
            owner_phone=f"08123456{n:04d}",
            owner_birth_date=date(1985, 4, 12),
            main_products=f"kain endek motif {n}",
            name=f"Endek Sari {n}",
            **common,
        )
        for n, (desa, sex) in enumerate([(DESA_BARAT, "L"), (DESA_TIMUR, "P"), (DESA_BARAT, "P")])
    ]
    return ikms


def _export(client, admin_user, layout: str) -> bytes:
    client.force_login(admin_user)
    response = client.get(f"/ikm/?status=all&format={layout}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _values(fields):
    return {ikm["nib"]: ikm for ikm in Ikm.objects.order_by("nib").values(*fields)}


@pytest.mark.parametrize(("layout", "fields"), [("sidt", SIDT_FIELDS), ("siinas", SIINAS_FIELDS)])
def test_an_export_reimports_into_an_empty_registry_unchanged(
    client,
    admin_user,
    registry,
    run_import,
    layout,
    fields,
):
    content = _export(client, admin_user, layout)
    header = content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == export_header(layout)
    before = _values(fields)
    Ikm.objects.all().delete()
    job = run_import(content, f"ekspor-{layout}.csv", kind="manual", actor=admin_user)
    assert job.status == "committed", (job.status, job.error)
    assert job.layout == layout and job.created_count == 3
    assert _values(fields) == before


def test_layouts_have_their_documented_columns():
    assert len(SIDT) == 49
    assert {
        "nilai_investasi_tanpa_tanah_bangunan",
        "nilai_investasi_tanah_bangunan",
        "kapasitas_produksi",
        "kapasitas_terpasang",
        "nilai_bahan_baku",
    } <= {c.header for c in SIINAS}


def test_a_viewer_gets_the_layout_with_personal_data_masked(client, viewer, registry):
    client.force_login(viewer)
    text = b"".join(client.get("/ikm/?format=sidt").streaming_content).decode()
    for ikm in registry:
        assert ikm.owner_nik not in text and ikm.owner_phone not in text
    text = b"".join(client.get("/ikm/?format=siinas").streaming_content).decode()
    assert "pemilik@contoh.id" not in text
