"""The booking rules of certification, once: for one batch (`batch_create`) and for a
whole plan (`plan_accept`).

`load_state` reads everything a set of proposals touches for their period in a fixed
handful of queries (candidate lists in chunks), `proposal_problems` is pure and lists
every reason the proposals cannot be held together, and `batch_codes` makes the batch
codes. The database constraint on `AssessorDay` backs the busy-assessor rule up against
two bookings committing at the same moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sentra.certification import messages as M
from sentra.certification.messages import say
from sentra.certification.models import (
    OPEN_STATUSES,
    Assessor,
    Batch,
    Candidate,
    Enrollment,
    Outcome,
    Result,
    Scheme,
    Tuk,
)
from sentra.certification.selectors import holidays_between
from sentra.certification.workdays import working_days

CHUNK = 500  # ids per IN list: well under SQLite's variable limit, cheap on PostgreSQL
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class AssessorState:
    id: int
    name: str
    schemes: frozenset[int]
    windows: tuple[tuple[date, date], ...]
    per_day: int


@dataclass(frozen=True)
class TukState:
    id: int
    name: str
    capacity: int


@dataclass(frozen=True)
class BookedBatch:
    """An open batch already in the database (it holds its assessors and seats)."""

    code: str
    tuk_id: int
    assessor_ids: tuple[int, ...]
    start: date
    end: date
    capacity: int


@dataclass(frozen=True)
class CandidateState:
    id: int
    label: str  # "name (IKM name)"
    scheme_id: int
    prerequisites_met: bool
    ready_on: date | None
    ikm_closed: bool
    scheme_active: bool
    certified_until: date | None  # last expiry of a competent outcome, if any still valid
    enrolled_in: str | None  # code of the open batch the candidate is in


@dataclass
class BookingState:
    today: date
    assessors: dict[int, AssessorState]
    tuks: dict[int, TukState]
    schemes: dict[int, str]
    booked: list[BookedBatch]
    candidates: dict[int, CandidateState]
    holidays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Proposal:
    """A batch someone wants to hold: from the batch form or from a planner trip."""

    scheme_id: int
    tuk_id: int
    assessor_ids: tuple[int, ...]
    start: date
    end: date
    capacity: int
    candidate_ids: tuple[int, ...]
    trip: tuple[int, date] | None = None  # (assessor, trip start) when part of a plan trip


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def load_state(
    *, proposals: Sequence[Proposal], today: date, exclude_batch: int | None = None
) -> BookingState:
    """Everything `proposal_problems` needs for these proposals, read now.

    `exclude_batch`: a batch being re-checked does not collide with itself.
    """
    first = min((p.start for p in proposals), default=today)
    last = max((p.end for p in proposals), default=today)
    assessor_ids = {a for p in proposals for a in p.assessor_ids}
    assessors = {
        a.pk: AssessorState(
            id=a.pk,
            name=a.name,
            schemes=frozenset(s.pk for s in a.schemes.all()),
            windows=tuple((w.start, w.end) for w in a.windows.all() if w.end >= first),
            per_day=a.candidates_per_day,
        )
        for a in Assessor.objects.filter(pk__in=assessor_ids).prefetch_related("schemes", "windows")
    }
    tuks = {
        t.pk: TukState(t.pk, t.name, t.capacity)
        for t in Tuk.objects.filter(pk__in={p.tuk_id for p in proposals})
    }
    schemes = dict(Scheme.objects.values_list("pk", "name"))
    open_batches = Batch.objects.filter(
        status__in=OPEN_STATUSES, start_date__lte=last, end_date__gte=first
    )
    open_enrollments = Enrollment.objects.filter(batch__status__in=OPEN_STATUSES)
    if exclude_batch is not None:
        open_batches = open_batches.exclude(pk=exclude_batch)
        open_enrollments = open_enrollments.exclude(batch_id=exclude_batch)
    booked = [
        BookedBatch(
            code=b.code,
            tuk_id=b.tuk_id,
            assessor_ids=tuple(a.pk for a in b.assessors.all()),
            start=b.start_date,
            end=b.end_date,
            capacity=b.capacity,
        )
        for b in open_batches.prefetch_related("assessors")
    ]
    wanted = sorted({c for p in proposals for c in p.candidate_ids})
    candidates: dict[int, CandidateState] = {}
    for ids in _chunks(wanted):
        certified: dict[int, date] = {}
        for cid, expires in Outcome.objects.filter(
            candidate_id__in=ids, result=Result.COMPETENT, expires_on__gte=first
        ).values_list("candidate_id", "expires_on"):
            if expires is not None:  # expires_on__gte excludes NULL; for the type checker
                certified[cid] = max(expires, certified.get(cid, expires))
        enrolled = dict(
            open_enrollments.filter(candidate_id__in=ids).values_list("candidate_id", "batch__code")
        )
        for c in Candidate.objects.filter(pk__in=ids).select_related("ikm", "scheme"):
            candidates[c.pk] = CandidateState(
                id=c.pk,
                label=f"{c.name} ({c.ikm.name})",
                scheme_id=c.scheme_id,
                prerequisites_met=c.prerequisites_met,
                ready_on=c.ready_on,
                ikm_closed=c.ikm.closed_on is not None,
                scheme_active=c.scheme.active,
                certified_until=certified.get(c.pk),
                enrolled_in=enrolled.get(c.pk),
            )
    return BookingState(
        today=today,
        assessors=assessors,
        tuks=tuks,
        schemes=schemes,
        booked=booked,
        candidates=candidates,
        holidays=holidays_between(first - timedelta(days=31), last + timedelta(days=31)),
    )


def seats_per_day(capacity: int, days: int) -> int:
    """An open batch reserves ceil(capacity / its working days) TUK seats each day."""
    return -(-capacity // max(days, 1))


def _days_text(days: list[date]) -> str:
    return ", ".join(M.fmt_day(d) for d in days)


def proposal_problems(
    state: BookingState, proposals: Sequence[Proposal], *, allow_past: bool = False
) -> list[str]:
    """Every reason these proposals cannot all be held, in the active language; empty
    when they can. Proposals are checked against the stored bookings and against each
    other (a plan's batches share assessors, seats and candidates). Pure."""
    out: list[str] = []
    hol = state.holidays
    # Running usage: stored open batches first, then each proposal as it is checked.
    assessor_days: dict[int, dict[date, str]] = defaultdict(dict)
    seats: dict[tuple[int, date], int] = defaultdict(int)
    for b in state.booked:
        days = working_days(b.start, b.end, hol)
        for a in b.assessor_ids:
            for i in range((b.end - b.start).days + 1):
                assessor_days[a][b.start + timedelta(days=i)] = b.code
        for d in days:
            seats[(b.tuk_id, d)] += seats_per_day(b.capacity, len(days))
    seen: set[int] = set()
    twice = False
    unplannable = 0  # candidates of plan trips that cannot be booked any more
    for p in proposals:
        problems: list[str] = []
        if p.end < p.start:
            out.append(say(M.BATCH_END_BEFORE_START))
            continue
        if p.start < state.today and not allow_past:
            problems.append(say(M.BATCH_IN_PAST, start=p.start))
        days = working_days(p.start, p.end, hol)
        if not days:
            problems.append(say(M.BATCH_NO_WORKING_DAY))
            out += _in_trip(state, p, problems)
            continue
        assessors = [state.assessors.get(a) for a in p.assessor_ids]
        tuk = state.tuks.get(p.tuk_id)
        if any(a is None for a in assessors) or tuk is None:
            out.append(say(M.ASSESSOR_GONE))
            continue
        held = [a for a in assessors if a is not None]
        if not held:
            problems.append(say(M.BATCH_NO_ASSESSOR))
        if p.capacity < 1:
            problems.append(say(M.BATCH_CAPACITY_MIN))
        if len(p.candidate_ids) > p.capacity:
            problems.append(say(M.BATCH_OVER_CAPACITY, n=len(p.candidate_ids), capacity=p.capacity))
        limit = sum(a.per_day for a in held) * len(days)
        if held and p.capacity > limit:
            problems.append(
                say(M.BATCH_OVER_ASSESSORS, capacity=p.capacity, limit=limit, days=len(days))
            )
        scheme = state.schemes.get(p.scheme_id, "?")
        for assessor in held:
            if p.scheme_id not in assessor.schemes:
                problems.append(say(M.ASSESSOR_LACKS_SCHEME, assessor=assessor.name, scheme=scheme))
            missing = [d for d in days if not any(s <= d <= e for s, e in assessor.windows)]
            if missing and not allow_past:
                msg = M.ASSESSOR_UNAVAILABLE_MORE if len(missing) > 3 else M.ASSESSOR_UNAVAILABLE
                problems.append(say(msg, assessor=assessor.name, days=_days_text(missing[:3])))
            calendar = [p.start + timedelta(days=i) for i in range((p.end - p.start).days + 1)]
            clashes = [
                (d, assessor_days[assessor.id][d])
                for d in calendar
                if d in assessor_days[assessor.id]
            ]
            stored = [code for _d, code in clashes if code]
            if stored:
                problems.append(say(M.ASSESSOR_BUSY, assessor=assessor.name, code=stored[0]))
            elif clashes:
                problems.append(
                    say(M.ASSESSOR_BUSY_IN_PLAN, assessor=assessor.name, day=clashes[0][0])
                )
            for d in calendar:
                assessor_days[assessor.id].setdefault(d, "")  # "" marks this plan's own bookings
        need = seats_per_day(p.capacity, len(days))
        if need > tuk.capacity:
            problems.append(say(M.TUK_TOO_SMALL, seats=need, tuk=tuk.name, capacity=tuk.capacity))
        else:
            for d in days:
                used = seats[(tuk.id, d)]
                if used + need > tuk.capacity:
                    problems.append(
                        say(M.TUK_FULL, tuk=tuk.name, day=d, used=used, capacity=tuk.capacity)
                    )
                    break
            for d in days:
                seats[(tuk.id, d)] += need
        for cid in p.candidate_ids:
            if cid in seen:
                twice = True
            seen.add(cid)
            c = state.candidates.get(cid)
            found = (
                [say(M.CANDIDATE_GONE, id=cid)]
                if c is None
                else _candidate_problems(c, p, allow_past=allow_past)
            )
            unplannable += bool(found and p.trip)
            problems += found
        out += _in_trip(state, p, problems)
    if unplannable:  # a plan: the count first, the first few names follow
        out.insert(0, say(M.PLAN_CANDIDATES_GONE, n=unplannable))
    if twice:
        out.insert(0, say(M.CANDIDATE_TWICE))
    return list(dict.fromkeys(out))


def _candidate_problems(c: CandidateState, p: Proposal, *, allow_past: bool) -> list[str]:
    out = []
    if c.scheme_id != p.scheme_id:
        out.append(say(M.CANDIDATE_OTHER_SCHEME, candidate=c.label))
    elif not c.prerequisites_met:
        out.append(say(M.CANDIDATE_NOT_READY, candidate=c.label))
    elif c.ready_on and c.ready_on > p.start:
        out.append(say(M.CANDIDATE_READY_LATER, candidate=c.label, day=c.ready_on))
    if not allow_past:  # history may hold people of IKM closed or schemes retired since
        if c.ikm_closed:
            out.append(say(M.CANDIDATE_IKM_CLOSED, candidate=c.label))
        if not c.scheme_active:
            out.append(say(M.CANDIDATE_SCHEME_INACTIVE, candidate=c.label))
    if c.certified_until and c.certified_until >= p.start:
        out.append(say(M.CANDIDATE_CERTIFIED, candidate=c.label))
    if c.enrolled_in:
        out.append(say(M.CANDIDATE_ENROLLED, candidate=c.label, code=c.enrolled_in))
    return out


def _in_trip(state: BookingState, p: Proposal, problems: list[str]) -> list[str]:
    """A plan's problems say which trip they belong to."""
    if p.trip is None:
        return problems
    assessor = state.assessors.get(p.trip[0])
    name = assessor.name if assessor else "?"
    return [say(M.IN_TRIP, assessor=name, start=p.trip[1], problem=x) for x in problems]


def batch_codes(starts: Sequence[date], taken: Iterable[str]) -> list[str]:
    """One new code per start date, B<yyyymmdd>-<nn>, skipping the codes already taken."""
    used = set(taken)
    counters: dict[date, int] = defaultdict(int)
    out = []
    for start in starts:
        while True:
            counters[start] += 1
            code = f"B{start:%Y%m%d}-{counters[start]:02d}"
            if code not in used:
                break
        used.add(code)
        out.append(code)
    return out


def taken_codes(starts: Iterable[date]) -> set[str]:
    """The stored batch codes for these start dates (the input of `batch_codes`)."""
    return set(Batch.objects.filter(start_date__in=set(starts)).values_list("code", flat=True))
