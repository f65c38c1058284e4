"""Every letter-like PDF prints the one letter partial: kop surat, Nomor, Perihal, place
and date, signature block. A GET of a PDF only prints (a draft until the number is
issued); the number is issued by the POST of `<name>_pdf_issue`, audited, for those
`can_issue_letter` allows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from sentra.accounts.models import Role
from sentra.accounts.tests.urls_walk import routes
from sentra.audit.models import AuditEntry
from sentra.certification import services as cert
from sentra.certification.models import Batch, Scheme
from sentra.letters.models import Letter, LetterSequence
from sentra.testing.factories import (
    DENPASAR_BARAT,
    DENPASAR_SELATAN,
    DESA_BARAT,
    DESA_SELATAN,
    ApplicationFactory,
    IkmFactory,
    UserFactory,
)

DRAFT = "(draf — belum diterbitkan)"

pytestmark = pytest.mark.django_db

LOGO = (  # a 1×1 PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def printed(monkeypatch):
    """The HTML each PDF was made from (WeasyPrint still makes the PDF)."""
    import weasyprint

    seen: list[str] = []
    real = weasyprint.HTML

    def capture(*args, **kwargs):
        seen.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", capture)
    return seen


@pytest.fixture
def letterhead(settings, tmp_path):
    logo = tmp_path / "lambang.png"
    logo.write_bytes(LOGO)
    settings.SENTRA_LETTER_LOGO = str(logo)
    settings.SENTRA_LETTER_ADDRESS = "Jl. Contoh No. 1, Denpasar"
    settings.SENTRA_LETTER_PHONE = "(0361) 000000"
    settings.SENTRA_LETTER_EMAIL = "dinas@contoh.go.id"
    settings.SENTRA_LETTER_SIGNER_NAME = "I Made Contoh"
    settings.SENTRA_LETTER_SIGNER_NIP = "197001012000031001"
    settings.SENTRA_LETTER_NUMBER_FORMAT = "500.2/%(seq)s/Disdagperin/%(year)s"


def _batch(admin):
    scheme = Scheme.objects.get(code="pengelola-ikm")
    lsp = cert.lsp_create(actor=admin, name="LSP Uji", city="Surabaya", licence_number="L-1")
    assessor = cert.assessor_create(
        actor=admin, lsp=lsp, name="Budi Santoso", home_city="Surabaya", schemes=[scheme],
        candidates_per_day=5,
    )  # fmt: skip
    tuk = cert.tuk_create(actor=admin, name="TUK Denpasar", place="Jl. Uji 1", capacity=10)
    start = timezone.localdate() + timedelta(days=30)
    batch = Batch.objects.create(
        code="B-SURAT-1", scheme=scheme, tuk=tuk, start_date=start, end_date=start, capacity=10
    )
    batch.assessors.add(assessor)
    return batch


def _documents(admin):
    IkmFactory(desa_id=DESA_SELATAN)
    application = ApplicationFactory()
    batch = _batch(admin)
    return {
        "cert_invitation": f"/sertifikasi/batch/{batch.pk}/undangan.pdf",
        "area_profile": f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf",
        "exhibition_report": f"/pameran/{application.exhibition_id}/laporan.pdf",
        "cert_progress": "/sertifikasi/capaian.pdf",
    }


def _issue(url: str) -> str:
    return f"{url}/terbitkan/"


def test_each_letter_pdf_has_the_letterhead_number_subject_date_and_signature(
    client, admin_user, printed, letterhead
):
    client.force_login(admin_user)
    documents = _documents(admin_user)
    today = timezone.localdate()
    for n, (kind, url) in enumerate(documents.items(), start=1):
        issued = client.post(_issue(url))
        assert issued.status_code == 302 and issued["Location"] == url, url
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url
        html = printed[-1]
        letter = Letter.objects.get(kind=kind)
        assert letter.number == f"500.2/{n}/Disdagperin/{today.year}"
        assert html.count('data-letter="kop"') == 1, url
        assert "PEMERINTAH KOTA DENPASAR" in html
        assert "Dinas Perdagangan dan Perindustrian Kota Denpasar" in html
        assert "Jl. Contoh No. 1, Denpasar" in html and "dinas@contoh.go.id" in html
        assert 'src="data:image/png;base64,' in html
        assert f'data-letter="number">{letter.number}<' in html
        assert f'data-letter="subject">: {letter.subject}<' in html
        with override("id"):
            assert f"Denpasar, {date_format(today, 'j F Y')}" in html
        assert html.count('data-letter="signature"') == 1
        assert "I Made Contoh" in html and "NIP 197001012000031001" in html
    # Issued and printed again: the same numbers, no new ones.
    for url in documents.values():
        client.post(_issue(url))
        client.get(url)
    assert Letter.objects.count() == 4


def test_without_a_logo_none_is_printed_and_empty_lines_are_left_out(client, admin_user, printed):
    client.force_login(admin_user)
    client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf")
    html = printed[-1]
    assert 'data-letter="kop"' in html and "<img" not in html
    assert "Telp." not in html and "NIP" not in html  # no phone, no signer's NIP configured
    assert "Kepala Dinas Perdagangan dan Perindustrian Kota Denpasar" in html


def test_the_english_letter_says_number_subject_and_the_english_date(
    client, admin_user, printed, settings
):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf/terbitkan/")
    client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf")
    html = printed[-1]
    letter = Letter.objects.get()
    assert ">Number<" in html and ">Subject<" in html and ">Nomor<" not in html
    with override("en"):
        assert f"Denpasar, {date_format(letter.issued_on, 'j F Y')}" in html
    assert f"Denpasar, {letter.issued_on.day} December" in html or letter.issued_on.month != 12


def test_every_pdf_is_get_or_head_only(client, admin_user):
    """A POST to any PDF is refused before the view runs: printing never writes."""
    client.force_login(admin_user)
    pdfs = [r for r in routes() if r.name.endswith("_pdf")]
    assert len(pdfs) >= 7, [r.name for r in pdfs]  # profile, progress, batch, 4 of exhibitions
    for route in pdfs:
        kwargs = {k: DENPASAR_SELATAN if k == "code" else 1 for k in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        assert client.post(url).status_code == 405, route.name
        assert client.put(url).status_code == 405, route.name


def test_a_get_prints_a_draft_and_issues_nothing(client, admin_user, printed, letterhead):
    client.force_login(admin_user)
    documents = _documents(admin_user)
    audited = AuditEntry.objects.count()
    for url in documents.values():
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url
        assert f'data-letter="number">{DRAFT}<' in printed[-1], url
        assert client.head(url).status_code == 200, url
    assert not Letter.objects.exists() and not LetterSequence.objects.filter(last__gt=0).exists()
    assert AuditEntry.objects.count() == audited


def test_the_issue_post_gives_one_audited_number_that_the_pdf_then_shows(
    client, admin_user, printed, letterhead
):
    client.force_login(admin_user)
    url = _documents(admin_user)["exhibition_report"]
    before = AuditEntry.objects.count()
    response = client.post(_issue(url))
    assert response.status_code == 302 and response["Location"] == url
    letter = Letter.objects.get()
    assert letter.created_by == admin_user
    entry = AuditEntry.objects.get(model="letters.letter", object_id=str(letter.pk))
    assert entry.actor == admin_user and AuditEntry.objects.count() == before + 1
    client.get(url)
    assert f'data-letter="number">{letter.number}<' in printed[-1] and DRAFT not in printed[-1]
    # The page that links the PDF shows the number instead of the button now.
    exhibition_page = url.removesuffix("laporan.pdf")
    page = client.get(exhibition_page).content.decode()
    assert 'data-testid="letter-issued"' in page and letter.number in page
    assert 'data-testid="letter-issue"' not in page
    # A second POST issues nothing new.
    client.post(_issue(url))
    assert Letter.objects.count() == 1 and AuditEntry.objects.count() == before + 1


def test_a_viewer_may_print_but_not_issue(client, admin_user, viewer, printed):
    documents = _documents(admin_user)
    client.force_login(viewer)
    for url in documents.values():
        assert client.get(url).status_code == 200, url
        assert client.post(_issue(url)).status_code == 403, url
    assert not Letter.objects.exists()
    page = client.get(documents["area_profile"].removesuffix("profil.pdf")).content.decode()
    assert 'data-testid="letter-issue"' not in page


def test_an_officer_issues_profiles_of_his_own_kecamatan_only(client, officer_barat, printed):
    IkmFactory(desa_id=DESA_BARAT)
    client.force_login(officer_barat)
    own = f"/atlas/wilayah/{DENPASAR_BARAT}/profil.pdf"
    desa = f"/atlas/wilayah/{DESA_BARAT}/profil.pdf"
    other = f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf"
    assert (
        'data-testid="letter-issue"' in client.get(own.removesuffix("profil.pdf")).content.decode()
    )
    assert (
        'data-testid="letter-issue"'
        not in client.get(other.removesuffix("profil.pdf")).content.decode()
    )
    assert client.post(_issue(own)).status_code == 302
    assert client.post(_issue(desa)).status_code == 302  # a desa of his kecamatan
    assert client.post(_issue(other)).status_code == 403
    assert Letter.objects.count() == 2


def test_the_city_report_is_issued_by_the_coordinator_not_by_an_officer(client, printed):
    coordinator = UserFactory(role=Role.COORDINATOR)
    officer = UserFactory(role=Role.OFFICER, kecamatan_codes=[DENPASAR_BARAT])
    client.force_login(officer)
    assert client.post("/sertifikasi/capaian.pdf/terbitkan/").status_code == 403
    client.force_login(coordinator)
    assert client.post("/sertifikasi/capaian.pdf/terbitkan/").status_code == 302
    assert Letter.objects.get().kind == "cert_progress"
