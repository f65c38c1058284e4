"""A letter's PDF: the document with its issued Nomor, or marked as a draft.

Printing never issues a number (a GET must not write, and a link preview or a prefetch
would otherwise take numbers from the register); `letters.services.letter_issue` does,
on the POST of the page's "Terbitkan nomor & cetak" button."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from sentra.accounts.permissions import can_issue_letter
from sentra.letters.selectors import letter_context, letter_found, letter_or_draft
from sentra.lib.pdf import pdf_response


def letter_pdf(
    request: HttpRequest,
    *,
    kind: str,
    ref: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    filename: str,
) -> HttpResponse:
    """`template` printed with the letter partial's context (letters/_letter_pdf.html):
    the number issued for `kind` + `ref`, else the draft mark. `subject` in the
    reader's language."""
    letter = letter_or_draft(kind=kind, ref=ref, subject=subject)
    return pdf_response(
        request,
        template=template,
        context={**context, **letter_context(letter, subject=subject)},
        filename=filename,
    )


def issue_context(
    user: Any, *, kind: str, ref: str, issue_url: str, kecamatan_code: str | None = None
) -> dict[str, Any]:
    """The context of letters/_issue.html on a page that links the letter's PDF."""
    return {
        "issue_url": issue_url,
        "can_issue": can_issue_letter(user, kind, kecamatan_code),
        "issued": letter_found(kind=kind, ref=ref),
    }
