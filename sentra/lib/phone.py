"""Indonesian phone numbers as people read them."""

from __future__ import annotations

import phonenumbers


def phone_display(stored: str) -> str:
    """A stored number ("081234567890", the import's one form) shown the Indonesian
    way: "0812-3456-7890", "(0361) 234567". Anything unparseable is shown as stored."""
    if not stored:
        return stored
    try:
        number = phonenumbers.parse(stored, "ID")
    except phonenumbers.NumberParseException:
        return stored
    if not phonenumbers.is_valid_number(number):
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
