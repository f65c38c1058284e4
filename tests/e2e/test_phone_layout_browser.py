"""Every main page fits a 390 px phone: the document is exactly as wide as the viewport."""

from io import StringIO

import pytest
from django.core.management import call_command

from sentra.certification.models import Batch
from sentra.coaching.models import Activity, Programme
from sentra.registry.models import Ikm

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def _main_pages() -> list[str]:
    ikm = Ikm.objects.order_by("pk").first()
    programme = Programme.objects.order_by("pk").first()
    activity = Activity.objects.order_by("pk").first()
    batch = Batch.objects.order_by("pk").first()
    return [
        "/",
        "/ikm/",
        f"/ikm/{ikm.pk}/",
        "/ikm/baru/",
        f"/ikm/{ikm.pk}/ubah/",
        "/impor/",
        "/duplikat/",
        "/atlas/",
        "/atlas/pertumbuhan/",
        "/atlas/wilayah/51.71.01/",
        "/atlas/wilayah/51.71.03.1005/",
        "/atlas/metodologi/",
        "/pembinaan/",
        "/pembinaan/kategori/",
        "/pembinaan/program/",
        f"/pembinaan/program/{programme.pk}/",
        f"/pembinaan/kegiatan/{activity.pk}/",
        "/sertifikasi/",
        "/sertifikasi/perencana/",
        "/sertifikasi/batch/",
        f"/sertifikasi/batch/{batch.pk}/",
    ]


def test_every_main_page_is_as_wide_as_a_phone(browser, live_server, admin_user):
    # The demo data: the office's full registry, coaching and certification, whose long
    # tables are what widened ten pages before.
    call_command("demo_data", "--no-users", stdout=StringIO())
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "sandi-uji-123")
    page.click("form:has(input[name=username]) button[type=submit]")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    too_wide = {}
    for path in _main_pages():
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width != PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}

    # The menu is folded behind one button; the list shows its count before any filter.
    response = page.goto("/ikm/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")  # the list's htmx settles before it is measured
    assert not page.is_visible("#main-nav")
    assert not page.is_visible("select[name=kecamatan]")
    count_top = page.locator("[data-testid=result-count]").bounding_box()["y"]
    assert count_top < PHONE["height"] / 2
    page.click("[data-testid=menu-button]")
    assert page.is_visible("#main-nav")
    page.click("[data-testid=filter-button]")
    assert page.is_visible("select[name=kecamatan]")
    context.close()
