"""The street basemap is optional: off by default (the maps work offline), on with
SENTRA_MAP_TILE_URL and its attribution."""

import pytest

pytestmark = pytest.mark.django_db

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_no_tile_server_by_default(client, analyst, settings):
    import os

    from sentra import settings as project

    if "SENTRA_MAP_TILE_URL" not in os.environ:
        assert project.SENTRA_MAP_TILE_URL == ""  # the shipped default
    settings.SENTRA_MAP_TILE_URL = ""
    client.force_login(analyst)
    html = client.get("/atlas/").content.decode()
    assert 'data-tile-url=""' in html
    assert "tile.openstreetmap.org" not in html
    assert project._origin("") == []  # nothing added to the CSP's img-src


def test_a_tile_url_puts_streets_under_the_map_with_attribution(client, analyst, settings):
    from sentra import settings as project

    settings.SENTRA_MAP_TILE_URL = TILES
    settings.SENTRA_MAP_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    client.force_login(analyst)
    html = client.get("/atlas/").content.decode()
    assert f'data-tile-url="{TILES}"' in html
    assert 'data-tile-attribution="© OpenStreetMap contributors"' in html
    # Its origin (and only that) is what the CSP's img-src lets the browser fetch.
    assert project._origin(TILES) == ["https://tile.openstreetmap.org"]
    assert project._origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == [
        "https://*.tile.example.org"
    ]
