"""The list's page numbers and sortable headers: plain links that keep the filters."""

import re
from urllib.parse import parse_qs

import pytest

from sentra.registry import views
from sentra.registry.forms import IkmFilterForm
from sentra.registry.selectors import SORTS
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twenty(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # 24 IKM in Denpasar Barat, 12 pages
    for i in range(24):
        IkmFactory(
            name=f"Usaha {i:02d}",
            desa_id=DESA_BARAT,
            workers_paid_male=i,
            workers_paid_female=0,
            workers_unpaid_female=0,
        )
    IkmFactory(name="Usaha Timur", desa_id=DESA_TIMUR)


def _pager(html: str) -> list[str]:
    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S).group()
    nav = re.sub(r"<form.*?</form>", "", nav, flags=re.S)
    return re.findall(r">\s*(\d+|…)\s*<", nav)


def test_page_numbers_with_gaps_first_and_last(client, viewer, twenty):
    client.force_login(viewer)
    html = client.get("/ikm/", {"kecamatan": "51.71.03", "page": 6}).content.decode()
    assert _pager(html) == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]
    assert '<strong aria-current="page">6</strong>' in html
    # Every page link keeps the filter; the "go to page" box carries it as a hidden field.
    links = re.findall(r'<a href="\?([^"]+)"[^>]*aria-label="halaman', html)
    assert links and all(
        parse_qs(link.replace("&amp;", "&"))["kecamatan"] == ["51.71.03"] for link in links
    )
    assert '<input type="hidden" name="kecamatan" value="51.71.03">' in html
    first = client.get("/ikm/", {"kecamatan": "51.71.03", "page": 1}).content.decode()
    assert _pager(first) == ["1", "2", "3", "…", "12"]
    last = client.get("/ikm/", {"kecamatan": "51.71.03", "page": 12}).content.decode()
    assert "Usaha 23" in last and "Usaha Timur" not in last


def _sort_link(html: str, key: str) -> dict:
    th = re.search(rf'<th[^>]*><a href="\?([^"]+)"[^>]*data-testid="sort-{key}"', html)
    return {k: v for k, v in parse_qs(th.group(1).replace("&amp;", "&")).items()}


def test_headers_sort_then_reverse_keep_filters_and_show_the_order(client, viewer, twenty):
    client.force_login(viewer)
    html = client.get("/ikm/", {"kecamatan": "51.71.03", "page": 3}).content.decode()
    # Sorted by name (the default): its header reverses, others sort ascending.
    assert _sort_link(html, "name") == {"kecamatan": ["51.71.03"], "sort": ["-name"]}
    assert _sort_link(html, "workers")["sort"] == ["workers"]
    assert "page" not in _sort_link(html, "workers")  # a new order starts at page 1
    assert re.search(r'aria-sort="ascending"><a [^>]*sort-name[^>]*>Nama usaha <span', html)
    html = client.get("/ikm/", {"kecamatan": "51.71.03", "sort": "-workers"}).content.decode()
    assert _sort_link(html, "workers")["sort"] == ["workers"]
    assert "▼" in re.search(r"sort-workers.*?</th>", html, re.S).group()
    assert html.index("Usaha 23") < html.index("Usaha 22")
    html = client.get("/ikm/", {"kecamatan": "51.71.03", "sort": "workers"}).content.decode()
    assert html.index("Usaha 00") < html.index("Usaha 01")


def test_htmx_header_click_updates_the_sort_select(client, viewer, twenty):
    client.force_login(viewer)
    html = client.get("/ikm/", {"sort": "desa"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    oob = re.search(r'<span id="sort-field" hx-swap-oob="true">.*?</span>', html, re.S).group()
    assert '<option value="desa" selected>' in oob
    assert html.index("Usaha Timur") < html.index("Usaha 00")  # Dangin Puri before Dauh Puri
    html = client.get("/ikm/", {"sort": "-desa"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Usaha Timur" not in html and "Usaha 23" in html


def test_an_unknown_sort_key_keeps_the_filters():
    form = IkmFilterForm({"sort": "owner_nik", "kecamatan": "51.71.03"})
    filters = form.to_filters()
    assert filters.sort == "name" and filters.kecamatan == "51.71.03"


def test_every_sort_choice_is_a_known_order():
    keys = {k for k, _ in IkmFilterForm().fields["sort"].choices}
    assert keys <= set(SORTS) and set(views.SORTABLE_COLUMNS) <= keys
    assert {f"-{k}" for k in views.SORTABLE_COLUMNS} <= keys
