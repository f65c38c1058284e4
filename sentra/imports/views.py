from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.permissions import allowed, can_import, can_see_import_job, require
from sentra.imports import services, tasks
from sentra.imports.forms import MappingForm, UploadForm
from sentra.imports.header_guess import guess_mapping
from sentra.imports.layouts import LAYOUT_LABELS
from sentra.imports.models import ImportJob, JobStatus
from sentra.imports.readers.base import FileRejected
from sentra.imports.report import report_table
from sentra.imports.selectors import (
    import_issue_summary,
    import_issues,
    import_job_list,
    import_job_progress,
)
from sentra.lib.tabular import xlsx_response
from sentra.lib.worker import worker_state

ISSUES_PER_PAGE = 100


def _job_for(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "profile"), pk=pk)
    require(can_see_import_job(request.user, job), "import_job")
    return job


@allowed(can_import, "import")
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            data_as_of=form.cleaned_data["data_as_of"],
            sheet_name=form.cleaned_data["sheet_name"],
        )
        if job.status == JobStatus.UPLOADED:
            tasks.start_validation(job=job)
        return redirect("imports:job_detail", pk=job.pk)
    jobs = import_job_list(user=request.user)[:20]
    return render(request, "imports/upload.html", {"form": form, "jobs": jobs})


def _progress_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "progress": import_job_progress(job=job) if job.in_progress else None,
        "worker": worker_state(
            queued_since=job.created_at if job.status == JobStatus.UPLOADED else None
        )
        if job.in_progress
        else "",
    }


@allowed(can_import, "import")
def job_detail(request, pk: int):
    job = _job_for(request, pk)
    page = Paginator(import_issues(job=job), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **_progress_context(job),
        "issues": page,
        "summary": import_issue_summary(job=job)[:30],
        "layout_label": LAYOUT_LABELS.get(job.layout, ""),
    }
    return render(request, "imports/job_detail.html", context)


@allowed(can_import, "import")
def job_progress(request, pk: int):
    """htmx polling target; when the work is done the page reloads to show the result."""
    job = _job_for(request, pk)
    response = render(request, "imports/_progress.html", _progress_context(job))
    if not job.in_progress:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@allowed(can_import, "import")
def job_commit(request, pk: int):
    job = _job_for(request, pk)
    try:
        tasks.request_commit(job=job, actor=request.user)
    except services.CommitAborted as exc:
        messages.error(request, str(exc))
    return redirect("imports:job_detail", pk=job.pk)


@require_POST
@allowed(can_import, "import")
def job_restart(request, pk: int):
    """Start again a job whose worker went silent (see ImportJob.stale)."""
    job = _job_for(request, pk)
    if not job.stale:
        messages.error(request, _("Impor ini masih berjalan."))
    elif job.status == JobStatus.COMMITTING:
        tasks.request_commit(job=job, actor=request.user)
    else:
        tasks.start_validation(job=job)
    return redirect("imports:job_detail", pk=job.pk)


@allowed(can_import, "import")
def job_mapping(request, pk: int):
    job = _job_for(request, pk)
    if not job.header or job.status in (JobStatus.COMMITTED, JobStatus.COMMITTING):
        raise Http404
    initial = job.mapping or guess_mapping(job.header)
    form = MappingForm(request.POST or None, header=job.header, initial_mapping=initial)
    if request.method == "POST" and form.is_valid():
        services.import_job_set_mapping(
            job=job,
            actor=request.user,
            mapping=form.mapping(),
            profile_name=form.cleaned_data["profile_name"],
        )
        tasks.start_validation(job=job)
        return redirect("imports:job_detail", pk=job.pk)
    return render(request, "imports/job_mapping.html", {"job": job, "form": form})


@allowed(can_import, "import")
def job_report(request, pk: int):
    job = _job_for(request, pk)
    if not job.file or job.status == JobStatus.REJECTED:
        raise Http404
    only_errors = request.GET.get("baris") == "bermasalah"
    try:
        header, rows = report_table(job=job, only_errors=only_errors)
    except FileRejected as exc:
        messages.error(request, str(exc))
        return redirect("imports:job_detail", pk=job.pk)
    name = f"laporan-impor-{job.pk}" + ("-bermasalah" if only_errors else "")
    return xlsx_response(header, rows, filename=name)
