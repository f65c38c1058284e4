from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sentra.accounts.permissions import can_open_attendance_run, require
from sentra.coaching import selectors, services, tasks
from sentra.coaching.forms import (
    ActivityForm,
    AttendanceUploadForm,
    CategoryForm,
    ParticipantsForm,
    ProgrammeForm,
)
from sentra.coaching.models import Activity, AttendanceRun, Category, Programme
from sentra.imports.readers.base import FileRejected
from sentra.lib.cache import cached
from sentra.lib.tabular import xlsx_response
from sentra.lib.worker import worker_state
from sentra.registry.forms import SuggestForm
from sentra.registry.selectors import ikm_suggestions


def _picker(request, data) -> dict:
    """The participant picker's state (typed words, ticked IKM) from GET or POST."""
    q, chosen = SuggestForm(data).values()
    picked, found = ikm_suggestions(q=q, viewer=request.user, chosen=chosen)
    return {"suggest_q": q, "suggest_picked": picked, "suggest_found": found}


def _since(request) -> int | None:
    value = request.GET.get("sejak", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def overview(request):
    since = _since(request)
    return render(
        request,
        "coaching/overview.html",
        {
            # Aggregates over every IKM: cached until the data change (sentra.lib.cache).
            "matrix": cached(
                f"coverage:{since}", lambda: selectors.coverage_matrix(since_year=since)
            ),
            "since": since,
            "categories": cached("coaching-categories", selectors.category_summary),
            "candidates": cached(
                f"candidates:{timezone.localdate()}", selectors.candidate_subsectors
            ),
            "weights": selectors.SCORE_WEIGHTS,
            "upcoming": selectors.upcoming_activities(),
            "can_manage": services.can_manage_coaching(request.user),
            "years": range(timezone.localdate().year, 2018, -1),
        },
    )


def coverage_xlsx(request):
    matrix = selectors.coverage_matrix(since_year=_since(request))
    header = ["kode_subsektor", "subsektor", "kategori_dinas"]
    for k in matrix.kecamatan:
        header += [f"ikm_{k.name}", f"dibina_{k.name}"]
    header += ["ikm_kota", "dibina_kota", "persen_dibina"]
    rows = []
    for r in matrix.rows:
        row = [
            r.subsector.code if r.subsector else "",
            r.subsector.name if r.subsector else "Bukan ekraf",
            "; ".join(c.name for c in r.categories),
        ]
        for k in matrix.kecamatan:
            row += [r.cells[k.code].n, r.cells[k.code].coached]
        share = r.total.share
        row += [r.total.n, r.total.coached, round(share * 100, 1) if share is not None else None]
        rows.append(row)
    return xlsx_response(header, rows, filename=f"cakupan-pembinaan-{timezone.localdate():%Y%m%d}")


def category_list(request):
    return render(
        request,
        "coaching/category_list.html",
        {
            "categories": Category.objects.select_related("subsector"),
            "can_manage": services.can_manage_coaching(request.user),
        },
    )


def _require_manage(request) -> None:
    require(services.can_manage_coaching(request.user), "coaching")


def category_form(request, pk: int | None = None):
    _require_manage(request)
    category = get_object_or_404(Category, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if category:
                services.category_update(actor=request.user, category=category, data=data)
            else:
                services.category_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kategori tersimpan."))
            return redirect("coaching:category_list")
    return render(request, "coaching/form.html", {"form": form, "title": _("Kategori pembinaan")})


def programme_list_view(request):
    year = request.GET.get("tahun", "")
    programmes = selectors.programme_list(
        year=int(year) if year.isdigit() else None, category=request.GET.get("kategori", "")
    )
    return render(
        request,
        "coaching/programme_list.html",
        {
            "programmes": programmes,
            "categories": Category.objects.all(),
            "can_manage": services.can_manage_coaching(request.user),
        },
    )


def programme_form(request, pk: int | None = None):
    _require_manage(request)
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if programme:
                programme = services.programme_update(
                    actor=request.user, programme=programme, data=data
                )
            else:
                programme = services.programme_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Program tersimpan."))
            return redirect("coaching:programme_detail", pk=programme.pk)
    return render(request, "coaching/form.html", {"form": form, "title": _("Program pembinaan")})


def programme_detail(request, pk: int):
    programme = get_object_or_404(Programme.objects.select_related("category__subsector"), pk=pk)
    return render(
        request,
        "coaching/programme_detail.html",
        {
            "programme": programme,
            "activities": selectors.activity_list(programme=programme),
            "can_manage": services.can_manage_coaching(request.user),
        },
    )


def activity_form(request, pk: int | None = None, programme_pk: int | None = None):
    _require_manage(request)
    activity = get_object_or_404(Activity, pk=pk) if pk else None
    programme = activity.programme if activity else get_object_or_404(Programme, pk=programme_pk)
    form = ActivityForm(request.POST or None, instance=activity)
    participants = ParticipantsForm(request.POST or None) if not activity else None
    searching = bool(request.POST.get("cari"))  # "Cari" without JavaScript: no save yet
    if request.method == "POST" and not searching and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        ids: list[int] | None = []
        if participants is not None and request.POST.getlist("ikm_ids"):
            ids = participants.cleaned_data["ikm_ids"] if participants.is_valid() else None
        if ids is not None:
            try:
                if activity:
                    activity = services.activity_update(
                        actor=request.user, activity=activity, data=data
                    )
                else:
                    activity = services.activity_create(
                        actor=request.user,
                        data={**data, "programme": programme},
                        participant_ids=ids,
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Kegiatan tersimpan."))
                return redirect("coaching:activity_detail", pk=activity.pk)
    return render(
        request,
        "coaching/form.html",
        {
            "form": form,
            "extra_form": participants,
            "title": _("Kegiatan: %(p)s") % {"p": programme},
            **(_picker(request, request.POST) if participants is not None else {}),
        },
    )


def activity_detail(request, pk: int):
    activity = get_object_or_404(
        Activity.objects.select_related("programme__category__subsector"), pk=pk
    )
    return render(
        request,
        "coaching/activity_detail.html",
        {
            "activity": activity,
            "participants": selectors.activity_participants(activity),
            "form": ParticipantsForm(),
            "attendance_form": AttendanceUploadForm(),
            "can_manage": services.can_manage_coaching(request.user),
            **_picker(request, request.GET),
        },
    )


@require_POST
def participants_add(request, pk: int):
    _require_manage(request)
    activity = get_object_or_404(Activity, pk=pk)
    if request.POST.get("cari"):  # "Cari" without JavaScript: show the matches
        query = QueryDict(mutable=True)
        query["ikm_q"] = request.POST.get("ikm_q", "")
        query.setlist("ikm_ids", request.POST.getlist("ikm_ids"))
        url = reverse("coaching:activity_detail", args=[pk])
        return redirect(f"{url}?{query.urlencode()}#ikm-choices")
    form = ParticipantsForm(request.POST)
    if form.is_valid():
        try:
            added = services.activity_add_participants(
                actor=request.user, activity=activity, ikm_ids=form.cleaned_data["ikm_ids"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s peserta ditambahkan.") % {"n": added})
    else:
        messages.error(request, " ".join(str(e) for e in form.errors["ikm_ids"]))
    return redirect("coaching:activity_detail", pk=pk)


def attendance_upload(request, pk: int):
    """A daftar hadir uploaded and read (a refused file is said at once, on the form);
    the rows are matched to the registry in the background and the run's page follows."""
    _require_manage(request)
    activity = get_object_or_404(Activity.objects.select_related("programme"), pk=pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.attendance_run_create(
                actor=request.user, activity=activity, upload=form.cleaned_data["file"]
            )
        except FileRejected as exc:
            form.add_error("file", str(exc))
        else:
            tasks.attendance_run_start(run=run)
            return redirect("coaching:attendance_run", pk=run.pk)
    return render(
        request,
        "coaching/attendance_upload.html",
        {"activity": activity, "attendance_form": form},
    )


def _attendance_run(request, pk: int) -> AttendanceRun:
    _require_manage(request)
    run = get_object_or_404(AttendanceRun.objects.select_related("activity__programme"), pk=pk)
    require(can_open_attendance_run(request.user, run), "attendance_run")
    return run


def _attendance_progress(run: AttendanceRun) -> dict:
    return {
        "run": run,
        "progress": selectors.attendance_run_progress(run=run),
        "worker": worker_state(
            queued_since=run.created_at if run.status == AttendanceRun.Status.QUEUED else None
        )
        if run.running
        else "",
    }


@require_safe
def attendance_run(request, pk: int):
    """The run's page: its progress while the engine works (polled), then the rows to
    confirm, each with the IKM proposed (ticked when the engine is sure) and the rows
    not found; the form posts the ticked IKM to `participants_add`."""
    run = _attendance_run(request, pk)
    activity = run.activity
    if run.status == AttendanceRun.Status.DONE:
        return render(
            request,
            "coaching/attendance_confirm.html",
            {
                "activity": activity,
                "result": selectors.attendance_run_review(run=run, viewer=request.user),
                "file_name": run.file_name,
            },
        )
    return render(
        request,
        "coaching/attendance_run.html",
        {
            "activity": activity,
            "attendance_form": AttendanceUploadForm(),
            **_attendance_progress(run),
        },
    )


@require_safe
def attendance_run_status(request, pk: int):
    """htmx partial, polled while the run works; reloads the page once it is done."""
    run = _attendance_run(request, pk)
    response = render(request, "coaching/_attendance_progress.html", _attendance_progress(run))
    if not run.running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def participant_remove(request, pk: int, ikm_id: int):
    _require_manage(request)
    activity = get_object_or_404(Activity, pk=pk)
    try:
        services.activity_remove_participant(actor=request.user, activity=activity, ikm_id=ikm_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Peserta dihapus dari kegiatan."))
    return redirect("coaching:activity_detail", pk=pk)
