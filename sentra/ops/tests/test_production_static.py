"""Production mode: collectstatic into a temporary folder, then pages, a PDF and the map
served with DEBUG off through the real manifest storage and WhiteNoise (no finders, no
autorefresh: exactly what gunicorn serves)."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

from sentra.testing.factories import DENPASAR_BARAT, DESA_BARAT, IkmFactory

pytestmark = pytest.mark.django_db

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


PRODUCTION = {
    "DEBUG": False,
    "WHITENOISE_AUTOREFRESH": False,
    "WHITENOISE_USE_FINDERS": False,
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic (compressing every file takes a while) for the module's tests."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=_storages(), **PRODUCTION):
        call_command("collectstatic", "--no-input", "-v0")
    return root


def _storages() -> dict:
    return {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


@pytest.fixture
def production_static(collected):
    with override_settings(STATIC_ROOT=collected, STORAGES=_storages(), **PRODUCTION):
        yield collected


def _static_urls(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html))


def test_it_collects_every_vendored_file_and_resolves_its_references(production_static):
    # The manifest storage rewrites url()/sourceMappingURL references and fails on a
    # missing one, so a clean collectstatic means every reference resolved.
    assert (production_static / "staticfiles.json").exists()
    assert list((production_static / "vendor" / "leaflet-1.9.4").glob("leaflet.js.*.map"))
    assert list((production_static / "vendor" / "pico-2.1.1").glob("pico.min.*.css.br"))


def test_it_serves_pages_pdf_and_map_with_debug_off(production_static, analyst):
    IkmFactory(
        name="Pie Susu Dewi",
        desa_id=DESA_BARAT,
        latitude="-8.6560",
        longitude="115.2100",
        owner_email="dewi@contoh.co.id",
    )
    client = Client()  # a fresh handler: WhiteNoise scans the collected folder at start
    client.force_login(analyst)
    seen: set[str] = set()
    for url in ("/", "/ikm/", "/atlas/", f"/atlas/wilayah/{DENPASAR_BARAT}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= _static_urls(response.content.decode())
    assert any("vendor/leaflet-1.9.4/leaflet." in u for u in seen)
    # Hashed names from the manifest, never the bare source names.
    assert all(re.search(r"\.[0-9a-f]{12}\.", u) for u in seen), seen
    for url in sorted(seen):
        asset = client.get(url, headers={"accept-encoding": "gzip, br"})
        assert asset.status_code == 200, url
        assert "immutable" in asset["Cache-Control"], url
        body = b"".join(asset.streaming_content)
        assert body, url
    geo = client.get("/atlas/peta/wilayah.geojson", {"level": "desa"})
    assert geo.status_code == 200 and len(geo.json()["features"]) == 43
    assert client.get("/atlas/peta/data.json").status_code == 200
    pdf = client.get(f"/atlas/wilayah/{DENPASAR_BARAT}/profil.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/static/vendor/tidak-ada.js").status_code == 404
