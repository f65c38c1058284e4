"""Assessment batches and assessor trips: booking one batch, status changes, cancelling
and confirming trips. The booking rules themselves live in `certification.booking`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sentra.accounts.permissions import Actor, can_cancel_trip, require_actor
from sentra.audit.services import audit_log, diff, snapshot
from sentra.certification import booking
from sentra.certification import messages as M
from sentra.certification.messages import say
from sentra.certification.models import (
    OPEN_STATUSES,
    Assessor,
    AssessorDay,
    Batch,
    BatchStatus,
    Candidate,
    Enrollment,
    Scheme,
    Trip,
    TripStatus,
    Tuk,
)
from sentra.certification.services._access import require_planner


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
    """Every reason this batch cannot be held, in the active language; empty when it can."""
    proposal = booking.Proposal(
        scheme_id=scheme.pk,
        tuk_id=tuk.pk,
        assessor_ids=tuple(a.pk for a in assessors),
        start=start_date,
        end=end_date,
        capacity=capacity,
        candidate_ids=tuple(c.pk for c in candidates),
    )
    state = booking.load_state(proposals=[proposal], today=today, exclude_batch=exclude_pk)
    return booking.proposal_problems(state, [proposal], allow_past=allow_past)


def book_assessor_days(pairs: Iterable[tuple[int, int, date, date]]) -> None:
    """Hold (batch, assessor, start, end) in `AssessorDay`: the unique constraint refuses a
    second booking of an assessor's day even when two bookings commit at the same moment
    (both passed the checks before either wrote)."""
    rows = [
        AssessorDay(batch_id=batch_id, assessor_id=assessor_id, day=start + timedelta(days=i))
        for batch_id, assessor_id, start, end in pairs
        for i in range((end - start).days + 1)
    ]
    try:
        with transaction.atomic():
            AssessorDay.objects.bulk_create(rows, batch_size=2000)
    except IntegrityError as exc:
        raise ValidationError(say(M.ASSESSOR_DAY_TAKEN)) from exc


CODE_ATTEMPTS = 5


def batches_insert(batches: list[Batch]) -> list[Batch]:
    """Give each new batch its code and insert them all. Another booking committing at
    the same moment may take the same codes (both read the free ones first): then the
    unique code refuses the insert and the codes are made again from what is taken now."""
    starts = [b.start_date for b in batches]
    for attempt in range(CODE_ATTEMPTS):
        for batch, code in zip(
            batches, booking.batch_codes(starts, booking.taken_codes(starts)), strict=True
        ):
            batch.code = code
        try:
            with transaction.atomic():
                return Batch.objects.bulk_create(batches)
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def batch_create(
    *,
    actor: Actor,
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
    require_planner(actor)
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
    [batch] = batches_insert(
        [
            Batch(
                scheme=scheme,
                tuk=tuk,
                trip=trip,
                start_date=start_date,
                end_date=end_date,
                capacity=capacity,
                status=status,
            )
        ]
    )
    batch.assessors.set(assessors)
    if status in OPEN_STATUSES:
        book_assessor_days((batch.pk, a.pk, start_date, end_date) for a in assessors)
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
def batch_set_status(*, actor: Actor, batch: Batch, status: str) -> Batch:
    require_planner(actor)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    allowed: dict[str, set[str]] = {
        BatchStatus.PLANNED: {BatchStatus.CONFIRMED, BatchStatus.CANCELLED},
        BatchStatus.CONFIRMED: {BatchStatus.DONE, BatchStatus.CANCELLED, BatchStatus.PLANNED},
        BatchStatus.DONE: set(),
        BatchStatus.CANCELLED: set(),
    }
    if status not in allowed[batch.status]:
        raise ValidationError(
            say(
                M.BATCH_STATUS_CHANGE,
                code=batch.code,
                old=batch.get_status_display().lower(),
                new=BatchStatus(status).label.lower(),
            )
        )
    before = snapshot(batch, ["status"])
    batch.status = status
    batch.save(update_fields=["status"])
    if status not in OPEN_STATUSES:  # the assessor's days are free again
        AssessorDay.objects.filter(batch=batch).delete()
    audit_log(
        actor=actor, obj=batch, action="status", changes=diff(before, snapshot(batch, ["status"]))
    )
    return batch


@transaction.atomic
def trip_cancel(*, actor: Actor, trip: Trip, reason: str = "") -> Trip:
    """Cancel a trip and its open batches; their candidates become plannable again."""
    require_actor(actor, can_cancel_trip, action="cancel_trip")
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status not in OPEN_STATUSES:
        raise ValidationError(
            say(M.TRIP_NOT_CANCELLABLE, trip=str(trip), status=trip.get_status_display().lower())
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
def trip_confirm(*, actor: Actor, trip: Trip) -> Trip:
    require_planner(actor)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status != TripStatus.PLANNED:
        raise ValidationError(say(M.TRIP_NOT_CONFIRMABLE))
    trip.status = TripStatus.CONFIRMED
    trip.save(update_fields=["status"])
    for batch in trip.batches.filter(status=BatchStatus.PLANNED):
        batch_set_status(actor=actor, batch=batch, status=BatchStatus.CONFIRMED)
    audit_log(actor=actor, obj=trip, action="status", changes={"status": ["planned", "confirmed"]})
    return trip
