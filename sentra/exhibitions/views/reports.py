"""An exhibition's documents: the participant list and the report (with its letter), as
PDF and Excel."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sentra.accounts.permissions import can_issue_letter, require
from sentra.exhibitions import selectors
from sentra.exhibitions.models import (
    Exhibition,
)
from sentra.letters.models import LetterKind
from sentra.letters.printing import letter_pdf
from sentra.letters.selectors import LetterDocument
from sentra.letters.services import letter_issue
from sentra.lib.pdf import pdf_response
from sentra.lib.tabular import xlsx_response


@require_safe
def participants_pdf(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return pdf_response(
        request,
        template="exhibitions/participants_pdf.html",
        context={
            "exhibition": exhibition,
            "header": selectors.participant_header(),
            "rows": selectors.participant_rows(exhibition=exhibition, user=request.user),
            "booths": exhibition.booths.all(),
            "today": timezone.localdate(),
        },
        filename=f"peserta-pameran-{exhibition.pk}",
    )


def participants_xlsx(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return xlsx_response(
        selectors.participant_header(),
        selectors.participant_rows(exhibition=exhibition, user=request.user),
        filename=f"peserta-pameran-{exhibition.pk}",
    )


def report_letter(exhibition: Exhibition) -> LetterDocument:
    """Which document an exhibition's report is, for its letter."""
    return {
        "kind": LetterKind.EXHIBITION_REPORT,
        "ref": f"exhibition:{exhibition.pk}",
        "subject": _("Laporan pameran %(name)s") % {"name": exhibition.name},
    }


@require_safe
def report_pdf(request, pk: int):
    """The report as a letter: its issued Nomor, or the draft mark."""
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return letter_pdf(
        request,
        **report_letter(exhibition),
        template="exhibitions/report_pdf.html",
        context={
            "exhibition": exhibition,
            "report": selectors.report(exhibition),
            "fairness": selectors.fairness(exhibition),
            "header": selectors.report_header(),
            "rows": selectors.report_rows(exhibition),
            "photos": selectors.report_photos(exhibition),
            "today": timezone.localdate(),
        },
        filename=f"laporan-pameran-{exhibition.pk}",
    )


@require_POST
def report_pdf_issue(request, pk: int):
    """Give the report its Nomor (audited by the service), then print it."""
    exhibition = get_object_or_404(Exhibition, pk=pk)
    letter = report_letter(exhibition)
    require(can_issue_letter(request.user, letter["kind"]), "letter")
    letter_issue(actor=request.user, **letter)
    return redirect("exhibitions:report_pdf", pk=exhibition.pk)


def report_xlsx(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return xlsx_response(
        selectors.report_header(),
        selectors.report_rows(exhibition),
        filename=f"laporan-pameran-{exhibition.pk}",
    )
