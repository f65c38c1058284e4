"""Errors as RFC 9457 problem details (application/problem+json), in the caller's language."""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from sentra.api.auth import activate_language

TITLES = {
    400: gettext_lazy("Permintaan tidak valid"),
    401: gettext_lazy("Perlu token API"),
    403: gettext_lazy("Tidak berwenang"),
    404: gettext_lazy("Tidak ditemukan"),
    409: gettext_lazy("Data sudah berubah"),
    412: gettext_lazy("Versi tidak cocok"),
    422: gettext_lazy("Data tidak valid"),
    428: gettext_lazy("Perlu versi"),
    429: gettext_lazy("Terlalu banyak permintaan"),
}


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict] | None = None


# Every operation may answer these; documented so clients (and the contract test) know.
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


def with_errors(*codes: int, **ok) -> dict:
    """A route's `response=`: its success schemas plus the problems it can return."""
    out = {int(k.lstrip("_")): v for k, v in ok.items()}
    # Any request can be unreadable, unauthenticated or over its rate.
    return {**out, **{c: Problem for c in {400, 401, 429, *(codes or ERRORS)}}}


def problem_media_types(schema: dict) -> dict:
    """Error answers are application/problem+json, as they are sent."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if str(code).startswith("4") and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
    return schema


def problem(request, status: int, detail: str = "", **extra) -> HttpResponse:
    import json

    activate_language(request)
    body = {
        "type": f"https://sentra.invalid/masalah/{status}",
        "title": str(TITLES.get(status, HTTPStatus(status).phrase)),
        "status": status,
        "detail": detail or str(TITLES.get(status, HTTPStatus(status).phrase)),
        "instance": request.path,
        **extra,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type="application/problem+json",
    )
    response["Content-Language"] = translation.get_language() or "id"
    return response


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc):
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return problem(request, 422, _("Periksa kembali isian berikut."), errors=errors)

    @api.exception_handler(ValidationError)
    def _model_invalid(request, exc):
        if hasattr(exc, "message_dict"):
            errors = [
                {"field": "" if f == "__all__" else f, "message": str(m)}
                for f, messages in exc.message_dict.items()
                for m in messages
            ]
        else:
            errors = [{"field": "", "message": str(m)} for m in exc.messages]
        return problem(request, 422, _("Periksa kembali isian berikut."), errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = problem(
            request, 401, _("Kirim token API yang masih berlaku di header Authorization: Bearer.")
        )
        response["WWW-Authenticate"] = 'Bearer realm="sentra"'
        return response

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return problem(request, 403, str(exc) or "")

    @api.exception_handler(Http404)
    def _missing(request, exc):
        return problem(request, 404)

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        response = problem(
            request, 429, _("Batas permintaan token ini terlampaui; coba lagi sebentar lagi.")
        )
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    @api.exception_handler(HttpError)
    def _http(request, exc):
        return problem(request, exc.status_code, str(exc))


def require_valid(form) -> None:
    """A Django form the API fills (the page's own): its errors become a 422 problem with
    one entry per field, worded as the page words them."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
