"""An exhibition's documents: the participant list and the report (with its letter), as
PDF and Excel."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.exhibitions import selectors
from sentra.exhibitions.models import (
    Exhibition,
)
from sentra.exhibitions.views._common import (
    _pdf,
)
from sentra.letters.models import LetterKind
from sentra.letters.selectors import letter_context
from sentra.letters.services import letter_issue
from sentra.lib.tabular import xlsx_response


def participants_pdf(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return _pdf(
        request,
        "exhibitions/participants_pdf.html",
        {
            "exhibition": exhibition,
            "header": selectors.participant_header(),
            "rows": selectors.participant_rows(exhibition=exhibition, user=request.user),
            "booths": exhibition.booths.all(),
            "today": timezone.localdate(),
        },
        f"peserta-pameran-{exhibition.pk}",
    )


def participants_xlsx(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return xlsx_response(
        selectors.participant_header(),
        selectors.participant_rows(exhibition=exhibition, user=request.user),
        filename=f"peserta-pameran-{exhibition.pk}",
    )


def report_pdf(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    subject = _("Laporan pameran %(name)s") % {"name": exhibition.name}
    letter = letter_issue(
        actor=request.user,
        kind=LetterKind.EXHIBITION_REPORT,
        ref=f"exhibition:{exhibition.pk}",
        subject=subject,
    )
    return _pdf(
        request,
        "exhibitions/report_pdf.html",
        {
            **letter_context(letter, subject=subject),
            "exhibition": exhibition,
            "report": selectors.report(exhibition),
            "fairness": selectors.fairness(exhibition),
            "header": selectors.report_header(),
            "rows": selectors.report_rows(exhibition),
            "photos": selectors.report_photos(exhibition),
            "today": timezone.localdate(),
        },
        f"laporan-pameran-{exhibition.pk}",
    )


def report_xlsx(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return xlsx_response(
        selectors.report_header(),
        selectors.report_rows(exhibition),
        filename=f"laporan-pameran-{exhibition.pk}",
    )
