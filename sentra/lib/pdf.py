"""One way to print a page as PDF: a template rendered and handed to WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_response(
    request: HttpRequest, *, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    """`template` printed as an inline PDF named `filename` (".pdf" is added when
    missing). Static files are fetched relative to the site's root."""
    from weasyprint import HTML  # heavy: loaded only when a PDF is asked for

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = filename if filename.endswith(".pdf") else f"{filename}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
