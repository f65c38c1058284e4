"""Students: the list with the youth follow-up's proposals, institutions, a student's
page and roles, the search in the registry and its decisions, role certificates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sentra.accounts.permissions import (
    can_manage_exhibitions,
    require_manage_exhibitions,
)
from sentra.exhibitions import selectors, services, tasks
from sentra.exhibitions.forms import (
    InstitutionForm,
    StudentForm,
    StudentRoleForm,
)
from sentra.exhibitions.models import (
    BackgroundRun,
    RunKind,
    Student,
    StudentIkmLink,
    StudentRole,
)
from sentra.exhibitions.views._common import (
    _certificate,
    _error,
)
from sentra.exhibitions.views.runs import _run_context


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


@require_safe
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
