"""Benchmark the curation commands' two volume targets and print the figures (what `make bench` runs last).

- import_resources: 10,000 CSV rows (target: under 30 s), inside a transaction that is rolled back afterwards,
  so the database is left as it was;
- the link checker: 5,000 addresses on a local HTTP server (target: well under a minute).

Usage: DEBUG=1 .venv/bin/python bench/curation.py
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from resources.links import CheckSettings, LinkChecker  # noqa: E402
from teams.models import Library  # noqa: E402

ROWS = 10_000
URLS = 5_000


class _Rollback(Exception):
    pass


def bench_import() -> float:
    library = Library.objects.order_by("pk").first()
    if library is None:
        raise SystemExit("Run `manage.py seed_demo` first.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["title", "url", "language", "summary", "description", "tags"])
            for n in range(ROWS):
                writer.writerow([f"Benchmarkresurs {n}", f"https://bench-import.example/{n}", "sv",
                                 "En kort sammanfattning.", "Text " * 20, f"ämne{n % 50};bench"])  # fmt: skip
        started = time.monotonic()
        try:
            with transaction.atomic():
                call_command("import_resources", str(path), "--library", library.slug, stdout=StringIO())
                seconds = time.monotonic() - started
                raise _Rollback
        except _Rollback:
            pass
    return seconds


class _Ok(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def bench_links() -> float:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = CheckSettings.from_settings(per_host=32, host_delay=0, allow_loopback=True)
    started = time.monotonic()
    results = LinkChecker(config).check_many([f"{base}/ok?n={n}" for n in range(URLS)], workers=32)
    seconds = time.monotonic() - started
    server.shutdown()
    if sum(result.ok for result in results.values()) != URLS:
        raise SystemExit("Some local addresses failed: the figure would mean nothing.")
    return seconds


if __name__ == "__main__":
    print(f"import_resources: {ROWS:,} rows in {bench_import():.1f} s (target: under 30 s; rolled back)")
    print(f"link checker: {URLS:,} local addresses in {bench_links():.1f} s (target: well under a minute)")
