"""The letterhead and signature block of the office's PDFs, read from the settings."""

from __future__ import annotations

import base64
import logging
import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.letters.models import Letter

log = logging.getLogger(__name__)

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml", "image/gif"}


def letter_number(*, fmt: str, seq: int, on: date) -> str:
    """The Nomor from the office's scheme, e.g. "500.2/%(seq)s/Disdagperin/%(year)s"."""
    return fmt % {"seq": seq, "year": on.year, "month": _ROMAN[on.month - 1]}


def _logo(path: str) -> str:
    """The logo as a data: URL (WeasyPrint then fetches nothing); "" when none is set or
    the file cannot be read (the letter is printed without it, and the log says why)."""
    if not path:
        return ""
    kind = mimetypes.guess_type(path)[0]
    if kind not in _LOGO_TYPES:
        log.warning("SENTRA_LETTER_LOGO %s: not a PNG, JPEG, GIF or SVG file", path)
        return ""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        log.warning("SENTRA_LETTER_LOGO %s: %s", path, exc)
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def letterhead() -> dict[str, Any]:
    """What the kop surat and the signature block print; empty lines are left out."""
    return {
        "government": settings.SENTRA_LETTER_GOVERNMENT,
        "office": settings.SENTRA_OFFICE_NAME,
        "address": settings.SENTRA_LETTER_ADDRESS,
        "phone": settings.SENTRA_LETTER_PHONE,
        "email": settings.SENTRA_LETTER_EMAIL,
        "website": settings.SENTRA_LETTER_WEBSITE,
        "logo": _logo(settings.SENTRA_LETTER_LOGO),
        "place": settings.SENTRA_LETTER_PLACE,
        "signer_position": settings.SENTRA_LETTER_SIGNER_POSITION,
        "signer_name": settings.SENTRA_LETTER_SIGNER_NAME,
        "signer_nip": settings.SENTRA_LETTER_SIGNER_NIP,
    }


# max_length of Letter.ref: a longer reference is cut, never refused (the same cut on
# issue and on lookup, so a long reference still finds its letter).
REF_MAX = 120


def letter_ref(ref: str) -> str:
    return ref[:REF_MAX]


class LetterDocument(TypedDict):
    """Which document a letter is for: what `letter_issue` and `letter_pdf` take."""

    kind: str
    ref: str
    subject: str


@dataclass(frozen=True)
class DraftLetter:
    """What a PDF prints before its number is issued: a GET only shows the document;
    a number is taken by `letters.services.letter_issue`, on a POST, by those allowed."""

    number: str
    issued_on: date
    subject: str
    is_draft: bool = True


def letter_found(*, kind: str, ref: str) -> Letter | None:
    """The letter already issued for document `kind` + `ref`, if any."""
    return Letter.objects.filter(kind=kind, ref=letter_ref(ref)).first()


def letters_found(*, kind: str, refs: list[str]) -> dict[str, Letter]:
    """The letters issued for many documents of one kind (a list page), by reference."""
    cut = [letter_ref(r) for r in refs]
    return {letter.ref: letter for letter in Letter.objects.filter(kind=kind, ref__in=cut)}


def letter_or_draft(*, kind: str, ref: str, subject: str) -> Letter | DraftLetter:
    """The issued letter of the document, else a draft dated today with no number."""
    found = letter_found(kind=kind, ref=ref)
    if found is not None:
        return found
    return DraftLetter(
        number=_("(draf — belum diterbitkan)"), issued_on=timezone.localdate(), subject=subject
    )


def letter_context(letter: Any, *, subject: str = "") -> dict[str, Any]:
    """The template context of the letter partial (templates/letters/_letter_pdf.html).
    `subject` in the reader's language; the register keeps the one given at issue."""
    return {"letter": letter, "subject": subject or letter.subject, "kop": letterhead()}
