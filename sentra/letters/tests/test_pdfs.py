"""Every letter-like PDF prints the one letter partial: kop surat, Nomor, Perihal, place
and date, signature block."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from sentra.certification import services as cert
from sentra.certification.models import Batch, Scheme
from sentra.letters.models import Letter
from sentra.testing.factories import DENPASAR_SELATAN, DESA_SELATAN, ApplicationFactory, IkmFactory

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
    }


def test_each_letter_pdf_has_the_letterhead_number_subject_date_and_signature(
    client, admin_user, printed, letterhead
):
    client.force_login(admin_user)
    documents = _documents(admin_user)
    today = timezone.localdate()
    for n, (kind, url) in enumerate(documents.items(), start=1):
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
    # Printed again: the same numbers, no new ones.
    for url in documents.values():
        client.get(url)
    assert Letter.objects.count() == 3


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
    client.get(f"/atlas/wilayah/{DENPASAR_SELATAN}/profil.pdf")
    html = printed[-1]
    letter = Letter.objects.get()
    assert ">Number<" in html and ">Subject<" in html and ">Nomor<" not in html
    with override("en"):
        assert f"Denpasar, {date_format(letter.issued_on, 'j F Y')}" in html
    assert f"Denpasar, {letter.issued_on.day} December" in html or letter.issued_on.month != 12
