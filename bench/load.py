"""Load and faults, measured: a realistic mix of visitors under gunicorn on loopback, driven by Locust.

Usage (what `make bench` and `make bench-load` run): DEBUG=1 python bench/load.py [--duration 60] [--users 12]
                                                     [--workers 4] [--outage 5] [--only normal|fault]
Two runs of the same mix (`bench/locustfile.py`: home, knowledge areas, resource search with the catalogue's
words, resource pages, filtered offer lists, offer pages, booking requests through the form), each bounded by
--duration seconds and a fixed number of users:

- normal: requests, failures and p50/p95 per kind of request;
- fault: the same, but the embedded PostgreSQL server is stopped a third of the way in and started again
  --outage seconds later. Printed: the requests that failed while it was away, whether every request after it
  was back was answered, and whether every booking a teacher was shown a reference for is in the database
  ("0 committed bookings lost").

The bookings go to sessions made for the run with plenty of places (so none runs full) and are removed with
them afterwards; e-mail goes to a local SMTP sink; BOOKING_RATE_LIMIT is off for the bench server (every
visitor comes from 127.0.0.1). With DATABASE_URL set the fault run is skipped: it restarts the embedded server.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from run import PYTHON, server_environment, start_gunicorn, start_redis, wait_until_up  # noqa: E402

from portal.embedded_db import default_server  # noqa: E402
from resources.models import BookingRequest, KnowledgeArea, OfferSession, Resource, SchoolOffer, Subject  # noqa: E402

BENCH_EMAIL_DOMAIN = "@bench.invalid"
SESSION_CAPACITY = 30_000  # places per bench session: more than a run can book
BOOKING_OFFERS = 3
WORD = re.compile(r"[^\W\d_]{5,}")
KIND_ORDER = ["home", "knowledge area", "resource search", "resource page", "offer list", "offer page",
              "booking form", "booking post"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
    parser.add_argument("--users", type=int, default=12, help="simulated visitors at once (default 12)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--outage", type=int, default=5, help="seconds the database is away in the fault run")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--only", choices=["normal", "fault"], help="run only one of the two runs")
    args = parser.parse_args()
    runs = [args.only] if args.only else ["normal", "fault"]
    if "fault" in runs and os.environ.get("DATABASE_URL"):
        print("The fault run restarts the embedded database; with DATABASE_URL set it is skipped.")
        runs.remove("fault")

    work = Path(tempfile.mkdtemp(prefix="delarum-load-"))
    sample, sessions = prepare_sample(work / "sample.json")
    redis, cache_url = start_redis(args.port + 1)
    smtp = start_smtp_sink()
    env = server_environment(
        cache_url,
        BOOKING_RATE_LIMIT="0",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.server_address[1]}",
        BENCH_SAMPLE=str(work / "sample.json"),
    )
    server_log = ROOT / "var" / "bench-load-server.log"
    references: set[str] = set()
    try:
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        with server_log.open("wb") as log:
            server = start_gunicorn(env, port=args.port, workers=args.workers, log=log)
            try:
                wait_until_up(f"http://127.0.0.1:{args.port}/health/")
                print(
                    f"Delarum load test: {sample['resource_count']} resources, gunicorn {args.workers} workers, "
                    f"{args.users} Locust users, {args.duration} s per run, {os.cpu_count()} cores, shared Redis cache"
                )
                for run in runs:
                    result = run_locust(args, env, work / f"{run}.jsonl", fault=run == "fault")
                    references |= result.references
                    report(run, result)
            finally:
                server.terminate()
                server.wait(timeout=30)
        print_bookings(references)
    finally:
        connections.close_all()
        cleanup(sessions)
        smtp.shutdown()
        redis.terminate()
        redis.wait(timeout=30)
    print(f"(server errors, if any, are in {server_log.relative_to(ROOT)})")


# Before the runs: the pages and words the visitors use, and sessions with room for every booking.


def prepare_sample(path: Path) -> tuple[dict[str, Any], list[int]]:
    published = Resource.objects.published()
    titles = list(published.order_by("?").values_list("title", flat=True)[:400])
    words = sorted({word.lower() for title in titles for word in WORD.findall(title)})
    offers = SchoolOffer.objects.published()
    booking_offers = list(offers.filter(booking="sessions").order_by("slug")[:BOOKING_OFFERS])
    if not booking_offers:
        raise SystemExit("No published school offer takes session bookings: run `manage.py seed_demo` first.")
    starts = (timezone.now() + timedelta(days=2)).replace(hour=7, minute=0, second=0, microsecond=0)
    sessions = [
        OfferSession.objects.create(offer=offer, starts_at=starts, capacity=SESSION_CAPACITY).pk
        for offer in booking_offers
    ]
    subjects = list(Subject.objects.values_list("slug", flat=True))
    municipalities = sorted(set(offers.values_list("library__municipality", flat=True)) - {""})
    offer_filters = [{"year": str(year)} for year in range(0, 13, 2)]
    offer_filters += [{"subject": slug} for slug in subjects[:6]]
    offer_filters += [{"municipality": name} for name in municipalities[:4]]
    offer_filters += [{"year": "8", "subject": slug} for slug in subjects[:3]]
    sample = {
        "resource_count": Resource.objects.count(),
        "areas": list(KnowledgeArea.objects.values_list("slug", flat=True)),
        "resources": list(published.order_by("?").values_list("slug", flat=True)[:500]),
        "words": random.sample(words, k=min(300, len(words))),
        "offers": list(offers.values_list("slug", flat=True)),
        "offer_filters": offer_filters,
        "booking_offers": [offer.slug for offer in booking_offers],
        "bench_sessions": sessions,
    }
    path.write_text(json.dumps(sample, ensure_ascii=False))
    connections.close_all()  # the fault run takes the database away; nothing of ours should hold it
    return sample, sessions


def cleanup(sessions: list[int]) -> None:
    BookingRequest.objects.filter(email__endswith=BENCH_EMAIL_DOMAIN).delete()
    OfferSession.objects.filter(pk__in=sessions).delete()


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to take the booking e-mails and throw them away."""

    def handle(self) -> None:
        self.wfile.write(b"220 bench ESMTP\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    self.wfile.write(b"250 OK\r\n")
                continue
            command = line[:4].upper()
            if command == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


def start_smtp_sink() -> socketserver.ThreadingTCPServer:
    socketserver.ThreadingTCPServer.daemon_threads = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpSink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# The runs.


@dataclass
class Result:
    entries: list[dict[str, Any]]
    started: float
    down_at: float | None = None
    up_at: float | None = None
    references: set[str] = field(default_factory=set)


def run_locust(args: argparse.Namespace, env: dict[str, str], log: Path, *, fault: bool) -> Result:
    started = time.time()
    locust = subprocess.Popen(
        [str(Path(PYTHON).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--users", str(args.users), "--spawn-rate", str(args.users), "--run-time", f"{args.duration}s",
         "--host", f"http://127.0.0.1:{args.port}", "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "10"],
        cwd=ROOT, env={**env, "BENCH_LOG": str(log)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    down_at = up_at = None
    if fault:
        # The experiment's timeline: a third of the way in, the database goes away for --outage seconds.
        time.sleep(args.duration / 3)
        server = default_server()
        down_at = time.time()
        server.stop()
        time.sleep(args.outage)
        server.ensure_running()
        up_at = time.time()
    _out, errors = locust.communicate(timeout=args.duration + 60)
    if not log.exists():
        raise SystemExit(f"Locust recorded nothing:\n{errors.decode(errors='replace')[-2000:]}")
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    references = {entry["reference"] for entry in entries if "reference" in entry}
    return Result(entries=entries, started=started, down_at=down_at, up_at=up_at, references=references)


# The figures.


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def table(entries: list[dict[str, Any]], seconds: float) -> None:
    print(f"  {'kind':<16} {'requests':>8} {'failed':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}")
    kinds = sorted({entry["kind"] for entry in entries}, key=lambda k: [*KIND_ORDER, k].index(k))
    for kind in [*kinds, "all"]:
        rows = [entry for entry in entries if kind in ("all", entry["kind"])]
        times = [entry["ms"] for entry in rows if entry["ok"]]
        failed = sum(not entry["ok"] for entry in rows)
        print(
            f"  {kind:<16} {len(rows):>8} {failed:>7} {len(rows) / seconds:>7.1f} "
            f"{percentile(times, 0.5):>8.0f} {percentile(times, 0.95):>8.0f}"
        )


def report(run: str, result: Result) -> None:
    entries = result.entries
    seconds = max(entry["at"] for entry in entries) - min(entry["at"] for entry in entries) if entries else 1.0
    print(f"\n{run} run: {len(entries)} requests, {sum(not e['ok'] for e in entries)} failed (p50/p95 of answered)")
    table(entries, seconds)
    if result.down_at is None or result.up_at is None:
        return
    before = [entry for entry in entries if entry["at"] < result.down_at]
    during = [entry for entry in entries if result.down_at <= entry["at"] < result.up_at]
    after = [entry for entry in entries if entry["at"] >= result.up_at]
    outage = result.up_at - result.down_at
    print(f"  database stopped at {result.down_at - result.started:.1f} s, back after {outage:.1f} s (stop + start)")
    print(f"  before the outage: {len(before)} requests, {sum(not e['ok'] for e in before)} failed")
    print(f"  during the outage: {len(during)} requests, {sum(not e['ok'] for e in during)} failed")
    failed_after = sum(not entry["ok"] for entry in after)
    verdict = "every request answered" if failed_after == 0 else f"{failed_after} FAILED"
    print(f"  after recovery:    {len(after)} requests, {verdict}")


def print_bookings(references: set[str]) -> None:
    stored = set(BookingRequest.objects.filter(reference__in=references).values_list("reference", flat=True))
    in_database = BookingRequest.objects.filter(email__endswith=BENCH_EMAIL_DOMAIN).count()
    lost = len(references - stored)
    print(
        f"\nbookings: {len(references)} confirmed to teachers (a reference shown), {in_database} in the database; "
        + ("0 committed bookings lost" if lost == 0 else f"{lost} COMMITTED BOOKINGS LOST")
    )


if __name__ == "__main__":
    main()
