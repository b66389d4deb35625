"""What counting views costs a resource page: the same page under gunicorn with USAGE_COUNTING on and off.

Usage (what `make bench` runs): python bench/usage.py [--duration 20] [--connections 8] [--workers 4]
                                   [--database NAME]
wrk sends a browser's User-Agent (a request without one is taken for a robot and never counted). Every request asks
for the same resource, so with counting on every view updates the same row of the day: the worst case, one popular
resource. Prints req/s and p50/p95/p99 both ways, how many views were counted, and the difference.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    PYTHON,
    ROOT,
    embedded_database_url,
    fetch,
    run_wrk,
    server_environment,
    start_gunicorn,
    start_redis,
    wait_until_up,
)

BROWSER = "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def django(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--database", help="another database on the embedded server")
    args = parser.parse_args()
    redis, cache_url = start_redis(args.port + 1)
    base_env = server_environment(cache_url)
    if args.database:
        base_env["DATABASE_URL"] = embedded_database_url(args.database)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=base_env, check=True)
    slug = django(base_env, "from resources.models import Resource; print(Resource.objects.published().first().slug)")
    counted = "from resources.models import ResourceUsage as U; print(sum(U.objects.filter(kind='view', resource__slug='{}').values_list('count', flat=True)))"  # noqa: E501
    path = f"/sv/resources/{slug}/"
    results = {}
    try:
        for counting in ["off", "on"]:
            env = {**base_env, "USAGE_COUNTING": counting}
            before = int(django(env, counted.format(slug)))
            server = start_gunicorn(env, port=args.port, workers=args.workers)
            try:
                wait_until_up(f"http://127.0.0.1:{args.port}/health/")
                fetch(f"http://127.0.0.1:{args.port}{path}")  # warms the workers' connections
                result = run_wrk(f"http://127.0.0.1:{args.port}{path}", args.connections, args.duration,
                                 headers=(BROWSER,))  # fmt: skip
            finally:
                server.terminate()
                server.wait(timeout=30)
            results[counting] = (result, int(django(env, counted.format(slug))) - before)
    finally:
        redis.terminate()
        redis.wait(timeout=30)
    print(f"Usage counting on a resource page ({path}), gunicorn {args.workers} workers, "
          f"wrk {args.connections} connections, {args.duration} s each")  # fmt: skip
    print(f"{'counting':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors  views counted")
    for counting, (result, views) in results.items():
        errors = result["errors"] + result["non2xx"]
        print(f"{counting:<10} {result['rps']:>8.1f} {result['p50']:>8.1f} {result['p95']:>8.1f} "
              f"{result['p99']:>8.1f}  {errors:>6}  {views}")  # fmt: skip
    off, on = results["off"][0], results["on"][0]
    print(f"counting costs {1 - on['rps'] / off['rps']:.1%} of the throughput, {on['p95'] - off['p95']:+.1f} ms at p95")


if __name__ == "__main__":
    main()
