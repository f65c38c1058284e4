"""Writes for exhibitions and students. Each validates, checks the policy, saves, and
writes its audit entry."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import actor_user, audit_log, diff, snapshot
from sentra.exhibitions import matching, selectors
from sentra.exhibitions import selection as S
from sentra.exhibitions.models import (
    Application,
    BackgroundRun,
    BoothType,
    Channel,
    Exhibition,
    Institution,
    LinkStatus,
    Outcome,
    OutcomePhoto,
    RunKind,
    RunStatus,
    Status,
    Student,
    StudentIkmLink,
    StudentRole,
    new_code,
)
from sentra.lib.background import run_with_ticks
from sentra.registry.models import Ikm

logger = logging.getLogger(__name__)

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
    "kecamatan_quotas",
    "subsector_quotas",
    "other_costs",
]
BOOTH_FIELDS = ["code", "name", "count", "size_m2", "power_watt", "water", "fee", "subsidy"]
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


class ExhibitionChanged(ValidationError):
    """The exhibition was edited after the form was loaded; `current` is the row now."""

    def __init__(self, current: Exhibition):
        super().__init__(
            _(
                "Pameran ini sudah diubah orang lain sejak formulir dibuka. Perubahan Anda "
                "belum disimpan: periksa perubahan mereka di bawah, lalu simpan lagi bila "
                "isian Anda tetap yang benar."
            ),
            code="stale",
        )
        self.current = current


def _subsector_codes(exhibition: Exhibition) -> list[str]:
    return sorted(exhibition.subsectors.values_list("code", flat=True))


@transaction.atomic
def exhibition_update(
    *,
    actor,
    exhibition: Exhibition,
    data: dict[str, Any],
    subsectors,
    booths: list[dict[str, Any]],
    version: int,
) -> Exhibition:
    """Edit an exhibition and its booth types, audited field by field.

    `version` is the one the form was loaded from: a newer row refuses the write with
    ExhibitionChanged (no lost update). `booths` holds the booth rows as edited: an
    existing one carries its `id` (and `delete` to remove it), a new one none. A booth
    type that applicants chose is not removed.
    """
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    if version != exhibition.version:
        raise ExhibitionChanged(exhibition)
    before = snapshot(exhibition, EXHIBITION_FIELDS)
    before_subsectors = _subsector_codes(exhibition)
    for name, value in data.items():
        if name not in EXHIBITION_FIELDS:
            raise ValidationError(_("Isian %(name)s tidak dapat diubah.") % {"name": name})
        setattr(exhibition, name, value)
    exhibition.full_clean()
    exhibition.version += 1
    exhibition.save()
    exhibition.subsectors.set(subsectors)
    changes = diff(before, snapshot(exhibition, EXHIBITION_FIELDS))
    after_subsectors = _subsector_codes(exhibition)
    if before_subsectors != after_subsectors:
        changes["subsectors"] = [before_subsectors, after_subsectors]
    current = {b.pk: b for b in exhibition.booths.select_for_update()}
    rows = [b for b in booths if not b.get("delete")]
    if not rows:
        raise ValidationError(_("Pameran memerlukan paling sedikit satu jenis stan."))
    for row in booths:
        fields = {k: row[k] for k in BOOTH_FIELDS if k in row}
        booth = current.get(row["id"]) if row.get("id") else None
        if row.get("id") and booth is None:
            raise ValidationError(_("Jenis stan bukan milik pameran ini."))
        if booth is not None and row.get("delete"):
            if Application.objects.filter(booth_type=booth).exists():
                raise ValidationError(
                    _("Jenis stan %(name)s sudah dipilih pendaftar dan tidak dapat dihapus.")
                    % {"name": booth.name}
                )
            gone = snapshot(booth, BOOTH_FIELDS)
            audit_log(actor=actor, obj=booth, action="delete", changes=diff(gone, {}))
            booth.delete()
            continue
        if booth is None:
            booth = BoothType(exhibition=exhibition, **fields)
            booth.full_clean()
            booth.save()
            audit_log(
                actor=actor,
                obj=booth,
                action="create",
                changes=diff({}, snapshot(booth, BOOTH_FIELDS)),
            )
            continue
        was = snapshot(booth, BOOTH_FIELDS)
        for name, value in fields.items():
            setattr(booth, name, value)
        booth.full_clean()
        booth.save()
        booth_changes = diff(was, snapshot(booth, BOOTH_FIELDS))
        if booth_changes:
            audit_log(actor=actor, obj=booth, action="update", changes=booth_changes)
    if changes:
        audit_log(actor=actor, obj=exhibition, action="update", changes=changes)
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
    """Solve the published selection rule here and now and write each application's
    status, points, reasons, waiting-list rank and booth number (demo data, commands,
    tests; pages queue a run with `selection_request` instead)."""
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    problem = selectors.selection_problem(exhibition, time_limit=time_limit)
    return _selection_write(actor=actor, exhibition=exhibition, result=S.solve(problem))


SELECTION_TIME_LIMIT = 10.0


@transaction.atomic
def selection_request(
    *, actor, exhibition: Exhibition, time_limit: float = SELECTION_TIME_LIMIT
) -> BackgroundRun:
    """Queue a selection run (the background task solves it). A run still waiting in the
    queue serves a second request (it reads the applications when it starts); a run
    already solving does not, since it read them before this request's change."""
    require_manage_exhibitions(actor)
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    waiting = exhibition.runs.filter(kind=RunKind.SELECTION, status=RunStatus.QUEUED).first()
    if waiting is not None:
        return waiting
    run = BackgroundRun.objects.create(
        kind=RunKind.SELECTION,
        exhibition=exhibition,
        created_by=actor_user(actor),
        progress={"limit": time_limit, "elapsed": 0},
    )
    audit_log(actor=actor, obj=run, action="create", changes={"kind": [None, run.kind]})
    return run


def _run_fail(run: BackgroundRun, message: str) -> BackgroundRun:
    BackgroundRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return BackgroundRun.objects.get(pk=run.pk)


def _run_start(run: BackgroundRun) -> BackgroundRun | None:
    """Mark a queued run as running; None when it was already taken or finished."""
    taken = BackgroundRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING
    )
    return BackgroundRun.objects.get(pk=run.pk) if taken else None


def selection_run_background(*, run: BackgroundRun) -> BackgroundRun:
    """The background task's body: solve while writing the best selection so far and
    the seconds used to the run (the page polls it), then write the selection at once.

    Not one transaction: the progress must be visible to the page while the solver
    works; the selection itself is written in one (`_selection_write`)."""
    started_run = _run_start(run)
    if started_run is None:
        return BackgroundRun.objects.get(pk=run.pk)
    run = started_run
    assert run.exhibition is not None
    limit = float(run.progress.get("limit") or SELECTION_TIME_LIMIT)
    problem = selectors.selection_problem(run.exhibition, time_limit=limit)
    latest: dict[str, Any] = {"limit": limit, "elapsed": 0, "applicants": len(problem.applicants)}
    written: dict[str, Any] = {}
    started = time.monotonic()

    def heard(objective: int, bound: int, seconds: float) -> None:
        latest.update(best=objective, bound=bound)

    def tick() -> None:
        latest["elapsed"] = round(time.monotonic() - started, 1)
        if latest != written:
            BackgroundRun.objects.filter(pk=run.pk).update(progress=dict(latest))
            written.clear()
            written.update(latest)

    result = run_with_ticks(lambda: S.solve(problem, progress=heard), tick)
    actor = run.created_by
    exhibition_id = run.exhibition.pk
    try:
        with transaction.atomic():
            exhibition = Exhibition.objects.select_for_update().get(pk=exhibition_id)
            _selection_write(actor=actor, exhibition=exhibition, result=result)
            BackgroundRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                finished_at=timezone.now(),
                progress=latest | {"best": result.objective, "elapsed": latest["elapsed"]},
                result={
                    "picked": len(result.picked),
                    "objective": result.objective,
                    "optimal": result.optimal,
                },
            )
    except ValidationError as exc:
        return _run_fail(run, " ".join(exc.messages))
    return BackgroundRun.objects.get(pk=run.pk)


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
        a = apps.get(pk)
        if a is None:  # cancelled while a background run was solving
            continue
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
) -> BackgroundRun:
    """An officer picks ("in") or drops ("out") an applicant, or lifts the decision ("");
    a selection run is queued around it so booths and the waiting list stay right."""
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
    return selection_request(actor=actor, exhibition=application.exhibition)


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
    *,
    actor,
    application: Application,
    data: dict[str, Any],
    by_ikm: bool = False,
    photos: list[Any] = (),  # type: ignore[assignment]  # uploaded files, none by default
) -> Outcome:
    """Sales, buyer contacts, orders after, branding, rating, photo link, notes and
    uploaded photos, by an officer, or by the IKM itself through its link (`by_ikm`, no
    signed-in actor)."""
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
    for upload in photos:
        photo = OutcomePhoto(outcome=outcome, image=upload, uploaded_by_ikm=by_ikm)
        photo.full_clean()
        photo.save()
        audit_log(
            actor=actor,
            obj=photo,
            action="upload",
            changes={"image": [None, photo.image.name], "size": [None, upload.size]},
            source=_("diisi IKM lewat tautan") if by_ikm else "",
        )
    return outcome


@transaction.atomic
def outcome_photo_delete(*, actor, photo: OutcomePhoto) -> None:
    require_manage_exhibitions(actor)
    photo = OutcomePhoto.objects.select_for_update().get(pk=photo.pk)
    name = photo.image.name or ""
    audit_log(actor=actor, obj=photo, action="delete", changes={"image": [name, None]})
    photo.delete()
    # The file goes once the row is gone for good (not when the transaction rolls back).
    storage = photo.image.storage
    transaction.on_commit(lambda: storage.delete(name))


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


def student_links_find(
    *,
    actor,
    students=None,
    registry: list[dict] | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> list[StudentIkmLink]:
    """Propose links from students to IKM owners the linkage engine finds (name, NIK,
    phone), keeping only pairs whose birth dates agree when both are known.

    `progress` hears the engine's stage and then the students done, out of all; it is
    called outside any transaction, so a run's page sees it while the search goes on."""
    if actor is not None:
        require_manage_exhibitions(actor)
    say = progress or (lambda figures: None)
    students = list(students if students is not None else Student.objects.all())
    total = len(students)
    say({"stage": "registri", "percent": 0, "done": 0, "total": total})
    if registry is None:
        from sentra.linkage.selectors import registry_records

        registry = registry_records()
    records = [matching.student_record(name=s.name, nik=s.nik, phone=s.phone) for s in students]
    found = matching.registry_matches(
        records,
        threshold=matching.STUDENT_THRESHOLD,
        registry=registry,
        # The engine's stages take the first 80 %; writing the proposals the rest.
        progress=lambda stage, pct: say(
            {"stage": stage, "percent": int(pct * 0.8), "done": 0, "total": total}
        ),
    )
    births = dict(
        Ikm.objects.filter(pk__in={m.ikm_id for ms in found for m in ms}).values_list(
            "pk", "owner_birth_date"
        )
    )
    made: list[StudentIkmLink] = []
    chunk = 200
    pairs = list(zip(students, found, strict=True))
    for start in range(0, total, chunk):
        made += _student_links_write(actor=actor, pairs=pairs[start : start + chunk], births=births)
        done = min(start + chunk, total)
        say(
            {
                "stage": "usulan",
                "percent": 80 + (20 * done // total if total else 20),
                "done": done,
                "total": total,
            }
        )
    return made


@transaction.atomic
def _student_links_write(*, actor, pairs, births: dict) -> list[StudentIkmLink]:
    made = []
    for student, matches in pairs:
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
def student_links_request(*, actor) -> BackgroundRun:
    """Queue a search of every student in the registry; one at a time."""
    require_manage_exhibitions(actor)
    running = BackgroundRun.objects.filter(
        kind=RunKind.STUDENT_MATCH, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if running is not None:
        return running
    run = BackgroundRun.objects.create(
        kind=RunKind.STUDENT_MATCH,
        created_by=actor_user(actor),
        progress={"done": 0, "total": Student.objects.count(), "elapsed": 0},
    )
    audit_log(actor=actor, obj=run, action="create", changes={"kind": [None, run.kind]})
    return run


def student_links_run_background(*, run: BackgroundRun) -> BackgroundRun:
    """The background task's body: the search, writing records done and seconds used
    to the run as it goes (at most every half second)."""
    started_run = _run_start(run)
    if started_run is None:
        return BackgroundRun.objects.get(pk=run.pk)
    run = started_run
    started = time.monotonic()
    last_write = [0.0]
    latest: dict[str, Any] = {}

    def heard(figures: dict[str, Any]) -> None:
        latest.update(figures, elapsed=round(time.monotonic() - started, 1))
        now = time.monotonic()
        if now - last_write[0] >= 0.5 or figures.get("done") == figures.get("total"):
            BackgroundRun.objects.filter(pk=run.pk).update(progress=dict(latest))
            last_write[0] = now

    made = student_links_find(actor=run.created_by, progress=heard)
    BackgroundRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        progress=latest | {"percent": 100},
        result={"proposed": len(made)},
    )
    return BackgroundRun.objects.get(pk=run.pk)


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
