"""The Nomor of the office's letters: one sequence per year, never repeated, audited."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sentra.audit.models import AuditEntry
from sentra.letters.models import Letter, LetterKind, LetterSequence
from sentra.letters.selectors import letter_number
from sentra.letters.services import letter_issue
from sentra.testing.databases import ROOT, own_database_env, run_child

own_database = pytest.fixture(own_database_env)


@pytest.mark.django_db
def test_numbers_follow_each_other_within_a_year_and_start_again_the_next(admin_user, settings):
    settings.SENTRA_LETTER_NUMBER_FORMAT = "500.2/%(seq)s/Disdagperin/%(month)s/%(year)s"
    first = letter_issue(
        actor=admin_user, kind=LetterKind.AREA_PROFILE, ref="profile:a", subject="Profil A",
        on=date(2026, 12, 6),
    )  # fmt: skip
    second = letter_issue(
        actor=admin_user, kind=LetterKind.EXHIBITION_REPORT, ref="exhibition:1",
        subject="Laporan", on=date(2026, 12, 7),
    )  # fmt: skip
    next_year = letter_issue(
        actor=admin_user, kind=LetterKind.AREA_PROFILE, ref="profile:b", subject="Profil B",
        on=date(2027, 1, 2),
    )  # fmt: skip
    assert [first.number, second.number, next_year.number] == [
        "500.2/1/Disdagperin/XII/2026",
        "500.2/2/Disdagperin/XII/2026",
        "500.2/1/Disdagperin/I/2027",
    ]
    assert dict(LetterSequence.objects.values_list("year", "last")) == {2026: 2, 2027: 1}
    entries = AuditEntry.objects.filter(model="letters.letter", action="create")
    assert entries.count() == 3
    assert set(entries.values_list("object_repr", flat=True)) == {
        first.number,
        second.number,
        next_year.number,
    }
    assert entries.get(object_id=str(first.pk)).actor == admin_user


@pytest.mark.django_db
def test_printing_the_same_document_again_keeps_its_number(admin_user):
    first = letter_issue(
        actor=admin_user, kind=LetterKind.CERT_INVITATION, ref="batch:7", subject="Undangan"
    )
    again = letter_issue(
        actor=None, kind=LetterKind.CERT_INVITATION, ref="batch:7", subject="Undangan (ubah)"
    )
    assert again.pk == first.pk and again.number == first.number
    assert Letter.objects.count() == 1 and LetterSequence.objects.get().last == 1
    assert AuditEntry.objects.filter(model="letters.letter").count() == 1
    # The same ref under another kind is another document.
    other = letter_issue(actor=None, kind=LetterKind.AREA_PROFILE, ref="batch:7", subject="Profil")
    assert other.seq == 2


@pytest.mark.django_db
def test_the_database_refuses_a_number_given_twice(admin_user):
    letter = letter_issue(actor=admin_user, kind=LetterKind.AREA_PROFILE, ref="p:1", subject="P")
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            kind=LetterKind.AREA_PROFILE, ref="p:2", year=letter.year, seq=letter.seq,
            number="lain", subject="P", issued_on=letter.issued_on,
        )  # fmt: skip


def test_letter_number_formats():
    on = date(2026, 4, 30)
    assert letter_number(fmt="%(seq)s/%(year)s", seq=12, on=on) == "12/2026"
    assert letter_number(fmt="027/%(seq)s/%(month)s/%(year)s", seq=3, on=on) == "027/3/IV/2026"


CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    import django
    django.setup()
    from sentra.letters.services import letter_issue
    step, workdir, who = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    (workdir / f"ready-{who}").write_text("1")
    while len(list(workdir.glob("ready-*"))) < 2:  # start together
        time.sleep(0.005)
    numbers = [
        letter_issue(actor=None, kind="area_profile", ref=f"{who}:{i}", subject="Uji").number
        for i in range(25)
    ]
    print(json.dumps(numbers))
    """
)


def test_two_processes_issuing_at_once_never_repeat_a_number(own_database, tmp_path, settings):
    env = {**own_database, "SENTRA_LETTER_NUMBER_FORMAT": "%(seq)s/%(year)s"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, "issue", str(tmp_path), who],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for who in ("a", "b")
    ]
    numbers = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-3000:]
        numbers += json.loads(out.strip().splitlines()[-1])
    year = timezone.localdate().year
    assert sorted(numbers, key=lambda n: int(n.split("/")[0])) == [
        f"{i}/{year}" for i in range(1, 51)
    ]
    stored = run_child(
        env,
        "import django; django.setup()\n"
        "from sentra.letters.models import LetterSequence, Letter\n"
        "print(LetterSequence.objects.get().last, Letter.objects.count())",
    )
    assert stored.split() == ["50", "50"]
