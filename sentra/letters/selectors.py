"""The letterhead and signature block of the office's PDFs, read from the settings."""

from __future__ import annotations

import base64
import logging
import mimetypes
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

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


def letter_context(letter: Any, *, subject: str = "") -> dict[str, Any]:
    """The template context of the letter partial (templates/letters/_letter_pdf.html).
    `subject` in the reader's language; the register keeps the one given at issue."""
    return {"letter": letter, "subject": subject or letter.subject, "kop": letterhead()}
