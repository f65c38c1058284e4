"""Reads about coaching: coverage of IKM, candidates for the next subsector, activities.

"Coached" means an IKM that took part in at least one activity (optionally since a year).
Coverage is counted on distinct IKM (id IN participants), so an IKM in several activities or in two
categories that share one subsector (kerajinan and kriya are both Kriya) counts once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.areas.models import Area
from sentra.coaching.attendance import AttendanceMatch, attendance_review
from sentra.coaching.models import Activity, AttendanceRun, Category, Participation, Programme
from sentra.lib import formats
from sentra.lib.progress import Progress, estimate
from sentra.lib.rates import compound_rate, last_years
from sentra.registry.models import Ikm
from sentra.registry.selectors import ikm_stock_by
from sentra.sectors.models import Subsector


def coached_q(*, since_year: int | None = None) -> Q:
    """IKM that took part in an activity: `id IN (participant ids)`.

    An uncorrelated IN lets PostgreSQL hash the participant ids once (and SQLite build
    one temporary index) instead of probing per IKM row as a correlated EXISTS would:
    about ten times faster over 400k IKM. Use in filter() or in Count(filter=…).
    """
    participations = Participation.objects.all()
    if since_year:
        participations = participations.filter(activity__date__year__gte=since_year)
    return Q(pk__in=participations.values("ikm_id"))


def coached_ikm(*, since_year: int | None = None) -> QuerySet[Ikm]:
    return Ikm.objects.filter(coached_q(since_year=since_year))


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("subsector")


def coached_subsector_codes() -> set[str]:
    return set(active_categories().values_list("subsector_id", flat=True))


@dataclass
class Cell:
    n: int = 0
    coached: int = 0

    @property
    def share(self) -> float | None:
        return self.coached / self.n if self.n else None


@dataclass
class MatrixRow:
    subsector: Subsector | None  # None: bukan ekraf
    categories: list[Category]
    cells: dict[str, Cell]
    total: Cell


@dataclass
class CoverageMatrix:
    kecamatan: list[Area]
    rows: list[MatrixRow]
    column_totals: dict[str, Cell]
    total: Cell
    coached_subsectors_total: Cell = field(default_factory=Cell)


def coverage_matrix(*, since_year: int | None = None) -> CoverageMatrix:
    """Active IKM, coached IKM and share for every subsector × kecamatan (one GROUP BY)."""
    kecamatan = list(Area.objects.kecamatan().order_by("code"))
    subsectors = list(Subsector.objects.filter(scheme="bekraf_16").order_by("code"))
    categories = defaultdict(list)
    for cat in active_categories():
        categories[cat.subsector_id].append(cat)
    grouped = (
        Ikm.objects.active()
        .values("subsector_id", "kecamatan_id")
        .annotate(
            n=Count("id"),
            coached=Count("id", filter=coached_q(since_year=since_year)),
        )
        .order_by()
    )
    cells: dict[str | None, dict[str, Cell]] = defaultdict(dict)
    for g in grouped:
        cells[g["subsector_id"]][g["kecamatan_id"]] = Cell(g["n"], g["coached"])

    def row_for(sub: Subsector | None) -> MatrixRow:
        key = sub.code if sub else None
        row_cells = {k.code: cells[key].get(k.code, Cell()) for k in kecamatan}
        total = Cell(
            sum(c.n for c in row_cells.values()), sum(c.coached for c in row_cells.values())
        )
        return MatrixRow(sub, categories.get(key, []) if key else [], row_cells, total)

    rows = [row_for(s) for s in subsectors] + [row_for(None)]
    column_totals = {
        k.code: Cell(
            sum(r.cells[k.code].n for r in rows), sum(r.cells[k.code].coached for r in rows)
        )
        for k in kecamatan
    }
    total = Cell(sum(r.total.n for r in rows), sum(r.total.coached for r in rows))
    in_coached = [r for r in rows if r.categories]
    matrix = CoverageMatrix(kecamatan, rows, column_totals, total)
    matrix.coached_subsectors_total = Cell(
        sum(r.total.n for r in in_coached), sum(r.total.coached for r in in_coached)
    )
    return matrix


@dataclass
class Candidate:
    subsector: Subsector
    n: int
    workers: int
    share_of_creative: float
    growth: float | None
    top_kecamatan: str
    top_lq: float | None
    score: float
    reasons: list[str]


def _id_num(value: float, decimals: int = 0) -> str:
    """Indonesian separators: 1234.5 → "1.234,5"."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# Weights of the candidate score; stated on the coaching page.
SCORE_WEIGHTS = {"size": 0.5, "growth": 0.3, "workers": 0.2}


def candidate_subsectors(*, today: date | None = None) -> list[Candidate]:
    """Uncoached Bekraf subsectors ranked as candidates for the next one to coach.

    score = 0.5 × IKM/maks + 0.3 × pertumbuhan/maks (negatif = 0) + 0.2 × TK/maks.
    """
    coached = coached_subsector_codes()
    subsectors = list(
        Subsector.objects.filter(scheme="bekraf_16").exclude(code__in=coached).order_by("code")
    )
    active = Ikm.objects.active()
    sizes = {
        r["subsector_id"]: r
        for r in active.filter(subsector__isnull=False)
        .values("subsector_id")
        .annotate(n=Count("id"), workers=Sum("workers_total"))
        .order_by()
    }
    creative_total = sum(r["n"] for r in sizes.values()) or 1
    city_total = active.count() or 1
    by_kec: defaultdict[str, dict[str, int]] = defaultdict(dict)
    kec_totals = dict(active.values_list("kecamatan_id").annotate(n=Count("id")).order_by())
    for r in (
        active.filter(subsector__isnull=False)
        .values("subsector_id", "kecamatan_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_kec[r["subsector_id"]][r["kecamatan_id"]] = r["n"]
    kec_names = dict(Area.objects.kecamatan().values_list("code", "name"))
    # The 3-year compound growth of each subsector's active stock (the atlas's figure,
    # read from the registry so that coaching needs nothing from the atlas).
    span = last_years(today or date.today(), 3)
    growth = {
        code: compound_rate(by_year[span[0]], by_year[span[-1]], 3)
        for code, by_year in ikm_stock_by(Ikm.objects.all(), key="subsector_id", years=span).items()
    }

    raw = []
    for sub in subsectors:
        size = sizes.get(sub.code, {"n": 0, "workers": 0})
        n, workers = size["n"], size["workers"] or 0
        top_code, top_lq = "", None
        if n:
            lqs = {
                k: (c / kec_totals[k]) / (n / city_total)
                for k, c in by_kec[sub.code].items()
                if kec_totals.get(k)
            }
            top_code = max(lqs, key=lambda k: lqs[k])
            top_lq = lqs[top_code]
        raw.append((sub, n, workers, growth.get(sub.code), top_code, top_lq))

    max_n = max((r[1] for r in raw), default=0) or 1
    max_w = max((r[2] for r in raw), default=0) or 1
    max_g = max((r[3] or 0 for r in raw), default=0) or 1
    out = []
    for sub, n, workers, g, top_code, top_lq in raw:
        g_pos = max(g or 0.0, 0.0)
        score = (
            SCORE_WEIGHTS["size"] * n / max_n
            + SCORE_WEIGHTS["growth"] * g_pos / max_g
            + SCORE_WEIGHTS["workers"] * workers / max_w
        )
        # Reasons are read in the active language and its number notation.
        reasons: list[str] = []
        if n:
            reasons.append(
                _("%(n)s IKM aktif (%(share)s dari IKM ekraf)")
                % {"n": formats.number(n), "share": formats.percent(100 * n / creative_total)}
            )
            reasons.append(_("%(n)s tenaga kerja") % {"n": formats.number(workers)})
            if g is not None:
                reasons.append(
                    _("tumbuh rata-rata %(rate)s/tahun dalam 3 tahun terakhir")
                    % {"rate": formats.percent(100 * g)}
                )
            if top_lq and top_lq >= 1.2:
                reasons.append(
                    _("terpusat di %(area)s (LQ %(lq)s)")
                    % {"area": kec_names.get(top_code, top_code), "lq": formats.number(top_lq, 2)}
                )
        else:
            reasons.append(_("belum ada IKM aktif tercatat"))
        out.append(
            Candidate(
                subsector=sub,
                n=n,
                workers=workers,
                share_of_creative=n / creative_total,
                growth=g,
                top_kecamatan=kec_names.get(top_code, ""),
                top_lq=top_lq,
                score=score,
                reasons=reasons,
            )
        )
    out.sort(key=lambda c: (-c.score, c.subsector.code))
    return out


def upcoming_activities(*, today: date | None = None, limit: int = 5) -> QuerySet[Activity]:
    today = today or date.today()
    return (
        Activity.objects.filter(date__gte=today)
        .select_related("programme__category")
        .order_by("date", "id")[:limit]
    )


def programme_list(*, year: int | None = None, category: str = "") -> QuerySet[Programme]:
    qs = Programme.objects.select_related("category__subsector").annotate(
        n_activities=Count("activities", distinct=True),
        n_participants=Count("activities__participations__ikm", distinct=True),
    )
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(category__code=category)
    return qs.order_by("-year", "category__order", "name")


def activity_list(*, programme: Programme | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("programme__category").annotate(
        n_participants=Count("participations")
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("-date", "-id")


def activity_participants(activity: Activity) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(activity=activity)
        .select_related("ikm__desa", "ikm__subsector")
        .order_by("ikm__name", "ikm_id")
    )


def category_summary() -> list[dict[str, Any]]:
    """Each active category with its official subsector and distinct coached IKM."""
    rows = []
    for cat in active_categories().annotate(
        n_programmes=Count("programmes", distinct=True),
        n_ikm=Count("programmes__activities__participations__ikm", distinct=True),
    ):
        rows.append({"category": cat, "n_programmes": cat.n_programmes, "n_ikm": cat.n_ikm})
    return rows


# --- the daftar hadir run -----------------------------------------------------------------

# The stages a run goes through, as the page says them (the engine names its own).
ATTENDANCE_STAGES = {
    "registri": gettext_lazy("membaca registri IKM"),
    "normalisasi": gettext_lazy("menyiapkan nama, nomor HP dan alamat"),
    "blocking": gettext_lazy("mencari calon pasangan"),
    "perbandingan": gettext_lazy("membandingkan calon pasangan"),
    "estimasi model": gettext_lazy("menaksir model pencocokan"),
    "skor": gettext_lazy("menilai kemiripan"),
    "selesai": gettext_lazy("menyimpan usulan"),
}


def attendance_run_progress(*, run: AttendanceRun) -> Progress:
    """Where the run is: percent of the work, the list's rows done (once stored) and
    the time left at the pace so far; an indeterminate bar while it waits."""
    if run.status == AttendanceRun.Status.QUEUED or run.started_at is None:
        return estimate(done=None, total=None, elapsed=0)
    elapsed = ((run.finished_at or timezone.now()) - run.started_at).total_seconds()
    by_work = estimate(done=run.percent, total=100, elapsed=elapsed)
    stage = ATTENDANCE_STAGES.get(run.stage, run.stage)
    # Rows count as done once their proposal is stored (all at once, at the end: the
    # engine matches the whole list in one pass); percent and time left follow the work.
    return replace(by_work, done=run.done, total=run.total, stage=str(stage))


def attendance_run_review(*, run: AttendanceRun, viewer: Any) -> AttendanceMatch:
    """The confirmation step of a finished run, for `viewer`."""
    return attendance_review(
        rows=run.rows,
        result=run.result,
        columns=run.columns,
        notes=run.notes,
        activity=run.activity,
        viewer=viewer,
    )
