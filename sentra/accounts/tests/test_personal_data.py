"""Personal data never reach the viewer: every page, export and PDF of the site, opened
as `pemantau` on records of Barat and Timur whose NIK, phone, e-mail and birth date are
seeded everywhere (the IKM, its audit entries from form, update and merge, import
reports, certification candidates), must not contain any of them — in the forms a page
could print them (phone with spaces or dashes, +62, date as dd-mm-yyyy or "6 Des 1985").

The same for an officer of Barat on Timur's records. Excel files are read cell by cell
and as raw XML, PDFs by their text.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from sentra.accounts.tests.urls_walk import routes, url_for
from sentra.accounts.tests.world import build_world, forbidden_strings

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        cells = [
            "" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
        ]
        # The raw XML too: a value in a comment or an unused shared string is still there.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        return "\n".join(cells) + xml
    return content.decode("utf-8", "replace")


def _pages(world, kecamatan: str):
    for route in routes():
        if route.admin:
            continue  # only admins enter; the matrix test proves it
        url = url_for(route, world.objects[kecamatan], world.users)
        if url:
            yield route.name, url
    ikm = world.objects[kecamatan]["ikm"]
    # The list's exports (this IKM, and everything), the import report's error rows.
    yield "registry:ikm_list csv", f"/ikm/?q={ikm.name}&format=csv"
    yield "registry:ikm_list xlsx", "/ikm/?status=all&format=xlsx"
    job = world.objects[kecamatan]["job"]
    yield "imports:job_report errors", f"/impor/{job.pk}/laporan.xlsx?baris=bermasalah"


def _leaks(client: Client, world, kecamatan: str) -> list[str]:
    secrets = forbidden_strings(kecamatan)
    found = []
    for name, url in _pages(world, kecamatan):
        response = client.get(url)
        assert response.status_code < 500, f"{name}: {response.status_code}"
        lowered = _text(response).lower()
        found += [f"{name} {url}: {s!r}" for s in sorted(secrets) if s.lower() in lowered]
    return found


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the world's import files
    return build_world()


def test_the_viewer_sees_no_personal_data_anywhere(world):
    client = Client()
    client.force_login(world.users["viewer"])
    leaks = _leaks(client, world, "barat") + _leaks(client, world, "timur")
    assert not leaks, "\n".join(leaks)


def test_an_officer_sees_no_personal_data_of_another_kecamatan(world):
    client = Client()
    client.force_login(world.users["officer"])
    leaks = _leaks(client, world, "timur")
    assert not leaks, "\n".join(leaks)


def test_the_same_pages_show_them_to_an_admin(world):
    """The check can fail: for an admin the very same pages carry the real values."""
    client = Client()
    client.force_login(world.users["admin"])
    pages = {leak.split(" ")[0] for leak in _leaks(client, world, "barat")}
    expected = {
        "registry:ikm_detail",  # the owner block and the timeline's old → new
        "registry:ikm_list",  # CSV and Excel exports
        "linkage:pair_detail",
        "linkage:merge_detail",
        "imports:job_report",
        "audit:list",
    }
    assert expected <= pages, sorted(pages)
