#!/usr/bin/env python
"""50 logged-in users on the production server at ×100 data, every main page.

    .venv/bin/python bench/load.py --db sqlite --users 50 --duration 120
    .venv/bin/python bench/load.py --db both

Builds the ×100 demo data once per database (bench/_common.py), migrates, collects the
static files, then starts the production server exactly as `make prod` does (gunicorn
with deploy/gunicorn.conf.py, DEBUG off, manifest static files through WhiteNoise) on
loopback. N users log in (the admin role: every page, the import list included) and each requests pages
one after the other, drawn from the mix below, until the time is up. Prints requests,
errors and p50/p95/p99 per page, and each page's p95 against the p95 of the login page
measured in the same run (a page with no query: the server's own floor under this load).
Goal (issue 12): 0 errors and p95 < 300 ms for every page.

`--think S`: each user starts within the first S seconds and pauses a random 0.5–1.5 × S
seconds after every page, as a person reads it (0, the default, is a stress test: 50 users without a pause saturate 2 cores,
and every page then waits behind the others in the server's queue).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import OUT, PYTHON, ROOT, database_urls, ensure_demo_db

PASSWORD = "bench-load-sandi-123"
BASELINE = "login"

# (name, weight, path or a function of the random generator and the sampled ids)
MIX = [
    ("dashboard", 3, lambda r, ids: "/"),
    ("list", 3, lambda r, ids: "/ikm/?kecamatan=51.71.03&subsector=B16-08&q=pie"),
    (
        "list_page",
        1,
        lambda r, ids: f"/ikm/?kecamatan=51.71.0{r.randint(1, 4)}&page={r.randint(1, 40)}",
    ),
    ("search", 2, lambda r, ids: "/ikm/?q=" + r.choice(["sari", "endek", "made", "kopi", "ud"])),
    ("detail", 4, lambda r, ids: f"/ikm/{r.choice(ids)}/"),
    ("map", 1, lambda r, ids: "/atlas/"),
    (
        "map_data",
        2,
        lambda r, ids: (
            "/atlas/peta/data.json?indicator=" + r.choice(["n", "workers_total", "investment"])
        ),
    ),
    (
        "map_geometry",
        1,
        lambda r, ids: "/atlas/peta/wilayah.geojson?level=" + r.choice(["desa", "kecamatan"]),
    ),
    (
        "map_points",
        1,
        lambda r, ids: "/atlas/peta/titik.json?bbox=115.18,-8.70,115.24,-8.62&zoom=14",
    ),
    (
        "profile",
        2,
        lambda r, ids: (
            "/atlas/wilayah/"
            + r.choice(["51.71.01", "51.71.02", "51.71.03", "51.71.04", "51.71.03.1005"])
            + "/"
        ),
    ),
    ("growth", 1, lambda r, ids: "/atlas/pertumbuhan/"),
    ("certification", 1, lambda r, ids: "/sertifikasi/"),
    ("coaching", 1, lambda r, ids: "/pembinaan/"),
    ("duplicates", 1, lambda r, ids: "/duplikat/"),
    ("imports", 1, lambda r, ids: "/impor/"),
    (BASELINE, 1, lambda r, ids: "/akun/masuk/"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return done.stdout if capture else ""


SETUP = (
    f"PASSWORD = {PASSWORD!r}\n"
    """
import json, random
from sentra.accounts.models import Role, User
from sentra.registry.models import Ikm
user, _ = User.objects.get_or_create(username="bench_load", defaults={"role": Role.ADMIN})
user.role = Role.ADMIN  # the import list is for those who may import
user.email = "bench.load@contoh.go.id"
user.set_password(PASSWORD)
user.save()
top = Ikm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
ids = list(Ikm.objects.filter(pk__in=random.Random(7).sample(range(1, top + 1), min(top, 3000))).values_list("pk", flat=True)[:500])
print(json.dumps(ids))
"""
)


class User:
    """One browser: its own connection and cookies, logged in once."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                # A recycled keep-alive connection (gunicorn max_requests): reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self) -> None:
        status, html = self.request("GET", "/akun/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "bench_load", "password": PASSWORD}
        )
        status, _ = self.request(
            "POST",
            "/akun/masuk/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/akun/masuk/",
            },
        )
        if status != 302:
            raise RuntimeError(f"login failed: HTTP {status}")


def run_load(
    port: int, ids: list[int], *, users: int, duration: float, seed: int, think: float = 0
) -> dict:
    results: dict[str, list[float]] = {name: [] for name, _, _ in MIX}
    errors: dict[str, int] = {name: 0 for name, _, _ in MIX}
    samples: dict[str, str] = {}
    lock = threading.Lock()
    names = [name for name, _, _ in MIX]
    weights = [w for _, w, _ in MIX]
    paths = {name: fn for name, _, fn in MIX}
    start_gate = threading.Barrier(users)
    deadline = [0.0]

    def one(k: int) -> None:
        rng = random.Random(seed + k)
        user = User(port)
        user.login()
        start_gate.wait()
        if k == 0:
            deadline[0] = time.monotonic() + duration
        while not deadline[0]:
            time.sleep(0.001)
        if think:
            # People do not all click at the same instant: each starts within one pause.
            time.sleep(rng.uniform(0, think))
        while time.monotonic() < deadline[0]:
            name = rng.choices(names, weights)[0]
            path = paths[name](rng, ids)
            t0 = time.perf_counter()
            try:
                status, _ = user.request("GET", path)
            except Exception as exc:  # a refused or dropped connection is an error too
                status = f"{type(exc).__name__}"
            elapsed = time.perf_counter() - t0
            with lock:
                if status == 200:
                    results[name].append(elapsed)
                else:
                    errors[name] += 1
                    samples.setdefault(name, f"{path} → {status}")
            if think:
                time.sleep(
                    min(think * rng.uniform(0.5, 1.5), max(0.0, deadline[0] - time.monotonic()))
                )

    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 300)
    return {"times": results, "errors": errors, "samples": samples}


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_database(label: str, url: str, args) -> None:
    ensure_demo_db(url, args.scale)
    static = OUT / "static"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "STATIC_ROOT": str(static),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
        "SENTRA_ACCESS_LOG": "",
        "LOG_LEVEL": "ERROR",
        "WEB_CONCURRENCY": str(args.workers),
        "SENTRA_THREADS": str(args.threads),
    }
    env.pop("SENTRA_TESTING", None)
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "collectstatic", "--no-input", "-v0")
    ids = json.loads(
        _manage(env, "shell", "-v0", "-c", SETUP, capture=True).strip().splitlines()[-1]
    )
    port = _free_port()
    env["SENTRA_BIND"] = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(OUT / f"gunicorn-{label}.log").open("w"),
        start_new_session=True,
    )
    try:
        for _ in range(600):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn ended; see {OUT / f'gunicorn-{label}.log'}")
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=5).request(
                    "GET", "/akun/masuk/"
                )
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker's caches once, as the first minutes of an office day do.
        # A keep-alive connection stays with one worker, so each round opens its own:
        # the kernel hands new connections to whichever worker accepts first.
        warm = User(port)
        warm.login()
        for _ in range(args.workers * 3):
            other = User(port)
            other.cookies = dict(warm.cookies)
            for _name, _, fn in MIX:
                other.request("GET", fn(random.Random(1), ids))
            other.conn.close()
        print(
            f"\n== {label}: {args.users} users, {args.duration:.0f} s, gunicorn "
            f"{args.workers}×{args.threads} threads, think {args.think:g} s ==",
            flush=True,
        )
        out = run_load(
            port, ids, users=args.users, duration=args.duration, seed=args.seed, think=args.think
        )
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    base = quantile(out["times"][BASELINE], 0.95)
    total = sum(len(v) for v in out["times"].values()) + sum(out["errors"].values())
    print(
        f"{'page':<14} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95/login':>9}"
    )
    for name, _, _ in MIX:
        t = out["times"][name]
        p95 = quantile(t, 0.95)
        print(
            f"{name:<14} {len(t) + out['errors'][name]:>8} {out['errors'][name]:>6} "
            f"{quantile(t, 0.5) * 1000:>8.0f} {p95 * 1000:>8.0f} {quantile(t, 0.99) * 1000:>8.0f} "
            f"{p95 / base if base else float('nan'):>9.1f}"
        )
    every = [x for v in out["times"].values() for x in v]
    print(
        f"{'all':<14} {total:>8} {sum(out['errors'].values()):>6} "
        f"{statistics.median(every) * 1000 if every else float('nan'):>8.0f} "
        f"{quantile(every, 0.95) * 1000:>8.0f} {quantile(every, 0.99) * 1000:>8.0f}"
        f"   ({total / args.duration:.1f} requests/s)"
    )
    over = [n for n, _, _ in MIX if quantile(out["times"][n], 0.95) > 0.3]
    print("pages over 300 ms p95:", ", ".join(over) or "none")
    for name, sample in out["samples"].items():
        print(f"  first error on {name}: {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (bounded)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--think", type=float, default=0, help="mean seconds a user reads a page (0: stress)"
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 600)
    for label, url in database_urls(args.db, args.scale).items():
        bench_database(label, url, args)


if __name__ == "__main__":
    main()
