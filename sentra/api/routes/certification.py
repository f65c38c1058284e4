"""Certification over the API: the progress page's figures, candidates, batches."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from sentra.api.paging import limit_param, next_cursor_field, paged
from sentra.api.problems import with_errors
from sentra.api.schemas import fields_from
from sentra.certification import selectors, tasks
from sentra.certification.forms import BatchFilterForm
from sentra.certification.models import Batch

router = Router(tags=["Sertifikasi"])


# The figures' shapes are the selectors' TypedDicts (one definition, named for the API).
@fields_from(selectors.Progress)
class ProgressRow(Schema):
    pass


@fields_from(selectors.GroupProgress)
class ProgressGroup(Schema):
    pass


@fields_from(selectors.WaveRow)
class ExpiryQuarter(Schema):
    pass


@fields_from(selectors.CandidateSummary)
class CandidateSummary(Schema):
    pass


class ProgressOut(Schema):
    on: date
    # The figures are a snapshot recounted after each change (as on the page): its time,
    # and whether a change since is still being counted.
    figures_as_of: datetime | None
    stale: bool
    total: ProgressRow
    by_kecamatan: list[ProgressGroup]
    by_subsector: list[ProgressGroup]
    wave: list[ExpiryQuarter]
    candidates: CandidateSummary


class CandidateOut(Schema):
    id: int
    ikm_id: int
    ikm_name: str
    desa: str
    scheme: str
    name: str
    role: str
    coaching_finished_on: date | None
    documents_complete: bool
    prerequisites_met: bool


class CandidatePage(Schema):
    items: list[CandidateOut]
    next_cursor: str | None = next_cursor_field()


class BatchOut(Schema):
    id: int
    code: str
    scheme: str
    scheme_name: str
    tuk: str
    start_date: date
    end_date: date
    capacity: int
    status: str
    n_candidates: int
    assessors: list[str]


class BatchPage(Schema):
    items: list[BatchOut]
    next_cursor: str | None = next_cursor_field()


class BatchCandidate(Schema):
    no: int
    name: str
    role: str
    ikm_name: str
    desa: str
    kecamatan: str


class BatchDetail(BatchOut):
    candidates: list[BatchCandidate]


def _progress(on: date) -> dict:
    figures, fresh = tasks.progress_current(today=on)
    return {"on": on, "figures_as_of": fresh.built_at, "stale": fresh.stale, **figures}


@router.get(
    "/sertifikasi/kemajuan",
    response=with_errors(401, 422, 429, _200=ProgressOut),
    summary="Kemajuan sertifikasi (target, tersertifikasi, gelombang kedaluwarsa)",
)
def progress(request):
    """The figures of the certification page: every active IKM with a certified manager
    and marketer is the target; per kecamatan, per subsector, expiry per quarter."""
    return _progress(timezone.localdate())


@router.get(
    "/sertifikasi/asesi",
    response=with_errors(401, 422, 429, _200=CandidateSummary),
    summary="Asesi: siap direncanakan, dalam batch, belum siap",
)
def candidates(request):
    figures, _fresh = tasks.progress_current(today=timezone.localdate())
    return figures["candidates"]


@router.get(
    "/sertifikasi/asesi/daftar",
    response=with_errors(400, 401, 422, 429, _200=CandidatePage),
    summary="Daftar asesi IKM aktif (per skema, per kecamatan)",
)
def candidate_index(
    request,
    scheme: str = "",
    kecamatan: str = "",
    cursor: str | None = None,
    limit: int = limit_param(),
):
    qs = selectors.candidate_list(scheme=scheme or None, kecamatan=kecamatan or None)
    rows, next_cursor = paged(qs, ["id"], cursor=cursor, limit=limit)
    items = [
        {
            "id": c.pk,
            "ikm_id": c.ikm_id,
            "ikm_name": c.ikm.name,
            "desa": c.ikm.desa.name if c.ikm.desa else "",
            "scheme": c.scheme.code,
            "name": c.name,
            "role": c.role,
            "coaching_finished_on": c.coaching_finished_on,
            "documents_complete": c.documents_complete,
            "prerequisites_met": c.prerequisites_met,
        }
        for c in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


def _batch(b: Batch) -> dict:
    return {
        "id": b.pk,
        "code": b.code,
        "scheme": b.scheme.code,
        "scheme_name": b.scheme.name,
        "tuk": b.tuk.name,
        "start_date": b.start_date,
        "end_date": b.end_date,
        "capacity": b.capacity,
        "status": b.status,
        "n_candidates": b.n_candidates,  # type: ignore[attr-defined]  # an annotation
        "assessors": [a.name for a in b.assessors.all()],
    }


@router.get(
    "/sertifikasi/batch",
    response=with_errors(401, 422, 429, _200=BatchPage),
    summary="Batch uji kompetensi",
)
def batch_index(request, status: str = "", cursor: str | None = None, limit: int = limit_param()):
    form = BatchFilterForm({"status": status})
    chosen = form.cleaned_data.get("status") if form.is_valid() else None
    rows, next_cursor = paged(
        selectors.batch_list(status=chosen), ["-start_date", "code"], cursor=cursor, limit=limit
    )
    return {"items": [_batch(b) for b in rows], "next_cursor": next_cursor}


@router.get(
    "/sertifikasi/batch/{batch_id}",
    response=with_errors(401, 404, 422, 429, _200=BatchDetail),
    summary="Satu batch dengan pesertanya",
)
def batch_show(request, batch_id: int):
    batch = get_object_or_404(selectors.batch_list(), pk=batch_id)
    keys = list(BatchCandidate.model_fields)
    rows = selectors.batch_candidate_rows(batch=batch)
    return _batch(batch) | {"candidates": [dict(zip(keys, row, strict=True)) for row in rows]}
