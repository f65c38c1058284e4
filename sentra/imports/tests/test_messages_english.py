"""The import speaks the user's language: its messages are gettext strings with named
placeholders, translated in the English catalog."""

import pytest
from django.utils import translation

from sentra.imports import convert
from sentra.imports.models import ImportIssue

pytestmark = pytest.mark.django_db


def test_cell_messages_are_english_in_english():
    with translation.override("en"):
        with pytest.raises(convert.CellError) as cut:
            convert.nik(5171031204854560)
        with pytest.raises(convert.CellError) as short:
            convert.phone("08123456")
    assert "Excel keeps only 15 digits" in str(cut.value) and "5171031204854560" in str(cut.value)
    assert "not valid (too short" in str(short.value)


def test_an_import_report_is_english_for_an_english_user(run_import):
    content = b"DAFTAR IKM\nNama Usaha,Kelurahan,NIK\n,Sanur Kaja,\nPie Susu,Sanur Kaja,12345\n"
    with translation.override("en"):
        job = run_import(content, "daftar.csv", kind="survei", commit=False)
    notes = " ".join(job.notes)
    assert "above the column headers were read as the sheet's title" in notes
    assert "Column mapping guessed from the column headers" in notes
    messages = " ".join(ImportIssue.objects.filter(job=job).values_list("message", flat=True))
    assert "NIK" in messages and "harus" not in messages.lower()
