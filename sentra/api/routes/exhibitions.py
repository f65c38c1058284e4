"""Exhibitions over the API: events, applications with their outcomes, and an
application entered by an officer (the detail page's form and service)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from sentra.accounts.permissions import (
    can_see_applicant_personal,
    mask_value,
    require_manage_exhibitions,
)
from sentra.api.auth import may_see_personal, token_write
from sentra.api.paging import limit_param, next_cursor_field, paged
from sentra.api.problems import require_valid, with_errors
from sentra.api.schemas import fields_from
from sentra.exhibitions import selectors, services
from sentra.exhibitions.forms import ApplicationForm
from sentra.exhibitions.models import Application, Exhibition

router = Router(tags=["Pameran"])

APPLICATION_ORDER = ["booth_type__code", "booth_number", "waitlist_rank", "-points", "id"]


class ExhibitionOut(Schema):
    id: int
    name: str
    organiser: str
    organiser_name: str
    start_date: date
    end_date: date
    venue: str
    theme: str
    applications_open: date
    applications_close: date
    n_applications: int
    n_selected: int


class ExhibitionPage(Schema):
    items: list[ExhibitionOut]
    next_cursor: str | None = next_cursor_field()


@fields_from(selectors.Report)
class ReportOut(Schema):
    pass


class BoothOut(Schema):
    id: int
    code: str
    name: str
    count: int
    fee: int
    subsidy: int


class ExhibitionDetail(ExhibitionOut):
    booths: list[BoothOut]
    report: ReportOut


class OutcomeOut(Schema):
    sales: int | None
    buyer_contacts: int | None
    orders_after: int | None
    rating: int | None
    branding: str
    recorded_by_ikm: bool


class ApplicationOut(Schema):
    id: int
    ikm_id: int
    ikm_name: str
    kecamatan: str
    subsector: str | None
    booth_type: str
    channel: str
    status: str
    points: int | None
    waitlist_rank: int | None
    booth_number: str
    attended: bool | None
    products: str
    contact_name: str
    contact_phone: str
    contact_email: str
    personal_masked: bool
    outcome: OutcomeOut | None


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next_cursor: str | None = next_cursor_field()


class ApplicationIn(Schema):
    ikm: int = Field(description="ID IKM di registri (aktif)")
    booth_type: int = Field(description="ID jenis stan pameran ini (lihat booths)")
    products: str = Field(max_length=300)
    contact_name: str = Field(max_length=150)
    contact_phone: str = Field("", max_length=20)
    contact_email: str = ""


def _exhibition(e: Exhibition) -> dict:
    return {name: getattr(e, name) for name in ExhibitionOut.model_fields}


def _application(request, a: Application) -> dict:
    shown = may_see_personal(request) and can_see_applicant_personal(
        request.user, a.ikm.kecamatan_id
    )
    outcome = getattr(a, "outcome", None)
    return {
        "id": a.pk,
        "ikm_id": a.ikm_id,
        "ikm_name": a.ikm.name,
        "kecamatan": a.ikm.kecamatan_id,
        "subsector": a.ikm.subsector_id,
        "booth_type": a.booth_type.code,
        "channel": a.channel,
        "status": a.status,
        "points": a.points,
        "waitlist_rank": a.waitlist_rank,
        "booth_number": a.booth_number,
        "attended": a.attended,
        "products": a.products,
        "contact_name": a.contact_name,
        "contact_phone": a.contact_phone if shown else mask_value("owner_phone", a.contact_phone),
        "contact_email": a.contact_email if shown else mask_value("owner_email", a.contact_email),
        "personal_masked": not shown,
        "outcome": None
        if outcome is None
        else {name: getattr(outcome, name) for name in OutcomeOut.model_fields},
    }


@router.get("/pameran", response=with_errors(401, 422, 429, _200=ExhibitionPage), summary="Pameran")
def exhibition_index(request, cursor: str | None = None, limit: int = limit_param()):
    rows, next_cursor = paged(
        selectors.exhibition_list(), ["-start_date", "name", "id"], cursor=cursor, limit=limit
    )
    return {"items": [_exhibition(e) for e in rows], "next_cursor": next_cursor}


@router.get(
    "/pameran/{exhibition_id}",
    response=with_errors(401, 404, 422, 429, _200=ExhibitionDetail),
    summary="Satu pameran dengan laporan hasilnya",
)
def exhibition_show(request, exhibition_id: int):
    exhibition = get_object_or_404(selectors.exhibition_list(), pk=exhibition_id)
    return _exhibition(exhibition) | {
        "booths": [
            {name: getattr(b, name) for name in BoothOut.model_fields}
            for b in exhibition.booths.all()
        ],
        "report": vars(selectors.report(exhibition)),
    }


@router.get(
    "/pameran/{exhibition_id}/pendaftar",
    response=with_errors(401, 404, 422, 429, _200=ApplicationPage),
    summary="Pendaftar, peserta dan hasilnya",
)
def application_index(
    request, exhibition_id: int, cursor: str | None = None, limit: int = limit_param()
):
    """Contact phone and e-mail are masked unless the token has the `personal` scope and
    the user may see the IKM's personal data."""
    exhibition = get_object_or_404(Exhibition, pk=exhibition_id)
    qs = selectors.applications(exhibition).select_related("outcome")
    rows, next_cursor = paged(qs, APPLICATION_ORDER, cursor=cursor, limit=limit)
    return {"items": [_application(request, a) for a in rows], "next_cursor": next_cursor}


@router.post(
    "/pameran/{exhibition_id}/pendaftar",
    response=with_errors(401, 403, 404, 422, 429, _201=ApplicationOut),
    summary="Catat pendaftaran (oleh petugas)",
)
def application_add(request, exhibition_id: int, payload: ApplicationIn):
    with token_write(request):
        require_manage_exhibitions(request.user)
        exhibition = get_object_or_404(Exhibition, pk=exhibition_id)
        form = ApplicationForm(payload.model_dump(), exhibition=exhibition)
        require_valid(form)
        application = services.application_create(
            actor=request.user, exhibition=exhibition, **form.cleaned_data
        )
    found = selectors.applications(exhibition).select_related("outcome").get(pk=application.pk)
    return 201, _application(request, found)
