"""Applications: entered by an officer, signed up by the public (no login, throttled),
verified; the selection run, officers' overrides and cancellations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from sentra.accounts.permissions import (
    require_manage_exhibitions,
)
from sentra.exhibitions import services, tasks
from sentra.exhibitions.forms import (
    ApplicationForm,
    CancelForm,
    OverrideForm,
    SignupForm,
)
from sentra.exhibitions.models import (
    Exhibition,
)
from sentra.exhibitions.views._common import (
    PUBLIC_GET_RATE,
    PUBLIC_POST_RATE,
    _application,
    _error,
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
def application_verify(request, pk: int):
    application = _application(pk)
    services.application_verify(actor=request.user, application=application)
    return redirect("exhibitions:detail", pk=application.exhibition_id)


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


@require_POST
def selection_run(request, pk: int):
    exhibition = get_object_or_404(Exhibition, pk=pk)
    run = services.selection_request(actor=request.user, exhibition=exhibition)
    tasks.run_enqueue(run)
    messages.success(request, _("Seleksi berjalan di latar belakang; hasilnya tampil di sini."))
    return redirect("exhibitions:detail", pk=pk)


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
