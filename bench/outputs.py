"""Time the feeds, the sitemap and robots.txt on the database's catalogue and print the figures.

Each address is asked for five times through Django's test client in this one process (no server, no cache: both
are uncached pages) and the best time is printed, with what the answer holds. The first sitemap page is the
heaviest page Delarum serves: 50,000 URLs (12,500 resources in four languages) with their alternates.

Usage: DEBUG=1 .venv/bin/python bench/outputs.py   (after `make bench` has loaded its 100,000 resources)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from resources.models import Resource  # noqa: E402

ADDRESSES = [
    "/sitemap.xml",
    "/sitemap-resources.xml",
    "/sitemap-resources.xml?p=2",
    "/sv/resources/feed/atom/",
    "/sv/resources/feed/rss/",
    "/sv/offers/feed/atom/?year=7-9",
    "/robots.txt",
]
TRIES = 5


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    print(f"Feeds and sitemap on {Resource.objects.published().count():,} published resources (best of {TRIES}):")
    for address in ADDRESSES:
        times = []
        for _try in range(TRIES):
            started = time.perf_counter()
            response = client.get(address)
            times.append(time.perf_counter() - started)
        holds = (
            response.content.count(b"<url>") or response.content.count(b"<entry>") or response.content.count(b"<item>")
        )
        print(
            f"  {address:34} {response.status_code}  {min(times) * 1000:7.0f} ms  "
            f"{len(response.content) / 1e6:6.2f} MB  {holds:>6} urls/entries"
        )


if __name__ == "__main__":
    main()
