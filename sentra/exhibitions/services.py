"""Writes for exhibitions and students. Each validates, checks the policy, saves, and
writes its audit entry."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import audit_log, diff, snapshot
from sentra.exhibitions import matching, selectors
from sentra.exhibitions import selection as S
from sentra.exhibitions.models import (
    Application,
    BoothType,
    Channel,
    Exhibition,
    Institution,
    LinkStatus,
    Outcome,
    Status,
    Student,
    StudentIkmLink,
    StudentRole,
    new_code,
)
from sentra.registry.models import Ikm

EXHIBITION_FIELDS = [
    "name",
    "organiser",
    "organiser_name",
    "start_date",
    "end_date",
    "venue",
    "theme",
    "applications_open",
    "applications_close",
    "max_per_kecamatan",
    "max_per_subsector",
    "other_costs",
]
OUTCOME_FIELDS = [
    "sales",
    "buyer_contacts",
    "orders_after",
    "branding",
    "rating",
    "photo_url",
    "notes",
]


@transaction.atomic
def exhibition_create(
    *, actor, data: dict[str, Any], subsectors=(), booths: list[dict[str, Any]]
) -> Exhibition:
    """An exhibition with its booth types (name, count, size_m2, power_watt, water, fee,
    subsidy, code)."""
    require_manage_exhibitions(actor)
    if not booths:
        raise ValidationError(_("Pameran memerlukan paling sedikit satu jenis stan."))
    exhibition = Exhibition(**data, created_by=actor)
    exhibition.full_clean()
    exhibition.save()
    exhibition.subsectors.set(subsectors)
    for booth in booths:
        b = BoothType(exhibition=exhibition, **booth)
        b.full_clean()
        b.save()
    audit_log(
        actor=actor,
        obj=exhibition,
        action="create",
        changes=diff({}, snapshot(exhibition, EXHIBITION_FIELDS)),
        note=", ".join(f"{b['name']} ×{b['count']}" for b in booths),
    )
    return exhibition


def _application_save(*, actor, application: Application, source: str) -> Application:
    if application.status != Status.APPLIED:
        raise ValidationError(_("Pendaftaran baru selalu berstatus diajukan."))
    if Application.objects.filter(exhibition=application.exhibition, ikm=application.ikm).exists():
        raise ValidationError(_("IKM ini sudah mendaftar di pameran ini."))
    application.full_clean()
    application.save()
    audit_log(
        actor=actor,
        obj=application,
        action="create",
        changes=diff(
            {},
            snapshot(application, ["exhibition", "ikm", "booth_type", "channel", "products"]),
        ),
        source=source,
    )
    return application


@transaction.atomic
def application_create(
    *,
    actor,
    exhibition: Exhibition,
    ikm: Ikm,
    booth_type: BoothType,
    products: str,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
) -> Application:
    """An application entered by an officer (from a letter, a call, a visit)."""
    require_manage_exhibitions(actor)
    return _application_save(
        actor=actor,
        application=Application(
            exhibition=exhibition,
            ikm=ikm,
            booth_type=booth_type,
            channel=Channel.OFFICER,
            products=products,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            created_by=actor,
        ),
        source=_("dicatat petugas"),
    )


@transaction.atomic
def signup_submit(
    *, exhibition: Exhibition, data: dict[str, Any], registry: list[dict] | None = None
) -> Application:
    """A public sign-up: matched to the registry by the linkage engine; an unknown
    applicant becomes a new IKM marked "perlu diverifikasi" for an officer.

    `data` holds the form's cleaned fields: business_name, owner_name, owner_sex,
    phone, email, desa (Area), address, products, subsector (or None), nib,
    pirt_number, halal_number, booth_type, consent (True).
    """
    from sentra.registry.services import ikm_create_from_signup

    today = timezone.localdate()
    if not exhibition.is_open_on(today):
        raise ValidationError(_("Pendaftaran pameran ini tidak sedang dibuka."))
    if not data.get("consent"):
        raise ValidationError(_("Persetujuan pemrosesan data pribadi diperlukan."))
    record = {
        "name": data["business_name"],
        "owner_name": data["owner_name"],
        "owner_phone": data["phone"],
        "address": data.get("address", ""),
        "desa_id": data["desa"].code,
        "main_products": data["products"],
        "nib": data.get("nib", ""),
    }
    (found,) = matching.registry_matches(
        [record], threshold=matching.SIGNUP_THRESHOLD, registry=registry
    )
    source = _("pendaftaran publik %(name)s") % {"name": exhibition}
    if found:
        ikm = Ikm.objects.get(pk=found[0].ikm_id)
        probability, new = found[0].probability, False
    else:
        ikm = ikm_create_from_signup(
            data={
                "name": data["business_name"],
                "owner_name": data["owner_name"],
                "owner_sex": data.get("owner_sex", ""),
                "owner_phone": data["phone"],
                "owner_email": data.get("email", ""),
                "address": data.get("address", ""),
                "desa_id": data["desa"].code,
                "main_products": data["products"],
                "subsector": data.get("subsector"),
                "nib": data.get("nib", ""),
                "pirt_number": data.get("pirt_number", ""),
                "halal_number": data.get("halal_number", ""),
            },
            source_reference=_("%(source)s — perlu diverifikasi") % {"source": source},
        )
        probability, new = None, True
    return _application_save(
        actor=None,
        application=Application(
            exhibition=exhibition,
            ikm=ikm,
            booth_type=data["booth_type"],
            channel=Channel.PUBLIC,
            products=data["products"],
            contact_name=data["owner_name"],
            contact_phone=data["phone"],
            contact_email=data.get("email", ""),
            consent_at=timezone.now(),
            needs_verification=new,
            match_probability=probability,
        ),
        source=source,
    )


@transaction.atomic
def application_verify(*, actor, application: Application) -> Application:
    """An officer has checked the IKM a sign-up created."""
    require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.needs_verification:
        application.needs_verification = False
        application.save(update_fields=["needs_verification"])
        audit_log(
            actor=actor,
            obj=application,
            action="verify",
            changes={"needs_verification": [True, False]},
        )
    return application


def _allocate_booths(exhibition: Exhibition, picked: list[Application]) -> dict[int, str]:
    """Booth numbers per type in order of points: A-01, A-02, … (the booth plan)."""
    by_type: dict[int, list[Application]] = defaultdict(list)
    for a in picked:
        by_type[a.booth_type_id].append(a)
    numbers: dict[int, str] = {}
    for booth in exhibition.booths.all():
        ordered = sorted(by_type.get(booth.pk, []), key=lambda a: (-(a.points or 0), a.pk))
        for i, a in enumerate(ordered, start=1):
            numbers[a.pk] = f"{booth.code}-{i:02d}"
    return numbers


@transaction.atomic
def selection_run(*, actor, exhibition: Exhibition, time_limit: float = 10.0) -> S.Selection:
    """Solve the published selection rule and write each application's status, points,
    reasons, waiting-list rank and booth number."""
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    problem = selectors.selection_problem(exhibition, time_limit=time_limit)
    return _selection_write(actor=actor, exhibition=exhibition, result=S.solve(problem))


def _selection_write(*, actor, exhibition: Exhibition, result: S.Selection) -> S.Selection:
    # Also the demo data's writer (actor None), so demo selections look like real ones.
    if not result.feasible:
        raise ValidationError(
            _("Keputusan petugas tidak muat dalam stan dan kuota: periksa pilihan manual.")
        )
    apps = {
        a.pk: a
        for a in exhibition.applications.select_for_update().exclude(status=Status.CANCELLED)
    }
    before = {pk: (a.status, a.booth_number) for pk, a in apps.items()}
    for pk, d in result.decisions.items():
        a = apps[pk]
        a.status = Status.SELECTED if d.picked else Status.WAITLIST
        a.points = d.points
        a.reasons = [[code, params] for code, params in d.reasons]
    waiting = sorted(
        (a for a in apps.values() if a.status == Status.WAITLIST),
        key=lambda a: (-(a.points or 0), a.pk),
    )
    for rank, a in enumerate(waiting, start=1):
        a.waitlist_rank = rank
    picked = [a for a in apps.values() if a.status == Status.SELECTED]
    numbers = _allocate_booths(exhibition, picked)
    # Booth numbers are unique per exhibition: clear them first, then assign.
    Application.objects.filter(pk__in=list(apps)).update(booth_number="")
    for a in apps.values():
        a.booth_number = numbers.get(a.pk, "")
        if a.status == Status.SELECTED:
            a.waitlist_rank = None
    Application.objects.bulk_update(
        list(apps.values()), ["status", "points", "reasons", "waitlist_rank", "booth_number"]
    )
    exhibition.selection_run_at = timezone.now()
    exhibition.selection_optimal = result.optimal
    exhibition.save(update_fields=["selection_run_at", "selection_optimal"])
    changed = {
        str(pk): [list(before[pk]), [a.status, a.booth_number]]
        for pk, a in apps.items()
        if before[pk] != (a.status, a.booth_number)
    }
    audit_log(
        actor=actor,
        obj=exhibition,
        action="select",
        changes=changed,
        note=_("%(n)s terpilih dari %(total)s, nilai tujuan %(obj)s%(opt)s")
        % {
            "n": len(picked),
            "total": len(apps),
            "obj": result.objective,
            "opt": _(", optimal terbukti") if result.optimal else "",
        },
    )
    return result


@transaction.atomic
def application_override(
    *, actor, application: Application, decision: str, note: str
) -> S.Selection:
    """An officer picks ("in") or drops ("out") an applicant, or lifts the decision ("");
    the selection is solved again around it so booths and the waiting list stay right."""
    require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if decision not in ("in", "out", ""):
        raise ValidationError(_("Keputusan tidak dikenal."))
    if application.status == Status.CANCELLED:
        raise ValidationError(_("Pendaftaran ini sudah batal."))
    before = snapshot(application, ["override", "override_note"])
    application.override = decision
    application.override_note = note.strip() if decision else ""
    application.full_clean()
    application.save(update_fields=["override", "override_note"])
    audit_log(
        actor=actor,
        obj=application,
        action="override",
        changes=diff(before, snapshot(application, ["override", "override_note"])),
        note=note,
    )
    return selection_run(actor=actor, exhibition=application.exhibition)


@transaction.atomic
def application_cancel(*, actor, application: Application, reason: str) -> Application | None:
    """A participant withdraws: the booth goes to the first on the waiting list who
    applied for that booth type and fits the quotas. Returns the one promoted, if any."""
    require_manage_exhibitions(actor)
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan pembatalan."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Status.CANCELLED:
        raise ValidationError(_("Pendaftaran ini sudah batal."))
    exhibition = application.exhibition
    was_selected = application.status == Status.SELECTED
    booth_number = application.booth_number
    before = snapshot(application, ["status", "booth_number"])
    application.status = Status.CANCELLED
    application.cancelled_reason = reason.strip()
    application.booth_number = ""
    application.waitlist_rank = None
    application.save(update_fields=["status", "cancelled_reason", "booth_number", "waitlist_rank"])
    audit_log(
        actor=actor,
        obj=application,
        action="cancel",
        changes=diff(before, snapshot(application, ["status", "booth_number"])),
        note=reason,
    )
    if not was_selected:
        return None
    problem = selectors.selection_problem(exhibition)
    selected = {a.pk for a in exhibition.applications.filter(status=Status.SELECTED)}
    by_key = {a.key: a for a in problem.applicants}
    for candidate in (
        exhibition.applications.filter(status=Status.WAITLIST, booth_type=application.booth_type)
        .exclude(override="out")
        .order_by("waitlist_rank", "pk")
    ):
        chosen = [by_key[k] for k in selected | {candidate.pk}]
        if S.violations(problem, chosen):
            continue
        candidate.status = Status.SELECTED
        candidate.booth_number = booth_number
        candidate.waitlist_rank = None
        candidate.reasons = [*candidate.reasons, ["promoted", {}]]
        candidate.save(update_fields=["status", "booth_number", "waitlist_rank", "reasons"])
        audit_log(
            actor=actor,
            obj=candidate,
            action="promote",
            changes={
                "status": [Status.WAITLIST, Status.SELECTED],
                "booth_number": ["", booth_number],
            },
            note=_("menggantikan %(name)s") % {"name": application.ikm.name},
        )
        return candidate
    return None


@transaction.atomic
def attendance_record(*, actor, application: Application, attended: bool) -> Application:
    """Attendance of a selected participant; attending earns a certificate code."""
    require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SELECTED:
        raise ValidationError(_("Hanya peserta terpilih yang dicatat kehadirannya."))
    before = snapshot(application, ["attended", "certificate_code"])
    application.attended = attended
    if attended and not application.certificate_code:
        application.certificate_code = new_code()
    application.save(update_fields=["attended", "certificate_code"])
    audit_log(
        actor=actor,
        obj=application,
        action="attendance",
        changes=diff(before, snapshot(application, ["attended", "certificate_code"])),
    )
    return application


@transaction.atomic
def outcome_record(
    *, actor, application: Application, data: dict[str, Any], by_ikm: bool = False
) -> Outcome:
    """Sales, buyer contacts, orders after, branding, rating, photo link and notes, by an
    officer, or by the IKM itself through its link (`by_ikm`, no signed-in actor)."""
    if not by_ikm:
        require_manage_exhibitions(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SELECTED or application.attended is False:
        raise ValidationError(_("Hasil hanya dicatat untuk peserta yang ikut pameran."))
    outcome, _created = Outcome.objects.get_or_create(application=application)
    before = snapshot(outcome, OUTCOME_FIELDS)
    for name in OUTCOME_FIELDS:
        if name in data:
            setattr(outcome, name, data[name])
    outcome.recorded_by_ikm = by_ikm
    outcome.full_clean()
    outcome.save()
    audit_log(
        actor=actor,
        obj=outcome,
        action="outcome",
        changes=diff(before, snapshot(outcome, OUTCOME_FIELDS)),
        source=_("diisi IKM lewat tautan") if by_ikm else "",
    )
    return outcome


# --- students ---------------------------------------------------------------------------


@transaction.atomic
def institution_create(*, actor, name: str, kind: str, city: str = "Denpasar") -> Institution:
    require_manage_exhibitions(actor)
    institution = Institution(name=name, kind=kind, city=city)
    institution.full_clean()
    institution.save()
    audit_log(actor=actor, obj=institution, action="create", changes={"name": [None, name]})
    return institution


STUDENT_FIELDS = [
    "institution",
    "name",
    "programme",
    "entry_year",
    "birth_date",
    "nik",
    "phone",
    "email",
    "consent_at",
]


@transaction.atomic
def student_create(*, actor, data: dict[str, Any], consent: bool) -> Student:
    """A student; contact and birth date are kept only with their consent (UU PDP)."""
    require_manage_exhibitions(actor)
    student = Student(**data, consent_at=timezone.now() if consent else None)
    student.full_clean()
    student.save()
    audit_log(
        actor=actor,
        obj=student,
        action="create",
        changes=diff(
            {},
            {k: v for k, v in snapshot(student, STUDENT_FIELDS).items() if v not in ("", None)},
        ),
    )
    return student


@transaction.atomic
def student_role_add(
    *, actor, student: Student, exhibition: Exhibition, role: str, hours
) -> StudentRole:
    require_manage_exhibitions(actor)
    item = StudentRole(student=student, exhibition=exhibition, role=role, hours=hours)
    item.full_clean()
    item.save()
    audit_log(
        actor=actor,
        obj=item,
        action="create",
        changes=diff({}, snapshot(item, ["student", "exhibition", "role", "hours"])),
    )
    return item


@transaction.atomic
def student_links_find(
    *, actor, students=None, registry: list[dict] | None = None
) -> list[StudentIkmLink]:
    """Propose links from students to IKM owners the linkage engine finds (name, NIK,
    phone), keeping only pairs whose birth dates agree when both are known."""
    if actor is not None:
        require_manage_exhibitions(actor)
    students = list(students if students is not None else Student.objects.all())
    if registry is None:
        from sentra.linkage.selectors import registry_records

        registry = registry_records()
    records = [matching.student_record(name=s.name, nik=s.nik, phone=s.phone) for s in students]
    found = matching.registry_matches(
        records, threshold=matching.STUDENT_THRESHOLD, registry=registry
    )
    births = dict(
        Ikm.objects.filter(pk__in={m.ikm_id for ms in found for m in ms}).values_list(
            "pk", "owner_birth_date"
        )
    )
    made = []
    for student, matches in zip(students, found, strict=True):
        for m in matches:
            if not matching.birth_dates_agree(student.birth_date, births.get(m.ikm_id)):
                continue
            if student.birth_date is None and not student.nik:
                # A name alone is too weak for a person: need a birth date or NIK.
                continue
            link, created = StudentIkmLink.objects.get_or_create(
                student=student,
                ikm_id=m.ikm_id,
                defaults={"probability": m.probability, "evidence": m.evidence},
            )
            if created:
                audit_log(
                    actor=actor,
                    obj=link,
                    action="propose",
                    changes={"probability": [None, round(m.probability, 3)]},
                )
                made.append(link)
    return made


@transaction.atomic
def student_link_decide(*, actor, link: StudentIkmLink, confirm: bool) -> StudentIkmLink:
    require_manage_exhibitions(actor)
    link = StudentIkmLink.objects.select_for_update().get(pk=link.pk)
    before = link.status
    link.status = LinkStatus.CONFIRMED if confirm else LinkStatus.REJECTED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(actor=actor, obj=link, action="decide", changes={"status": [before, link.status]})
    return link
