"""Candidates (asesi): creation, readiness, readiness from coaching records, and what a
merge of two IKM does to them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from sentra.accounts.permissions import Actor, can_manage_candidate, require_actor
from sentra.audit.services import audit_entry, audit_log, audit_log_many, diff, snapshot
from sentra.certification import messages as M
from sentra.certification.messages import say
from sentra.certification.models import (
    OPEN_STATUSES,
    Candidate,
    Enrollment,
    Outcome,
    Result,
    Scheme,
)
from sentra.certification.services._access import require_planner
from sentra.registry.models import Ikm

if TYPE_CHECKING:
    from sentra.linkage.services import MovedRows

CANDIDATE_FIELDS = ["ikm", "scheme", "name", "role", "coaching_finished_on", "documents_complete"]


@transaction.atomic
def candidate_create(
    *,
    actor: Actor,
    ikm: Ikm,
    scheme: Scheme,
    name: str,
    role: str,
    coaching_finished_on: date | None = None,
    documents_complete: bool = False,
) -> Candidate:
    require_planner(actor)
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
        errors["scheme"] = say(
            M.SCHEME_ROLE_MISMATCH,
            scheme=scheme.name,
            scheme_role=scheme.get_role_display(),
            role=candidate.get_role_display(),
        )
    if ikm.closed_on:
        errors["ikm"] = say(M.IKM_CLOSED, ikm=ikm.name)
    if coaching_finished_on and coaching_finished_on > timezone.localdate():
        errors["coaching_finished_on"] = say(M.COACHING_IN_FUTURE)
    if Candidate.objects.filter(ikm=ikm, scheme=scheme).exists():
        errors["scheme"] = say(M.CANDIDATE_EXISTS, ikm=ikm.name, scheme=scheme.name)
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
    *,
    actor: Actor,
    candidate: Candidate,
    coaching_finished_on: date | None,
    documents_complete: bool,
) -> Candidate:
    require_planner(actor)
    candidate = Candidate.objects.select_for_update().select_related("ikm").get(pk=candidate.pk)
    require_actor(actor, can_manage_candidate, candidate.ikm.kecamatan_id, action="candidate")
    if coaching_finished_on and coaching_finished_on > timezone.localdate():
        raise ValidationError({"coaching_finished_on": say(M.COACHING_IN_FUTURE)})
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


@transaction.atomic
def candidates_sync_coaching(*, actor: Actor, on: date | None = None) -> int:
    """Fill the readiness date of candidates still waiting for pembinaan from the coaching
    records: the last training or mentoring activity of their IKM that has finished by
    `on`. Returns how many candidates changed; each gets an audit entry."""
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
    audit_log_many(
        audit_entry(
            actor=actor,
            action="readiness",
            obj=c,
            object_repr=c.name,
            changes={"coaching_finished_on": [None, finished[c.ikm_id].isoformat()]},
            source="data pembinaan",
        )
        for c in waiting
    )
    return len(waiting)


# --- merging two IKM -------------------------------------------------------------------


def _standing(candidate_ids: list[int], *, on: date) -> dict[int, tuple[int, date]]:
    """How good each candidate's record is, comparable: a valid certificate (later expiry
    better) > an expired one > belum kompeten > a seat in an open batch > nothing."""
    out: dict[int, tuple[int, date]] = {cid: (0, date.min) for cid in candidate_ids}
    for cid in Enrollment.objects.filter(
        candidate_id__in=candidate_ids, batch__status__in=OPEN_STATUSES
    ).values_list("candidate_id", flat=True):
        out[cid] = max(out[cid], (1, date.min))
    for cid, result, expires in Outcome.objects.filter(candidate_id__in=candidate_ids).values_list(
        "candidate_id", "result", "expires_on"
    ):
        if result == Result.COMPETENT and expires and expires >= on:
            rank = (4, expires)
        elif result == Result.COMPETENT:
            rank = (3, expires or date.min)
        else:
            rank = (2, date.min)
        out[cid] = max(out[cid], rank)
    return out


def candidates_merge_ikm(
    *, kept_id: int, merged_id: int
) -> tuple[list[MovedRows], dict[str, set[int]]]:
    """Called by the IKM merge before it moves every row of the merged-away IKM to the
    kept one. An IKM has one candidate per scheme, so where both have one, the merged-away
    IKM's candidate stays with the closed record; when its record is the better one (see
    `_standing`), its outcomes move to the kept IKM's candidate, so the kept IKM keeps the
    better outcome. Nothing is deleted, and undoing the merge puts everything back.

    Returns (rows moved here, in the merge's `moved` format, each with its `back_to`) and
    the primary keys per model label the merge must leave where they are.
    """
    theirs = dict(Candidate.objects.filter(ikm_id=merged_id).values_list("scheme_id", "pk"))
    ours = dict(
        Candidate.objects.filter(ikm_id=kept_id, scheme_id__in=list(theirs)).values_list(
            "scheme_id", "pk"
        )
    )
    if not ours:
        return [], {}
    standing = _standing([*ours.values(), *theirs.values()], on=timezone.localdate())
    moved: list[MovedRows] = []
    stay_candidates: set[int] = set()
    stay_outcomes: set[int] = set()
    for scheme_id, mine in ours.items():
        other = theirs[scheme_id]
        stay_candidates.add(other)
        outcomes = list(Outcome.objects.filter(candidate_id=other).values_list("pk", flat=True))
        if standing[other] > standing[mine] and outcomes:
            Outcome.objects.filter(pk__in=outcomes).update(candidate_id=mine)
            moved.append(
                {
                    "model": "certification.outcome",
                    "field": "candidate_id",
                    "pks": outcomes,
                    "back_to": other,
                }
            )
        else:
            stay_outcomes |= set(outcomes)  # they stay with their candidate
    return moved, {
        "certification.candidate": stay_candidates,
        "certification.outcome": stay_outcomes,
    }
