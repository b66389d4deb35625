"""Harvest the whole catalogue through OAI-PMH (/oai/) with Sickle against gunicorn on loopback, and time it.

Usage (what `make bench` runs): python bench/oai.py [--metadata-prefix oai_dc] [--page-size 100] [--workers 2]
                                   [--resources N] [--database NAME]
Prints the records harvested (deleted ones among them), the pages, the seconds and records per second, and
checks that every identifier came once and that the count is the list size the repository announced.
`--resources N` stops after N records (a smaller run on a busy machine); without it the whole list is harvested.

A harvester reads one page at a time, so this is one client and the server's latency per page: the figure to
compare with a harvester's patience, not the server's throughput under load (bench/load.py measures that).
The database is the project's (DATABASE_URL or the embedded server's `delarum`), or `--database NAME`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import embedded_database_url, server_environment, start_gunicorn, wait_until_up
from sickle import Sickle


class CountingSickle(Sickle):
    """Sickle counting the pages it asks for."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint, max_retries=0, timeout=120)
        self.pages = 0

    def harvest(self, **kwargs: str) -> object:
        self.pages += 1
        return super().harvest(**kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--metadata-prefix", default="oai_dc", choices=["oai_dc", "oai_lom"])
    parser.add_argument("--page-size", type=int, default=100, help="OAI_PAGE_SIZE for the server (default 100)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--resources", type=int, help="stop after this many records (default: the whole list)")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--database", help="another database on the embedded server (e.g. delarum_million)")
    args = parser.parse_args()
    env = server_environment("dummy://", OAI_PAGE_SIZE=str(args.page_size))
    if args.database:
        env["DATABASE_URL"] = embedded_database_url(args.database)
    server = start_gunicorn(env, port=args.port, workers=args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(f"{base}/health/")
        harvester = CountingSickle(f"{base}/oai/")
        started = time.perf_counter()
        records = harvester.ListRecords(metadataPrefix=args.metadata_prefix)
        announced = records.resumption_token.complete_list_size if records.resumption_token else None
        seen: set[str] = set()
        deleted = repeated = 0
        for record in records:
            repeated += record.header.identifier in seen
            seen.add(record.header.identifier)
            deleted += record.deleted
            if args.resources and len(seen) + repeated >= args.resources:
                break
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    harvested = len(seen) + repeated
    print(
        f"OAI-PMH harvest ({args.metadata_prefix}, {args.page_size} per page, gunicorn {args.workers} workers): "
        f"{harvested:,} records ({deleted:,} deleted) of {int(announced or harvested):,} announced, "
        f"{harvester.pages:,} pages, {seconds:.1f} s, {harvested / seconds:,.0f} records/s, "
        f"{seconds / harvester.pages * 1000:.0f} ms per page"
    )
    if repeated:
        raise SystemExit(f"{repeated} identifiers came twice (nothing changed during the harvest)")
    if not args.resources and announced and harvested != int(announced):
        raise SystemExit(f"harvested {harvested}, but the repository announced {announced}")


if __name__ == "__main__":
    main()
