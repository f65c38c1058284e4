from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.permissions import (
    can_create,
    can_edit_in,
    can_see_personal,
    editable_kecamatan_codes,
    mask,
    require_edit_in,
)
from sentra.audit.services import audit_entries_for
from sentra.lib import duplicates, formats, listing
from sentra.lib.phone import phone_display
from sentra.lib.tabular import csv_response, xlsx_response
from sentra.registry import exchange, services, timeline, versions
from sentra.registry.forms import IkmCloseForm, IkmFilterForm, IkmForm, SuggestForm
from sentra.registry.models import Ikm
from sentra.registry.selectors import (
    EXPORT_LABELS,
    EXPORT_MONEY,
    ikm_detail,
    ikm_export_header,
    ikm_export_readable_rows,
    ikm_export_rows,
    ikm_list,
    ikm_page,
    ikm_suggestions,
)

PAGE_SIZE = 50
# Columns whose header sorts the list (ascending keys of selectors.SORTS).
SORTABLE_COLUMNS = ("name", "desa", "workers", "started")
EXPORT_LIMIT = 200_000


def ikm_list_view(request):
    form = IkmFilterForm(request.GET or None)
    filters = form.to_filters()
    qs = ikm_list(filters=filters, viewer=request.user)
    export = request.GET.get("format")
    if export in exchange.LAYOUTS:
        rows = exchange.export_rows(qs[:EXPORT_LIMIT], layout=export, user=request.user)
        name = f"ikm-{export}-{timezone.localdate():%Y%m%d}"
        return csv_response(exchange.export_header(export), rows, filename=name)
    if export in ("xlsx", "csv"):
        rows = ikm_export_rows(qs[:EXPORT_LIMIT], user=request.user)
        name = f"ikm-{timezone.localdate():%Y%m%d}"
        if export == "xlsx":
            # For people: labels, a title block, rupiah formats; the import reads it back.
            header = ikm_export_header()
            when = formats.date(timezone.localtime())
            return xlsx_response(
                [EXPORT_LABELS[h] for h in header],
                ikm_export_readable_rows(rows),
                filename=name,
                title=[
                    f"{settings.SENTRA_OFFICE_NAME} — Daftar IKM",
                    f"Saringan: {form.describe() or 'semua IKM aktif'}",
                    f"Diunduh {when} oleh {request.user.get_username()}",
                ],
                money={i for i, h in enumerate(header) if h in EXPORT_MONEY},
                widths=[min(max(len(EXPORT_LABELS[h]) + 4, 12), 36) for h in header],
            )
        return csv_response(ikm_export_header(), rows, filename=name)
    page = ikm_page(qs, filters=filters, page=request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "pager": listing.pager(page, query),
        "sort": listing.sort_headers(query, current=filters.sort, keys=SORTABLE_COLUMNS),
        "can_create": can_create(request.user),
    }
    template = "registry/_ikm_table.html" if request.htmx else "registry/ikm_list.html"
    return render(request, template, context)


def ikm_suggest(request):
    """htmx: IKM by name for a participant picker; the ones already ticked stay ticked."""
    form = SuggestForm(request.GET)
    q, chosen = form.values()
    picked, found = ikm_suggestions(q=q, viewer=request.user, chosen=chosen)
    return render(
        request,
        "registry/_ikm_suggest.html",
        {"picked": picked, "found": found, "q": q, "field": form.field_name()},
    )


def desa_options(request):
    """htmx: the desa choices of the chosen kecamatan, for the list filter."""
    form = IkmFilterForm(request.GET)
    return render(request, "registry/_desa_options.html", {"field": form["desa"]})


def _personal(request, ikm: Ikm) -> dict:
    shown = mask(request.user, ikm)
    masked = not can_see_personal(request.user, ikm.kecamatan_id)
    return {
        "nik": shown["owner_nik"],
        "phone": shown["owner_phone"] if masked else phone_display(shown["owner_phone"]),
        "email": shown["owner_email"],
        "birth_date": None if masked else shown["owner_birth_date"],  # masked: row left out
        "masked": masked,
    }


def ikm_detail_view(request, pk: int):
    try:
        ikm = ikm_detail(pk=pk)
    except Ikm.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "registry/ikm_detail.html",
        {
            "ikm": ikm,
            "personal": _personal(request, ikm),
            "can_edit": can_edit_in(request.user, ikm.kecamatan_id) and not ikm.merged_into_id,
            "events": timeline.events_for(ikm, viewer=request.user),
            "sources": ikm.sources.all(),
        },
    )


def ikm_create_view(request):
    if not can_create(request.user):
        raise PermissionDenied(_("Peran Anda tidak berwenang menambah IKM."))
    form = IkmForm(request.POST or None, editable_kecamatan=editable_kecamatan_codes(request.user))
    twins: list[dict] = []
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # Entered twice by hand: warn before saving; "save anyway" confirms.
        if not request.POST.get("confirm_duplicate"):
            twins = duplicates.find(record=data)
        if twins:
            return render(
                request, "registry/ikm_form.html", {"form": form, "ikm": None, "twins": twins}
            )
        try:
            ikm = services.ikm_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("IKM %(name)s tersimpan.") % {"name": ikm.name})
            return redirect("registry:ikm_detail", pk=ikm.pk)
    return render(request, "registry/ikm_form.html", {"form": form, "ikm": None})


def ikm_edit_view(request, pk: int):
    ikm = get_object_or_404(Ikm, pk=pk)
    require_edit_in(request.user, ikm.kecamatan_id)
    if ikm.merged_into_id:
        messages.error(request, _("IKM ini sudah digabung ke IKM lain dan hanya dapat dibaca."))
        return redirect("registry:ikm_detail", pk=ikm.pk)
    # The form edits its own copy; the service re-reads the row under a lock.
    form = IkmForm(
        request.POST or None,
        instance=Ikm.objects.get(pk=pk),
        initial={"edit_token": versions.edit_token(ikm)},
        editable_kecamatan=editable_kecamatan_codes(request.user),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        base = versions.read_token(form.cleaned_data["edit_token"], pk=ikm.pk)
        try:
            services.ikm_update(
                actor=request.user,
                ikm=ikm,
                data=data,
                # A form without a valid token (an old tab, a forged one) counts as stale.
                version=base.version if base else -1,
            )
        except services.IkmChanged as exc:
            conflict = _conflict(request, form, base, exc.current)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("registry:ikm_detail", pk=ikm.pk)
    return render(
        request, "registry/ikm_form.html", {"form": form, "ikm": ikm, "conflict": conflict}
    )


def _conflict(
    request: HttpRequest, form: IkmForm, base: versions.EditBase | None, current: Ikm
) -> dict[str, Any]:
    """What the other person changed, field by field, beside what this user typed; the
    form keeps the user's values and now carries the current version, so saving again
    re-applies them knowingly."""
    changes = versions.changes_since(base, current) if base else []
    data = request.POST.copy()
    data["edit_token"] = versions.edit_token(current)
    form.data = data
    form.add_error(None, services.IkmChanged(current))
    last = audit_entries_for(current).order_by("-at").first()
    return {
        "changes": [
            {"change": c, "mine": versions.plain(form.cleaned_data.get(c.name))} for c in changes
        ],
        "by": last.actor if last else None,
        "at": last.at if last else None,
    }


def ikm_close_view(request, pk: int):
    ikm = get_object_or_404(Ikm, pk=pk)
    require_edit_in(request.user, ikm.kecamatan_id)
    form = IkmCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.ikm_close(
                actor=request.user,
                ikm=ikm,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("IKM ditandai tutup."))
            return redirect("registry:ikm_detail", pk=ikm.pk)
    return render(request, "registry/ikm_close.html", {"form": form, "ikm": ikm})


@require_POST
def ikm_reopen_view(request, pk: int):
    ikm = get_object_or_404(Ikm, pk=pk)
    try:
        services.ikm_reopen(actor=request.user, ikm=ikm)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("IKM dibuka kembali."))
    return redirect("registry:ikm_detail", pk=ikm.pk)


def kbli_lookup(request):
    """htmx: the title of the typed KBLI code, under the form field."""
    from sentra.sectors.models import Kbli

    code = request.GET.get("kbli", "").strip()
    kbli = Kbli.objects.filter(code=code, level="kelompok").first() if code else None
    return render(request, "registry/_kbli_hint.html", {"kbli": kbli, "code": code})
