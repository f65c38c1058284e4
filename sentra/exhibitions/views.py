"""Exhibition pages: thin views over the policy, forms, selectors (reads) and services
(writes). The public pages (sign-up, outcome link, certificate check) need no login, are
throttled per address and show no personal data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from sentra.accounts.permissions import (
    can_manage_exhibitions,
    can_see_exhibition_photos,
    require,
    require_manage_exhibitions,
)
from sentra.exhibitions import selectors, services, tasks
from sentra.exhibitions.forms import (
    ApplicationForm,
    BoothEditFormSet,
    BoothFormSet,
    CancelForm,
    ExhibitionEditForm,
    ExhibitionForm,
    InstitutionForm,
    OutcomeForm,
    OverrideForm,
    SignupForm,
    StudentForm,
    StudentRoleForm,
    VerifyForm,
    booth_initial,
    booth_rows,
    quota_formsets,
)
from sentra.exhibitions.models import (
    Application,
    BackgroundRun,
    Exhibition,
    OutcomePhoto,
    RunKind,
    Student,
    StudentIkmLink,
    StudentRole,
)
from sentra.exhibitions.selection import POINTS
from sentra.letters.models import LetterKind
from sentra.letters.selectors import letter_context
from sentra.letters.services import letter_issue
from sentra.lib.tabular import xlsx_response
from sentra.registry import versions

# Per client address: a person filling the form on a phone never needs more.
PUBLIC_POST_RATE = "10/h"
PUBLIC_GET_RATE = "120/h"


def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def exhibition_list(request):
    return render(
        request,
        "exhibitions/list.html",
        {
            "exhibitions": selectors.exhibition_list(),
            "can_manage": can_manage_exhibitions(request.user),
            "young": selectors.young_founders_by_year(),
        },
    )


def _quota_data(quotas: dict) -> dict:
    return {
        "kecamatan_quotas": quotas["kecamatan"].quotas(),
        "subsector_quotas": quotas["subsector"].quotas(),
    }


def exhibition_create(request):
    require_manage_exhibitions(request.user)
    form = ExhibitionForm(request.POST or None)
    booths = BoothFormSet(request.POST or None, prefix="booth")
    quotas = quota_formsets(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and booths.is_valid()
        and all(q.is_valid() for q in quotas.values())
    ):
        data = {k: v for k, v in form.cleaned_data.items() if k != "subsectors"}
        try:
            exhibition = services.exhibition_create(
                actor=request.user,
                data=data | _quota_data(quotas),
                subsectors=form.cleaned_data["subsectors"],
                booths=[b.cleaned_data for b in booths if b.cleaned_data],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("exhibitions:detail", pk=exhibition.pk)
    return render(
        request, "exhibitions/form.html", {"form": form, "booths": booths, "quotas": quotas}
    )


def exhibition_edit(request, pk: int):
    require_manage_exhibitions(request.user)
    exhibition = get_object_or_404(Exhibition, pk=pk)
    form = ExhibitionEditForm(
        request.POST or None,
        instance=Exhibition.objects.get(pk=pk),
        initial={"edit_token": versions.edit_token(exhibition, fields=services.EXHIBITION_FIELDS)},
    )
    booths = BoothEditFormSet(
        request.POST or None,
        prefix="booth",
        initial=None if request.POST else booth_initial(exhibition),
    )
    quotas = quota_formsets(request.POST or None, exhibition=exhibition)
    conflict = None
    if (
        request.method == "POST"
        and form.is_valid()
        and booths.is_valid()
        and all(q.is_valid() for q in quotas.values())
    ):
        data = {
            k: form.cleaned_data[k] for k in services.EXHIBITION_FIELDS if k in form.cleaned_data
        }
        base = versions.read_token(form.cleaned_data["edit_token"], pk=pk, model=Exhibition)
        try:
            services.exhibition_update(
                actor=request.user,
                exhibition=exhibition,
                data=data | _quota_data(quotas),
                subsectors=form.cleaned_data["subsectors"],
                booths=booth_rows(booths),
                # A form without a valid token (an old tab, a forged one) counts as stale.
                version=base.version if base else -1,
            )
        except services.ExhibitionChanged as exc:
            current = exc.current
            changes = (
                versions.changes_since(base, current, fields=services.EXHIBITION_FIELDS)
                if base
                else []
            )
            post = request.POST.copy()
            post["edit_token"] = versions.edit_token(current, fields=services.EXHIBITION_FIELDS)
            form.data = post
            form.add_error(None, exc)
            conflict = {"changes": changes}
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan pameran tersimpan."))
            return redirect("exhibitions:detail", pk=pk)
    return render(
        request,
        "exhibitions/form.html",
        {
            "form": form,
            "booths": booths,
            "quotas": quotas,
            "exhibition": exhibition,
            "conflict": conflict,
        },
    )


def exhibition_detail(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    apps = [
        (a, selectors.reason_texts(a.reasons))
        for a in selectors.applications(exhibition)
        .select_related("outcome")
        .prefetch_related("outcome__photos")
    ]
    can_manage = can_manage_exhibitions(request.user)
    run = exhibition.runs.filter(kind=RunKind.SELECTION).first()
    return render(
        request,
        "exhibitions/detail.html",
        {
            "exhibition": exhibition,
            "booths": exhibition.booths.all(),
            "applications": apps,
            "fairness": selectors.fairness(exhibition),
            "report": selectors.report(exhibition),
            "points": POINTS,
            "can_manage": can_manage,
            "application_form": ApplicationForm(exhibition=exhibition) if can_manage else None,
            "signup_url": request.build_absolute_uri(f"/pameran/{exhibition.pk}/daftar/"),
            "student_roles": exhibition.student_roles.select_related("student__institution"),
            "show_photos": can_see_exhibition_photos(request.user),
            **(_run_context(run) if run is not None else {}),
        },
    )


@require_POST
def application_add(request, pk: int):
    require_manage_exhibitions(request.user)
    exhibition = get_object_or_404(Exhibition, pk=pk)
    form = ApplicationForm(request.POST, exhibition=exhibition)
    if form.is_valid():
        try:
            services.application_create(
                actor=request.user, exhibition=exhibition, **form.cleaned_data
            )
            messages.success(request, _("Pendaftaran dicatat."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("exhibitions:detail", pk=pk)


@require_POST
def selection_run(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    run = services.selection_request(actor=request.user, exhibition=exhibition)
    tasks.run_enqueue(run)
    messages.success(request, _("Seleksi berjalan di latar belakang; hasilnya tampil di sini."))
    return redirect("exhibitions:detail", pk=pk)


# Queued for long: no db_worker is taking tasks (say so instead of a silent wait).
STALE_QUEUE_SECONDS = 20


def _run_context(run: BackgroundRun) -> dict:
    """What the progress bar shows: percent, best so far, seconds left."""
    p = dict(run.progress or {})
    elapsed = float(p.get("elapsed") or 0)
    if run.kind == RunKind.SELECTION:
        limit = float(p.get("limit") or services.SELECTION_TIME_LIMIT)
        percent = min(99, int(100 * elapsed / limit)) if limit else 0
        left: float | None = max(0.0, limit - elapsed)
    else:
        percent = int(p.get("percent") or 0)
        # The rest at the pace so far; unknown until some work is done.
        left = elapsed * (100 - percent) / percent if percent else None
    if not run.running:
        percent = 100
    waited = (timezone.now() - run.created_at).total_seconds()
    return {
        "run": run,
        "run_progress": {**p, "percent": percent, "left": left},
        "worker_missing": run.status == "antre" and waited > STALE_QUEUE_SECONDS,
    }


@require_safe
def run_progress(request, pk: int):
    """htmx partial, polled while a run works; reloads the page once it is done."""
    run = get_object_or_404(BackgroundRun, pk=pk)
    if run.kind == RunKind.STUDENT_MATCH:
        require_manage_exhibitions(request.user)
    response = render(request, "exhibitions/_run_progress.html", _run_context(run))
    if not run.running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _application(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("exhibition", "ikm"), pk=pk)


@require_POST
def application_override(request, pk: int):
    application = _application(pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            run = services.application_override(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
            tasks.run_enqueue(run)
            messages.success(
                request, _("Keputusan petugas dicatat; seleksi disusun ulang di latar belakang.")
            )
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("exhibitions:detail", pk=application.exhibition_id)


@require_POST
def application_cancel(request, pk: int):
    require_manage_exhibitions(request.user)
    application = _application(pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            promoted = services.application_cancel(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Dibatalkan; %(name)s naik dari daftar tunggu.") % {"name": promoted.ikm.name}
                if promoted
                else _("Dibatalkan."),
            )
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Tuliskan alasan pembatalan."))
    return redirect("exhibitions:detail", pk=application.exhibition_id)


@require_POST
def application_attendance(request, pk: int):
    application = _application(pk)
    try:
        services.attendance_record(
            actor=request.user,
            application=application,
            attended=request.POST.get("attended") == "1",
        )
    except ValidationError as exc:
        _error(request, exc)
    return redirect("exhibitions:detail", pk=application.exhibition_id)


@require_POST
def application_verify(request, pk: int):
    application = _application(pk)
    services.application_verify(actor=request.user, application=application)
    return redirect("exhibitions:detail", pk=application.exhibition_id)


def outcome_edit(request, pk: int):
    require_manage_exhibitions(request.user)
    application = _application(pk)
    return _outcome_page(request, application, by_ikm=False)


@login_not_required
@ratelimit(key="ip", rate=PUBLIC_GET_RATE, method="GET", block=True)
@ratelimit(key="ip", rate=PUBLIC_POST_RATE, method="POST", block=True)
def outcome_public(request, token: str):
    application = get_object_or_404(
        Application.objects.select_related("exhibition", "ikm"), outcome_token=token
    )
    return _outcome_page(request, application, by_ikm=True)


def _outcome_page(request, application: Application, *, by_ikm: bool):
    outcome = getattr(application, "outcome", None)
    form = OutcomeForm(request.POST or None, request.FILES or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            services.outcome_record(
                actor=request.user,
                application=application,
                data=data,
                by_ikm=by_ikm,
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Hasil pameran tersimpan. Terima kasih."))
            if by_ikm:
                return redirect("exhibitions:outcome_public", token=application.outcome_token)
            return redirect("exhibitions:detail", pk=application.exhibition_id)
    return render(
        request,
        "exhibitions/outcome.html",
        {
            "form": form,
            "application": application,
            "public": by_ikm,
            "photos": outcome.photos.all() if outcome else [],
        },
    )


def _photo_response(photo: OutcomePhoto) -> FileResponse:
    try:
        f = photo.image.open("rb")
    except OSError:
        raise Http404(_("Berkas foto tidak ditemukan.")) from None
    response = FileResponse(f, content_type=_photo_type(photo.image.name or ""))
    # Behind the session or the IKM's link: no shared cache may keep a copy.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _photo_type(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(suffix, "image/jpeg")


@require_safe
def outcome_photo(request, pk: int):
    require(can_see_exhibition_photos(request.user), "read")
    return _photo_response(get_object_or_404(OutcomePhoto, pk=pk))


@login_not_required
@require_safe
@ratelimit(key="ip", rate=PUBLIC_GET_RATE, block=True)
def outcome_photo_public(request, token: str, pk: int):
    """A photo through the IKM's own link: only the photos of that participant."""
    photo = get_object_or_404(OutcomePhoto, pk=pk, outcome__application__outcome_token=token)
    return _photo_response(photo)


@require_POST
def outcome_photo_delete(request, pk: int):
    require_manage_exhibitions(request.user)
    photo = get_object_or_404(OutcomePhoto.objects.select_related("outcome"), pk=pk)
    application_pk = photo.outcome.application_id
    services.outcome_photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("Foto dihapus."))
    return redirect("exhibitions:outcome_edit", pk=application_pk)


@login_not_required
@ratelimit(key="ip", rate=PUBLIC_GET_RATE, method="GET", block=True)
@ratelimit(key="ip", rate=PUBLIC_POST_RATE, method="POST", block=True)
def signup(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    is_open = exhibition.is_open_on(timezone.localdate())
    form = SignupForm(request.POST or None, exhibition=exhibition)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services.signup_submit(exhibition=exhibition, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "exhibitions/signup_done.html", {"exhibition": exhibition})
    return render(
        request,
        "exhibitions/signup.html",
        {"exhibition": exhibition, "form": form, "is_open": is_open},
    )


@login_not_required
@ratelimit(key="ip", rate=PUBLIC_GET_RATE, block=True)
def verify(request, code: str = ""):
    form = VerifyForm(request.GET or None, initial={"code": code})
    code = code or (form.data.get("code", "") if form.is_bound else "")
    found = selectors.certificate_lookup(code) if code else None
    return render(
        request,
        "exhibitions/verify.html",
        {"form": form, "code": code.upper(), "found": found, "checked": bool(code)},
    )


def participants_pdf(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return _pdf(
        request,
        "exhibitions/participants_pdf.html",
        {
            "exhibition": exhibition,
            "header": selectors.participant_header(),
            "rows": selectors.participant_rows(exhibition=exhibition, user=request.user),
            "booths": exhibition.booths.all(),
            "today": timezone.localdate(),
        },
        f"peserta-pameran-{exhibition.pk}",
    )


def participants_xlsx(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return xlsx_response(
        selectors.participant_header(),
        selectors.participant_rows(exhibition=exhibition, user=request.user),
        filename=f"peserta-pameran-{exhibition.pk}",
    )


def report_pdf(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    subject = _("Laporan pameran %(name)s") % {"name": exhibition.name}
    letter = letter_issue(
        actor=request.user,
        kind=LetterKind.EXHIBITION_REPORT,
        ref=f"exhibition:{exhibition.pk}",
        subject=subject,
    )
    return _pdf(
        request,
        "exhibitions/report_pdf.html",
        {
            **letter_context(letter, subject=subject),
            "exhibition": exhibition,
            "report": selectors.report(exhibition),
            "fairness": selectors.fairness(exhibition),
            "header": selectors.report_header(),
            "rows": selectors.report_rows(exhibition),
            "photos": selectors.report_photos(exhibition),
            "today": timezone.localdate(),
        },
        f"laporan-pameran-{exhibition.pk}",
    )


def report_xlsx(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    return xlsx_response(
        selectors.report_header(),
        selectors.report_rows(exhibition),
        filename=f"laporan-pameran-{exhibition.pk}",
    )


def _certificate(request, *, holder: str, role: str, exhibition, code: str) -> HttpResponse:
    """One certificate layout for exhibitors and students, with its public check URL."""
    return _pdf(
        request,
        "exhibitions/certificate_pdf.html",
        {
            "holder": holder,
            "role": role,
            "exhibition": exhibition,
            "code": code,
            "verify_url": request.build_absolute_uri(
                reverse("exhibitions:verify_code", args=[code])
            ),
        },
        f"sertifikat-{code}",
    )


def certificate_pdf(request, pk: int):
    application = _application(pk)
    if not application.certificate_code:
        raise PermissionDenied(_("Sertifikat hanya untuk peserta yang hadir."))
    return _certificate(
        request,
        holder=application.ikm.name,
        role=_("Peserta pameran, stan %(booth)s") % {"booth": application.booth_number},
        exhibition=application.exhibition,
        code=application.certificate_code,
    )


# --- students ---------------------------------------------------------------------------


def student_list(request):
    can_manage = can_manage_exhibitions(request.user)
    run = BackgroundRun.objects.filter(kind=RunKind.STUDENT_MATCH).first() if can_manage else None
    return render(
        request,
        "exhibitions/student_list.html",
        {
            **(_run_context(run) if run is not None else {}),
            "students": selectors.student_list(),
            "can_manage": can_manage_exhibitions(request.user),
            "proposals": StudentIkmLink.objects.filter(status="usulan").select_related(
                "student", "ikm"
            ),
            "institution_form": InstitutionForm(),
        },
    )


@require_POST
def institution_create(request):
    require_manage_exhibitions(request.user)
    form = InstitutionForm(request.POST)
    if form.is_valid():
        try:
            services.institution_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Lembaga pendidikan ditambahkan."))
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("exhibitions:student_list")


def student_create(request):
    require_manage_exhibitions(request.user)
    form = StudentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
        try:
            student = services.student_create(
                actor=request.user, data=data, consent=form.cleaned_data["consent"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("exhibitions:student_detail", pk=student.pk)
    return render(request, "exhibitions/student_form.html", {"form": form})


def student_detail(request, pk: int):
    student = get_object_or_404(Student.objects.select_related("institution"), pk=pk)
    can_manage = can_manage_exhibitions(request.user)
    if request.method == "POST":
        require_manage_exhibitions(request.user)
        form = StudentRoleForm(request.POST)
        if form.is_valid():
            try:
                services.student_role_add(actor=request.user, student=student, **form.cleaned_data)
            except ValidationError as exc:
                _error(request, exc)
            return redirect("exhibitions:student_detail", pk=pk)
    return render(
        request,
        "exhibitions/student_detail.html",
        {
            "student": student,
            "contact": selectors.student_contact(student=student, user=request.user),
            "roles": student.roles.select_related("exhibition"),
            "links": student.ikm_links.select_related("ikm"),
            "can_manage": can_manage,
            "role_form": StudentRoleForm() if can_manage else None,
        },
    )


@require_POST
def student_links_find(request):
    run = services.student_links_request(actor=request.user)
    tasks.run_enqueue(run)
    messages.success(
        request,
        _(
            "Pencarian mahasiswa di registri berjalan di latar belakang; usulan baru muncul di sini."
        ),
    )
    return redirect("exhibitions:student_list")


@require_POST
def student_link_decide(request, pk: int):
    link = get_object_or_404(StudentIkmLink, pk=pk)
    services.student_link_decide(
        actor=request.user, link=link, confirm=request.POST.get("confirm") == "1"
    )
    return redirect(request.POST.get("next") or "exhibitions:student_list")


def student_certificate_pdf(request, pk: int):
    role = get_object_or_404(
        StudentRole.objects.select_related("student__institution", "exhibition"), pk=pk
    )
    return _certificate(
        request,
        holder=f"{role.student.name} ({role.student.institution.name})",
        role=_("%(role)s, %(hours)s jam") % {"role": role.get_role_display(), "hours": role.hours},
        exhibition=role.exhibition,
        code=role.certificate_code,
    )
