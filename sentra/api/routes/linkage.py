"""Duplicate pairs over the API: the review queue's form, selectors and services."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sentra.accounts.permissions import can_undo_merge
from sentra.api.auth import personal_viewer, token_write
from sentra.api.paging import limit_param, next_cursor_field, paged
from sentra.api.problems import problem, with_errors
from sentra.linkage import engine, selectors, services
from sentra.linkage.forms import PairFilterForm, PairMergeForm
from sentra.linkage.models import CandidatePair, Merge
from sentra.registry.services import IkmChanged

router = Router(tags=["Duplikat"])


class PairIkm(Schema):
    id: int
    name: str
    owner_name: str
    desa: str
    kecamatan: str
    version: int
    active: bool


class Reason(Schema):
    field: str
    label: str
    level: str
    weight: float


class PairOut(Schema):
    id: int
    score: float
    band: str
    status: str
    found_at: datetime
    decided_at: datetime | None
    ikm_a: PairIkm
    ikm_b: PairIkm
    evidence_for: list[Reason]
    evidence_against: list[Reason]


class PairPage(Schema):
    items: list[PairOut]
    next_cursor: str | None = next_cursor_field()


class ComparisonRow(Schema):
    field: str
    label: str
    a: str
    b: str
    differs: bool


class PairDetail(PairOut):
    comparison: list[ComparisonRow]
    can_decide: bool
    merge_id: int | None


class MergeIn(Schema):
    keep: Literal["a", "b"] = "a"
    fields: dict[str, Literal["a", "b"]] = Field(
        default_factory=dict,
        description="Per field yang berbeda (nama kolom, mis. owner_phone, desa_id): nilai A atau B.",
    )
    version_a: int = Field(description="Versi IKM A yang dibaca (ikm_a.version).")
    version_b: int = Field(description="Versi IKM B yang dibaca (ikm_b.version).")


class RejectIn(Schema):
    note: str = Field("", max_length=300)


class MergeChange(Schema):
    field: str
    before: object | None
    after: object | None


class MergeOut(Schema):
    id: int
    pair_id: int | None
    kept_id: int
    merged_id: int
    at: datetime
    undone_at: datetime | None
    moved: int
    changed: list[MergeChange]
    can_undo: bool


def _ikm(ikm) -> dict:
    return {
        "id": ikm.pk,
        "name": ikm.name,
        "owner_name": ikm.owner_name,
        "desa": ikm.desa_id,
        "kecamatan": ikm.kecamatan_id,
        "version": ikm.version,
        "active": ikm.is_active,
    }


def _reasons(rows: list[dict]) -> list[dict]:
    return [
        {"field": r["field"], "label": str(r["label"]), "level": r["level"], "weight": r["weight"]}
        for r in rows
    ]


def _pair_out(pair: CandidatePair) -> dict:
    evidence = selectors.pair_evidence(pair=pair)
    return {
        "id": pair.pk,
        "score": pair.score,
        "band": engine.band(pair.score),
        "status": pair.status,
        "found_at": pair.found_at,
        "decided_at": pair.decided_at,
        "ikm_a": _ikm(pair.ikm_a),
        "ikm_b": _ikm(pair.ikm_b),
        "evidence_for": _reasons(evidence["for"]),
        "evidence_against": _reasons(evidence["against"]),
    }


def _merge_out(request, merge: Merge) -> dict:
    return {
        "id": merge.pk,
        "pair_id": merge.pair_id,
        "kept_id": merge.kept_id,
        "merged_id": merge.merged_id,
        "at": merge.at,
        "undone_at": merge.undone_at,
        "moved": sum(len(entry["pks"]) for entry in merge.moved),
        "changed": selectors.merge_changes(merge=merge, user=personal_viewer(request)),
        "can_undo": can_undo_merge(request.user, merge),
    }


@router.get(
    "/duplikat",
    response=with_errors(401, 422, 429, _200=PairPage),
    summary="Pasangan calon duplikat",
)
def pair_index(
    request,
    kecamatan: str = "",
    status: str = "pending",
    band: str = "likely",
    order: str = "-score",
    cursor: str | None = None,
    limit: int = limit_param(),
):
    """Filters as on the review page: kecamatan, status (pending, merged, rejected), band
    (likely, possible, all) and order (-score, score, -found)."""
    form = PairFilterForm({"kecamatan": kecamatan, "status": status, "band": band, "order": order})
    filters = form.to_filters()
    rows, next_cursor = paged(
        selectors.pair_list(filters=filters),
        selectors.ORDERS.get(filters.order, selectors.ORDERS["-score"]),
        cursor=cursor,
        limit=limit,
    )
    return {"items": [_pair_out(p) for p in rows], "next_cursor": next_cursor}


@router.get(
    "/duplikat/{pair_id}",
    response=with_errors(401, 404, 422, 429, _200=PairDetail),
    summary="Satu pasangan, berdampingan",
)
def pair_show(request, pair_id: int):
    try:
        pair = selectors.pair_detail(pk=pair_id)
    except CandidatePair.DoesNotExist as exc:
        from django.http import Http404

        raise Http404 from exc
    rows = selectors.pair_comparison(pair=pair, user=personal_viewer(request))
    merge = pair.merges.filter(undone_at__isnull=True).first()
    return _pair_out(pair) | {
        "comparison": [
            {
                "field": r["attname"],
                "label": str(r["label"]),
                "a": r["a"],
                "b": r["b"],
                "differs": r["differs"],
            }
            for r in rows
        ],
        "can_decide": services.can_decide(request.user, pair),
        "merge_id": merge.pk if merge else None,
    }


def _pair_for_decision(request, pair_id: int) -> CandidatePair:
    pair = get_object_or_404(CandidatePair.objects.select_related("ikm_a", "ikm_b"), pk=pair_id)
    if not services.can_decide(request.user, pair):
        raise PermissionDenied(_("Anda tidak berwenang memutuskan pasangan ini."))
    return pair


@router.post(
    "/duplikat/{pair_id}/gabung",
    response=with_errors(401, 403, 404, 412, 422, 429, _200=MergeOut),
    summary="Gabungkan pasangan",
)
def pair_merge(request, pair_id: int, payload: MergeIn):
    """Refused with 412 when either IKM changed after the versions sent."""
    with token_write(request):
        pair = _pair_for_decision(request, pair_id)
        form = PairMergeForm(
            {"keep": payload.keep, **{f"f_{k}": v for k, v in payload.fields.items()}},
            fields=selectors.MERGE_FIELDS,
        )
        arguments = form.merge_arguments(pair)
        arguments["versions"] = {pair.ikm_a_id: payload.version_a, pair.ikm_b_id: payload.version_b}
        try:
            merge = services.pair_merge(actor=request.user, pair=pair, **arguments)
        except IkmChanged as exc:
            return problem(
                request, 412, exc.messages[0], ikm_id=exc.current.pk, version=exc.current.version
            )
    return _merge_out(request, merge)


@router.post(
    "/duplikat/{pair_id}/tolak",
    response=with_errors(401, 403, 404, 422, 429, _200=PairOut),
    summary="Tandai bukan duplikat",
)
def pair_reject(request, pair_id: int, payload: RejectIn):
    with token_write(request):
        pair = _pair_for_decision(request, pair_id)
        services.pair_reject(actor=request.user, pair=pair, note=payload.note)
    return _pair_out(selectors.pair_detail(pk=pair_id))


@router.get(
    "/gabungan/{merge_id}",
    response=with_errors(401, 404, 422, 429, _200=MergeOut),
    summary="Satu penggabungan",
)
def merge_show(request, merge_id: int):
    merge = get_object_or_404(
        Merge.objects.select_related("kept", "merged", "actor", "undone_by", "pair"), pk=merge_id
    )
    return _merge_out(request, merge)


@router.post(
    "/gabungan/{merge_id}/batal",
    response=with_errors(401, 403, 404, 422, 429, _200=MergeOut),
    summary="Batalkan penggabungan",
)
def merge_undo(request, merge_id: int):
    with token_write(request):
        merge = get_object_or_404(Merge.objects.select_related("kept", "merged"), pk=merge_id)
        merge = services.merge_undo(actor=request.user, merge=merge)
    return _merge_out(request, merge)
