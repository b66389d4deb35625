"""Usage statistics for curators: what is counted, how, and the figures staff see (README, "Usage statistics").

Counting keeps no personal data: no address, cookie, browser or account is stored or set, only daily sums
(resources/models/usage.py). Each counted event is one upsert of its day's row
(``INSERT ... ON CONFLICT DO UPDATE SET count = count + 1``), in the request's own connection.

Not counted: robots (by their User-Agent, with CrawlerDetect's maintained list; a request without one is taken
for a robot too, as every browser sends one), HEAD requests (link previews), signed-in staff reading pages and
searching while they work, and anything at all while ``USAGE_COUNTING`` is off.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from resources.models import OfferUsage, Resource, ResourceUsage, SchoolOffer, SearchUsage, UsageKind

_CRAWLERS = CrawlerDetect()  # keeps the last 1,024 user agents' answers, so a browser's costs one regex once

# Staff at work read their own pages and search to check: only what they add to collections is counted.
COUNTED_FOR_STAFF = {UsageKind.COLLECTION_ADD}

QUERY_MAX_LENGTH = SearchUsage._meta.get_field("query").max_length or 100
# A search text that could name a person is never stored: an e-mail address, six or more digits in a row
# (personal identity numbers, phone and library card numbers; ISBNs go with them), or a +-prefixed phone number.
# Years and year ranges (1939-1945) are kept.
PERSONAL = re.compile(r"\S@\S|\d{6,}|\+\s?\d")


def is_robot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "").strip()
    return not agent or _CRAWLERS.is_crawler(agent)


def counts_visit(request: HttpRequest | None, kind: str) -> bool:
    """Whether a visit (or, without a request, an action such as a collection add) is counted."""
    if not settings.USAGE_COUNTING:
        return False
    if request is None:
        return True
    if request.method not in ("GET", "POST") or is_robot(request):
        return False
    return kind in COUNTED_FOR_STAFF or not getattr(request.user, "is_staff", False)


def count(
    kind: UsageKind,
    *,
    resource: Resource | None = None,
    offer: SchoolOffer | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Count one use of a resource or a school offer today; True when it was counted.

    ``kind``: ``VIEW`` (its page), ``OPEN`` (a resource's address, through ``resources:go``), ``COLLECTION_ADD``.
    Give the request a visitor made, so that robots (and staff reading pages) are left out; without one
    (a service acting for a signed-in person) the use is counted. Inside a transaction the count is part of it.
    """
    if (resource is None) == (offer is None):
        raise ValueError("Count the use of a resource or an offer: give one of them.")
    if offer is not None and kind == UsageKind.OPEN:
        raise ValueError("Only resources are opened through Delarum; offers are booked.")
    if not counts_visit(request, kind):
        return False
    model, column, owner = (ResourceUsage, "resource_id", resource) if resource else (OfferUsage, "offer_id", offer)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, kind, count, {column}) VALUES (%s, %s, 1, %s) "  # noqa: S608  (names ours)
            f"ON CONFLICT ({column}, kind, day) DO UPDATE SET count = {table}.count + 1",
            [timezone.localdate(), str(kind), owner.pk],  # type: ignore[union-attr]
        )
    return True


def normalise_query(text: str) -> str:
    """A search as it is stored: NFKC, case-folded, single spaces, at most 100 characters; empty when it
    could name a person (see PERSONAL) or says nothing."""
    text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    if PERSONAL.search(text):
        return ""
    return text[:QUERY_MAX_LENGTH].strip()


def count_search(request: HttpRequest, query: str, hits: int) -> bool:
    """Count one search of the resource search page and what it found; True when it was counted.

    Only first pages count (turning a page is no new search). The page cache (resources.views) replays the
    call for visitors served the cached page, from ``search_of(request)``.
    """
    request.usage_search = (query, hits)  # type: ignore[attr-defined]
    text = normalise_query(query or "")
    if not text or request.GET.get("page", "1") != "1" or not counts_visit(request, "search"):
        return False
    table = connection.ops.quote_name(SearchUsage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, query, count, empty, hits) VALUES (%s, %s, 1, %s, %s) "  # noqa: S608
            f"ON CONFLICT (query, day) DO UPDATE SET count = {table}.count + 1, "
            f"empty = {table}.empty + EXCLUDED.empty, hits = EXCLUDED.hits",
            [timezone.localdate(), text, int(hits == 0), max(hits, 0)],
        )
    return True


def search_of(request: HttpRequest) -> tuple[str, int] | None:
    """The search ``count_search`` was given during this request, to keep with a cached page."""
    return getattr(request, "usage_search", None)


def count_cached_search(request: HttpRequest, search: Any) -> None:
    """Count the search of a page served from the cache, as if it had been rendered."""
    if search:
        count_search(request, *search)
