"""The main pages in both languages: one number notation each, no catalogue gaps."""

import re

import pytest
from django.conf import settings

from sentra.testing.factories import DENPASAR_SELATAN, DESA_BARAT, DESA_SELATAN, IkmFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/ikm/",
    "/ikm/baru/",
    "/atlas/pertumbuhan/",
    f"/atlas/wilayah/{DENPASAR_SELATAN}/",
    "/pembinaan/",
    "/sertifikasi/",
    "/admin/",
]
# Django 6.1's own strings that its Indonesian catalogue lacks (locale/id fills them),
# and the admin's default title.
GAPS = {
    "id": ["Select an option", "Administrasi Django"],
    "en": ["Django administration"],
}


def _visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<svg\b.*?</svg>", " ", html)  # chart labels are checked in their tests
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def pages(client, admin_user):
    for year in (2019, 2020, 2021, 2022, 2023):
        IkmFactory.create_batch(
            2, desa_id=DESA_SELATAN, started_year=year, investment=65_200_000, owner_email="a@b.id"
        )
    ikm = IkmFactory(desa_id=DESA_BARAT, investment=5_000_000, owner_email="c@d.id")
    client.force_login(admin_user)
    return [*PAGES, f"/ikm/{ikm.pk}/"]


@pytest.mark.parametrize(
    ("lang", "wrong"),
    [
        # A decimal point before "%" or an English unit is the other language's notation.
        ("id", [r"\d\.\d+ ?%", r"\bIDR\b", r"\bmillion\b", r"\bbillion\b"]),
        ("en", [r"\d,\d+ ?%", r"\bRp\b", r"\bjuta\b", r"\bmiliar\b", r"\bDes\b"]),
    ],
)
def test_main_pages_use_one_notation_and_no_catalogue_gap(client, pages, lang, wrong):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = _visible_text(response.content.decode())
        hits = [g for g in GAPS[lang] if g in text]
        hits += [m.group(0) for pattern in wrong for m in [re.search(pattern, text)] if m]
        if hits:
            found[path] = hits
    assert found == {}
