"""Students: institutions, students, their roles at exhibitions, and the youth follow-up
(links from students to IKM owners, proposed by the linkage engine and decided by an
officer)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from sentra.accounts.permissions import require_manage_exhibitions
from sentra.audit.services import actor_user, audit_log, diff, snapshot
from sentra.exhibitions import matching
from sentra.exhibitions.models import (
    BackgroundRun,
    Exhibition,
    Institution,
    LinkStatus,
    RunKind,
    RunStatus,
    Student,
    StudentIkmLink,
    StudentRole,
)
from sentra.exhibitions.services._common import _run_start
from sentra.registry.models import Ikm

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from decimal import Decimal

    from sentra.accounts.models import User
    from sentra.linkage.matching import RegistryMatch


@transaction.atomic
def institution_create(*, actor: User, name: str, kind: str, city: str = "Denpasar") -> Institution:
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
def student_create(*, actor: User, data: dict[str, Any], consent: bool) -> Student:
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
    *, actor: User, student: Student, exhibition: Exhibition, role: str, hours: Decimal | int
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
    actor: User | None,
    students: Iterable[Student] | None = None,
    registry: list[dict[str, Any]] | None = None,
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
def _student_links_write(
    *,
    actor: User | None,
    pairs: list[tuple[Student, list[RegistryMatch]]],
    births: dict[int, date | None],
) -> list[StudentIkmLink]:
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
def student_links_request(*, actor: User) -> BackgroundRun:
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
def student_link_decide(*, actor: User, link: StudentIkmLink, confirm: bool) -> StudentIkmLink:
    require_manage_exhibitions(actor)
    link = StudentIkmLink.objects.select_for_update().get(pk=link.pk)
    before = link.status
    link.status = LinkStatus.CONFIRMED if confirm else LinkStatus.REJECTED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(actor=actor, obj=link, action="decide", changes={"status": [before, link.status]})
    return link
