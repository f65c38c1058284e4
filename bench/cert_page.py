#!/usr/bin/env python
"""The certification page (/sertifikasi/) on a demo database, against a bare COUNT.

    DATABASE_URL=sqlite:///bench/out/demo-x10.sqlite3 DEBUG=1 .venv/bin/python bench/cert_page.py

Build the database first with `manage.py demo_data --scale 10` (or bench/_common.py's
builder). Prints the candidate summary (the old four-COUNT form and the one-pass form,
checked equal), the page's figures after a change (nothing cached) and the page itself
cached, each as milliseconds and as a ratio to a bare COUNT of the active IKM measured
in the same run; then /sertifikasi/ as the first user after a change sees it: an IKM
is edited (an audited write) before every timed request, with no worker running, so
the page serves the snapshot and asks for a recount (issue 12: p95 < 300 ms at ×100).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"  # queued; no worker runs

import django

django.setup()

from django.db.models import Exists, OuterRef, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from sentra.accounts.models import User  # noqa: E402
from sentra.certification import selectors, services  # noqa: E402
from sentra.certification.models import OPEN_STATUSES, Candidate, Enrollment  # noqa: E402
from sentra.registry.models import Ikm  # noqa: E402
from sentra.registry.services import ikm_update  # noqa: E402

ON = timezone.localdate()


def four_counts() -> dict:
    """The summary as it was: four COUNTs with correlated EXISTS (the baseline)."""
    active = Candidate.objects.filter(ikm__closed_on__isnull=True)
    enrolled = Enrollment.objects.filter(candidate=OuterRef("pk"), batch__status__in=OPEN_STATUSES)
    return {
        "plannable": active.filter(selectors.plannable_candidates_q(on=ON)).count(),
        "in_batch": active.filter(Exists(enrolled)).count(),
        "not_ready": active.filter(
            Q(documents_complete=False)
            | Q(coaching_finished_on__isnull=True, scheme__requires_coaching=True)
        ).count(),
        "ikm_without_candidates": Ikm.objects.active()
        .exclude(Exists(Candidate.objects.filter(ikm=OuterRef("pk"))))
        .count(),
    }


def best(fn, n: int = 5) -> float:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    print(f"{Ikm.objects.count():,} IKM, {Candidate.objects.count():,} asesi")
    assert four_counts() == selectors.candidate_summary(on=ON)
    bare = best(lambda: Ikm.objects.active().count())
    old = best(four_counts, 3)
    new = best(lambda: selectors.candidate_summary(on=ON))
    print(f"  bare COUNT of active IKM           {bare * 1000:7.0f} ms")
    print(f"  candidate summary, four COUNTs     {old * 1000:7.0f} ms ({old / bare:.1f}×)")
    print(f"  candidate summary, one pass        {new * 1000:7.0f} ms ({new / bare:.1f}×)")
    recount = best(lambda: services.progress_snapshot_refresh(today=ON), 2)
    print(f"  recount (background task)          {recount * 1000:7.0f} ms ({recount / bare:.1f}×)")
    client = Client()
    user = User.objects.filter(is_superuser=True).first() or User.objects.first()
    client.force_login(user)
    assert client.get("/sertifikasi/").status_code == 200
    ikm = Ikm.objects.active().first()
    times = []
    for n in range(40):
        # An audited change, as an officer makes it; the queue has no worker.
        ikm_update(actor=user, ikm=ikm, data={"owner_phone": f"0812{n:08d}"}, version=ikm.version)
        ikm.refresh_from_db()
        t = time.perf_counter()
        page = client.get("/sertifikasi/")
        times.append(time.perf_counter() - t)
        assert page.status_code == 200 and b'data-testid="stale"' in page.content
    times.sort()
    p50, p95 = times[20], times[37]
    print(
        f"  /sertifikasi/ after a change: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"({p95 / bare:.2f}× the bare COUNT)"
    )


if __name__ == "__main__":
    main()
