"""Writes to certification records. Each service validates everything first, writes inside
one transaction and leaves an audit entry: a bad input never half-writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sentra.accounts.permissions import (
    can_accept_plan,
    can_cancel_trip,
    can_manage_candidate,
    can_plan,
    require_actor,
)
from sentra.audit.services import audit_log, diff, snapshot
from sentra.certification.models import (
    OPEN_STATUSES,
    Assessor,
    AvailabilityWindow,
    Batch,
    BatchStatus,
    Candidate,
    CompetencyUnit,
    Enrollment,
    Lsp,
    Outcome,
    Result,
    Scheme,
    Trip,
    TripStatus,
    Tuk,
)

__all__ = ["can_plan"]  # the views ask services.can_plan; the policy decides


def _require_planner(actor) -> None:
    require_actor(actor, can_plan, action="plan")


def _fmt(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def working_days(start: date, end: date) -> list[date]:
    """Monday–Friday between start and end inclusive (public holidays are not modelled)."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- reference records --------------------------------------------------------------


@transaction.atomic
def lsp_create(*, actor, name: str, city: str, licence_number: str) -> Lsp:
    _require_planner(actor)
    lsp = Lsp(name=name, city=city, licence_number=licence_number)
    lsp.full_clean()
    lsp.save()
    audit_log(
        actor=actor,
        obj=lsp,
        action="create",
        changes=diff({}, snapshot(lsp, ["name", "city", "licence_number"])),
    )
    return lsp


@transaction.atomic
def scheme_create(
    *,
    actor,
    code: str,
    name: str,
    role: str,
    lsp: Lsp | None = None,
    validity_years: int = 3,
    units: Sequence[tuple[str, str]] = (),
) -> Scheme:
    """A scheme with its competency units (code, title) in order."""
    _require_planner(actor)
    scheme = Scheme(code=code, name=name, role=role, lsp=lsp, validity_years=validity_years)
    scheme.full_clean()
    codes = [c for c, _ in units]
    if len(set(codes)) != len(codes):
        raise ValidationError({"units": "Kode unit kompetensi tidak boleh ganda."})
    scheme.save()
    CompetencyUnit.objects.bulk_create(
        CompetencyUnit(scheme=scheme, code=c, title=t, order=i) for i, (c, t) in enumerate(units)
    )
    audit_log(
        actor=actor,
        obj=scheme,
        action="create",
        changes={
            **diff({}, snapshot(scheme, ["code", "name", "role", "validity_years"])),
            "units": [None, codes],
        },
    )
    return scheme


@transaction.atomic
def assessor_create(
    *,
    actor,
    lsp: Lsp,
    name: str,
    home_city: str,
    schemes: Iterable[Scheme],
    candidates_per_day: int = 10,
    local: bool = False,
    registration_number: str = "",
) -> Assessor:
    _require_planner(actor)
    schemes = list(schemes)
    if not schemes:
        raise ValidationError({"schemes": "Asesor harus memiliki minimal satu skema."})
    if not 1 <= candidates_per_day <= 50:
        raise ValidationError({"candidates_per_day": "Peserta per hari harus 1–50."})
    assessor = Assessor(
        lsp=lsp,
        name=name,
        home_city=home_city,
        candidates_per_day=candidates_per_day,
        local=local,
        registration_number=registration_number,
    )
    assessor.full_clean()
    assessor.save()
    assessor.schemes.set(schemes)
    audit_log(
        actor=actor,
        obj=assessor,
        action="create",
        changes={
            **diff({}, snapshot(assessor, ["name", "home_city", "candidates_per_day", "local"])),
            "schemes": [None, [s.name for s in schemes]],
        },
    )
    return assessor


def _window_errors(assessor: Assessor, start: date, end: date, *, exclude_pk=None) -> list[str]:
    errors = []
    if end < start:
        errors.append("Tanggal akhir jendela ketersediaan sebelum tanggal mulainya.")
    clash = (
        AvailabilityWindow.objects.filter(assessor=assessor, start__lte=end, end__gte=start)
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash:
        errors.append(
            f"Jendela ketersediaan {_fmt(start)} s.d. {_fmt(end)} bertumpang tindih dengan "
            f"jendela {_fmt(clash.start)} s.d. {_fmt(clash.end)} milik {assessor.name}."
        )
    return errors


@transaction.atomic
def assessor_windows_add(
    *, actor, assessor: Assessor, windows: Sequence[tuple[date, date]], note: str = ""
) -> list[AvailabilityWindow]:
    """Add availability windows; all or none (overlaps among them or with stored ones fail)."""
    _require_planner(actor)
    errors: list[str] = []
    ordered = sorted(windows)
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 <= e1:
            errors.append(
                f"Jendela {_fmt(s1)} s.d. {_fmt(e1)} dan {_fmt(s2)} s.d. {_fmt(e2)} "
                "bertumpang tindih."
            )
    for start, end in ordered:
        errors += _window_errors(assessor, start, end)
    if errors:
        raise ValidationError(errors)
    created = AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(assessor=assessor, start=s, end=e, note=note) for s, e in ordered
    )
    audit_log(
        actor=actor,
        obj=assessor,
        action="windows_add",
        changes={"windows": [None, [f"{_fmt(s)}–{_fmt(e)}" for s, e in ordered]]},
    )
    return created


@transaction.atomic
def tuk_create(*, actor, name: str, place: str, capacity: int, city: str = "Denpasar") -> Tuk:
    _require_planner(actor)
    if capacity < 1:
        raise ValidationError({"capacity": "Kapasitas TUK minimal 1 kursi."})
    tuk = Tuk(name=name, place=place, capacity=capacity, city=city)
    tuk.full_clean()
    tuk.save()
    audit_log(
        actor=actor,
        obj=tuk,
        action="create",
        changes=diff({}, snapshot(tuk, ["name", "place", "city", "capacity"])),
    )
    return tuk


# --- candidates ----------------------------------------------------------------------

CANDIDATE_FIELDS = ["ikm", "scheme", "name", "role", "coaching_finished_on", "documents_complete"]


@transaction.atomic
def candidate_create(
    *,
    actor,
    ikm,
    scheme: Scheme,
    name: str,
    role: str,
    coaching_finished_on: date | None = None,
    documents_complete: bool = False,
) -> Candidate:
    _require_planner(actor)
    require_actor(actor, can_manage_candidate, ikm.kecamatan_id, action="candidate")
    candidate = Candidate(
        ikm=ikm,
        scheme=scheme,
        name=name,
        role=role,
        coaching_finished_on=coaching_finished_on,
        documents_complete=documents_complete,
    )
    errors = {}
    if scheme.role != role:
        errors["scheme"] = (
            f"Skema {scheme.name} untuk peran {scheme.get_role_display()}, "
            f"bukan {candidate.get_role_display()}."
        )
    if ikm.closed_on:
        errors["ikm"] = f"IKM {ikm.name} sudah tutup."
    if coaching_finished_on and coaching_finished_on > timezone.localdate():
        errors["coaching_finished_on"] = "Tanggal selesai pembinaan tidak boleh di masa depan."
    if Candidate.objects.filter(ikm=ikm, scheme=scheme).exists():
        errors["scheme"] = f"IKM {ikm.name} sudah punya asesi untuk skema {scheme.name}."
    if errors:
        raise ValidationError(errors)
    candidate.full_clean()
    candidate.save()
    audit_log(
        actor=actor,
        obj=candidate,
        action="create",
        changes=diff({}, snapshot(candidate, CANDIDATE_FIELDS)),
    )
    return candidate


@transaction.atomic
def candidate_set_readiness(
    *, actor, candidate: Candidate, coaching_finished_on: date | None, documents_complete: bool
) -> Candidate:
    _require_planner(actor)
    candidate = Candidate.objects.select_for_update().select_related("ikm").get(pk=candidate.pk)
    require_actor(actor, can_manage_candidate, candidate.ikm.kecamatan_id, action="candidate")
    if coaching_finished_on and coaching_finished_on > timezone.localdate():
        raise ValidationError(
            {"coaching_finished_on": "Tanggal selesai pembinaan tidak boleh di masa depan."}
        )
    before = snapshot(candidate, CANDIDATE_FIELDS)
    candidate.coaching_finished_on = coaching_finished_on
    candidate.documents_complete = documents_complete
    candidate.save(update_fields=["coaching_finished_on", "documents_complete"])
    audit_log(
        actor=actor,
        obj=candidate,
        action="readiness",
        changes=diff(before, snapshot(candidate, CANDIDATE_FIELDS)),
    )
    return candidate


# --- batches --------------------------------------------------------------------------


def _seats_per_day(batch_capacity: int, days: int) -> int:
    return -(-batch_capacity // max(days, 1))


def batch_errors(
    *,
    scheme: Scheme,
    tuk: Tuk,
    assessors: Sequence[Assessor],
    start_date: date,
    end_date: date,
    capacity: int,
    candidates: Sequence[Candidate],
    today: date,
    allow_past: bool = False,
    exclude_pk: int | None = None,
) -> list[str]:
    """Every reason this batch cannot be held, in Indonesian; empty when it can."""
    errors: list[str] = []
    if end_date < start_date:
        return ["Tanggal selesai batch sebelum tanggal mulainya."]
    if start_date < today and not allow_past:
        errors.append(
            f"Tanggal batch {_fmt(start_date)} sudah lewat; pilih tanggal mulai hari ini atau sesudahnya."
        )
    days = working_days(start_date, end_date)
    if not days:
        errors.append("Batch harus mencakup minimal satu hari kerja (Senin–Jumat).")
        return errors
    if not assessors:
        errors.append("Pilih minimal satu asesor.")
    if capacity < 1:
        errors.append("Kapasitas batch minimal 1 peserta.")
    if len(candidates) > capacity:
        errors.append(f"Jumlah peserta ({len(candidates)}) melebihi kapasitas batch ({capacity}).")
    assessor_capacity = sum(a.candidates_per_day for a in assessors) * len(days)
    if assessors and capacity > assessor_capacity:
        errors.append(
            f"Kapasitas batch ({capacity}) melebihi kemampuan asesor "
            f"({assessor_capacity} peserta dalam {len(days)} hari)."
        )
    for assessor in assessors:
        if not assessor.schemes.filter(pk=scheme.pk).exists():
            errors.append(f"Asesor {assessor.name} tidak memiliki skema {scheme.name}.")
        windows = list(assessor.windows.filter(start__lte=end_date, end__gte=start_date))
        missing = [d for d in days if not any(w.start <= d <= w.end for w in windows)]
        if missing and not allow_past:
            errors.append(
                f"Asesor {assessor.name} tidak tersedia pada {', '.join(_fmt(d) for d in missing[:3])}"
                + (" dan lainnya." if len(missing) > 3 else ".")
            )
        busy = (
            Batch.objects.filter(
                assessors=assessor,
                status__in=OPEN_STATUSES,
                start_date__lte=end_date,
                end_date__gte=start_date,
            )
            .exclude(pk=exclude_pk)
            .first()
        )
        if busy:
            errors.append(
                f"Asesor {assessor.name} sudah bertugas di batch {busy.code} pada tanggal itu."
            )
    # TUK seats: every open batch reserves ceil(capacity / its working days) seats a day.
    seats = _seats_per_day(capacity, len(days))
    if seats > tuk.capacity:
        errors.append(
            f"Batch butuh {seats} kursi per hari, kapasitas TUK {tuk.name} hanya {tuk.capacity}."
        )
    else:
        others = list(
            Batch.objects.filter(
                tuk=tuk,
                status__in=OPEN_STATUSES,
                start_date__lte=end_date,
                end_date__gte=start_date,
            )
            .exclude(pk=exclude_pk)
            .values_list("start_date", "end_date", "capacity")
        )
        for day in days:
            used = sum(
                _seats_per_day(cap, len(working_days(s, e)))
                for s, e, cap in others
                if s <= day <= e
            )
            if used + seats > tuk.capacity:
                errors.append(
                    f"TUK {tuk.name} penuh pada {_fmt(day)}: {used} kursi sudah dipakai, "
                    f"kapasitas {tuk.capacity}."
                )
                break
    certified_ids = set(
        Outcome.objects.filter(
            candidate__in=candidates, result=Result.COMPETENT, expires_on__gte=start_date
        ).values_list("candidate_id", flat=True)
    )
    enrolled = dict(
        Enrollment.objects.filter(candidate__in=candidates, batch__status__in=OPEN_STATUSES)
        .exclude(batch_id=exclude_pk)
        .values_list("candidate_id", "batch__code")
    )
    for c in candidates:
        if c.scheme_id != scheme.pk:
            errors.append(f"{c.name} ({c.ikm.name}) terdaftar untuk skema lain.")
        elif not c.prerequisites_met:
            errors.append(
                f"{c.name} ({c.ikm.name}) belum siap: pembinaan atau dokumen belum lengkap."
            )
        elif c.ready_on and c.ready_on > start_date:
            errors.append(f"{c.name} ({c.ikm.name}) baru siap pada {_fmt(c.ready_on)}.")
        if c.pk in certified_ids:
            errors.append(f"{c.name} ({c.ikm.name}) masih memegang sertifikat yang berlaku.")
        if c.pk in enrolled:
            errors.append(f"{c.name} ({c.ikm.name}) sudah terdaftar di batch {enrolled[c.pk]}.")
    return errors


def _next_code(start_date: date) -> str:
    prefix = f"B{start_date:%Y%m%d}-"
    taken = set(Batch.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def batch_create(
    *,
    actor,
    scheme: Scheme,
    tuk: Tuk,
    assessors: Sequence[Assessor],
    start_date: date,
    end_date: date,
    capacity: int,
    candidates: Sequence[Candidate] = (),
    trip: Trip | None = None,
    status: str = BatchStatus.PLANNED,
    allow_past: bool = False,
    audit: bool = True,
) -> Batch:
    """Schedule an assessment batch. `allow_past` is only for recording history."""
    _require_planner(actor)
    candidates = list(candidates)
    errors = batch_errors(
        scheme=scheme,
        tuk=tuk,
        assessors=assessors,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        candidates=candidates,
        today=timezone.localdate(),
        allow_past=allow_past,
    )
    if errors:
        raise ValidationError(errors)
    batch = Batch.objects.create(
        code=_next_code(start_date),
        scheme=scheme,
        tuk=tuk,
        trip=trip,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        status=status,
    )
    batch.assessors.set(assessors)
    Enrollment.objects.bulk_create(Enrollment(batch=batch, candidate=c) for c in candidates)
    if audit:
        audit_log(
            actor=actor,
            obj=batch,
            action="create",
            changes={
                **diff(
                    {},
                    snapshot(
                        batch, ["scheme", "tuk", "start_date", "end_date", "capacity", "status"]
                    ),
                ),
                "assessors": [None, [a.name for a in assessors]],
                "candidates": [None, len(candidates)],
            },
        )
    return batch


@transaction.atomic
def batch_set_status(*, actor, batch: Batch, status: str) -> Batch:
    _require_planner(actor)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    allowed = {
        BatchStatus.PLANNED: {BatchStatus.CONFIRMED, BatchStatus.CANCELLED},
        BatchStatus.CONFIRMED: {BatchStatus.DONE, BatchStatus.CANCELLED, BatchStatus.PLANNED},
        BatchStatus.DONE: set(),
        BatchStatus.CANCELLED: set(),
    }
    if status not in allowed[batch.status]:
        raise ValidationError(
            f"Status batch {batch.code} tidak bisa diubah dari "
            f"{batch.get_status_display().lower()} ke {BatchStatus(status).label.lower()}."
        )
    before = snapshot(batch, ["status"])
    batch.status = status
    batch.save(update_fields=["status"])
    audit_log(
        actor=actor, obj=batch, action="status", changes=diff(before, snapshot(batch, ["status"]))
    )
    return batch


@transaction.atomic
def trip_cancel(*, actor, trip: Trip, reason: str = "") -> Trip:
    """Cancel a trip and its open batches; their candidates become plannable again."""
    require_actor(actor, can_cancel_trip, action="cancel_trip")
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status not in OPEN_STATUSES:
        raise ValidationError(
            f"Perjalanan {trip} tidak bisa dibatalkan (status {trip.get_status_display().lower()})."
        )
    before = snapshot(trip, ["status"])
    trip.status = TripStatus.CANCELLED
    trip.save(update_fields=["status"])
    for batch in trip.batches.filter(status__in=OPEN_STATUSES):
        batch_set_status(actor=actor, batch=batch, status=BatchStatus.CANCELLED)
    audit_log(
        actor=actor,
        obj=trip,
        action="cancel",
        changes=diff(before, snapshot(trip, ["status"])),
        note=reason,
    )
    return trip


@transaction.atomic
def trip_confirm(*, actor, trip: Trip) -> Trip:
    _require_planner(actor)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status != TripStatus.PLANNED:
        raise ValidationError("Hanya perjalanan berstatus direncanakan yang bisa dikonfirmasi.")
    trip.status = TripStatus.CONFIRMED
    trip.save(update_fields=["status"])
    for batch in trip.batches.filter(status=BatchStatus.PLANNED):
        batch_set_status(actor=actor, batch=batch, status=BatchStatus.CONFIRMED)
    audit_log(actor=actor, obj=trip, action="status", changes={"status": ["planned", "confirmed"]})
    return trip


# --- outcomes -------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *,
    actor,
    candidate: Candidate,
    result: str,
    assessed_on: date,
    batch: Batch | None = None,
    certificate_number: str = "",
    issued_on: date | None = None,
    note: str = "",
) -> Outcome:
    """Record a result. Kompeten needs a certificate number; it expires after the scheme's
    validity. A belum-kompeten candidate stays a candidate and can be planned again."""
    _require_planner(actor)
    errors: dict[str, str] = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = "Tanggal asesmen tidak boleh di masa depan."
    if (
        batch is not None
        and not Enrollment.objects.filter(batch=batch, candidate=candidate).exists()
    ):
        errors["batch"] = f"{candidate.name} bukan peserta batch {batch.code}."
    expires_on = None
    if result == Result.COMPETENT:
        if not certificate_number.strip():
            errors["certificate_number"] = "Hasil kompeten wajib diisi nomor sertifikatnya."
        issued_on = issued_on or assessed_on
        if issued_on < assessed_on:
            errors["issued_on"] = "Tanggal terbit sertifikat tidak boleh sebelum tanggal asesmen."
        expires_on = add_years(issued_on, candidate.scheme.validity_years)
        if (
            certificate_number
            and Outcome.objects.filter(certificate_number=certificate_number.strip()).exists()
        ):
            errors["certificate_number"] = f"Nomor sertifikat {certificate_number} sudah dipakai."
    elif result == Result.NOT_YET:
        certificate_number, issued_on = "", None
    else:
        errors["result"] = "Hasil harus kompeten atau belum kompeten."
    if errors:
        raise ValidationError(errors)
    outcome = Outcome.objects.create(
        candidate=candidate,
        batch=batch,
        ikm_id=candidate.ikm_id,
        role=candidate.role,
        result=result,
        assessed_on=assessed_on,
        certificate_number=certificate_number.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        note=note,
    )
    audit_log(
        actor=actor,
        obj=outcome,
        action="create",
        changes=diff(
            {},
            snapshot(
                outcome, ["result", "assessed_on", "certificate_number", "issued_on", "expires_on"]
            ),
        ),
    )
    return outcome


def plannable_candidates_q(*, on: date) -> Q:
    """Candidates the planner may schedule: prerequisites met, no valid certificate on
    `on`, not in an open batch. A belum-kompeten result leaves the candidate plannable."""
    # Correlated NOT EXISTS, not NOT IN: SQLite plans NOT IN over a big id list badly.
    certified = Outcome.objects.filter(
        candidate=OuterRef("pk"), result=Result.COMPETENT, expires_on__gte=on
    )
    enrolled = Enrollment.objects.filter(candidate=OuterRef("pk"), batch__status__in=OPEN_STATUSES)
    coached = Q(coaching_finished_on__isnull=False) | Q(scheme__requires_coaching=False)
    return (
        coached
        & Q(documents_complete=True, ikm__closed_on__isnull=True, scheme__active=True)
        & ~Q(Exists(certified))
        & ~Q(Exists(enrolled))
    )


@transaction.atomic
def plan_accept(*, actor, plan: Any) -> list[Batch]:
    """Create the Trip and Batch rows of a plan, all or nothing, one audit entry each.

    The plan was feasible when it was made; everything is checked again against the
    database as it is now (someone may have enrolled a candidate or booked an assessor
    since), in a handful of set-based queries, so that accepting 400 batches stays fast.
    """
    from sentra.audit.models import AuditEntry
    from sentra.audit.services import audit_log_many

    require_actor(actor, can_accept_plan, action="accept_plan")
    if not plan.trips:
        raise ValidationError("Rencana tidak berisi perjalanan; tidak ada yang disimpan.")
    today = timezone.localdate()
    errors: list[str] = []
    first = min(t.start for t in plan.trips)
    last = max(t.end for t in plan.trips)
    assessors = {
        a.pk: a
        for a in Assessor.objects.filter(
            pk__in={t.assessor_id for t in plan.trips}
        ).prefetch_related("schemes", "windows")
    }
    tuks = {t.pk: t for t in Tuk.objects.filter(pk__in={t.tuk_id for t in plan.trips})}
    schemes = {s.pk: s for s in Scheme.objects.all()}
    wanted = [cid for t in plan.trips for b in t.batches for cid in b.candidate_ids]
    if len(set(wanted)) != len(wanted):
        errors.append("Ada asesi yang terjadwal dua kali dalam rencana.")
    # All plannable candidates, intersected here: no IN list of thousands of ids.
    wanted_set = set(wanted)
    ready = {
        pk: coached
        for pk, coached in Candidate.objects.filter(plannable_candidates_q(on=first)).values_list(
            "pk", "coaching_finished_on"
        )
        if pk in wanted_set
    }
    gone = len(set(wanted) - set(ready))
    if gone:
        errors.append(
            f"{gone} asesi dalam rencana sudah tidak bisa dijadwalkan (sudah masuk batch lain, "
            "sudah bersertifikat, atau tidak lagi siap); susun ulang rencana."
        )
    # Assessors already booked, and TUK seats already taken, in the plan's date range.
    booked = defaultdict(list)
    seats_used: dict[tuple[int, date], int] = defaultdict(int)
    for b in Batch.objects.filter(
        status__in=OPEN_STATUSES, start_date__lte=last, end_date__gte=first
    ).prefetch_related("assessors"):
        days = working_days(b.start_date, b.end_date)
        for a in b.assessors.all():
            booked[a.pk].append((b.start_date, b.end_date, b.code))
        for day in days:
            seats_used[(b.tuk_id, day)] += _seats_per_day(b.capacity, len(days))
    for t in plan.trips:
        assessor, tuk = assessors.get(t.assessor_id), tuks.get(t.tuk_id)
        if assessor is None or tuk is None:
            errors.append("Asesor atau TUK dalam rencana sudah tidak ada; susun ulang rencana.")
            continue
        label = f"Perjalanan {assessor.name} {_fmt(t.start)}"
        if t.start < today:
            errors.append(f"{label}: tanggalnya sudah lewat; susun ulang rencana.")
        held = {s.pk for s in assessor.schemes.all()}
        windows = list(assessor.windows.all())
        for s0, e0, code in booked[assessor.pk]:
            if s0 <= t.end and e0 >= t.start:
                errors.append(f"{label}: asesor sudah bertugas di batch {code}.")
        for b in t.batches:
            days = working_days(b.start, b.end)
            if b.scheme_id not in held:
                errors.append(f"{label}: asesor tidak memiliki skema {schemes[b.scheme_id].name}.")
            if not all(any(w.start <= d <= w.end for w in windows) for d in days):
                errors.append(f"{label}: asesor tidak tersedia pada sebagian hari batch.")
            if len(b.candidate_ids) > b.capacity:
                errors.append(
                    f"{label}: jumlah peserta ({len(b.candidate_ids)}) melebihi kapasitas "
                    f"batch ({b.capacity})."
                )
            if b.capacity > assessor.candidates_per_day * len(days):
                errors.append(f"{label}: kapasitas batch melebihi kemampuan asesor.")
            late = [cid for cid in b.candidate_ids if ready.get(cid) and ready[cid] > b.start]
            if late:
                errors.append(f"{label}: {len(late)} asesi belum siap pada tanggal batch.")
            for day in days:
                seats_used[(tuk.pk, day)] += _seats_per_day(b.capacity, len(days))
                if seats_used[(tuk.pk, day)] > tuk.capacity:
                    errors.append(f"TUK {tuk.name} penuh pada {_fmt(day)}.")
    if errors:
        raise ValidationError(list(dict.fromkeys(errors))[:20])

    trips = Trip.objects.bulk_create(
        [
            Trip(assessor_id=t.assessor_id, start_date=t.start, end_date=t.end, cost=t.cost)
            for t in plan.trips
        ]
    )
    taken = set(
        Batch.objects.filter(
            start_date__in={b.start for t in plan.trips for b in t.batches}
        ).values_list("code", flat=True)
    )
    counters: dict[date, int] = defaultdict(int)
    new_batches = []
    for trip, t in zip(trips, plan.trips, strict=True):
        for b in t.batches:
            while True:
                counters[b.start] += 1
                code = f"B{b.start:%Y%m%d}-{counters[b.start]:02d}"
                if code not in taken:
                    break
            new_batches.append(
                (
                    Batch(
                        code=code,
                        scheme_id=b.scheme_id,
                        tuk_id=t.tuk_id,
                        trip=trip,
                        start_date=b.start,
                        end_date=b.end,
                        capacity=b.capacity,
                    ),
                    t.assessor_id,
                    b.candidate_ids,
                )
            )
    batches = Batch.objects.bulk_create([b for b, _a, _c in new_batches])
    Batch.assessors.through.objects.bulk_create(
        [Batch.assessors.through(batch_id=b.pk, assessor_id=a) for b, a, _c in new_batches]
    )
    Enrollment.objects.bulk_create(
        [Enrollment(batch_id=b.pk, candidate_id=c) for b, _a, ids in new_batches for c in ids],
        batch_size=2000,
    )
    who = actor if getattr(actor, "is_authenticated", False) else None
    entries = [
        AuditEntry(
            actor=who,
            action="create",
            model="certification.trip",
            object_id=str(trip.pk),
            object_repr=f"{assessors[trip.assessor_id].name} {_fmt(trip.start_date)}",
            changes={
                "start_date": [None, trip.start_date.isoformat()],
                "end_date": [None, trip.end_date.isoformat()],
                "cost": [None, trip.cost],
            },
            source="perencana",
        )
        for trip in trips
    ] + [
        AuditEntry(
            actor=who,
            action="create",
            model="certification.batch",
            object_id=str(b.pk),
            object_repr=b.code,
            changes={
                "scheme": [None, schemes[b.scheme_id].name],
                "start_date": [None, b.start_date.isoformat()],
                "end_date": [None, b.end_date.isoformat()],
                "capacity": [None, b.capacity],
                "candidates": [None, len(ids)],
            },
            source="perencana",
        )
        for b, _a, ids in new_batches
    ]
    audit_log_many(entries)
    return batches


# --- planner runs ---------------------------------------------------------------------


def _whatif_summary(label: str, plan) -> dict:
    return {
        "label": label,
        "status": plan.status,
        "trips": plan.n_trips,
        "cost": plan.cost,
        "gap": plan.gap,
        "finish": plan.finish.isoformat() if plan.finish else None,
        "scheduled": plan.scheduled,
        "total": plan.total_candidates,
        "seconds": round(plan.seconds, 1),
    }


def _feasibility_advice(inp, plan) -> list[str]:
    """When not everyone fits before the deadline: a lower bound on what is missing."""
    if plan.unscheduled <= 0:
        return []
    per_day = max((a.per_day for a in inp.assessors), default=10)
    days = -(-plan.unscheduled // per_day)
    trips = -(-days // inp.days_per_trip)
    return [
        f"Kurang setidaknya {days} hari-asesor (≈ {trips} perjalanan {inp.days_per_trip} hari) "
        f"untuk {plan.unscheduled} asesi yang belum terjadwal"
        + (f" sebelum {inp.deadline:%d-%m-%Y}" if inp.deadline else "")
        + ": tambah jendela ketersediaan atau asesor (mis. asesor lokal lewat LSP Bali), "
        "perpanjang perjalanan, atau mundurkan tanggal target."
    ]


def plan_draft_create(*, actor, params) -> Any:
    """Run the planner (main plan + what-ifs side by side) and keep the result as a draft."""
    from sentra.certification import planner as P
    from sentra.certification.models import PlanDraft
    from sentra.certification.selectors import local_assessor_specs, planner_input

    _require_planner(actor)
    if not 1 <= params.days_per_trip <= P.MAX_DAYS_PER_TRIP:
        raise ValidationError("Hari per perjalanan harus 1–5 (satu minggu kerja).")
    if params.deadline and params.deadline <= params.start:
        raise ValidationError("Tanggal target harus sesudah tanggal mulai.")
    if params.start < timezone.localdate():
        raise ValidationError("Tanggal mulai rencana tidak boleh di masa lalu.")
    inp = planner_input(params=params)
    if not inp.assessors:
        raise ValidationError(
            "Belum ada asesor aktif dengan jendela ketersediaan sesudah tanggal mulai."
        )
    if not inp.tuks:
        raise ValidationError("Belum ada TUK aktif.")
    # The main plan gets half the time; the four what-ifs share the other half.
    main_inp = P.with_changes(inp, time_limit=params.time_limit / 2)
    plan = P.solve(main_inp)
    plan.messages += _feasibility_advice(main_inp, plan)
    share = params.time_limit / 8
    local_cost = params.local_trip_cost
    bigger = params.whatif_tuk_capacity or 2 * max(t.capacity for t in inp.tuks)
    scenarios = [
        (
            f"+{params.whatif_local_assessors} asesor lokal (mis. lewat LSP Bali)",
            P.with_changes(
                inp,
                assessors=inp.assessors
                + local_assessor_specs(inp, count=params.whatif_local_assessors, cost=local_cost),
            ),
        ),
        (
            f"{params.whatif_days_per_trip} hari per perjalanan",
            P.with_changes(inp, days_per_trip=params.whatif_days_per_trip),
        ),
        (
            f"TUK {bigger} kursi",
            P.with_changes(inp, tuks=tuple(P.TukSpec(t.id, t.name, bigger) for t in inp.tuks)),
        ),
    ]
    # Local assessors add days only where the TUK has seats left, so the two together.
    scenarios.append(
        (
            f"{scenarios[0][0]} + {scenarios[2][0]}",
            P.with_changes(scenarios[0][1], tuks=scenarios[2][1].tuks),
        )
    )
    whatifs = [_whatif_summary("Kapasitas sekarang", plan)]
    for label, scenario in scenarios:
        whatifs.append(_whatif_summary(label, P.solve(P.with_changes(scenario, time_limit=share))))
    # The solver ran outside any transaction; only the writes are atomic.
    with transaction.atomic():
        draft = PlanDraft.objects.create(
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            params=params.to_json(),
            plan=plan.to_json(),
            whatifs=whatifs,
        )
        audit_log(
            actor=actor,
            obj=draft,
            action="plan",
            changes={"trips": [None, plan.n_trips], "finish": [None, whatifs[0]["finish"]]},
        )
    return draft


@transaction.atomic
def plan_draft_accept(*, actor, draft, until: date | None = None) -> list[Batch]:
    """Create the draft's trips and batches (those starting up to `until`), all or none."""
    from sentra.certification import planner as P
    from sentra.certification.models import PlanDraft

    require_actor(actor, can_accept_plan, action="accept_plan")
    draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.accepted_at:
        raise ValidationError("Rencana ini sudah diterima sebelumnya.")
    plan = P.Plan.from_json(draft.plan)
    if until:
        plan.trips = [t for t in plan.trips if t.start <= until]
    batches = plan_accept(actor=actor, plan=plan)
    draft.accepted_at = timezone.now()
    draft.accepted_by = actor if getattr(actor, "is_authenticated", False) else None
    draft.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=actor,
        obj=draft,
        action="accept",
        changes={"batches": [None, len(batches)], "trips": [None, len(plan.trips)]},
    )
    return batches


@transaction.atomic
def candidates_sync_coaching(*, actor, on: date | None = None) -> int:
    """Fill the readiness date of candidates still waiting for pembinaan from the coaching
    records: the last training or mentoring activity of their IKM that has finished by
    `on`. Returns how many candidates changed; each gets an audit entry."""
    from django.db.models import Max
    from django.db.models.functions import Coalesce

    from sentra.audit.models import AuditEntry
    from sentra.audit.services import audit_log_many
    from sentra.coaching.models import ActivityKind, Participation

    # City-wide: changes candidates of every kecamatan (kecamatan None = all of them).
    require_actor(actor, can_manage_candidate, None, action="candidate")
    on = on or timezone.localdate()
    finished = dict(
        Participation.objects.filter(
            activity__kind__in=[ActivityKind.TRAINING, ActivityKind.MENTORING]
        )
        .annotate(done=Coalesce("activity__end_date", "activity__date"))
        .filter(done__lte=on)
        .values("ikm_id")
        .annotate(last=Max("done"))
        .values_list("ikm_id", "last")
    )
    waiting = list(
        Candidate.objects.filter(coaching_finished_on__isnull=True, ikm_id__in=list(finished))
    )
    for c in waiting:
        c.coaching_finished_on = finished[c.ikm_id]
    Candidate.objects.bulk_update(waiting, ["coaching_finished_on"], batch_size=2000)
    who = actor if getattr(actor, "is_authenticated", False) else None
    audit_log_many(
        AuditEntry(
            actor=who,
            action="readiness",
            model="certification.candidate",
            object_id=str(c.pk),
            object_repr=str(c.name)[:200],
            changes={"coaching_finished_on": [None, c.coaching_finished_on.isoformat()]},
            source="data pembinaan",
        )
        for c in waiting
    )
    return len(waiting)
