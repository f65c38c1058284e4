"""Reads for certification: progress figures (SQL aggregates), planner inputs, batch rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict, cast

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from sentra.areas.models import Area
from sentra.certification import planner as P
from sentra.certification.models import (
    OPEN_STATUSES,
    Assessor,
    Batch,
    Candidate,
    Enrollment,
    OfficeHoliday,
    Outcome,
    ProgressSnapshot,
    Result,
    Role,
    Scheme,
    Tuk,
)
from sentra.certification.workdays import national_holidays, working_days
from sentra.registry.models import Ikm
from sentra.sectors.models import Subsector

CERTIFIED_DEFINITION = gettext_lazy(
    "pengelola dan pemasar IKM sama-sama memiliki sertifikat kompetensi 'kompeten' yang "
    "masih berlaku (definisi modul sertifikasi)"
)


class Progress(TypedDict):
    """Certification figures of the city or of one group (`share` is 0..1)."""

    # In the order the API publishes them (`api.routes.certification` takes these fields).
    target: int
    certified: int
    share: float
    manager: int
    marketer: int


class GroupProgress(Progress):
    key: str | None  # kecamatan or subsector code; None: bukan ekraf
    label: str


class WaveRow(TypedDict):
    quarter: date
    label: str
    manager: int
    marketer: int
    ikm: int


class CandidateSummary(TypedDict):
    plannable: int
    in_batch: int
    not_ready: int
    ikm_without_candidates: int


class ProgressFigures(TypedDict):
    """Every figure of the certification page (stored in `ProgressSnapshot` as JSON)."""

    total: Progress
    by_kecamatan: list[GroupProgress]
    by_subsector: list[GroupProgress]
    wave: list[WaveRow]
    candidates: CandidateSummary


def holidays_between(start: date, end: date) -> frozenset[date]:
    """National holidays, cuti bersama and the office's own days between start and end."""
    office = OfficeHoliday.objects.filter(day__gte=start, day__lte=end).values_list(
        "day", flat=True
    )
    return national_holidays(start, end) | frozenset(office)


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


def certified_ikm_q(*, on: date | None = None) -> Q:
    """The IKM that meet the target: a valid (competent, unexpired on `on`) certificate
    for the manager AND for the marketer; the filter form of what `_progress_sql` counts.

    Two uncorrelated `id IN (…)` subqueries, which the database evaluates once.
    """
    valid = Outcome.objects.filter(result=Result.COMPETENT, expires_on__gte=on or date.today())
    return Q(pk__in=valid.filter(role=Role.MANAGER).values("ikm_id")) & Q(
        pk__in=valid.filter(role=Role.MARKETER).values("ikm_id")
    )


def _progress_sql(
    *, on: date, group_by: str | None, kecamatan: str | None
) -> list[tuple[Any, ...]]:
    """Per group: active IKM, IKM with a valid manager AND marketer certificate, with a
    valid manager one, with a valid marketer one.

    One pass over the valid certificates grouped per IKM, hash-joined to the IKM: a
    correlated EXISTS per IKM took seconds at 400k IKM on PostgreSQL, this takes a
    fraction. Plain SQL that SQLite and PostgreSQL both run.
    """
    column = {
        "kecamatan": "i.kecamatan_id",
        "subsector": "i.subsector_id",
        "both": "i.kecamatan_id, i.subsector_id",
        None: "NULL",
    }[group_by]
    where = ""
    params: list[str | date] = [Role.MANAGER, Role.MARKETER, Result.COMPETENT, on]
    if kecamatan:
        where, params = " AND i.kecamatan_id = %s", [*params, kecamatan]
    sql = f"""
        SELECT {column} AS grp,
               COUNT(*),
               SUM(CASE WHEN v.m = 1 AND v.k = 1 THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.m = 1 THEN 1 ELSE 0 END),
               SUM(CASE WHEN v.k = 1 THEN 1 ELSE 0 END)
        FROM {Ikm._meta.db_table} i
        LEFT JOIN (
            SELECT ikm_id,
                   MAX(CASE WHEN role = %s THEN 1 ELSE 0 END) AS m,
                   MAX(CASE WHEN role = %s THEN 1 ELSE 0 END) AS k
            FROM {Outcome._meta.db_table}
            WHERE result = %s AND expires_on >= %s
            GROUP BY ikm_id
        ) v ON v.ikm_id = i.id
        WHERE i.closed_on IS NULL{where}
        {"GROUP BY " + column + " ORDER BY " + column if group_by else ""}
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
    return rows


def _row(
    target: int | None, certified: int | None, manager: int | None, marketer: int | None
) -> Progress:
    target, certified = target or 0, certified or 0
    return {
        "target": target,
        "certified": certified,
        "manager": manager or 0,
        "marketer": marketer or 0,
        "share": certified / target if target else 0.0,
    }


def certification_progress(*, kecamatan: str | None = None, on: date | None = None) -> Progress:
    """Target: every active IKM has a certified manager AND marketer (valid on `on`).

    Returns {"certified", "target", "share" (0..1), "manager", "marketer"}; one query.
    """
    on = on or timezone.localdate()
    rows = _progress_sql(on=on, group_by=None, kecamatan=kecamatan)
    return _row(*rows[0][1:]) if rows else _row(0, 0, 0, 0)


def progress_total(rows: list[GroupProgress]) -> Progress:
    """The sum of per-group rows (saves a query when the groups partition the IKM)."""
    return _row(*(sum(r[k] for r in rows) for k in ("target", "certified", "manager", "marketer")))


def progress_by(*, dimension: str, on: date | None = None) -> list[GroupProgress]:
    """The same figures per kecamatan or per subsector (null subsector = bukan ekraf)."""
    on = on or timezone.localdate()
    if dimension == "kecamatan":
        names = dict(Area.objects.kecamatan().values_list("code", "name"))
    else:
        names = dict(Subsector.objects.values_list("code", "name"))
    out: list[GroupProgress] = []
    for key, *figures in _progress_sql(on=on, group_by=dimension, kecamatan=None):
        out.append(
            {"key": key, "label": names.get(key) or gettext("Bukan ekraf"), **_row(*figures)}
        )
    return out


def progress_by_kecamatan_and_subsector(
    *, on: date
) -> tuple[list[GroupProgress], list[GroupProgress]]:
    """`progress_by` for both dimensions from one pass (the page shows both)."""
    sums: dict[str, dict[str | None, list[int]]] = {"kecamatan": {}, "subsector": {}}
    for kec, sub, *figures in _progress_sql(on=on, group_by="both", kecamatan=None):
        for dimension, key in (("kecamatan", kec), ("subsector", sub)):
            acc = sums[dimension].setdefault(key, [0, 0, 0, 0])
            for n, value in enumerate(figures):
                acc[n] += value or 0
    # Keyed by str | None: the bukan-ekraf group's key is None and reads no name.
    kecamatan: dict[str | None, str] = dict(Area.objects.kecamatan().values_list("code", "name"))
    subsector: dict[str | None, str] = dict(Subsector.objects.values_list("code", "name"))
    out: list[list[GroupProgress]] = []
    for dimension, names in (("kecamatan", kecamatan), ("subsector", subsector)):
        rows = sorted(sums[dimension].items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        out.append(
            [
                {"key": key, "label": names.get(key) or gettext("Bukan ekraf"), **_row(*figures)}
                for key, figures in rows
            ]
        )
    return out[0], out[1]


def expiry_wave(*, on: date | None = None, quarters: int = 8) -> list[WaveRow]:
    """Valid certificates of active IKM expiring per quarter over the coming `quarters`."""
    on = on or timezone.localdate()
    until = date(
        on.year + (on.month - 1 + 3 * quarters) // 12, (on.month - 1 + 3 * quarters) % 12 + 1, 1
    )
    rows = (
        Outcome.objects.filter(
            result=Result.COMPETENT,
            expires_on__gte=on,
            expires_on__lt=until,
            ikm__closed_on__isnull=True,
        )
        .annotate(quarter=TruncQuarter("expires_on"))
        .values("quarter")
        .annotate(
            manager=Count("id", filter=Q(role=Role.MANAGER)),
            marketer=Count("id", filter=Q(role=Role.MARKETER)),
            ikm=Count("ikm_id", distinct=True),
        )
        .order_by("quarter")
    )
    out: list[WaveRow] = []
    for r in rows:
        q = r["quarter"]
        q = q.date() if hasattr(q, "hour") else q  # a datetime on some backends
        out.append({**r, "quarter": q, "label": f"{q.year} K{(q.month - 1) // 3 + 1}"})
    return out


def candidate_summary(*, on: date | None = None) -> CandidateSummary:
    """How many candidates are ready to plan, waiting for prerequisites, already in a batch,
    and how many active IKM have no candidate at all.

    One pass over the candidates of active IKM; "holds a valid certificate" and "is in an
    open batch" are uncorrelated IN subqueries, which both databases evaluate once into a
    hash set (SQLite: an ephemeral index), not once per candidate. Four separate COUNTs
    with correlated EXISTS took 3 s at 400k IKM.
    """
    on = on or timezone.localdate()
    c, i, s = Candidate._meta.db_table, Ikm._meta.db_table, Scheme._meta.db_table
    o, e, b = Outcome._meta.db_table, Enrollment._meta.db_table, Batch._meta.db_table
    sql = f"""
        SELECT SUM(CASE WHEN ready AND s_active AND NOT certified AND NOT enrolled
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN enrolled THEN 1 ELSE 0 END),
               SUM(CASE WHEN ready THEN 0 ELSE 1 END)
        FROM (
            SELECT c.ikm_id,
                   (c.coaching_finished_on IS NOT NULL OR NOT s.requires_coaching)
                       AND c.documents_complete AS ready,
                   s.active AS s_active,
                   c.id IN (SELECT candidate_id FROM {o}
                            WHERE result = %s AND expires_on >= %s) AS certified,
                   c.id IN (SELECT en.candidate_id FROM {e} en
                            JOIN {b} bt ON bt.id = en.batch_id
                            WHERE bt.status IN (%s, %s)) AS enrolled
            FROM {c} c
            JOIN {i} i ON i.id = c.ikm_id AND i.closed_on IS NULL
            JOIN {s} s ON s.id = c.scheme_id
        ) x
    """
    with connection.cursor() as cur:
        cur.execute(sql, [Result.COMPETENT, on, *OPEN_STATUSES])
        plannable, in_batch, not_ready = cur.fetchone()
    # An anti-join, not COUNT(DISTINCT ikm) above: PostgreSQL sorts for the DISTINCT.
    without = Ikm.objects.active().exclude(Exists(Candidate.objects.filter(ikm=OuterRef("pk"))))
    return {
        "plannable": plannable or 0,
        "in_batch": in_batch or 0,
        "not_ready": not_ready or 0,
        "ikm_without_candidates": without.count(),
    }


def progress_figures(*, on: date) -> ProgressFigures:
    """Every figure of the certification page, counted live (seconds at 400k IKM: the
    page reads them from `ProgressSnapshot`, rebuilt in the background)."""
    by_kecamatan, by_subsector = progress_by_kecamatan_and_subsector(on=on)
    return {
        # Every active IKM lies in exactly one kecamatan: the city total is their sum.
        "total": progress_total(by_kecamatan),
        "by_kecamatan": by_kecamatan,
        "by_subsector": by_subsector,
        "wave": expiry_wave(on=on),
        "candidates": candidate_summary(on=on),
    }


def progress_snapshot() -> ProgressSnapshot:
    """The one snapshot row (made empty on first use)."""
    row = ProgressSnapshot.objects.order_by("pk").first()
    return row or ProgressSnapshot.objects.create()


def figures_to_json(figures: ProgressFigures) -> dict[str, Any]:
    """The figures as JSON can hold them (the wave's quarters are dates)."""
    wave = [{**r, "quarter": r["quarter"].isoformat()} for r in figures["wave"]]
    return {**figures, "wave": wave}


def figures_from_json(data: dict[str, Any]) -> ProgressFigures:
    wave = [{**r, "quarter": date.fromisoformat(r["quarter"])} for r in data["wave"]]
    # The snapshot holds what `figures_to_json` wrote: the shape is ours, not checked here.
    return cast(ProgressFigures, {**data, "wave": wave})


def with_labels(figures: ProgressFigures) -> ProgressFigures:
    """Rows with no subsector read "Bukan ekraf" in the reader's language (the snapshot
    stores the key only, so one snapshot serves both languages)."""
    none = gettext("Bukan ekraf")
    relabel: list[GroupProgress] = [
        r if r["key"] else {**r, "label": none} for r in figures["by_subsector"]
    ]
    return {**figures, "by_subsector": relabel}


# --- planner inputs ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlannerParams:
    start: date
    deadline: date | None = None
    days_per_trip: int = 3
    trip_cost: int = 6_000_000
    local_trip_cost: int = 1_000_000
    group_level: str = "kecamatan"
    priority_kecamatan: str = ""
    priority_subsector: str = ""
    time_limit: float = 8.0
    horizon_years: int = 6
    whatif_local_assessors: int = 1
    whatif_days_per_trip: int = 5
    whatif_tuk_capacity: int = 0  # 0: twice the current TUK capacity

    def to_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["start"] = self.start.isoformat()
        out["deadline"] = self.deadline.isoformat() if self.deadline else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlannerParams:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["start"] = date.fromisoformat(known["start"])
        known["deadline"] = date.fromisoformat(known["deadline"]) if known.get("deadline") else None
        return cls(**known)


def planner_input(*, params: PlannerParams) -> P.PlanInput:
    """Ready candidates, assessor windows, TUK and the kept (open) batches, as plain data."""
    start = params.start
    horizon_end = start + timedelta(days=365 * params.horizon_years)
    rows = (
        Candidate.objects.filter(plannable_candidates_q(on=start))
        .values_list(
            "id",
            "scheme_id",
            "ikm__desa_id",
            "coaching_finished_on",
            "ikm__kecamatan_id",
            "ikm__subsector_id",
        )
        .order_by("id")
    )
    candidates = tuple(
        P.CandidateSpec(
            id=cid,
            scheme_id=scheme_id,
            area=desa,
            ready_on=max(ready or start, start),
            priority=bool(
                (params.priority_kecamatan and kec == params.priority_kecamatan)
                or (params.priority_subsector and sub == params.priority_subsector)
            ),
        )
        for cid, scheme_id, desa, ready, kec, sub in rows
    )
    assessors = []
    for a in Assessor.objects.filter(active=True).prefetch_related("schemes", "windows"):
        windows = tuple((w.start, w.end) for w in a.windows.all() if w.end >= start)
        if not windows:
            continue
        assessors.append(
            P.AssessorSpec(
                id=a.pk,
                name=a.name,
                schemes=frozenset(s.pk for s in a.schemes.all()),
                per_day=a.candidates_per_day,
                windows=windows,
                trip_cost=params.local_trip_cost if a.local else params.trip_cost,
                local=a.local,
            )
        )
    tuks = tuple(P.TukSpec(t.pk, t.name, t.capacity) for t in Tuk.objects.filter(active=True))
    holidays = holidays_between(start, horizon_end)
    busy = []
    for b in (
        Batch.objects.filter(status__in=OPEN_STATUSES, end_date__gte=start)
        .prefetch_related("assessors")
        .order_by("start_date")
    ):
        days = len(working_days(b.start_date, b.end_date, holidays)) or 1
        busy.append(
            P.Busy(
                assessor_ids=tuple(a.pk for a in b.assessors.all()),
                tuk_id=b.tuk_id,
                start=b.start_date,
                end=b.end_date,
                seats_per_day=-(-b.capacity // days),
            )
        )
    return P.PlanInput(
        candidates=candidates,
        assessors=tuple(assessors),
        tuks=tuks,
        days_per_trip=params.days_per_trip,
        start=start,
        horizon_end=horizon_end,
        deadline=params.deadline,
        group_level=params.group_level,
        busy=tuple(busy),
        time_limit=params.time_limit,
        holidays=holidays,
    )


def local_assessor_specs(inp: P.PlanInput, *, count: int, cost: int) -> tuple[P.AssessorSpec, ...]:
    """Hypothetical local assessors (e.g. through LSP Bali): both schemes, every week."""
    all_schemes = frozenset(s for a in inp.assessors for s in a.schemes) or frozenset(
        c.scheme_id for c in inp.candidates
    )
    per_day = max((a.per_day for a in inp.assessors), default=10)
    windows = ((inp.start, inp.horizon_end),)
    return tuple(
        P.AssessorSpec(-(i + 1), f"Asesor lokal {i + 1}", all_schemes, per_day, windows, cost, True)
        for i in range(count)
    )


# --- batches ------------------------------------------------------------------------------


def batch_list(*, status: str | None = None) -> QuerySet[Batch]:
    qs = Batch.objects.select_related("scheme", "tuk", "trip").annotate(
        n_candidates=Count("enrollments")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "code").prefetch_related(
        Prefetch("assessors", queryset=Assessor.objects.only("id", "name"))
    )


BATCH_CANDIDATE_HEADER = ["No", "Nama asesi", "Peran", "Nama IKM", "Desa/kelurahan", "Kecamatan"]


def batch_candidate_rows(*, batch: Batch) -> list[list[int | str]]:
    """One row source for the batch page, its PDF and its Excel file."""
    rows = (
        Enrollment.objects.filter(batch=batch)
        .select_related("candidate__ikm__desa", "candidate__ikm__kecamatan")
        .order_by("candidate__ikm__desa_id", "candidate__ikm__name", "candidate_id")
    )
    out: list[list[int | str]] = []
    for i, e in enumerate(rows, start=1):
        c = e.candidate
        out.append(
            [i, c.name, c.get_role_display(), c.ikm.name, c.ikm.desa.name, c.ikm.kecamatan.name]
        )
    return out


# --- candidates -------------------------------------------------------------------------


def candidate_list(
    *, scheme: str | None = None, kecamatan: str | None = None
) -> QuerySet[Candidate]:
    """Candidates of active IKM, with their scheme and IKM (the API's candidate list)."""
    qs = Candidate.objects.filter(ikm__closed_on__isnull=True).select_related("scheme", "ikm__desa")
    if scheme:
        qs = qs.filter(scheme__code=scheme)
    if kecamatan:
        qs = qs.filter(ikm__kecamatan_id=kecamatan)
    return qs
