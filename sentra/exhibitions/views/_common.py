"""Helpers several exhibition pages share: the public pages' rates, PDFs, certificates,
error messages and the application lookup."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from sentra.exhibitions.models import (
    Application,
)
from sentra.lib.pdf import pdf_response

# Per client address: a person filling the form on a phone never needs more.
PUBLIC_POST_RATE = "10/h"
PUBLIC_GET_RATE = "120/h"


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _application(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("exhibition", "ikm"), pk=pk)


def _certificate(request, *, holder: str, role: str, exhibition, code: str) -> HttpResponse:
    """One certificate layout for exhibitors and students, with its public check URL."""
    return pdf_response(
        request,
        template="exhibitions/certificate_pdf.html",
        context={
            "holder": holder,
            "role": role,
            "exhibition": exhibition,
            "code": code,
            "verify_url": request.build_absolute_uri(
                reverse("exhibitions:verify_code", args=[code])
            ),
        },
        filename=f"sertifikat-{code}",
    )
