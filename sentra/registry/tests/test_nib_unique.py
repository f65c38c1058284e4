"""One live IKM per NIB, held by the database (a partial unique index).

The service level (a form, a reopen, a merge) reports a twin on the field; two imports
committing at once in two real processes cannot both create the NIB: on PostgreSQL
the second waits on the index entry and fails cleanly (its retry updates the record),
on SQLite the second waits for the write lock and then finds and updates the record.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sentra.linkage import services as linkage
from sentra.linkage.models import CandidatePair
from sentra.registry import services
from sentra.registry.models import Ikm
from sentra.testing.databases import ROOT, own_database_env, run_child
from sentra.testing.factories import DESA_BARAT, IkmFactory

own_database = pytest.fixture(own_database_env)

NIB = "9120000012345"


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_ikm_with_one_nib():
    IkmFactory(nib=NIB)
    with pytest.raises(IntegrityError), transaction.atomic():
        IkmFactory(nib=NIB)
    # Blank NIB is not a value; a closed record keeps its NIB for the history.
    IkmFactory(nib="")
    IkmFactory(nib="")
    IkmFactory(nib=NIB, closed_on="2024-05-01", closed_reason="tutup")
    assert Ikm.objects.filter(nib=NIB).count() == 2


@pytest.mark.django_db
def test_create_and_reopen_report_the_twin_on_the_field(admin_user):
    IkmFactory(nib=NIB)
    closed = IkmFactory(nib=NIB, closed_on="2024-05-01", closed_reason="tutup")
    data = {
        "name": "Kembaran",
        "owner_name": "I Made Kembar",
        "owner_email": "kembar@contoh.co.id",
        "desa_id": DESA_BARAT,
        "kbli_id": "10710",
        "nib": NIB,
    }
    with pytest.raises(ValidationError) as err:
        services.ikm_create(actor=admin_user, data=data)
    assert err.value.messages == ["NIB ini sudah dipakai IKM aktif lain."]
    with pytest.raises(ValidationError) as err:
        services.ikm_reopen(actor=admin_user, ikm=closed)
    assert err.value.messages == ["NIB ini sudah dipakai IKM aktif lain."]
    closed.refresh_from_db()
    assert closed.closed_on is not None


@pytest.mark.django_db
def test_a_merge_taking_over_the_other_nib_succeeds(admin_user):
    # The merged-away record is closed before the kept one takes its NIB.
    kept = IkmFactory(desa_id=DESA_BARAT, nib="", owner_email="a@contoh.co.id")
    other = IkmFactory(desa_id=DESA_BARAT, nib=NIB, owner_email="b@contoh.co.id")
    pair = CandidatePair.objects.create(ikm_a=kept, ikm_b=other, score=0.97, weight=14.0)
    merge = linkage.pair_merge(
        actor=admin_user, pair=pair, keep_id=kept.pk, choices={"nib": "merged"}
    )
    kept.refresh_from_db()
    assert kept.nib == NIB
    linkage.merge_undo(actor=admin_user, merge=merge)
    assert Ikm.objects.get(pk=other.pk).nib == NIB
    assert Ikm.objects.get(pk=kept.pk).nib == ""


CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import django
    django.setup()
    from sentra.imports import services
    from sentra.imports.models import ImportJob
    from sentra.imports.tests.samples import sidt_csv, sidt_row
    from sentra.registry.models import Ikm

    step, workdir = sys.argv[1], Path(sys.argv[2])
    nib = sys.argv[3]
    if step == "prepare":
        n = int(sys.argv[4])
        path = workdir / f"impor-{n}.csv"
        path.write_bytes(sidt_csv([sidt_row(n, nib=nib)]))
        job = services.import_job_validate(
            job=services.import_job_create(actor=None, path=path, kind="sidt")
        )
        print(json.dumps({"job": job.pk, "status": job.status}))
    elif step == "first":
        def hold(job, written):
            # Written inside the open transaction: let the second commit start, then
            # hold on a little so that it runs into this uncommitted row.
            (workdir / "first-written").write_text(str(written))
            until = time.monotonic() + 60
            while not (workdir / "second-started").exists() and time.monotonic() < until:
                time.sleep(0.05)
            time.sleep(2)
        services._checkpoint = hold
        job = services.import_job_commit(job=ImportJob.objects.get(pk=int(sys.argv[4])), actor=None)
        print(json.dumps({"status": job.status, "created": job.created_count, "error": job.error}))
    elif step == "second":
        until = time.monotonic() + 120
        while not (workdir / "first-written").exists() and time.monotonic() < until:
            time.sleep(0.05)
        (workdir / "second-started").write_text("1")
        job = services.import_job_commit(job=ImportJob.objects.get(pk=int(sys.argv[4])), actor=None)
        print(json.dumps({
            "status": job.status, "created": job.created_count,
            "updated": job.updated_count, "error": job.error,
        }))
    elif step == "state":
        print(json.dumps(list(Ikm.objects.filter(nib=nib).values_list("pk", "closed_on"))))
    """
)


def _last_json(text: str):
    return json.loads(text.strip().splitlines()[-1])


def test_two_imports_committing_at_once_create_the_nib_once(own_database, tmp_path):
    env = own_database
    jobs = [_last_json(run_child(env, CHILD, "prepare", tmp_path, NIB, n))["job"] for n in (1, 2)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, step, str(tmp_path), NIB, str(job)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for step, job in (("first", jobs[0]), ("second", jobs[1]))
    ]
    time.sleep(0.1)
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-3000:]
        results.append(_last_json(out))
    first, second = results
    assert (first["status"], first["created"]) == ("committed", 1), first

    live = _last_json(run_child(env, CHILD, "state", tmp_path, NIB))
    assert len(live) == 1 and live[0][1] is None  # one IKM with the NIB, not two

    if second["status"] == "commit_failed":
        # PostgreSQL, when it ran into the first one's uncommitted row: refused whole, with
        # the reason (which of the two orders happens depends on the machine's timing).
        assert "postgres" in env["DATABASE_URL"], second
        assert "NIB" in second["error"]
        retried = _last_json(run_child(env, CHILD, "second", tmp_path, NIB, jobs[1]))
        # Now it finds the record by its NIB (updated, or unchanged: its figures are no newer).
        assert (retried["status"], retried["created"]) == ("committed", 0), retried
    else:
        # It planned after the first committed (SQLite serialises writers; PostgreSQL when
        # the first was quicker): it found the record by its NIB and created nothing.
        assert (second["status"], second["created"]) == ("committed", 0), second
    assert len(_last_json(run_child(env, CHILD, "state", tmp_path, NIB))) == 1
