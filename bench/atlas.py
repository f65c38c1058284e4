#!/usr/bin/env python
"""Server time of the atlas pages at --scale N, against the bare aggregate query of each.

    .venv/bin/python bench/atlas.py --scale 100 --db sqlite

Builds the demo data once per database, sharing the throwaway database
(the registry benchmark's: bench/out/demo-x100.sqlite3, PostgreSQL sentra_bench_x100) with
`manage.py demo_data --scale N`, so the coaching demo hook runs too. Then, in a fresh
process, times through Django's test client (routing, middleware, rendering):
  - map data: /atlas/peta/data.json (desa level; default indicator, and growth)
  - profile: /atlas/wilayah/<kecamatan>/ for the 4 kecamatan in turn
  - dashboard: /
  - PDF: /atlas/wilayah/51.71.01/profil.pdf (seconds)
and the bare aggregate each page starts from (one GROUP BY / aggregate over active IKM).
Each is measured twice: "cold" with the atlas cache off (every request computes
everything: the first request after a data change), and "warm" with the cache on
(sentra.atlas.cache: figures kept until the next audited change).
Goal (issue 4): p95 < 300 ms for map data, profile and dashboard; PDF < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from itertools import cycle
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import (  # noqa: E402
    PYTHON,
    ROOT,
    database_urls,
    ensure_demo_db,
    p50,
    p95,
    timings,
)

KECAMATAN = ["51.71.01", "51.71.02", "51.71.03", "51.71.04"]


def worker(runs: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
    os.environ["SENTRA_TESTING"] = "1"
    django.setup()
    from django.db.models import Count, Sum
    from django.test import Client

    from sentra.accounts.models import Role, User
    from sentra.coaching.models import Participation
    from sentra.registry.models import Ikm

    user, _ = User.objects.get_or_create(username="bench-atlas", defaults={"role": Role.ANALYST})
    client = Client()
    client.force_login(user)
    active = Ikm.objects.active()

    def get(url, **params):
        def run():
            r = client.get(url, params)
            assert r.status_code == 200, (url, r.status_code)

        return run

    kec = cycle(KECAMATAN)

    def page_profile():
        r = client.get(f"/atlas/wilayah/{next(kec)}/")
        assert r.status_code == 200

    def bare_map():
        list(
            active.values("desa_id")
            .annotate(n=Count("id"), w=Sum("workers_total"), i=Sum("investment"))
            .order_by()
        )

    def bare_profile():
        active.filter(kecamatan_id=next(kec)).aggregate(
            n=Count("id"), w=Sum("workers_total"), i=Sum("investment")
        )

    def bare_dashboard():
        active.aggregate(n=Count("id"), w=Sum("workers_total"))

    def pdf():
        r = client.get("/atlas/wilayah/51.71.01/profil.pdf")
        assert r.status_code == 200 and r.content.startswith(b"%PDF")

    slow = max(3, runs // 4)
    return {
        "ikm": Ikm.objects.count(),
        "active": active.count(),
        "participations": Participation.objects.count(),
        "map": {
            "page": timings(get("/atlas/peta/data.json", level="desa", indicator="n"), runs=runs),
            "bare": timings(bare_map, runs=runs),
        },
        "map_growth": {
            "page": timings(
                get("/atlas/peta/data.json", level="desa", indicator="growth"), runs=slow
            ),
            "bare": timings(bare_map, runs=slow),
        },
        "profile": {
            "page": timings(page_profile, runs=runs),
            "bare": timings(bare_profile, runs=runs),
        },
        "dashboard": {
            "page": timings(get("/"), runs=runs),
            "bare": timings(bare_dashboard, runs=runs),
        },
        "pdf": timings(pdf, runs=3, warmup=1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.runs)))
        return
    for name, url in database_urls(args.db, args.scale).items():
        ensure_demo_db(url, args.scale, rebuild=args.rebuild)
        # Cold requests take seconds at x100 on SQLite: a few runs are enough there.
        cold_runs = max(3, args.runs // 8)
        for mode, seconds, runs in (("cold", "0", cold_runs), ("warm", "600", args.runs)):
            report(name, mode, runs, args.scale, url, seconds)


def report(name: str, mode: str, runs: int, scale: int, url: str, seconds: str) -> None:
    out = subprocess.run(
        [PYTHON, __file__, "--worker", "--runs", str(runs)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "SENTRA_ATLAS_CACHE_SECONDS": seconds},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(out.stderr)
        raise SystemExit(out.returncode)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"\n{name} [{mode}]: {r['ikm']:,} IKM ({r['active']:,} aktif, scale {scale}),"
        f" {r['participations']:,} peserta pembinaan"
    )
    print(
        f"  {'':10} {'page p50':>9} {'page p95':>9} {'bare p50':>9} {'bare p95':>9}"
        f" {'ratio p95':>9}"
    )
    for key in ("map", "map_growth", "profile", "dashboard"):
        page, bare = r[key]["page"], r[key]["bare"]
        print(
            f"  {key:10} {p50(page) * 1000:8.1f}ms {p95(page) * 1000:8.1f}ms "
            f"{p50(bare) * 1000:8.1f}ms {p95(bare) * 1000:8.1f}ms {p95(page) / p95(bare):8.1f}×"
        )
    pdf = r["pdf"]
    print(f"  profile PDF (Denpasar Selatan): {min(pdf):.2f}–{max(pdf):.2f} s over {len(pdf)} runs")


if __name__ == "__main__":
    main()
