from datetime import date

from sentra.lib.masking import mask, mask_personal


def test_it_keeps_only_the_last_characters():
    assert mask("081234567890") == "••••••••7890"
    assert mask("123") == "•••"
    assert mask("") == ""


def test_keeping_nothing_hides_everything():
    # value[-0:] is the whole string: an e-mail was once shown in full.
    assert mask("rahasia@contoh.id", 0) == "•" * 17
    assert "rahasia" not in mask_personal("owner_email", "rahasia@contoh.id")


def test_a_birth_date_is_hidden_whole():
    assert mask_personal("owner_birth_date", date(1990, 1, 2)) == "••••"
