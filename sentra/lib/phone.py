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


def phone_key(text: str | None) -> str:
    """The digits of a number in its national form, whatever way it was typed: "0812-…",
    "+62 812 …", "62812…" and "812…" all give "0812…". What search compares (a stored
    number may be in any of these forms; so may the one typed in the search box)."""
    digits = "".join(ch for ch in str(text or "") if ch.isdigit())
    if digits.startswith("62"):
        return "0" + digits[2:]
    if digits.startswith("8"):
        return "0" + digits
    return digits
