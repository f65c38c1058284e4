"""Review queue pages. Thin: parse, call one selector or service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.permissions import can_create, can_undo_merge
from sentra.lib.worker import worker_state
from sentra.linkage import engine, selectors, services
from sentra.linkage.forms import PairFilterForm, PairMergeForm
from sentra.linkage.models import CandidatePair, DedupeRun, Merge, PairStatus
from sentra.linkage.tasks import dedupe_start
from sentra.registry import versions
from sentra.registry.services import IkmChanged

PAGE_SIZE = 50


def _run_context() -> dict:
    run = selectors.latest_run()
    running = run is not None and run.status in (DedupeRun.Status.QUEUED, DedupeRun.Status.RUNNING)
    progress, records = (
        selectors.dedupe_run_progress(run=run) if running and run is not None else (None, None)
    )
    return {
        "run": run,
        "progress": progress,
        "run_records": records,
        "worker": worker_state(
            queued_since=run.created_at if run.status == DedupeRun.Status.QUEUED else None
        )
        if run is not None and running
        else "",
    }


def pair_list(request):
    form = PairFilterForm(request.GET or None)
    qs = selectors.pair_list(filters=form.to_filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        pair.reasons = selectors.pair_evidence(pair=pair)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "linkage/pair_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            **_run_context(),
            "can_run": can_create(request.user),
        },
    )


@require_POST
def run_start(request):
    # Anyone who may write to the registry may start a pass; it only proposes pairs.
    if not can_create(request.user):
        raise PermissionDenied(_("Peran Anda tidak berwenang menjalankan pemeriksaan duplikat."))
    if dedupe_start(actor=request.user):
        messages.success(request, _("Pemeriksaan duplikat dimulai."))
    else:
        messages.info(request, _("Pemeriksaan duplikat sedang berjalan."))
    return redirect("linkage:pair_list")


def run_status(request):
    """htmx partial, polled while a pass runs."""
    return render(request, "linkage/_run_status.html", _run_context())


def pair_detail(request, pk: int):
    try:
        pair = selectors.pair_detail(pk=pk)
    except CandidatePair.DoesNotExist as exc:
        raise Http404 from exc
    rows = selectors.pair_comparison(pair=pair, user=request.user)
    evidence = selectors.pair_evidence(pair=pair)
    return render(
        request,
        "linkage/pair_detail.html",
        {
            "pair": pair,
            "rows": rows,
            "differing": [r for r in rows if r["differs"]],
            "evidence_tables": [
                (_("Bukti bahwa keduanya satu IKM"), evidence["for"], "evidence-for"),
                (_("Bukti bahwa keduanya berbeda"), evidence["against"], "evidence-against"),
            ],
            "band": engine.band(pair.score),
            "can_decide": pair.status == PairStatus.PENDING
            and pair.ikm_a.is_active
            and pair.ikm_b.is_active
            and services.can_decide(request.user, pair),
            "merge": pair.merges.filter(undone_at__isnull=True).first(),
            # The versions the reviewer's choices are made on (no merge over a newer edit).
            "token_a": versions.edit_token(pair.ikm_a),
            "token_b": versions.edit_token(pair.ikm_b),
        },
    )


@require_POST
def pair_merge(request, pk: int):
    pair = get_object_or_404(CandidatePair.objects.select_related("ikm_a", "ikm_b"), pk=pk)
    if not services.can_decide(request.user, pair):
        raise PermissionDenied(_("Anda tidak berwenang menggabungkan pasangan ini."))
    form = PairMergeForm(request.POST, fields=selectors.MERGE_FIELDS)
    try:
        merge = services.pair_merge(actor=request.user, pair=pair, **form.merge_arguments(pair))
    except IkmChanged as exc:
        messages.error(request, exc.messages[0])
        base = form.bases(pair)[exc.current.pk]
        for change in versions.changes_since(base, exc.current) if base else []:
            messages.warning(
                request,
                _("IKM #%(pk)s, %(field)s: %(before)s → %(now)s")
                % {
                    "pk": exc.current.pk,
                    "field": change.label,
                    "before": change.before if change.before not in (None, "") else "–",
                    "now": change.now if change.now not in (None, "") else "–",
                },
            )
        return redirect("linkage:pair_detail", pk=pair.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("linkage:pair_detail", pk=pair.pk)
    messages.success(request, _("IKM digabung. Penggabungan dapat dibatalkan di halaman ini."))
    return redirect("linkage:merge_detail", pk=merge.pk)


@require_POST
def pair_reject(request, pk: int):
    pair = get_object_or_404(CandidatePair.objects.select_related("ikm_a", "ikm_b"), pk=pk)
    if not services.can_decide(request.user, pair):
        raise PermissionDenied(_("Anda tidak berwenang memutuskan pasangan ini."))
    try:
        services.pair_reject(actor=request.user, pair=pair, note=request.POST.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("linkage:pair_detail", pk=pair.pk)
    messages.success(request, _("Ditandai bukan duplikat; pasangan ini tidak akan diusulkan lagi."))
    return redirect("linkage:pair_list")


def merge_detail(request, pk: int):
    merge = get_object_or_404(
        Merge.objects.select_related("kept", "merged", "actor", "undone_by", "pair"), pk=pk
    )
    changed = selectors.merge_changes(merge=merge, user=request.user)
    moved = sum(len(entry["pks"]) for entry in merge.moved)
    can_undo = can_undo_merge(request.user, merge)
    return render(
        request,
        "linkage/merge_detail.html",
        {"merge": merge, "changed": changed, "moved": moved, "can_undo": can_undo},
    )


@require_POST
def merge_undo(request, pk: int):
    merge = get_object_or_404(Merge.objects.select_related("kept", "merged"), pk=pk)
    try:
        services.merge_undo(actor=request.user, merge=merge)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("linkage:merge_detail", pk=merge.pk)
    messages.success(request, _("Penggabungan dibatalkan; kedua IKM kembali seperti semula."))
    return redirect("linkage:merge_detail", pk=merge.pk)
