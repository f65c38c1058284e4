"""Imports over the API: the upload page's form and service, the job page's reads."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from sentra.accounts.permissions import can_import, can_see_import_job, mask_value, require
from sentra.api.auth import may_see_personal, token_write
from sentra.api.paging import limit_param, next_cursor_field, paged
from sentra.api.problems import require_valid, with_errors
from sentra.imports import services, tasks
from sentra.imports.forms import UploadForm
from sentra.imports.models import ImportJob, JobStatus
from sentra.imports.selectors import (
    import_issue_summary,
    import_issues,
    import_job_list,
    import_personal_columns,
)

router = Router(tags=["Impor"])


class ImportJobOut(Schema):
    id: int
    original_name: str
    kind: str
    data_as_of: date | None
    sheet_name: str
    status: str
    status_label: str
    in_progress: bool
    stale: bool
    percent: int
    processed: int
    total: int
    layout: str
    error: str
    notes: list
    rows_valid: int
    rows_invalid: int
    rows_warning: int
    created_count: int
    updated_count: int
    unchanged_count: int
    created_at: datetime
    committed_at: datetime | None


class ImportJobPage(Schema):
    items: list[ImportJobOut]
    next_cursor: str | None = next_cursor_field()


class IssueOut(Schema):
    id: int
    row: int
    severity: str
    column: str
    value: str
    message: str


class IssueCount(Schema):
    column: str
    n: int
    rows: int


class IssuePage(Schema):
    summary: list[IssueCount]
    items: list[IssueOut]
    next_cursor: str | None = next_cursor_field()
    personal_masked: bool


def _job_out(job: ImportJob) -> dict:
    fields = {name: getattr(job, name) for name in ImportJobOut.model_fields if hasattr(job, name)}
    return fields | {"status_label": str(job.get_status_display())}


def _job_for(request, job_id: int) -> ImportJob:
    """As the job page: importers only, and only the uploader's own jobs (admins all)."""
    require(can_import(request.user), "import")
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "profile"), pk=job_id)
    require(can_see_import_job(request.user, job), "import_job")
    return job


@router.post(
    "/impor",
    response=with_errors(401, 403, 422, 429, _201=ImportJobOut),
    summary="Unggah berkas impor (pemeriksaan dimulai)",
)
def import_upload(
    request,
    file: File[UploadedFile],
    kind: Form[str] = "survei",
    data_as_of: Form[date | None] = None,
    sheet_name: Form[str] = "",
):
    """The file is checked as on the upload page; follow `GET /impor/{id}` for progress."""
    with token_write(request):
        require(can_import(request.user), "import")
        form = UploadForm(
            {"kind": kind, "data_as_of": data_as_of or "", "sheet_name": sheet_name},
            MultiValueDict({"file": [file]}),
        )
        require_valid(form)
        job = services.import_job_create(
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            data_as_of=form.cleaned_data["data_as_of"],
            sheet_name=form.cleaned_data["sheet_name"],
        )
        if job.status == JobStatus.UPLOADED:
            tasks.start_validation(job=job)
    job.refresh_from_db()
    return 201, _job_out(job)


@router.get(
    "/impor", response=with_errors(401, 403, 422, 429, _200=ImportJobPage), summary="Daftar impor"
)
def import_index(request, cursor: str | None = None, limit: int = limit_param()):
    require(can_import(request.user), "import")
    rows, next_cursor = paged(
        import_job_list(user=request.user), ["-created_at", "-id"], cursor=cursor, limit=limit
    )
    return {"items": [_job_out(j) for j in rows], "next_cursor": next_cursor}


@router.get(
    "/impor/{job_id}",
    response=with_errors(401, 403, 404, 422, 429, _200=ImportJobOut),
    summary="Status impor dan kemajuannya",
)
def import_status(request, job_id: int):
    return _job_out(_job_for(request, job_id))


@router.get(
    "/impor/{job_id}/baris",
    response=with_errors(401, 403, 404, 422, 429, _200=IssuePage),
    summary="Laporan baris: masalah per baris dan kolom",
)
def import_rows(
    request,
    job_id: int,
    cursor: str | None = None,
    limit: int = limit_param(100),
):
    """The cells of the file's personal columns (NIK, HP, e-mail, tanggal lahir) are
    masked unless the token has the `personal` scope."""
    job = _job_for(request, job_id)
    rows, next_cursor = paged(import_issues(job=job), ["row", "id"], cursor=cursor, limit=limit)
    shown = may_see_personal(request)
    personal = {} if shown else import_personal_columns(job=job)
    items = [
        {
            "id": i.pk,
            "row": i.row,
            "severity": i.severity,
            "column": i.column,
            "value": mask_value(personal[i.column], i.value) if i.column in personal else i.value,
            "message": i.message,
        }
        for i in rows
    ]
    if not shown and not job.mapping and any(i["value"] for i in items):
        # No mapping known, so no column can be told personal: show no cell at all.
        for item in items:
            item["value"] = "•••" if item["value"] else ""
    summary = [dict(r) for r in import_issue_summary(job=job)[:30]] if not cursor else []
    return {
        "summary": summary,
        "items": items,
        "next_cursor": next_cursor,
        "personal_masked": not shown,
    }
