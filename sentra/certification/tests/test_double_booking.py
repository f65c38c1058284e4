"""Two bookings of one assessor's day at the same moment: only one may succeed.

Each booking runs in a real second Python process against a database of their own (a
temporary SQLite file, or a temporary PostgreSQL database when the suite runs on
PostgreSQL). Both are held right after the booking checks, before writing, and let go
together: on PostgreSQL both have passed the checks (neither saw the other's batch), so
only the unique constraint on AssessorDay can stop the second; on SQLite the second
waits for the write lock and then meets the first one's batch in the checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

from django.db import connection

# A database of its own for the child processes, migrated, dropped after.
from sentra.imports.tests.test_commit_killed import ROOT, own_database  # noqa: F401

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from datetime import timedelta
    from pathlib import Path
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from sentra.certification import services
    from sentra.certification.models import Assessor, Batch, Candidate, Scheme, Tuk
    from sentra.certification.services import batches

    step, workdir = sys.argv[1], Path(sys.argv[2])
    if step == "prepare":
        from sentra.testing.factories import IkmFactory
        scheme = Scheme.objects.get(code="pengelola-ikm")
        lsp = services.lsp_create(
            actor=None, name="LSP Uji", city="Surabaya", licence_number="BNSP-LSP-009"
        )
        assessor = services.assessor_create(
            actor=None, lsp=lsp, name="Budi Santoso", home_city="Surabaya", schemes=[scheme],
            candidates_per_day=5,
        )
        today = timezone.localdate()
        services.assessor_windows_add(
            actor=None, assessor=assessor, windows=[(today, today + timedelta(days=120))]
        )
        # Two TUK, so that the seats never decide: only the assessor's day is contested.
        for name in ("TUK Denpasar", "TUK Sanur"):
            services.tuk_create(actor=None, name=name, place="Jl. Uji 1", capacity=10)
        for i in range(2):
            ikm = IkmFactory()
            services.candidate_create(
                actor=None, ikm=ikm, scheme=scheme, name=ikm.owner_name, role=scheme.role,
                coaching_finished_on=today - timedelta(days=30), documents_complete=True,
            )
        print(json.dumps({"ok": True}))
    elif step == "book":
        n, day = int(sys.argv[3]), sys.argv[4]
        real = batches.batch_errors

        def checked_then_wait(**kwargs):
            errors = real(**kwargs)
            (workdir / f"checked-{n}").write_text(json.dumps(errors))
            deadline = time.monotonic() + 60
            while not (workdir / "go").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            return errors

        batches.batch_errors = checked_then_wait
        from datetime import date
        start = date.fromisoformat(day)
        try:
            batch = services.batch_create(
                actor=None,
                scheme=Scheme.objects.get(code="pengelola-ikm"),
                tuk=Tuk.objects.order_by("pk")[n],
                assessors=[Assessor.objects.get()],
                start_date=start,
                end_date=start + timedelta(days=1),
                capacity=5,
                candidates=[Candidate.objects.order_by("pk")[n]],
            )
        except ValidationError as exc:
            print(json.dumps({"ok": False, "errors": exc.messages}))
        else:
            print(json.dumps({"ok": True, "batch": batch.code}))
    elif step == "state":
        print(json.dumps({
            "batches": Batch.objects.count(),
            "days": Assessor.objects.get().booked_days.count(),
        }))
    """
)


def _run(env, workdir, *args) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, args[0], str(workdir), *map(str, args[1:])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _next_weekday_pair():
    from datetime import timedelta

    from django.utils import timezone

    from sentra.certification.workdays import national_holidays

    day = timezone.localdate() + timedelta(days=14)
    # Monday–Thursday, and neither day a holiday: a two-working-day batch.
    while day.weekday() > 3 or national_holidays(day, day + timedelta(days=1)):
        day += timedelta(days=1)
    return day


def test_two_concurrent_bookings_of_one_assessor_day_cannot_both_succeed(own_database, tmp_path):  # noqa: F811
    env, workdir = own_database, tmp_path
    assert _run(env, workdir, "prepare")["ok"]
    day = _next_weekday_pair()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, "book", str(workdir), str(n), day.isoformat()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (0, 1)
    ]
    # PostgreSQL: both pass the checks before either writes. SQLite (BEGIN IMMEDIATE)
    # lets only one in; the other waits for the lock, so wait for one there.
    wanted = 2 if connection.vendor == "postgresql" else 1
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        checked = list(workdir.glob("checked-*"))
        if len(checked) >= wanted or any(c.poll() is not None for c in children):
            break
        time.sleep(0.05)
    assert len(list(workdir.glob("checked-*"))) >= wanted
    if wanted == 2:  # neither saw the other's booking: the checks alone would let both in
        assert all(json.loads(p.read_text()) == [] for p in workdir.glob("checked-*"))
    time.sleep(0.5)
    (workdir / "go").write_text("")
    results = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(r["ok"] for r in results) == [False, True], results
    refused = next(r for r in results if not r["ok"])
    assert any("Budi Santoso" in e or "sesaat yang lalu" in e for e in refused["errors"])
    state = _run(env, workdir, "state")
    assert state["batches"] == 1 and state["days"] == 2
