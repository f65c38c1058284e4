"""After the exhibition: attendance, outcomes (by an officer or by the IKM through its
link), their photos, the participant's certificate and the public certificate check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from sentra.accounts.permissions import (
    can_see_exhibition_photos,
    require,
    require_manage_exhibitions,
)
from sentra.exhibitions import selectors, services
from sentra.exhibitions.forms import (
    OutcomeForm,
    VerifyForm,
)
from sentra.exhibitions.models import (
    Application,
    OutcomePhoto,
)
from sentra.exhibitions.views._common import (
    PUBLIC_GET_RATE,
    PUBLIC_POST_RATE,
    _application,
    _certificate,
    _error,
)


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


@require_safe
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
