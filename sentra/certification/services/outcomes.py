"""Assessment results and the certificates they give."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sentra.accounts.permissions import Actor
from sentra.audit.services import audit_log, diff, snapshot
from sentra.certification import messages as M
from sentra.certification.messages import say
from sentra.certification.models import Batch, Candidate, Enrollment, Outcome, Result
from sentra.certification.services._access import require_planner
from sentra.certification.workdays import add_years


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
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
    require_planner(actor)
    errors: dict[str, str] = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = say(M.ASSESSED_IN_FUTURE)
    if (
        batch is not None
        and not Enrollment.objects.filter(batch=batch, candidate=candidate).exists()
    ):
        errors["batch"] = say(M.NOT_IN_BATCH, candidate=candidate.name, code=batch.code)
    expires_on = None
    if result == Result.COMPETENT:
        if not certificate_number.strip():
            errors["certificate_number"] = say(M.CERTIFICATE_REQUIRED)
        issued_on = issued_on or assessed_on
        if issued_on < assessed_on:
            errors["issued_on"] = say(M.ISSUED_BEFORE_ASSESSED)
        expires_on = add_years(issued_on, candidate.scheme.validity_years)
        if (
            certificate_number
            and Outcome.objects.filter(certificate_number=certificate_number.strip()).exists()
        ):
            errors["certificate_number"] = say(M.CERTIFICATE_TAKEN, number=certificate_number)
    elif result == Result.NOT_YET:
        certificate_number, issued_on = "", None
    else:
        errors["result"] = say(M.RESULT_INVALID)
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
