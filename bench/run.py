"""Benchmark the search pages under gunicorn on loopback, driven by wrk for a fixed time.

Usage (what `make bench` runs): python bench/run.py [--duration 20] [--connections 8] [--workers 4] [--cold]
                                   [--database NAME]
Prints requests per second and p50/p95/p99 latency per page, each page's throughput as a ratio of the
reference page's (a trivial page served by the same processes), and how many resources each page found.

The database is the one the project uses: DATABASE_URL when set (it is passed on to gunicorn), otherwise the
embedded server's `delarum`. `--database NAME` uses another database on the embedded server instead, e.g. one
loaded with a million resources (see README, "Speed").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SCENARIOS = [
    ("reference (health)", "/health/"),
    ("broad query", "/sv/resources/?q=bibliotek"),
    ("narrow query", "/sv/resources/?q=sl%C3%A4ktforskning+steg"),
    ("query, two filters", "/sv/resources/?q=k%C3%A4llkritik&language=da&kind=video"),
    ("typo query", "/sv/resources/?q=progamering"),
    ("no query, filters", "/sv/resources/?kind=course&language=nb"),
    # The JSON API (README, "API"): the search as a list, and one resource (the newest, found when the bench starts).
    ("API list, query", "/api/v1/resources?q=bibliotek"),
    ("API list, filters", "/api/v1/resources?kind=course&language=nb"),
    ("API resource detail", "/api/v1/resources/{newest}"),
    ("API offer list", "/api/v1/offers"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--cold", action="store_true", help="no cache at all (CACHE_URL=dummy://): what every request costs uncached"
    )
    parser.add_argument("--database", help="another database on the embedded server (e.g. delarum_million)")
    args = parser.parse_args()
    redis = None
    if args.cold:
        cache_url = "dummy://"
    else:
        redis, cache_url = start_redis(args.port + 1)
    env = server_environment(cache_url)
    if args.database:
        env["DATABASE_URL"] = embedded_database_url(args.database)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    count = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c",
         "from resources.models import Resource; print(Resource.objects.count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    server = start_gunicorn(env, port=args.port, workers=args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(f"{base}/health/")
        print(f"Delarum bench: {count} resources, gunicorn {args.workers} workers, "
              f"wrk {args.connections} connections, {args.duration} s per page, {os.cpu_count()} cores, "
              f"{'no cache (cold)' if args.cold else 'shared Redis cache'}")  # fmt: skip
        results = []
        newest = json.loads(fetch(f"{base}/api/v1/resources?sort=newest&limit=1"))["items"][0]["slug"]
        for name, template in SCENARIOS:
            path = template.replace("{newest}", urllib.parse.quote(newest))
            found = result_count(fetch(base + path))  # also warms the workers' connections and caches
            results.append((name, path, found, run_wrk(base + path, args.connections, args.duration)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis:
            redis.terminate()
            redis.wait(timeout=30)
    reference = results[0][3]["rps"]
    print(f"{'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'vs ref':>7}  errors  path  (found)")
    for name, path, found, result in results:
        errors = result["errors"] + result["non2xx"]
        print(
            f"{name:<20} {result['rps']:>8.1f} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['p99']:>8.1f} "
            f"{result['rps'] / reference:>6.0%}  {errors:>6}  {path}" + (f"  ({found})" if found else "")
        )


def server_environment(cache_url: str, **extra: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, a throwaway secret, the given cache."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "LOG_LEVEL": "WARNING",
        "CACHE_URL": cache_url,
        "API_RATE_LIMIT": "0",  # wrk is one address asking thousands of times a second
        **extra,
    }


def start_redis(port: int) -> tuple[subprocess.Popen[bytes], str]:
    """The shared cache production uses, on loopback, so every worker sees the others' entries."""
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    return redis, f"redis://127.0.0.1:{port}/0"


def start_gunicorn(
    env: dict[str, str], *, port: int, workers: int, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn serving the site on loopback; its errors go to `log` (default: this terminal)."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--error-logfile", "-", "--log-level", "warning",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip


def embedded_database_url(name: str) -> str:
    """The address of database `name` on the embedded server (its Unix socket), for DATABASE_URL."""
    sys.path.insert(0, str(ROOT))
    from portal.embedded_db import default_server

    server = default_server()
    server.ensure_running()
    return f"postgres://postgres@{urllib.parse.quote(str(server.socket_dir), safe='')}/{name}"


def result_count(page: str) -> str:
    """What a search page says it found ("About 34000 resources"), or an API list its total; empty for others."""
    if page.startswith("{") and '"total"' in page:
        return str(json.loads(page)["total"])
    match = re.search(r'<p class="result-count" role="status">\s*(.*?)\s*</p>', page, re.DOTALL)
    return match.group(1) if match else ""


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)  # polling a server that is starting; not test synchronisation
    raise SystemExit(f"gunicorn did not answer at {url}")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode())


def run_wrk(
    url: str,
    connections: int,
    duration: int,
    script: Path = ROOT / "bench" / "report.lua",
    *,
    headers: tuple[str, ...] = (),
) -> dict[str, float]:
    """wrk against `url` for `duration` seconds; `script` asks (default: `url` only) and reports (bench/report.lua)."""
    output = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
         *(f"-H{header}" for header in headers), "-s", str(script), url],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
