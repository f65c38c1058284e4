import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sentra.certification import services
from sentra.certification.models import Batch, Scheme
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR, IkmFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _data(admin):
    manager = Scheme.objects.get(code="pengelola-ikm")
    lsp = services.lsp_create(actor=admin, name="LSP Uji", city="Surabaya", licence_number="L-1")
    assessor = services.assessor_create(
        actor=admin,
        lsp=lsp,
        name="Hendra Wijaya",
        home_city="Surabaya",
        schemes=[manager],
        candidates_per_day=5,
    )
    today = timezone.localdate()
    start = today + timedelta(days=7 - today.weekday())
    services.assessor_windows_add(
        actor=admin, assessor=assessor, windows=[(start, start + timedelta(days=40))]
    )
    services.tuk_create(actor=admin, name="TUK Denpasar", place="Jl. Majapahit", capacity=10)
    for i in range(8):
        ikm = IkmFactory(desa_id=DESA_BARAT if i % 2 else DESA_TIMUR)
        services.candidate_create(
            actor=admin,
            ikm=ikm,
            scheme=manager,
            name=f"Asesi {i}",
            role="manager",
            coaching_finished_on=date(2026, 1, 5),
            documents_complete=True,
        )


def test_plan_accept_batch_list_pdf(page, login, admin_user):
    _data(admin_user)
    login("admin")
    page.goto("/sertifikasi/perencana/")
    page.fill("input[name=time_limit]", "3")
    page.fill("input[name=days_per_trip]", "2")
    page.get_by_test_id("run-planner").click()
    page.wait_for_url(re.compile(r"/sertifikasi/perencana/\d+/$"), timeout=60_000)
    assert "optimal terbukti" in page.get_by_test_id("solver-info").inner_text()
    assert "paling awal" in page.get_by_test_id("earliest-date").inner_text()
    assert page.get_by_test_id("whatifs").locator("tbody tr").count() == 5
    page.get_by_test_id("accept-plan").click()
    page.wait_for_url(re.compile(r"/sertifikasi/batch/$"))
    rows = page.get_by_test_id("batch-table").locator("tbody tr")
    assert rows.count() == Batch.objects.count() >= 2
    href = page.get_by_test_id("batch-pdf").first.get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # Opening it took no number; the row's button issues one and prints the letter.
    from sentra.letters.models import Letter

    assert not Letter.objects.exists()
    with page.expect_response(lambda r: r.url.endswith(href)) as printed:
        rows.first.get_by_test_id("letter-issue").click()
    assert printed.value.headers["content-type"] == "application/pdf"
    letter = Letter.objects.get()
    page.goto("/sertifikasi/batch/")
    assert letter.number in rows.first.get_by_test_id("letter-issued").inner_text()
