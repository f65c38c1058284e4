"""Exhibition pages: thin views over the policy, forms, selectors (reads) and services
(writes). The public pages (sign-up, outcome link, certificate check) need no login, are
throttled per address and show no personal data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from sentra.accounts.permissions import can_manage_exhibitions, require_manage_exhibitions
from sentra.exhibitions import selectors, services
from sentra.exhibitions.forms import (
    ApplicationForm,
    BoothFormSet,
    CancelForm,
    ExhibitionForm,
    InstitutionForm,
    OutcomeForm,
    OverrideForm,
    SignupForm,
    StudentForm,
    StudentRoleForm,
    VerifyForm,
)
from sentra.exhibitions.models import (
    Application,
    Exhibition,
    Student,
    StudentIkmLink,
    StudentRole,
)
from sentra.exhibitions.selection import POINTS
from sentra.letters.models import LetterKind
from sentra.letters.selectors import letter_context
from sentra.letters.services import letter_issue
from sentra.lib.tabular import xlsx_response

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


def exhibition_create(request):
    require_manage_exhibitions(request.user)
    form = ExhibitionForm(request.POST or None)
    booths = BoothFormSet(request.POST or None, prefix="booth")
    if request.method == "POST" and form.is_valid() and booths.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "subsectors"}
        try:
            exhibition = services.exhibition_create(
                actor=request.user,
                data=data,
                subsectors=form.cleaned_data["subsectors"],
                booths=[b.cleaned_data for b in booths if b.cleaned_data],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("exhibitions:detail", pk=exhibition.pk)
    return render(request, "exhibitions/form.html", {"form": form, "booths": booths})


def exhibition_detail(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    apps = [
        (a, selectors.reason_texts(a.reasons))
        for a in selectors.applications(exhibition).select_related("outcome")
    ]
    can_manage = can_manage_exhibitions(request.user)
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
    try:
        result = services.selection_run(actor=request.user, exhibition=exhibition)
        messages.success(
            request,
            _("Seleksi selesai: %(n)s terpilih, nilai tujuan %(obj)s.")
            % {"n": len(result.picked), "obj": result.objective},
        )
    except ValidationError as exc:
        _error(request, exc)
    return redirect("exhibitions:detail", pk=pk)


def _application(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("exhibition", "ikm"), pk=pk)


@require_POST
def application_override(request, pk: int):
    application = _application(pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.application_override(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Keputusan petugas dicatat; seleksi disusun ulang."))
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
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(
                actor=request.user,
                application=application,
                data=form.cleaned_data,
                by_ikm=by_ikm,
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
        {"form": form, "application": application, "public": by_ikm},
    )


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
    return render(
        request,
        "exhibitions/student_list.html",
        {
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
    from sentra.exhibitions.tasks import student_links_find_task

    require_manage_exhibitions(request.user)
    student_links_find_task.enqueue(user_id=request.user.pk)
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
