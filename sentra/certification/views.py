"""Certification pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sentra.accounts.permissions import (
    can_accept_plan,
    can_cancel_trip,
    can_issue_letter,
    next_url,
    require,
    rule_text,
)
from sentra.areas.models import Area
from sentra.certification import charts, selectors, services, tasks
from sentra.certification.forms import AcceptForm, BatchFilterForm, CandidateForm, PlannerForm
from sentra.certification.models import (
    Assessor,
    Batch,
    DraftStatus,
    PlanDraft,
    Scheme,
    Trip,
    TripStatus,
    Tuk,
)
from sentra.certification.planner import Plan
from sentra.letters.models import LetterKind
from sentra.letters.printing import issue_context, letter_pdf
from sentra.letters.selectors import LetterDocument, letters_found
from sentra.letters.services import letter_issue
from sentra.lib.progress import Progress
from sentra.lib.tabular import xlsx_response
from sentra.lib.worker import worker_state
from sentra.registry.selectors import ikm_suggestions

TRIPS_SHOWN = 120


def _require_planner(request) -> None:
    require(services.can_plan(request.user), "plan")


def progress(request):
    figures, fresh = tasks.progress_current(today=timezone.localdate())
    return render(
        request,
        "certification/progress.html",
        {
            **figures,
            "fresh": fresh,
            "drafts": PlanDraft.objects.select_related("created_by")[:5],
            "can_plan": services.can_plan(request.user),
            **_issue_context(request, _progress_letter(timezone.localdate()), "progress_pdf_issue"),
        },
    )


def _issue_context(request, letter: LetterDocument, route: str, *args) -> dict:
    return issue_context(
        request.user,
        kind=letter["kind"],
        ref=letter["ref"],
        issue_url=reverse(f"certification:{route}", args=args),
    )


def _progress_letter(today: date) -> LetterDocument:
    """Which document the day's certification report is, for its letter."""
    return {
        "kind": LetterKind.CERT_PROGRESS,
        "ref": f"cert-progress:{today.isoformat()}",
        "subject": _("Laporan capaian sertifikasi kompetensi IKM"),
    }


@require_safe
def progress_pdf(request):
    """The certification page as a letter: kop, Nomor (or the draft mark), Perihal, a
    chart above each table (server-side SVG) and the signature block; the page's
    figures (the snapshot)."""
    from django.conf import settings

    today = timezone.localdate()
    figures, fresh = tasks.progress_current(today=today)
    return letter_pdf(
        request,
        **_progress_letter(today),
        template="certification/progress_pdf.html",
        context={
            **figures,
            "fresh": fresh,
            "charts": charts.progress_charts(figures),
            "office_name": settings.SENTRA_OFFICE_NAME,
            "generated": timezone.localtime(),
        },
        filename=f"capaian-sertifikasi-{today:%Y%m%d}.pdf",
    )


@require_POST
def progress_pdf_issue(request):
    """Give the day's report its Nomor (audited by the service), then print it."""
    letter = _progress_letter(timezone.localdate())
    require(can_issue_letter(request.user, letter["kind"]), "letter")
    letter_issue(actor=request.user, **letter)
    return redirect("certification:progress_pdf")


def candidate_create(request):
    """Tambah asesi: the IKM found by name (the registry autocomplete), the scheme, the
    person and their readiness; written and audited by `services.candidate_create`."""
    _require_planner(request)
    form = CandidateForm(request.POST or None, user=request.user)
    data = request.POST if request.method == "POST" else request.GET
    searching = bool(request.POST.get("cari"))  # "Cari" without JavaScript: no save yet
    if request.method == "POST" and not searching and form.is_valid():
        c = form.cleaned_data
        try:
            candidate = services.candidate_create(
                actor=request.user,
                ikm=c["ikm"],
                scheme=c["scheme"],
                name=c["name"],
                role=c["role"],
                coaching_finished_on=c["coaching_finished_on"],
                documents_complete=c["documents_complete"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Asesi %(name)s tersimpan.") % {"name": candidate.name})
            return redirect("certification:progress")
    q = str(data.get("ikm_q", ""))[:100]
    chosen = [int(v) for v in data.getlist("ikm") if str(v).isdigit()]
    picked, found = ikm_suggestions(q=q, viewer=request.user, chosen=chosen)
    return render(
        request,
        "certification/candidate_form.html",
        {"form": form, "suggest_q": q, "suggest_picked": picked, "suggest_found": found},
    )


def planner(request):
    form = PlannerForm(request.POST or None)
    if request.method == "POST":
        _require_planner(request)
        if form.is_valid():
            try:
                draft = services.plan_draft_request(actor=request.user, params=form.to_params())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                tasks.plan_draft_enqueue(draft)
                return redirect("certification:draft_detail", pk=draft.pk)
    return render(
        request,
        "certification/planner.html",
        {
            "form": form,
            "can_plan": services.can_plan(request.user),
            "drafts": PlanDraft.objects.select_related("created_by", "accepted_by")[:20],
        },
    )


def _plan_rows(plan: Plan) -> list[dict]:
    assessors = dict(Assessor.objects.values_list("id", "name"))
    tuks = dict(Tuk.objects.values_list("id", "name"))
    schemes = dict(Scheme.objects.values_list("id", "name"))
    groups = {b.group for t in plan.trips[:TRIPS_SHOWN] for b in t.batches}
    areas = dict(Area.objects.filter(code__in=groups).values_list("code", "name"))
    rows = []
    for t in plan.trips[:TRIPS_SHOWN]:
        rows.append(
            {
                "assessor": assessors.get(t.assessor_id, "?"),
                "tuk": tuks.get(t.tuk_id, "?"),
                "start": t.start,
                "end": t.end,
                "cost": t.cost,
                "batches": [
                    {
                        "scheme": schemes.get(b.scheme_id, "?"),
                        "group": areas.get(b.group, b.group),
                        "start": b.start,
                        "end": b.end,
                        "n": len(b.candidate_ids),
                        "capacity": b.capacity,
                    }
                    for b in t.batches
                ],
            }
        )
    return rows


def _progress_context(draft: PlanDraft) -> dict:
    running = draft.status in (DraftStatus.QUEUED, DraftStatus.RUNNING)
    p = dict(draft.progress or {})
    limit = float(p.get("limit") or draft.params.get("time_limit") or 1)
    elapsed = float(p.get("elapsed") or 0)
    p["left"] = max(0.0, limit - elapsed)
    p["percent"] = min(99, int(100 * elapsed / limit)) if running else 100
    p["step_no"] = int(p.get("step") or 0) + 1
    p.setdefault("steps", 5)
    for key in ("trips", "bound", "scheduled", "total"):
        p.setdefault(key, None)
    queued = draft.created_at if draft.status == DraftStatus.QUEUED else None
    return {
        "draft": draft,
        "running": running,
        "progress": p,
        # The solver stops at its time limit: the time left is known from the start.
        "bar": Progress(
            done=None, total=None, percent=p["percent"], left=p["left"] if running else None
        ),
        # Queued for long: no db_worker is taking tasks (say so instead of a silent wait).
        "worker": worker_state(queued_since=queued) if running else "",
    }


def draft_progress(request, pk: int):
    """htmx partial, polled while the planner runs; reloads the page when it is done."""
    draft = get_object_or_404(PlanDraft, pk=pk)
    response = render(request, "certification/_draft_progress.html", _progress_context(draft))
    if draft.status == DraftStatus.DONE and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def draft_detail(request, pk: int):
    draft = get_object_or_404(PlanDraft.objects.select_related("created_by", "accepted_by"), pk=pk)
    if draft.status != DraftStatus.DONE:
        return render(
            request,
            "certification/draft_detail.html",
            {**_progress_context(draft), "can_plan": services.can_plan(request.user)},
        )
    plan = Plan.from_json(draft.plan)
    whatifs = [
        {
            **w,
            "finish": date.fromisoformat(w["finish"]) if w["finish"] else None,
            "gap_pct": None if w["gap"] is None else 100 * w["gap"],
        }
        for w in draft.whatifs
    ]
    return render(
        request,
        "certification/draft_detail.html",
        {
            "draft": draft,
            "plan": plan,
            "gap_pct": 100 * plan.gap,
            "params": draft.params,
            "priority_kecamatan": Area.objects.filter(code=draft.params.get("priority_kecamatan"))
            .values_list("name", flat=True)
            .first(),
            "whatifs": whatifs,
            "rows": _plan_rows(plan),
            "more": max(0, plan.n_trips - TRIPS_SHOWN),
            "accept_form": AcceptForm(),
            "can_plan": services.can_plan(request.user),
            "can_accept_plan": can_accept_plan(request.user),
            "rule_accept_plan": rule_text("accept_plan"),
        },
    )


@require_POST
def draft_accept(request, pk: int):
    require(can_accept_plan(request.user), "accept_plan")
    draft = get_object_or_404(PlanDraft, pk=pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggal tidak valid."))
        return redirect("certification:draft_detail", pk=pk)
    try:
        batches = services.plan_draft_accept(
            actor=request.user, draft=draft, until=form.cleaned_data.get("until")
        )
    except ValidationError as exc:
        for msg in exc.messages[:10]:
            messages.error(request, msg)
        return redirect("certification:draft_detail", pk=pk)
    messages.success(request, _("%(n)s batch dibuat dari rencana.") % {"n": len(batches)})
    return redirect("certification:batch_list")


def batch_list(request):
    form = BatchFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else None
    page = Paginator(selectors.batch_list(status=status), 50).get_page(request.GET.get("page"))
    # Each row's invitation: its number when issued, else the button (one query).
    issued = letters_found(
        kind=LetterKind.CERT_INVITATION, refs=[_batch_letter(b)["ref"] for b in page]
    )
    for b in page:
        b.letter = issued.get(_batch_letter(b)["ref"])
    return render(
        request,
        "certification/batch_list.html",
        {
            "form": form,
            "page": page,
            "can_issue": can_issue_letter(request.user, LetterKind.CERT_INVITATION),
        },
    )


def _batch(pk: int) -> Batch:
    return get_object_or_404(
        Batch.objects.select_related("scheme", "tuk", "trip__assessor").prefetch_related(
            "assessors"
        ),
        pk=pk,
    )


def batch_detail(request, pk: int):
    batch = _batch(pk)
    return render(
        request,
        "certification/batch_detail.html",
        {
            "batch": batch,
            "header": selectors.BATCH_CANDIDATE_HEADER,
            "rows": selectors.batch_candidate_rows(batch=batch),
            "can_plan": services.can_plan(request.user),
            "can_cancel_trip": can_cancel_trip(request.user),
            "rule_cancel_trip": rule_text("cancel_trip"),
            "trip_open": batch.trip is not None
            and batch.trip.status in (TripStatus.PLANNED, TripStatus.CONFIRMED),
            **_issue_context(request, _batch_letter(batch), "batch_pdf_issue", batch.pk),
        },
    )


def _batch_letter(batch: Batch) -> LetterDocument:
    """Which document a batch's invitation is, for its letter."""
    return {
        "kind": LetterKind.CERT_INVITATION,
        "ref": f"batch:{batch.pk}",
        "subject": _("Undangan uji kompetensi %(scheme)s, batch %(code)s")
        % {"scheme": batch.scheme.name, "code": batch.code},
    }


@require_safe
def batch_pdf(request, pk: int):
    batch = _batch(pk)
    return letter_pdf(
        request,
        **_batch_letter(batch),
        template="certification/batch_invitation_pdf.html",
        context={
            "batch": batch,
            "header": selectors.BATCH_CANDIDATE_HEADER,
            "rows": selectors.batch_candidate_rows(batch=batch),
            "units": batch.scheme.units.all(),
            "today": timezone.localdate(),
        },
        filename=f"undangan-{batch.code}.pdf",
    )


@require_POST
def batch_pdf_issue(request, pk: int):
    """Give the batch's invitation its Nomor (audited by the service), then print it."""
    batch = _batch(pk)
    letter = _batch_letter(batch)
    require(can_issue_letter(request.user, letter["kind"]), "letter")
    letter_issue(actor=request.user, **letter)
    return redirect("certification:batch_pdf", pk=batch.pk)


def batch_xlsx(request, pk: int):
    batch = _batch(pk)
    return xlsx_response(
        selectors.BATCH_CANDIDATE_HEADER,
        selectors.batch_candidate_rows(batch=batch),
        filename=f"peserta-{batch.code}",
    )


@require_POST
def trip_action(request, pk: int, action: str):
    if action == "cancel":
        require(can_cancel_trip(request.user), "cancel_trip")
    else:
        _require_planner(request)
    trip = get_object_or_404(Trip, pk=pk)
    try:
        if action == "cancel":
            services.trip_cancel(
                actor=request.user, trip=trip, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _(
                    "Perjalanan dibatalkan; pesertanya bisa direncanakan ulang di halaman perencana."
                ),
            )
        else:
            services.trip_confirm(actor=request.user, trip=trip)
            messages.success(request, _("Perjalanan dan batch-nya dikonfirmasi."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(next_url(request, "certification:batch_list"))


@require_POST
def sync_coaching(request):
    _require_planner(request)
    n = services.candidates_sync_coaching(actor=request.user)
    messages.success(
        request,
        _("%(n)s asesi mendapat tanggal selesai pembinaan dari data pembinaan.") % {"n": n},
    )
    return redirect("certification:progress")
