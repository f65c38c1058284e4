"""Coaching over the API: programmes, their activities (sessions) and participants."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from sentra.accounts.permissions import require
from sentra.api.auth import token_write
from sentra.api.paging import limit_param, next_cursor_field, paged
from sentra.api.problems import with_errors
from sentra.coaching import selectors, services
from sentra.coaching.models import Activity, Programme

router = Router(tags=["Pembinaan"])


class ProgrammeOut(Schema):
    id: int
    year: int
    name: str
    organiser: str
    budget: int | None
    category: str
    category_name: str
    n_activities: int
    n_participants: int


class ProgrammePage(Schema):
    items: list[ProgrammeOut]
    next_cursor: str | None = next_cursor_field()


class ActivityOut(Schema):
    id: int
    programme_id: int
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    place: str
    facilitator: str
    n_participants: int


class ProgrammeDetail(ProgrammeOut):
    note: str
    activities: list[ActivityOut]


class ParticipantOut(Schema):
    ikm_id: int
    name: str
    desa: str
    desa_name: str
    subsector: str | None
    added_at: dt.date


class ParticipantPage(Schema):
    items: list[ParticipantOut]
    next_cursor: str | None = next_cursor_field()


class ActivityDetail(ActivityOut):
    note: str
    participants: ParticipantPage


class ParticipantsIn(Schema):
    ikm_ids: list[int] = Field(min_length=1, max_length=1000)


class Added(Schema):
    added: int


@router.get(
    "/pembinaan/program",
    response=with_errors(401, 422, 429, _200=ProgrammePage),
    summary="Program pembinaan",
)
def programme_index(
    request,
    tahun: int | None = None,
    kategori: str = "",
    cursor: str | None = None,
    limit: int = limit_param(),
):
    qs = selectors.programme_list(year=tahun, category=kategori)
    rows, next_cursor = paged(
        qs, ["-year", "category__order", "name", "id"], cursor=cursor, limit=limit
    )
    return {"items": [_programme(p) for p in rows], "next_cursor": next_cursor}


def _programme(p: Programme) -> dict:
    return {
        "id": p.pk,
        "year": p.year,
        "name": p.name,
        "organiser": p.organiser,
        "budget": p.budget,
        "category": p.category.code,
        "category_name": p.category.name,
        # Counted by selectors.programme_list.
        "n_activities": p.n_activities,  # type: ignore[attr-defined]  # an annotation
        "n_participants": p.n_participants,  # type: ignore[attr-defined]  # an annotation
    }


def _activity(a: Activity) -> dict:
    fields = ["programme_id", "kind", "title", "date", "end_date", "place", "facilitator"]
    return {"id": a.pk, **{f: getattr(a, f) for f in fields}, "n_participants": a.n_participants}  # type: ignore[attr-defined]  # an annotation


@router.get(
    "/pembinaan/program/{programme_id}",
    response=with_errors(401, 404, 422, 429, _200=ProgrammeDetail),
    summary="Satu program dengan kegiatannya",
)
def programme_show(request, programme_id: int):
    programme = get_object_or_404(selectors.programme_list(), pk=programme_id)
    return _programme(programme) | {
        "note": programme.note,
        "activities": [_activity(a) for a in selectors.activity_list(programme=programme)],
    }


def _participants(activity: Activity, *, cursor: str | None, limit: int) -> dict:
    rows, next_cursor = paged(
        selectors.activity_participants(activity),
        ["ikm__name", "ikm_id"],
        cursor=cursor,
        limit=limit,
    )
    return {
        "items": [
            {
                "ikm_id": p.ikm_id,
                "name": p.ikm.name,
                "desa": p.ikm.desa_id,
                "desa_name": p.ikm.desa.name,
                "subsector": p.ikm.subsector_id,
                "added_at": p.added_at.date(),
            }
            for p in rows
        ],
        "next_cursor": next_cursor,
    }


@router.get(
    "/pembinaan/kegiatan/{activity_id}",
    response=with_errors(401, 404, 422, 429, _200=ActivityDetail),
    summary="Satu kegiatan dengan pesertanya",
)
def activity_show(
    request, activity_id: int, cursor: str | None = None, limit: int = limit_param(100)
):
    activity = get_object_or_404(selectors.activity_list(), pk=activity_id)
    return _activity(activity) | {
        "note": activity.note,
        "participants": _participants(activity, cursor=cursor, limit=limit),
    }


def _activity_to_manage(request, activity_id: int) -> Activity:
    require(services.can_manage_coaching(request.user), "coaching")
    return get_object_or_404(Activity, pk=activity_id)


@router.post(
    "/pembinaan/kegiatan/{activity_id}/peserta",
    response=with_errors(401, 403, 404, 422, 429, _200=Added),
    summary="Tambah peserta kegiatan",
)
def participants_add(request, activity_id: int, payload: ParticipantsIn):
    """Unknown IKM ids refuse the whole call; IKM already taking part are left as they are."""
    with token_write(request):
        activity = _activity_to_manage(request, activity_id)
        added = services.activity_add_participants(
            actor=request.user, activity=activity, ikm_ids=payload.ikm_ids
        )
    return {"added": added}


@router.delete(
    "/pembinaan/kegiatan/{activity_id}/peserta/{ikm_id}",
    response=with_errors(401, 403, 404, 422, 429, _204=None),
    summary="Hapus peserta kegiatan",
)
def participant_remove(request, activity_id: int, ikm_id: int):
    with token_write(request):
        activity = _activity_to_manage(request, activity_id)
        services.activity_remove_participant(actor=request.user, activity=activity, ikm_id=ikm_id)
    return 204, None
