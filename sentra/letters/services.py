"""Giving a document its Nomor: one locked sequence row per year, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sentra.accounts.permissions import can_issue_letter, require_actor
from sentra.audit.services import actor_user, audit_log
from sentra.letters.models import Letter, LetterKind, LetterSequence
from sentra.letters.selectors import letter_number, letter_ref

# max_length of Letter.subject: a longer text is cut, never refused.
_SUBJECT_MAX = 300


@transaction.atomic
def letter_issue(
    *,
    actor: Any,
    kind: LetterKind | str,
    ref: str,
    subject: str,
    on: date | None = None,
    kecamatan_code: str | None = None,
) -> Letter:
    """The letter for document `kind` + `ref`: the one given before, else a new one with
    the next number of the year. Only for those `can_issue_letter` allows (the
    document's area in `kecamatan_code`); `actor` None is the system. Two requests at
    once wait for each other on the year's sequence row (SELECT … FOR UPDATE; SQLite
    serialises writers), and the unique constraints refuse a repeated number should
    anything slip past."""
    require_actor(actor, can_issue_letter, str(kind), kecamatan_code, action="letter")
    ref = letter_ref(ref)
    found = Letter.objects.filter(kind=kind, ref=ref).first()
    if found is not None:
        return found
    on = on or timezone.localdate()
    LetterSequence.objects.get_or_create(year=on.year)
    sequence = LetterSequence.objects.select_for_update().get(year=on.year)
    # Looked up again under the lock: a request for the same document may have just won.
    found = Letter.objects.filter(kind=kind, ref=ref).first()
    if found is not None:
        return found
    sequence.last += 1
    sequence.full_clean()
    sequence.save(update_fields=["last"])
    letter = Letter(
        kind=kind,
        ref=ref,
        year=on.year,
        seq=sequence.last,
        number=letter_number(fmt=settings.SENTRA_LETTER_NUMBER_FORMAT, seq=sequence.last, on=on),
        subject=subject[:_SUBJECT_MAX],
        issued_on=on,
        created_by=actor_user(actor),
    )
    letter.full_clean()
    letter.save(force_insert=True)
    audit_log(actor=actor, obj=letter, action="create", note=f"{letter.kind} {letter.ref}")
    return letter
