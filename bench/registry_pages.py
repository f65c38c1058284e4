#!/usr/bin/env python
"""Server time of the registry pages at --scale N, against the bare ORM query behind each.

    .venv/bin/python bench/registry_pages.py --scale 100 --db both

Builds the demo data once per database (bench/out/, database sentra_bench_x100), then,
in a fresh process per database, times through Django's test client (URL routing,
middleware, permission checks, template rendering; no network):
  - list: /ikm/?kecamatan=…&subsector=…&q=… (two filters and a search term)
  - detail: /ikm/<id>/ for random ids
  - export: the CSV export of a filtered list of ≈10,000 rows
and the ORM query each page runs for its data. Prints p50/p95 and page/ORM ratios.
Then the list searched with one bare word and no filter (issue 16: name, street, owner,
a typo, a NIK, a phone), each against a bare COUNT of the active IKM in the same run.
Goal (issues 2, 16): list, search and detail p95 < 100 ms at 400k IKM on both databases.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import (
    database_urls,
    ensure_demo_db,
    p50,
    p95,
    run_worker,
    setup_django,
    timings,
)


def worker(runs: int) -> dict:
    setup_django()
    from django.db.models import Count
    from django.test import Client

    from sentra.accounts.models import Role, User
    from sentra.registry.models import Ikm
    from sentra.registry.selectors import (
        EXPORT_COLUMNS,
        IkmFilters,
        ikm_export_rows,
        ikm_list,
        ikm_page,
    )

    user, _ = User.objects.get_or_create(username="bench", defaults={"role": Role.ANALYST})
    client = Client()
    client.force_login(user)
    rng = random.Random(1)

    # Two filters and a search term: Denpasar Barat, Kuliner, "pie".
    list_params = {"kecamatan": "51.71.03", "subsector": "B16-08", "q": "pie"}
    filters = IkmFilters(**list_params)

    def orm_list():
        # The queries behind the page: the count, one page of ids, those rows.
        ikm_page(ikm_list(filters=filters), filters=filters, page=1)

    def page_list():
        r = client.get("/ikm/", list_params)
        assert r.status_code == 200

    ids = list(Ikm.objects.order_by("?").values_list("id", flat=True)[:500])

    def orm_detail():
        pk = rng.choice(ids)
        ikm = Ikm.objects.select_related("desa", "kecamatan", "subsector", "kbli").get(pk=pk)
        list(ikm.sources.all())

    def page_detail():
        r = client.get(f"/ikm/{rng.choice(ids)}/")
        assert r.status_code == 200

    # The desa whose full list (active and closed) is nearest 10,000 rows.
    counts = Ikm.objects.values("desa_id").annotate(n=Count("id"))
    desa = min(counts, key=lambda c: abs(c["n"] - 10_000))
    export_filters = IkmFilters(desa=desa["desa_id"], kecamatan=desa["desa_id"][:8], status="all")

    export_fields = [field for field, _ in EXPORT_COLUMNS]

    def orm_export():
        # The bare query behind the export: the same columns, no masking, no CSV.
        list(ikm_list(filters=export_filters).values_list(*export_fields, "kecamatan_id"))

    def page_export():
        r = client.get(
            "/ikm/",
            {
                "kecamatan": desa["desa_id"][:8],
                "desa": desa["desa_id"],
                "status": "all",
                "format": "csv",
            },
        )
        body = b"".join(r.streaming_content)
        assert body.count(b"\n") >= desa["n"]

    full_export_rows = lambda: list(ikm_export_rows(ikm_list(filters=export_filters), user=user))  # noqa: E731

    # Bare searches, as typed in the list's box with no filter.
    sample = Ikm.objects.exclude(owner_nik="").exclude(owner_phone="").order_by("id").first()
    searches = {
        "kopi (common word)": "kopi",
        "sari (common name)": "sari",
        "antasura (street)": "antasura",
        "kopii (one typo)": "kopii",
        "antsura (typo)": "antsura",
        "a NIK": sample.owner_nik if sample else "5171010101010001",
        "a phone": sample.owner_phone if sample else "081234567890",
    }

    def searching(q):
        def run():
            r = client.get("/ikm/", {"q": q})
            assert r.status_code == 200

        return run

    def bare_count():
        Ikm.objects.filter(closed_on__isnull=True).count()

    result = {
        "search": {label: timings(searching(q), runs=runs) for label, q in searches.items()},
        "search_baseline": timings(bare_count, runs=runs),
        "ikm": Ikm.objects.count(),
        "list_rows": ikm_list(filters=filters).count(),
        "export_rows": desa["n"],
        "list": {"page": timings(page_list, runs=runs), "orm": timings(orm_list, runs=runs)},
        "detail": {"page": timings(page_detail, runs=runs), "orm": timings(orm_detail, runs=runs)},
        "export": {
            "page": timings(page_export, runs=max(3, runs // 10), warmup=1),
            "orm": timings(orm_export, runs=max(3, runs // 10), warmup=1),
            "rows": timings(full_export_rows, runs=max(3, runs // 10), warmup=1),
        },
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.runs)))
        return
    for name, url in database_urls(args.db, args.scale).items():
        ensure_demo_db(url, args.scale, rebuild=args.rebuild)
        r = run_worker(__file__, ["--runs", str(args.runs)], env={"DATABASE_URL": url})
        print(
            f"\n{name}: {r['ikm']:,} IKM (scale {args.scale}); list matches {r['list_rows']:,};"
            f" export {r['export_rows']:,} rows"
        )
        print(
            f"  {'':8} {'page p50':>9} {'page p95':>9} {'ORM p50':>9} {'ORM p95':>9} {'ratio p50':>9}"
        )
        for key in ("list", "detail", "export"):
            page, orm = r[key]["page"], r[key]["orm"]
            print(
                f"  {key:8} {p50(page) * 1000:8.1f}ms {p95(page) * 1000:8.1f}ms "
                f"{p50(orm) * 1000:8.1f}ms {p95(orm) * 1000:8.1f}ms {p50(page) / p50(orm):8.1f}×"
            )
        rows = r["export"]["rows"]
        print(f"  export rows with masking (no CSV): p50 {p50(rows) * 1000:.0f} ms")
        base = r["search_baseline"]
        print(f"  search, no filter   p50       p95   p95 / bare COUNT ({p95(base) * 1000:.1f} ms)")
        for label, values in r["search"].items():
            print(
                f"  {label:18} {p50(values) * 1000:6.1f}ms {p95(values) * 1000:8.1f}ms"
                f" {p95(values) / p95(base):8.2f}×"
            )


if __name__ == "__main__":
    main()
