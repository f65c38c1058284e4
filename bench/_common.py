"""Shared helpers for the benchmarks: a throwaway database with demo data, timing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable


def database_urls(which: str, scale: int) -> dict[str, str]:
    urls = {}
    if which in ("sqlite", "both"):
        OUT.mkdir(parents=True, exist_ok=True)
        urls["sqlite"] = f"sqlite:///{OUT / f'demo-x{scale}.sqlite3'}"
    if which in ("postgres", "both"):
        base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
        urls["postgres"] = f"{base}/sentra_bench_x{scale}"
    return urls


def ensure_demo_db(url: str, scale: int, *, rebuild: bool = False) -> None:
    """Build the demo data at this scale once; later runs reuse it (it takes minutes)."""
    env = {**os.environ, "DATABASE_URL": url}
    if url.startswith("postgres"):
        admin, name = url.rsplit("/", 1)
        exists = (
            subprocess.run(
                [
                    "psql",
                    f"{admin}/test",
                    "-tAc",
                    f"SELECT 1 FROM pg_database WHERE datname='{name}'",
                ],
                capture_output=True,
                text=True,
            ).stdout.strip()
            == "1"
        )
        if rebuild and exists:
            subprocess.run(["psql", f"{admin}/test", "-qc", f"DROP DATABASE {name}"], check=True)
            exists = False
        if not exists:
            subprocess.run(["psql", f"{admin}/test", "-qc", f"CREATE DATABASE {name}"], check=True)
    else:
        path = Path(url.removeprefix("sqlite:///"))
        if rebuild:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    has_data = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from sentra.registry.models import Ikm; print(Ikm.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if has_data in ("", "0"):
        print(f"  building demo data x{scale} in {url} (once; minutes) …", flush=True)
        subprocess.run(
            [PYTHON, "manage.py", "demo_data", "--scale", str(scale)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if url.startswith("postgres"):
            # What autovacuum does some minutes after a bulk load: without a visibility map
            # a COUNT cannot use an index-only scan and the first benches measure that.
            subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)


def timings(fn: Callable[[], object], *, runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_worker(script: str, args: list[str], *, env: dict[str, str]) -> dict:
    """Run `script --worker …` in a fresh process (its own Django, database and caches)
    and return the JSON it prints last; a failing worker stops the benchmark."""
    import json

    out = subprocess.run(
        [PYTHON, script, "--worker", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(out.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    """Django for a worker process: the project's settings, plain HTTP in the client."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
    os.environ["SENTRA_TESTING"] = "1"
    django.setup()
