"""IKM over the API: the registry's own filter form, selectors and services."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from sentra.accounts.permissions import can_create, can_see_personal, mask_value
from sentra.api.auth import may_see_personal, token_source, token_write
from sentra.api.paging import MAX_LIMIT, next_cursor_field, paged
from sentra.api.problems import require_valid, with_errors
from sentra.registry import services, timeline
from sentra.registry.forms import IkmFilterForm
from sentra.registry.models import EDITABLE_FIELDS, PERSONAL_FIELDS, CloseReason, Ikm, SourceKind
from sentra.registry.selectors import SORTS, ikm_detail, ikm_list, ikm_page_rows

router = Router(tags=["IKM"])

FOREIGN_KEYS = {"kbli", "subsector", "desa"}


class IkmSummary(Schema):
    id: int
    name: str
    owner_name: str
    nib: str
    main_products: str
    scale: str
    workers_total: int
    started_year: int | None
    closed_on: date | None
    desa: str = Field(alias="desa_id")
    desa_name: str = Field(alias="desa.name")
    kecamatan: str = Field(alias="kecamatan_id")
    kecamatan_name: str = Field(alias="kecamatan.name")
    subsector: str | None = Field(alias="subsector_id")


class IkmPage(Schema):
    items: list[IkmSummary]
    next_cursor: str | None = next_cursor_field()


class IkmFields(Schema):
    """The fields an officer fills in, as the page's form has them."""

    name: str = Field(max_length=200)
    legal_form: str = "perorangan"
    nib: str = ""
    pirt_number: str = ""
    halal_number: str = ""
    other_permits: str = ""
    kbli: str | None = Field(None, description="Kode KBLI 2020, 5 digit")
    subsector: str | None = Field(None, description="Kode subsektor Bekraf, mis. B16-08")
    main_products: str = ""
    business_activity: str = ""
    owner_name: str = ""
    owner_nik: str = ""
    owner_sex: str = ""
    owner_birth_date: date | None = None
    owner_education: str = ""
    owner_disability: bool = False
    owner_phone: str = ""
    owner_email: str = ""
    owner_address: str = ""
    owner_region: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    desa: str = Field(description="Kode Kemendagri desa/kelurahan, mis. 51.71.03.1005")
    postal_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    workers_paid_male: int = Field(0, ge=0)
    workers_paid_female: int = Field(0, ge=0)
    workers_unpaid_male: int = Field(0, ge=0)
    workers_unpaid_female: int = Field(0, ge=0)
    workers_paid_disabled_male: int = Field(0, ge=0)
    workers_paid_disabled_female: int = Field(0, ge=0)
    workers_unpaid_disabled_male: int = Field(0, ge=0)
    workers_unpaid_disabled_female: int = Field(0, ge=0)
    workers_unspecified: int = Field(0, ge=0)
    investment: int | None = None
    land_building_value: int | None = None
    initial_capital: int | None = None
    production_capacity: Decimal | None = None
    production_capacity_unit: str = ""
    production_value: int | None = None
    raw_material_value: int | None = None
    annual_turnover: int | None = None
    assets: int | None = None
    started_year: int | None = None
    started_month: int | None = None
    first_recorded_on: date | None = None
    data_as_of: date | None = None
    photo_url: str = ""


assert set(IkmFields.model_fields) == set(EDITABLE_FIELDS), "API fields drifted from the form"


class IkmPatch(Schema):
    """Only the fields to change, and the version the client last read."""

    version: str | None = Field(
        None, description="Nilai 'version' dari GET terakhir (atau header If-Match)."
    )
    fields: dict[str, object] = Field(
        description="Nama field → nilai baru, hanya yang berubah (nama seperti pada POST)."
    )


class TimelineItem(Schema):
    when: datetime | date
    kind: str
    title: str
    detail: str
    changes: dict


class IkmOut(IkmFields):
    id: int
    owner_birth_date: date | None = None
    kecamatan: str
    workers_total: int
    scale: str
    location_check: str
    closed_on: date | None
    closed_reason: str
    closed_note: str
    created_at: datetime
    updated_at: datetime
    version: str
    personal_masked: bool = Field(
        description="true: NIK, HP, e-mail dan tanggal lahir disamarkan untuk token ini."
    )
    timeline: list[TimelineItem] = []


class CloseIn(Schema):
    closed_on: date
    reason: CloseReason
    note: str = ""


def _version(ikm: Ikm) -> str:
    return ikm.updated_at.isoformat()


def _shows_personal(request, ikm: Ikm) -> bool:
    return may_see_personal(request) and can_see_personal(request.user, ikm.kecamatan_id)


def _out(request, ikm: Ikm, *, with_timeline: bool = False) -> dict:
    data = {
        name: getattr(ikm, f"{name}_id" if name in FOREIGN_KEYS else name)
        for name in EDITABLE_FIELDS
    }
    shown = _shows_personal(request, ikm)
    if not shown:
        for name in PERSONAL_FIELDS:
            data[name] = None if name == "owner_birth_date" else mask_value(name, data[name])
    data |= {
        "id": ikm.pk,
        "kecamatan": ikm.kecamatan_id,
        "workers_total": ikm.workers_total,
        "scale": ikm.scale,
        "location_check": ikm.location_check,
        "closed_on": ikm.closed_on,
        "closed_reason": ikm.closed_reason,
        "closed_note": ikm.closed_note,
        "created_at": ikm.created_at,
        "updated_at": ikm.updated_at,
        "version": _version(ikm),
        "personal_masked": not shown,
    }
    if with_timeline:
        data["timeline"] = [
            {
                "when": e.when,
                "kind": e.kind,
                "title": str(e.title),
                "detail": str(e.detail),
                "changes": e.changes if shown else _masked_changes(e.changes),
            }
            for e in timeline.events_for(ikm, viewer=request.user)
        ]
    return data


def _masked_changes(changes: dict) -> dict:
    return {
        name: [mask_value(name, v) if name in PERSONAL_FIELDS else v for v in values]
        if isinstance(values, list | tuple)
        else values
        for name, values in changes.items()
    }


def _model_data(fields: dict) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise HttpError(
            422, _("Field tidak dikenal: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    return {
        (f"{k}_id" if k in FOREIGN_KEYS else k): (
            "" if v is None and k not in FOREIGN_KEYS and k not in _NULLABLE else v
        )
        for k, v in fields.items()
    }


_NULLABLE = {name for name, f in IkmFields.model_fields.items() if f.default is None}


@router.get("/ikm", response=with_errors(400, 401, 422, 429, _200=IkmPage), summary="Daftar IKM")
def ikm_index(
    request,
    q: str = "",
    kecamatan: str = "",
    desa: str = "",
    subsector: str = "",
    kbli_section: str = "",
    scale: str = "",
    status: str = "active",
    sort: str = "name",
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
):
    """Filter, search and sort as on the list page (same form, same queryset)."""
    form = IkmFilterForm(
        {
            "q": q,
            "kecamatan": kecamatan,
            "desa": desa,
            "subsector": subsector,
            "kbli_section": kbli_section,
            "scale": scale,
            "status": status,
            "sort": sort,
        }
    )
    require_valid(form)
    filters = form.to_filters()
    # NIK and phone are searched only with the token's personal scope as well.
    viewer = request.user if may_see_personal(request) else None
    qs = ikm_page_rows(ikm_list(filters=filters, viewer=viewer))
    rows, next_cursor = paged(
        qs, SORTS.get(filters.sort, SORTS["name"]), cursor=cursor, limit=limit
    )
    return {"items": rows, "next_cursor": next_cursor}


@router.get(
    "/ikm/{ikm_id}",
    response=with_errors(401, 404, 422, 429, _200=IkmOut),
    summary="Satu IKM dengan linimasanya",
)
def ikm_show(request, ikm_id: int):
    try:
        ikm = ikm_detail(pk=ikm_id)
    except Ikm.DoesNotExist as exc:
        from django.http import Http404

        raise Http404 from exc
    return _out(request, ikm, with_timeline=True)


@router.post("/ikm", response=with_errors(401, 403, 422, 429, _201=IkmOut), summary="Tambah IKM")
def ikm_add(request, payload: IkmFields):
    with token_write(request):
        if not can_create(request.user):
            raise PermissionDenied(_("Peran Anda tidak berwenang menambah IKM."))
        ikm = services.ikm_create(
            actor=request.user,
            data=_model_data(payload.model_dump()),
            source_kind=SourceKind.API,
            source_reference=token_source(request),
        )
    return 201, _out(request, ikm_detail(pk=ikm.pk))


@router.patch(
    "/ikm/{ikm_id}",
    response=with_errors(401, 403, 404, 412, 422, 428, 429, _200=IkmOut),
    summary="Ubah IKM (dengan versi)",
)
def ikm_change(request, ikm_id: int, payload: IkmPatch):
    """Refused with 412 when the IKM changed after the version the client read: the
    problem lists the current values of the fields the client wanted to change."""
    with token_write(request):
        return _change(request, ikm_id, payload)


def _change(request, ikm_id: int, payload: IkmPatch):
    ikm = get_object_or_404(Ikm, pk=ikm_id)
    version = payload.version or request.headers.get("If-Match", "").strip('"')
    if not version:
        raise HttpError(428, _("Kirim versi yang terakhir dibaca (field 'version' atau If-Match)."))
    data = _model_data(payload.fields)
    if version != _version(ikm):
        from sentra.api.problems import problem

        current = _out(request, ikm)
        return problem(
            request,
            412,
            _(
                "IKM ini sudah diubah orang lain sejak versi yang Anda baca; baca ulang lalu kirim lagi."
            ),
            version=_version(ikm),
            current={k: current.get(k) for k in payload.fields},
        )
    ikm = services.ikm_update(actor=request.user, ikm=ikm, data=data, source=token_source(request))
    return _out(request, ikm_detail(pk=ikm.pk))


@router.post(
    "/ikm/{ikm_id}/tutup",
    response=with_errors(401, 403, 404, 422, 429, _200=IkmOut),
    summary="Tandai IKM tutup",
)
def ikm_shut(request, ikm_id: int, payload: CloseIn):
    with token_write(request):
        ikm = get_object_or_404(Ikm, pk=ikm_id)
        services.ikm_close(
            actor=request.user,
            ikm=ikm,
            closed_on=payload.closed_on,
            reason=payload.reason,
            note=payload.note,
        )
    return _out(request, ikm_detail(pk=ikm.pk))
