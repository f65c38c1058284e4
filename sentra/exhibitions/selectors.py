"""Reads for exhibitions: the facts the selection rule needs, fairness figures, the one
row source for participant lists (page, PDF, Excel), the report, certificates, and the
young-entrepreneur counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.permissions import (
    can_see_applicant_personal,
    can_see_student_personal,
    mask_value,
)
from sentra.exhibitions import selection as S
from sentra.exhibitions import youth
from sentra.exhibitions.models import (
    Application,
    Exhibition,
    LinkStatus,
    Status,
    Student,
    StudentIkmLink,
    StudentRole,
)
from sentra.lib.cache import cached
from sentra.registry.models import Ikm, Sex
from sentra.registry.scale import Scale

if TYPE_CHECKING:
    from collections.abc import Callable

    from sentra.accounts.models import User

FOOD_SUBSECTOR = "B16-08"  # Kuliner
FOOD_KBLI_PREFIXES = ("10", "11")  # KBLI 2020: makanan, minuman


def exhibition_list() -> QuerySet[Exhibition]:
    return Exhibition.objects.annotate(
        n_applications=Count("applications", distinct=True),
        n_selected=Count(
            "applications", filter=Q(applications__status=Status.SELECTED), distinct=True
        ),
    ).order_by("-start_date", "name")


def open_for_signup(*, today: date) -> QuerySet[Exhibition]:
    return Exhibition.objects.filter(applications_open__lte=today, applications_close__gte=today)


def applications(exhibition: Exhibition) -> QuerySet[Application]:
    return exhibition.applications.select_related(
        "ikm__kecamatan", "ikm__desa", "ikm__subsector", "booth_type"
    ).order_by("booth_type__code", "booth_number", "waitlist_rank", "-points", "id")


def _is_food(ikm: Ikm) -> bool:
    return ikm.subsector_id == FOOD_SUBSECTOR or (ikm.kbli_id or "").startswith(FOOD_KBLI_PREFIXES)


def _exhibited_before(ikm_ids: list[int], before: date) -> dict[int, date]:
    """Each IKM's last exhibition with the office that ended before `before`."""
    rows = (
        Application.objects.filter(
            ikm_id__in=ikm_ids,
            status=Status.SELECTED,
            exhibition__end_date__lt=before,
        )
        .exclude(attended=False)
        .values_list("ikm_id", "exhibition__end_date")
    )
    last: dict[int, date] = {}
    for ikm_id, end in rows:
        if ikm_id not in last or end > last[ikm_id]:
            last[ikm_id] = end
    return last


def selection_problem(exhibition: Exhibition, *, time_limit: float = 10.0) -> S.Problem:
    """The exhibition's applications as the pure selection model's input."""
    from sentra.certification.models import Outcome as CertOutcome
    from sentra.certification.models import Result
    from sentra.certification.models import Role as CertRole
    from sentra.coaching.selectors import coached_subsector_codes

    apps = list(exhibition.applications.exclude(status=Status.CANCELLED).select_related("ikm"))
    ikm_ids = [a.ikm_id for a in apps]
    last = _exhibited_before(ikm_ids, exhibition.start_date)
    theme = set(exhibition.subsectors.values_list("code", flat=True))
    coached = coached_subsector_codes()
    managers = set(
        CertOutcome.objects.filter(
            ikm_id__in=ikm_ids,
            role=CertRole.MANAGER,
            result=Result.COMPETENT,
            expires_on__gte=exhibition.start_date,
        ).values_list("ikm_id", flat=True)
    )
    applicants = tuple(
        S.Applicant(
            key=a.pk,
            booth_type=a.booth_type_id,
            kecamatan=a.ikm.kecamatan_id,
            subsector=a.ikm.subsector_id or "",
            first_timer=a.ikm_id not in last,
            years_since_last=(
                (exhibition.start_date - last[a.ikm_id]).days // 365 if a.ikm_id in last else None
            ),
            theme=bool(a.ikm.subsector_id and a.ikm.subsector_id in theme),
            coached=bool(a.ikm.subsector_id and a.ikm.subsector_id in coached),
            food=_is_food(a.ikm),
            food_permit=bool(a.ikm.pirt_number or a.ikm.halal_number),
            certified_manager=a.ikm_id in managers,
            forced={"in": True, "out": False}.get(a.override),
        )
        for a in apps
    )
    return S.Problem(
        applicants=applicants,
        booths={b.pk: b.count for b in exhibition.booths.all()},
        max_per_kecamatan=exhibition.max_per_kecamatan,
        max_per_subsector=exhibition.max_per_subsector,
        kecamatan_quotas=dict(exhibition.kecamatan_quotas or {}),
        subsector_quotas=dict(exhibition.subsector_quotas or {}),
        time_limit=time_limit,
    )


REASONS = {
    "first_timer": gettext_lazy("belum pernah ikut pameran dinas (+%(points)s)"),
    "years_since": gettext_lazy("lama sejak pameran terakhir (+%(points)s)"),
    "theme": gettext_lazy("subsektor sesuai tema (+%(points)s)"),
    "coached": gettext_lazy("subsektor binaan dinas (+%(points)s)"),
    "ready": gettext_lazy("produk siap (izin PIRT/halal untuk pangan) (+%(points)s)"),
    "certified_manager": gettext_lazy("pengelola bersertifikat kompetensi (+%(points)s)"),
    "only_kecamatan": gettext_lazy("satu-satunya dari kecamatannya (+%(points)s)"),
    "only_subsector": gettext_lazy("satu-satunya dari subsektornya (+%(points)s)"),
    "forced_in": gettext_lazy("dipilih oleh petugas"),
    "forced_out": gettext_lazy("tidak dipilih oleh petugas"),
    "no_booths": gettext_lazy("tidak ada stan jenis ini"),
    "booths_full": gettext_lazy(
        "%(count)s stan jenis ini terisi pendaftar berpoin lebih tinggi (terendah %(lowest)s)"
    ),
    "kecamatan_quota": gettext_lazy("kuota kecamatan (%(limit)s) sudah penuh"),
    "subsector_quota": gettext_lazy("kuota subsektor (%(limit)s) sudah penuh"),
    "not_reached": gettext_lazy("batas waktu solver tercapai sebelum pendaftar ini diputuskan"),
    "not_ready": gettext_lazy("produk pangan tanpa PIRT/halal"),
    "promoted": gettext_lazy("naik dari daftar tunggu karena peserta lain batal"),
}


def reason_texts(reasons: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [str(REASONS[code]) % params for code, params in reasons if code in REASONS]


# --- fairness ---------------------------------------------------------------------------


def _shares(values: list[str]) -> dict[str, float]:
    counts = Counter(values)
    total = sum(counts.values()) or 1
    return {k: 100 * n / total for k, n in counts.items()}


def fairness(exhibition: Exhibition) -> dict[str, Any]:
    """Applicants' and the selection's make-up side by side, in percent; for kecamatan
    and subsectors also the participants picked against the officer's quota."""
    problem = selection_problem(exhibition)
    first = {a.key: a.first_timer for a in problem.applicants}
    apps = [a for a in applications(exhibition) if a.status != Status.CANCELLED]
    picked = [a for a in apps if a.status == Status.SELECTED]
    sex_labels = dict(Sex.choices)
    scale_labels = dict(Scale.choices)
    # (label, the row's name, the quota dimension and code, or None: no quota)
    dims: list[
        tuple[
            str,
            Callable[[Application], str],
            Callable[[Application], tuple[str, str] | None],
        ]
    ] = [
        (
            _("Kecamatan"),
            lambda a: a.ikm.kecamatan.name,
            lambda a: ("kecamatan", a.ikm.kecamatan_id),
        ),
        (
            _("Subsektor"),
            # mypy cannot see that a set subsector_id means the subsector is there
            lambda a: a.ikm.subsector.name if a.ikm.subsector_id else _("bukan ekraf"),  # type: ignore[union-attr]
            lambda a: ("subsector", a.ikm.subsector_id) if a.ikm.subsector_id else None,
        ),
        (
            _("Jenis kelamin pemilik"),
            lambda a: str(sex_labels.get(a.ikm.owner_sex, _("tidak diketahui"))),
            lambda a: None,
        ),
        (
            _("Skala usaha"),
            lambda a: str(scale_labels.get(a.ikm.scale, _("belum diketahui"))),
            lambda a: None,
        ),
    ]
    tables = []
    for label, get, group in dims:
        left = _shares([get(a) for a in apps])
        right = _shares([get(a) for a in picked])
        counts = Counter(get(a) for a in picked)
        groups = {get(a): group(a) for a in apps}
        limits = {v: problem.limit(*g) if g is not None else None for v, g in groups.items()}
        rows = [
            {
                "value": v,
                "applicants": left.get(v, 0.0),
                "selected": right.get(v, 0.0),
                "count": counts.get(v, 0),
                "quota": limits.get(v),
            }
            for v in sorted(set(left) | set(right))
        ]
        tables.append(
            {"label": label, "rows": rows, "has_quota": any(r["quota"] is not None for r in rows)}
        )

    def first_share(items: list[Application]) -> float:
        return 100 * sum(first.get(a.pk, False) for a in items) / len(items) if items else 0.0

    return {
        "applicants": len(apps),
        "selected": len(picked),
        "first_timers_applicants": first_share(apps),
        "first_timers_selected": first_share(picked),
        "tables": tables,
        "quotas": quota_rows(exhibition),
    }


def quota_rows(exhibition: Exhibition) -> list[dict[str, Any]]:
    """The officer's quotas by name (named ones first, then the default for the rest)."""
    from sentra.areas.models import Area
    from sentra.sectors.models import Subsector

    names = {
        "kecamatan": dict(
            Area.objects.filter(code__in=list(exhibition.kecamatan_quotas or {})).values_list(
                "code", "name"
            )
        ),
        "subsector": dict(
            Subsector.objects.filter(code__in=list(exhibition.subsector_quotas or {})).values_list(
                "code", "name"
            )
        ),
    }
    rows = []
    for dim, label, quotas, default in (
        ("kecamatan", _("Kecamatan"), exhibition.kecamatan_quotas, exhibition.max_per_kecamatan),
        ("subsector", _("Subsektor"), exhibition.subsector_quotas, exhibition.max_per_subsector),
    ):
        for code, limit in sorted(
            (quotas or {}).items(), key=lambda kv: names[dim].get(kv[0], kv[0])
        ):
            rows.append({"dim": label, "name": names[dim].get(code, code), "limit": limit})
        rows.append({"dim": label, "name": _("lainnya"), "limit": default})
    return rows


# --- participant list (page, PDF, Excel) -------------------------------------------------


def _attended_label(attended: bool | None) -> str:
    return {True: _("ya"), False: _("tidak"), None: ""}[attended]


def participant_header() -> list[str]:
    return [
        _("Stan"),
        _("Jenis stan"),
        _("Nama usaha"),
        _("Kontak"),
        _("Nomor HP"),
        _("E-mail"),
        _("Kecamatan"),
        _("Subsektor"),
        _("Produk"),
        _("Hadir"),
    ]


def participant_rows(*, exhibition: Exhibition, user: User) -> list[list[Any]]:
    rows = []
    for a in applications(exhibition).filter(status=Status.SELECTED):
        personal = can_see_applicant_personal(user, a.ikm.kecamatan_id)
        rows.append(
            [
                a.booth_number,
                a.booth_type.name,
                a.ikm.name,
                a.contact_name,
                a.contact_phone if personal else mask_value("owner_phone", a.contact_phone),
                a.contact_email if personal else mask_value("owner_email", a.contact_email),
                a.ikm.kecamatan.name,
                a.ikm.subsector.name if a.ikm.subsector else "",
                a.products,
                _attended_label(a.attended),
            ]
        )
    return rows


# --- report -----------------------------------------------------------------------------


@dataclass
class Report:
    participants: int
    attended: int
    sales: int
    orders_after: int
    buyer_contacts: int
    rating: float | None
    booth_cost: int
    other_costs: int
    total_cost: int
    cost_per_booth: float | None
    cost_per_rupiah_sales: float | None
    outcomes_recorded: int


def report(exhibition: Exhibition) -> Report:
    selected = exhibition.applications.filter(status=Status.SELECTED)
    agg = selected.aggregate(
        sales=Sum("outcome__sales"),
        orders=Sum("outcome__orders_after"),
        contacts=Sum("outcome__buyer_contacts"),
        subsidy=Sum("booth_type__subsidy"),
        rated=Count("outcome__rating"),
        rating_sum=Sum("outcome__rating"),
        recorded=Count("outcome"),
    )
    n = selected.count()
    booth_cost = agg["subsidy"] or 0
    total = booth_cost + exhibition.other_costs
    sales = agg["sales"] or 0
    return Report(
        participants=n,
        attended=selected.filter(attended=True).count(),
        sales=sales,
        orders_after=agg["orders"] or 0,
        buyer_contacts=agg["contacts"] or 0,
        rating=(agg["rating_sum"] / agg["rated"]) if agg["rated"] else None,
        booth_cost=booth_cost,
        other_costs=exhibition.other_costs,
        total_cost=total,
        cost_per_booth=total / n if n else None,
        cost_per_rupiah_sales=total / sales if sales else None,
        outcomes_recorded=agg["recorded"],
    )


def report_header() -> list[str]:
    return [
        _("Stan"),
        _("Nama usaha"),
        _("Kecamatan"),
        _("Hadir"),
        _("Penjualan (Rp)"),
        _("Kontak pembeli"),
        _("Pesanan setelah pameran (Rp)"),
        _("Branding"),
        _("Penilaian"),
    ]


def report_rows(exhibition: Exhibition) -> list[list[Any]]:
    rows = []
    for a in applications(exhibition).filter(status=Status.SELECTED).select_related("outcome"):
        o = getattr(a, "outcome", None)
        rows.append(
            [
                a.booth_number,
                a.ikm.name,
                a.ikm.kecamatan.name,
                _attended_label(a.attended),
                o.sales if o else None,
                o.buyer_contacts if o else None,
                o.orders_after if o else None,
                o.branding if o else "",
                o.rating if o else None,
            ]
        )
    return rows


def report_photos(exhibition: Exhibition) -> list[dict[str, Any]]:
    """Each participant with photos, and the photos as thumbnails (for the PDF)."""
    from sentra.exhibitions.models import OutcomePhoto
    from sentra.lib.images import thumbnail_data_uri

    photos = OutcomePhoto.objects.filter(
        outcome__application__exhibition=exhibition,
        outcome__application__status=Status.SELECTED,
    ).select_related("outcome__application__ikm")
    out: dict[int, dict[str, Any]] = {}
    for photo in photos.order_by("outcome__application__booth_number", "uploaded_at", "id"):
        a = photo.outcome.application
        try:
            with photo.image.open("rb") as f:
                thumb = thumbnail_data_uri(f)
        except OSError:  # the file is gone from MEDIA_ROOT (a restore without media)
            thumb = None
        if thumb:
            entry = out.setdefault(
                a.pk, {"booth": a.booth_number, "name": a.ikm.name, "thumbs": []}
            )
            entry["thumbs"].append({"src": thumb, "caption": photo.caption})
    return list(out.values())


# --- certificates -----------------------------------------------------------------------


def certificate_lookup(code: str) -> dict[str, Any] | None:
    """What the public verification page may say about a code: no personal data."""
    code = (code or "").strip().upper()
    if not code:
        return None
    a = (
        Application.objects.filter(certificate_code=code, attended=True)
        .select_related("ikm", "exhibition")
        .first()
    )
    if a:
        return {
            "kind": _("Sertifikat peserta pameran"),
            "holder": a.ikm.name,
            "exhibition": a.exhibition,
            "role": _("Peserta (stan %(booth)s)") % {"booth": a.booth_number},
        }
    r = (
        StudentRole.objects.filter(certificate_code=code)
        .select_related("student__institution", "exhibition")
        .first()
    )
    if r:
        return {
            "kind": _("Sertifikat mahasiswa/siswa"),
            "holder": f"{r.student.name} ({r.student.institution.name})",
            "exhibition": r.exhibition,
            "role": _("%(role)s, %(hours)s jam") % {"role": r.get_role_display(), "hours": r.hours},
        }
    return None


# --- students and young entrepreneurs ---------------------------------------------------


def student_list() -> QuerySet[Student]:
    return Student.objects.select_related("institution").annotate(
        n_roles=Count("roles", distinct=True),
        hours=Sum("roles__hours"),
    )


def student_contact(*, student: Student, user: User) -> dict[str, Any]:
    if can_see_student_personal(user):
        return {
            "phone": student.phone,
            "email": student.email,
            "birth_date": student.birth_date,
            "nik": student.nik,
        }
    return {
        "phone": mask_value("owner_phone", student.phone),
        "email": mask_value("owner_email", student.email),
        "birth_date": mask_value("owner_birth_date", student.birth_date),
        "nik": mask_value("owner_nik", student.nik),
    }


def young_founders_by_year(*, years: int = 6, today: date | None = None) -> list[dict[str, Any]]:
    """Per start year: IKM founded by an owner aged 16–30 (UU 40/2009), and how many of
    those founders had taken part in an exhibition first (as a confirmed former student
    with a role at an exhibition before the start year, or the IKM itself exhibiting
    before — impossible for a business that did not exist yet, so the student route).

    Reads every owner born in the window (a second at 400k IKM): computed once per
    change of the data (`lib.cache.cached`), as the dashboard's other figures are."""
    today = today or date.today()
    return cached(
        f"young-founders:{years}:{today.isoformat()}",
        lambda: _young_founders_by_year(years=years, today=today),
    )


def _young_founders_by_year(*, years: int, today: date) -> list[dict[str, Any]]:
    first = today.year - years + 1
    # The database narrows to owners born in a window a little wider than youth; the
    # exact rule (youth.founded_young, month-precise) decides on the few left.
    owners = Ikm.objects.filter(
        started_year__gte=first,
        started_year__lte=today.year,
        owner_birth_date__gte=date(first - youth.YOUTH_MAX_AGE - 2, 1, 1),
        owner_birth_date__lte=date(today.year - youth.YOUTH_MIN_AGE + 1, 12, 31),
    ).values_list("pk", "owner_birth_date", "started_year", "started_month")
    young: dict[int, int] = {}
    for pk, birth, year, month in owners.iterator(chunk_size=5000):
        if year is not None and youth.founded_young(
            birth_date=birth, started_year=year, started_month=month
        ):
            young[pk] = year
    exhibited: set[int] = set()
    links = StudentIkmLink.objects.filter(
        status=LinkStatus.CONFIRMED, ikm_id__in=list(young)
    ).values_list("ikm_id", "student_id")
    by_student: dict[int, list[int]] = {}
    for ikm_id, student_id in links:
        by_student.setdefault(student_id, []).append(ikm_id)
    for student_id, start in StudentRole.objects.filter(
        student_id__in=list(by_student)
    ).values_list("student_id", "exhibition__start_date"):
        for ikm_id in by_student[student_id]:
            if start.year <= young[ikm_id]:
                exhibited.add(ikm_id)
    out = []
    for year in range(first, today.year + 1):
        ids = [pk for pk, y in young.items() if y == year]
        out.append(
            {"year": year, "young": len(ids), "exhibited_first": sum(i in exhibited for i in ids)}
        )
    return out


def ikm_exhibited_ids() -> QuerySet[Application, Any]:  # rows of values("ikm_id")
    """IKM that took part in an exhibition (selected and not marked absent)."""
    return (
        Application.objects.filter(status=Status.SELECTED).exclude(attended=False).values("ikm_id")
    )


def dashboard_figures(*, today: date | None = None) -> dict[str, Any]:
    """The dashboard's exhibition panel: the last exhibition held, those open for
    sign-up, and young founders of the last full year."""
    today = today or date.today()
    last = Exhibition.objects.filter(end_date__lt=today).order_by("-end_date").first()
    young = young_founders_by_year(years=2, today=today)
    return {
        "last": last,
        "last_report": report(last) if last else None,
        "open": list(open_for_signup(today=today)[:3]),
        "young": young[0] if young else None,
        "exhibited_ikm": cached(
            "exhibited-ikm",
            lambda: Ikm.objects.active().filter(pk__in=ikm_exhibited_ids()).count(),
        ),
    }
