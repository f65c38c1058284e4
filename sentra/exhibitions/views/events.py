"""Exhibition pages: the list, creating and editing an exhibition (booths, quotas, the
stale-form conflict), and its detail page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.accounts.permissions import (
    can_manage_exhibitions,
    can_see_exhibition_photos,
    require_manage_exhibitions,
)
from sentra.exhibitions import selectors, services
from sentra.exhibitions.forms import (
    ApplicationForm,
    BoothEditFormSet,
    BoothFormSet,
    ExhibitionEditForm,
    ExhibitionForm,
    booth_initial,
    booth_rows,
    quota_formsets,
)
from sentra.exhibitions.models import (
    Exhibition,
    RunKind,
)
from sentra.exhibitions.selection import POINTS
from sentra.exhibitions.views.reports import report_letter
from sentra.exhibitions.views.runs import _run_context
from sentra.letters.printing import issue_context
from sentra.registry import versions


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
            **issue_context(
                request.user,
                kind=report_letter(exhibition)["kind"],
                ref=report_letter(exhibition)["ref"],
                issue_url=reverse("exhibitions:report_pdf_issue", args=[exhibition.pk]),
            ),
        },
    )
