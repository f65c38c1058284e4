"""The certification progress as a signed letter with a chart above each table."""

from datetime import date

import pytest
import weasyprint

from sentra.certification import services
from sentra.certification.charts import progress_charts
from sentra.certification.models import Result
from sentra.certification.tests.conftest import make_candidates
from sentra.letters.models import Letter
from sentra.testing.factories import DESA_BARAT, DESA_TIMUR

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(monkeypatch):
    """The HTML WeasyPrint is given, kept for the test (the PDF is still made)."""
    seen: list[str] = []
    real = weasyprint.HTML

    def html(*args, string="", **kwargs):
        seen.append(string)
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", html)
    return seen


def _certify(actor, candidate, n):
    services.outcome_record(
        actor=actor,
        candidate=candidate,
        result=Result.COMPETENT,
        assessed_on=date(2025, 1, 6),
        certificate_number=f"S-{n}",
    )


def test_the_pdf_has_the_letter_three_charts_and_their_numbers(
    client, setup, admin_user, viewer, printed
):
    barat = make_candidates(admin_user, setup["manager"], 3, desa_id=DESA_BARAT)
    make_candidates(admin_user, setup["manager"], 1, desa_id=DESA_TIMUR)
    for n, candidate in enumerate(barat[:2]):
        marketer = services.candidate_create(
            actor=admin_user,
            ikm=candidate.ikm,
            scheme=setup["marketer"],
            name="Pemasar",
            role="marketer",
            coaching_finished_on=date(2024, 11, 5),
            documents_complete=True,
        )
        _certify(admin_user, candidate, 2 * n)
        _certify(admin_user, marketer, 2 * n + 1)
    client.force_login(viewer)  # everyone who reads the page may print it (as a draft)
    response = client.get("/sertifikasi/capaian.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (html,) = printed
    assert "(draf — belum diterbitkan)" in html and not Letter.objects.exists()
    # The coordinator issues its number; the PDF then prints it.
    client.force_login(admin_user)
    response = client.post("/sertifikasi/capaian.pdf/terbitkan/")
    assert response.status_code == 302 and response["Location"] == "/sertifikasi/capaian.pdf"
    client.get(response["Location"])
    html = printed[-1]
    letter = Letter.objects.get(kind="cert_progress")
    assert letter.number in html and 'data-letter="signature"' in html
    assert html.index('data-letter="kop"') < html.index("<svg")
    # One chart per section, server-side SVG, no script; the numbers as a table below.
    assert html.count("<svg") == 3 and "<script" not in html
    kecamatan = html[
        html.index('data-section="kecamatan"') : html.index('data-section="subsector"')
    ]
    assert "Denpasar Barat" in kecamatan and "66,7 %" in kecamatan  # 2 of 3 IKM
    # The chart writes each value as text too: it reads without colour.
    assert kecamatan.count("66,7 %") >= 2
    wave = html[html.index('data-section="wave"') :]
    assert "<svg" in wave and "2028" in wave  # three years' validity from January 2025
    # The same day's report keeps its number.
    client.post("/sertifikasi/capaian.pdf/terbitkan/")
    assert Letter.objects.filter(kind="cert_progress").count() == 1


def test_charts_follow_the_page_figures():
    figures = {
        "by_kecamatan": [
            {"label": "Denpasar Barat", "target": 4, "certified": 1},
            {"label": "Denpasar Timur", "target": 0, "certified": 0},
        ],
        "by_subsector": [{"label": "Kuliner", "target": 5, "certified": 5}],
        "wave": [{"label": "T1 2028", "manager": 2, "marketer": 1, "ikm": 3}],
    }
    specs = progress_charts(figures)
    assert specs["kecamatan"]["values"] == [25.0, 0.0] and specs["kecamatan"]["unit"] == "%"
    assert specs["subsector"]["labels"] == ["Kuliner"] and specs["subsector"]["values"] == [100.0]
    assert specs["wave"]["values"] == [3.0]


def test_the_page_links_the_pdf(client, viewer):
    client.force_login(viewer)
    assert "/sertifikasi/capaian.pdf" in client.get("/sertifikasi/").content.decode()
