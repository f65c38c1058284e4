"""A real kill: the process running a commit gets SIGKILL after it has written rows.

The other bad-input tests raise an exception inside the commit. Here a second Python
process commits an import into a database of its own (a temporary SQLite file, or a
temporary PostgreSQL database when the suite runs on PostgreSQL), is stopped with
SIGKILL while it holds written but uncommitted batches, and the registry is read from
a third process: nothing of the import may be there. Then the same job commits cleanly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from sentra.testing.databases import ROOT, own_database_env, run_child

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    import django
    django.setup()
    from sentra.audit.models import AuditEntry
    from sentra.imports import services
    from sentra.imports.models import ImportJob
    from sentra.imports.tests.samples import sidt_csv, sidt_row
    from sentra.registry.models import Ikm, IkmSource

    step, workdir = sys.argv[1], Path(sys.argv[2])
    if step == "prepare":
        path = workdir / "besar.csv"
        path.write_bytes(sidt_csv([sidt_row(n) for n in range(int(sys.argv[3]))]))
        job = services.import_job_validate(
            job=services.import_job_create(actor=None, path=path, kind="sidt")
        )
        print(json.dumps({"job": job.pk, "status": job.status, "valid": job.rows_valid}))
    elif step == "commit-and-hang":
        def hang(job, written):
            # Rows are written inside the open transaction: say so, then wait for the kill.
            (workdir / "written").write_text(str(written))
            time.sleep(300)
        services.commit._checkpoint = hang
        from sentra.registry import services as registry_services

        registry_services.BULK_BATCH = 100
        services.import_job_commit(job=ImportJob.objects.get(pk=int(sys.argv[3])), actor=None)
    elif step == "commit":
        job = services.import_job_commit(job=ImportJob.objects.get(pk=int(sys.argv[3])), actor=None)
        print(json.dumps({"status": job.status, "created": job.created_count}))
    elif step == "state":
        job = ImportJob.objects.get(pk=int(sys.argv[3]))
        print(json.dumps({
            "ikm": Ikm.objects.count(),
            "sources": IkmSource.objects.count(),
            "audit": AuditEntry.objects.count(),
            "status": job.status,
        }))
    """
)


own_database = pytest.fixture(own_database_env)


def _child(env, workdir, *args) -> dict:
    out = run_child(env, CHILD, *args[:1], workdir, *args[1:])
    return json.loads(out.strip().splitlines()[-1])


def test_a_commit_killed_with_sigkill_writes_nothing(own_database, tmp_path):
    env, workdir = own_database, tmp_path
    prepared = _child(env, workdir, "prepare", 450)
    assert (prepared["status"], prepared["valid"]) == ("validated", 450)
    job = prepared["job"]
    before = _child(env, workdir, "state", job)

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "commit-and-hang", str(workdir), str(job)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    marker = workdir / "written"
    deadline = time.monotonic() + 240
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), child.stderr.read().decode()[-2000:] if child.poll() else "timeout"
    assert int(marker.read_text()) >= 100  # rows were written in the open transaction
    child.kill()  # SIGKILL: no exception handler, no rollback code runs in the child
    child.wait(timeout=30)
    assert child.returncode == -9

    after = _child(env, workdir, "state", job)
    assert (after["ikm"], after["sources"], after["audit"]) == (
        before["ikm"],
        before["sources"],
        before["audit"],
    )
    assert after["status"] == "committing"  # the job shows the interrupted commit

    # The office presses "Simpan" again: the same job commits every row once.
    retried = _child(env, workdir, "commit", job)
    assert retried == {"status": "committed", "created": 450}
    assert _child(env, workdir, "state", job)["ikm"] == before["ikm"] + 450
