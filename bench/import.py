#!/usr/bin/env python
"""Import speed: Sentra's validate + commit against the raw parse and django-import-export.

    .venv/bin/python bench/import.py                 # 100,000 rows, django-import-export on 10,000
    .venv/bin/python bench/import.py --rows 20000 --die-rows 2000
    .venv/bin/python bench/import.py --database postgres   # BENCH_POSTGRES_URL, default local

Generates a file in Sentra's export layout (.xlsx and .csv, `--rows` rows each), then in
one run and one throwaway database (SQLite: a temp file; PostgreSQL: a database created
and dropped here; migrated here, the dev database is never touched) measures:
  - raw parse: python-calamine reading every cell (xlsx), the csv module (csv);
  - Sentra: `import_job_validate` (read, convert, Ikm.clean_fields/clean per row, match)
    + `import_job_commit` (bulk insert of Ikm, IkmSource and audit entries, one transaction),
    and apart from it the duplicate search that import_job_commit runs after the
    transaction (linkage.pairs_find_for on the new IKM, outside the import's writes);
  - django-import-export (optional `bench` extra) importing the same rows into the same
    model with `clean_model_instances=True`, on `--die-rows` rows, extrapolated linearly.
  - peak memory (maximum resident set size) of the raw parse and of Sentra's validate +
    commit, each in a fresh subprocess of its own (resource.getrusage), so that neither
    the generated rows of this process nor the other run count.
Prints seconds and ratios. Goal (issues 3, 9): whole import ≤ 3× the raw parse; ≥ 20×
faster than django-import-export; peak RSS < 400 MB for 100,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path, database: str = "sqlite") -> str | None:
    """Point Django at a throwaway database and migrate it; returns the PostgreSQL
    database name to drop afterwards (None for SQLite, a file in `workdir`)."""
    pg_name = None
    if database == "postgres":
        import psycopg

        base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
        pg_name = f"sentra_bench_import_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_name}")
            conn.execute(f"CREATE DATABASE {pg_name}")
        os.environ["DATABASE_URL"] = f"{base}/{pg_name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SENTRA_VAR_DIR"] = str(workdir)
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sentra.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return pg_name


def drop_postgres(pg_name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


def make_rows(n: int, *, offset: int, rng: random.Random) -> list[list]:
    """Rows in Sentra's export layout: realistic, all valid, codes as text."""
    from sentra.areas.models import Area
    from sentra.registry.selectors import EXPORT_COLUMNS
    from sentra.sectors.models import Kbli

    header = [h for _, h in EXPORT_COLUMNS]
    desa = list(Area.objects.villages().values_list("code", "name", "parent__name"))
    kbli = list(Kbli.objects.filter(level="kelompok", section="C").values_list("code", flat=True))
    rows = []
    for i in range(n):
        k = offset + i
        code, desa_name, kec_name = desa[k % len(desa)]
        female = k % 2 == 1
        born = date(1960 + k % 40, 1 + k % 12, 1 + k % 28)
        day = born.day + (40 if female else 0)
        nik = f"517103{day:02d}{born.month:02d}{born.year % 100:02d}{k % 9999 + 1:04d}"
        values = {
            "nama_usaha": f"Usaha {rng.choice(['Pie Susu', 'Endek', 'Patung', 'Kopi'])} {k}",
            "bentuk_badan_usaha": rng.choice(["perorangan", "ud", "cv"]),
            "nib": f"{k:013d}",
            "kode_kbli": rng.choice(kbli),
            "produk_utama": rng.choice(["pie susu", "kain endek", "patung kayu", "kopi bubuk"]),
            "nama_pemilik": f"{'Ni Made' if female else 'I Wayan'} Pemilik {k}",
            "nik_pemilik": nik,
            "jenis_kelamin": "P" if female else "L",
            "tanggal_lahir": born,
            # A mobile number as offices hold them (Telkomsel 0812…); "08" + ten digits
            # was no valid number, so every row carried a warning.
            "kontak_hp": f"0812{k % 100_000_000:08d}",
            "alamat_usaha": f"Jl. Contoh No. {k % 300}",
            "rt": f"{k % 20 + 1:03d}",
            "kode_desa": code,
            "desa_kelurahan": desa_name,
            "kecamatan": kec_name,
            "tk_dibayar_laki": rng.randint(0, 5),
            "tk_dibayar_perempuan": rng.randint(0, 5),
            "tk_tidak_dibayar_perempuan": rng.randint(0, 2),
            "investasi": rng.randint(5, 900) * 1_000_000,
            "omzet_tahunan": rng.randint(10, 2000) * 1_000_000,
            "tahun_mulai_operasi": rng.randint(1990, 2024),
            "data_per": date(2025, 6, 30),
        }
        rows.append([values.get(h, "") for h in header])
    return header, rows


def write_files(workdir: Path, header, rows, stem: str) -> tuple[Path, Path]:
    from sentra.lib.tabular import xlsx_bytes

    xlsx = workdir / f"{stem}.xlsx"
    xlsx.write_bytes(xlsx_bytes(header, rows))
    csv_path = workdir / f"{stem}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                ["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row]
            )
    return xlsx, csv_path


def in_child(mode: str, path: Path) -> dict:
    """Run `mode` ("parse" or "import") on `path` in a fresh Python process against the
    same throwaway database; its timings and its peak RSS in MB."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        env=os.environ.copy(),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(mode: str, path: Path) -> None:
    import json
    import resource

    import django

    django.setup()
    if mode == "parse":
        wall, cpu = raw_parse(path)
        result = {"wall": wall, "cpu": cpu}
    else:
        validate, commit, duplicates, cpu, job, rss_import = sentra_import(path)
        result = {
            "validate": validate,
            "commit": commit,
            "duplicates": duplicates,
            "cpu": cpu,
            "created": job.created_count,
            "rss_import_mb": rss_import,
        }
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def raw_parse(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of reading every cell."""
    start, cpu = time.perf_counter(), time.process_time()
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    else:
        with path.open(newline="", encoding="utf-8") as fh:
            data = list(csv.reader(fh))
    assert len(data) > 1
    return time.perf_counter() - start, time.process_time() - cpu


def sentra_import(path: Path) -> tuple[float, float, float, float, object, float]:
    """(validate, commit, duplicate search, CPU seconds of validate + commit, job, peak
    RSS in MB before the duplicate search); wall-clock seconds but the fourth. The commit enqueues the duplicate search as its
    own background task (the database backend: it waits, not run here); it is then
    timed apart, as a worker would run it."""
    from sentra.imports import services

    start, cpu = time.perf_counter(), time.process_time()
    job = services.import_job_create(actor=None, path=path, kind="survei")
    job = services.import_job_validate(job=job)
    validated = time.perf_counter()
    assert job.status == "validated", (job.status, job.error)
    assert job.rows_invalid == 0, job.rows_invalid
    job = services.import_job_commit(job=job, actor=None)
    assert job.status == "committed", job.error
    committed, cpu = time.perf_counter(), time.process_time() - cpu
    import resource

    rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    services.import_job_find_duplicates(job=job)
    duplicates = time.perf_counter() - committed
    return validated - start, committed - validated, duplicates, cpu, job, rss_import


def die_import(header, rows) -> float:
    import tablib
    from import_export import fields, resources, widgets

    from sentra.areas.models import Area
    from sentra.registry.models import Ikm
    from sentra.registry.selectors import EXPORT_COLUMNS
    from sentra.sectors.models import Kbli

    skip = {"id", "subsector__name", "desa__name", "kecamatan__name", "location_check"}
    skip |= {"workers_total", "scale", "closed_on", "closed_reason"}
    attrs = {}
    for field, column in EXPORT_COLUMNS:
        if field in skip:
            continue
        if field == "desa_id":
            attrs["desa"] = fields.Field(
                attribute="desa", column_name=column, widget=widgets.ForeignKeyWidget(Area, "code")
            )
        elif field == "kbli_id":
            attrs["kbli"] = fields.Field(
                attribute="kbli", column_name=column, widget=widgets.ForeignKeyWidget(Kbli, "code")
            )
        else:
            # The widget django-import-export itself picks for this model field; an empty
            # cell takes the model default, as in Sentra's import.
            model_field = Ikm._meta.get_field(field)
            attrs[field] = fields.Field(
                attribute=field,
                column_name=column,
                widget=resources.ModelResource.widget_from_django_field(model_field)(),
                default=model_field.get_default(),
            )

    class Meta:
        model = Ikm
        import_id_fields = ["nib"]
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
        fields = list(attrs)

    resource = type("IkmResource", (resources.ModelResource,), {**attrs, "Meta": Meta})()
    dataset = tablib.Dataset(
        *[tuple("" if v is None else v for v in r) for r in rows], headers=header
    )
    start = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    elapsed = time.perf_counter() - start
    assert not result.has_errors() and not result.has_validation_errors(), (
        result.invalid_rows[:1] or result.row_errors()[:1]
    )
    assert Ikm.objects.filter(nib=rows[0][header.index("nib")]).exists()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--die-rows", type=int, default=10_000)
    parser.add_argument("--skip-die", action="store_true", help="without django-import-export")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="postgres: a throwaway database on BENCH_POSTGRES_URL (default local server)",
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return

    with tempfile.TemporaryDirectory(prefix="sentra-bench-import-") as tmp:
        workdir = Path(tmp)
        pg_name = setup_django(workdir, args.database)
        try:
            run(args)
        finally:
            if pg_name:
                drop_postgres(pg_name)


def run(args) -> None:
    workdir = Path(os.environ["SENTRA_VAR_DIR"])
    from django.db import connection

    rng = random.Random(7)
    where = connection.settings_dict["NAME"]
    print(f"database: {connection.vendor} (throwaway, {where})")
    print(f"rows: {args.rows:,}; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = {}
    for n, suffix in enumerate(("xlsx", "csv")):
        header, rows = make_rows(args.rows, offset=(n + 1) * 10_000_000, rng=rng)
        xlsx, csv_path = write_files(workdir, header, rows, f"ikm-{suffix}")
        path = xlsx if suffix == "xlsx" else csv_path
        size = path.stat().st_size / 1024 / 1024
        raw = in_child("parse", path)
        parse, parse_cpu = raw["wall"], raw["cpu"]
        sentra = in_child("import", path)
        validate, commit, duplicates, cpu = (
            sentra["validate"],
            sentra["commit"],
            sentra["duplicates"],
            sentra["cpu"],
        )
        total = validate + commit
        results[suffix] = (parse, validate, commit, sentra["created"])
        print(
            f"\n.{suffix} ({size:.1f} MB): raw parse {parse:.2f} s | Sentra validate "
            f"{validate:.2f} s + commit {commit:.2f} s = {total:.2f} s "
            f"({sentra['created']:,} IKM created) | ratio to raw parse {total / parse:.1f}×"
            f"\n    peak RSS: raw parse {raw['rss_mb']:.0f} MB; Sentra validate + commit "
            f"{sentra['rss_import_mb']:.0f} MB ({sentra['rss_import_mb'] / raw['rss_mb']:.1f}× "
            f"the raw parse), {sentra['rss_mb']:.0f} MB after the duplicate search too"
            f"\n    CPU time (less sensitive to other load): raw parse {parse_cpu:.2f} s, "
            f"Sentra {cpu:.2f} s = {cpu / parse_cpu:.1f}×"
            f"\n    then the duplicate search after the commit: {duplicates:.2f} s "
            f"(with it {(total + duplicates) / parse:.1f}× the raw parse)"
        )
    if args.skip_die:
        return
    try:
        import import_export  # noqa: F401
    except ImportError:
        print("\ndjango-import-export not installed: pip install -e '.[bench]'")
        return
    header, rows = make_rows(args.die_rows, offset=90_000_000, rng=rng)
    die = die_import(header, rows)
    per_row = die / args.die_rows
    extrapolated = per_row * args.rows
    print(
        f"\ndjango-import-export: {args.die_rows:,} rows in {die:.2f} s "
        f"→ {extrapolated:.1f} s for {args.rows:,} rows (linear extrapolation)"
    )
    for suffix, (parse, validate, commit, _created) in results.items():
        sentra_total = validate + commit
        print(
            f"  .{suffix}: Sentra is {extrapolated / sentra_total:.1f}× faster; "
            f"django-import-export / raw parse = {extrapolated / parse:.0f}×"
        )


if __name__ == "__main__":
    main()
