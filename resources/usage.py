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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from crawlerdetect import CrawlerDetect
from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.models import (
    BookingRequest,
    BookingStatus,
    OfferUsage,
    Resource,
    ResourceUsage,
    SchoolOffer,
    SearchUsage,
    UsageKind,
)
from teams.access import is_coordinator, is_staff_member, own_libraries, own_teams, ownership_filter

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
    _upsert(
        f"INSERT INTO {table} (day, kind, count, {column}) VALUES (%s, %s, 1, %s) "
        f"ON CONFLICT ({column}, kind, day) DO UPDATE SET count = {table}.count + 1",
        [timezone.localdate(), str(kind), owner.pk],  # type: ignore[union-attr]
    )
    return True


def _upsert(sql: str, params: list[Any]) -> None:
    """One upsert, sent as one statement. Outside a transaction it commits without waiting for the disk
    (``synchronous_commit`` off for it alone): a popular resource's row is then locked for microseconds rather than
    for a disk flush per view, and a crash can lose the last fraction of a second's counts, never corrupt them.
    Inside someone's transaction (a service adding to a collection) it simply joins it."""
    if not connection.in_atomic_block:
        sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
    _upsert(
        f"INSERT INTO {table} (day, query, count, empty, hits) VALUES (%s, %s, 1, %s, %s) "
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


# The figures curators see ---------------------------------------------------------------------------------
#
# Staff see the figures of their own library's and learning teams' resources and offers (teams.access), or of one
# of them; coordinators see everyone's. Searches belong to no library: every member of staff who sees the
# statistics sees the whole portal's searches (texts without personal data, and anyone may add what is missing).

MONTHS = 12
TOP_ROWS = 20
LIST_ROWS = 50


def months_back(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last ``months`` calendar months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [date(month // 12, month % 12 + 1, 1) for month in range(index - months + 1, index + 1)]


def owner_filter(user: Any, scope: str, *, prefix: str = "") -> Q:
    """The rows (resources, offers, or rows ``prefix`` leads from) of a scope the user chose and may see:
    ``""`` for all of theirs, ``"library:<pk>"``, ``"team:<pk>"`` (checked by ``UsageScopeForm``)."""
    kind, _sep, pk = scope.partition(":")
    if kind in ("library", "team") and pk.isdigit():
        return Q(**{f"{prefix}{kind}_id": int(pk)})
    if is_coordinator(user):
        return Q()
    if not is_staff_member(user):
        return Q(pk__in=[])
    return ownership_filter(user, library_field=f"{prefix}library", team_field=f"{prefix}team")


class UsageScopeForm(forms.Form):
    scope = forms.ChoiceField(label=_("Figures for"), required=False)

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        mine = _("all libraries and teams") if is_coordinator(user) else _("my library and learning teams")
        self.fields["scope"].choices = [  # type: ignore[attr-defined]
            ("", mine),
            (_("Libraries"), [(f"library:{library.pk}", library.name) for library in own_libraries(user)]),
            (_("Learning teams"), [(f"team:{team.pk}", team.name) for team in own_teams(user)]),
        ]

    @property
    def chosen(self) -> str:
        return self.cleaned_data.get("scope", "") if self.is_valid() else ""


def _grouped_sum(rows: QuerySet[Any], owner: str, kind: str) -> Coalesce:
    """One offer's sum of ``rows`` (correlated on ``owner``), for an annotation."""
    total = rows.filter(**{owner: OuterRef("pk"), "kind": kind}).values(owner).annotate(total=Sum("count"))
    return Coalesce(Subquery(total.values("total")), 0)


def _bookings(since: datetime, statuses: list[str] | None = None) -> Coalesce:
    requests = BookingRequest.objects.filter(offer=OuterRef("pk"), created_at__gte=since)
    if statuses:
        requests = requests.filter(status__in=statuses)
    return Coalesce(Subquery(requests.values("offer").annotate(total=Count("pk")).values("total")), 0)


def _searches(since: date) -> QuerySet[Any]:
    """Each search text of the period: how often, how often in vain, and what its latest search found."""
    latest = SearchUsage.objects.filter(query=OuterRef("query")).order_by("-day").values("hits")[:1]
    return (
        SearchUsage.objects.filter(day__gte=since)
        .values("query")
        .annotate(searches=Sum("count"), empty_searches=Sum("empty"), last_hits=Subquery(latest))
    )


@dataclass(frozen=True)
class MonthRow:
    month: date
    resource_views: int = 0
    resource_opens: int = 0
    resource_adds: int = 0
    offer_views: int = 0
    offer_adds: int = 0
    booking_requests: int = 0


def monthly(user: Any, scope: str, months: list[date]) -> list[MonthRow]:
    """Each month's sums (three queries: resources, offers, booking requests)."""
    since = months[0]
    sums: dict[date, dict[str, int]] = {month: {} for month in months}
    resource_rows = (
        ResourceUsage.objects.filter(owner_filter(user, scope, prefix="resource__"), day__gte=since)
        .annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(total=Sum("count"))
    )
    for row in resource_rows:
        sums[row["month"]][f"resource_{RESOURCE_COLUMNS[row['kind']]}"] = row["total"]
    offer_rows = (
        OfferUsage.objects.filter(owner_filter(user, scope, prefix="offer__"), day__gte=since)
        .annotate(month=TruncMonth("day"))
        .values("month", "kind")
        .annotate(total=Sum("count"))
    )
    for row in offer_rows:
        sums[row["month"]][f"offer_{RESOURCE_COLUMNS[row['kind']]}"] = row["total"]
    booking_rows = (
        BookingRequest.objects.filter(owner_filter(user, scope, prefix="offer__"), created_at__gte=_start(since))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Count("pk"))
    )
    for row in booking_rows:
        sums[timezone.localtime(row["month"]).date()]["booking_requests"] = row["total"]
    return [MonthRow(month, **sums[month]) for month in months]


RESOURCE_COLUMNS = {UsageKind.VIEW: "views", UsageKind.OPEN: "opens", UsageKind.COLLECTION_ADD: "adds"}


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def resource_figures(user: Any, scope: str, since: date) -> QuerySet[Resource]:
    """The scope's resources with their views, clicks through and collection adds since ``since``."""
    period = Q(usage_days__day__gte=since)
    return (
        Resource.objects.filter(owner_filter(user, scope))
        .select_related("library", "team")
        .annotate(
            views=Coalesce(Sum("usage_days__count", filter=period & Q(usage_days__kind=UsageKind.VIEW)), 0),
            opens=Coalesce(Sum("usage_days__count", filter=period & Q(usage_days__kind=UsageKind.OPEN)), 0),
            adds=Coalesce(Sum("usage_days__count", filter=period & Q(usage_days__kind=UsageKind.COLLECTION_ADD)), 0),
        )
    )


def never_used(user: Any, scope: str, since: date) -> QuerySet[Resource]:
    """The scope's published resources nobody has read, opened or collected since ``since``, oldest first."""
    used = ResourceUsage.objects.filter(resource=OuterRef("pk"), day__gte=since)
    return (
        Resource.objects.published()
        .filter(owner_filter(user, scope))
        .filter(~Exists(used))
        .select_related("library", "team")
        .order_by("published_at", "pk")
    )


def offer_figures(user: Any, scope: str, since: date) -> QuerySet[SchoolOffer]:
    """The scope's offers with page views, collection adds, booking requests and confirmed ones since ``since``."""
    return (
        SchoolOffer.objects.filter(owner_filter(user, scope))
        .select_related("library")
        .annotate(
            views=_grouped_sum(OfferUsage.objects.filter(day__gte=since), "offer", UsageKind.VIEW),
            adds=_grouped_sum(OfferUsage.objects.filter(day__gte=since), "offer", UsageKind.COLLECTION_ADD),
            requests=_bookings(_start(since)),
            confirmed=_bookings(_start(since), [BookingStatus.CONFIRMED]),
        )
    )


@dataclass
class Figures:
    months: list[MonthRow]
    most_used: list[Resource]
    never_used: list[Resource]
    never_used_count: int
    offers: list[SchoolOffer]
    top_searches: list[dict[str, Any]]
    empty_searches: list[dict[str, Any]]


def figures(user: Any, scope: str, *, today: date) -> Figures:
    """Everything the statistics page shows, in a fixed number of queries whatever the amount of data."""
    months = months_back(today)
    since = months[0]
    unused = never_used(user, scope, since)
    resources = resource_figures(user, scope, since).filter(Q(views__gt=0) | Q(opens__gt=0) | Q(adds__gt=0))
    return Figures(
        months=monthly(user, scope, months),
        most_used=list(resources.order_by("-views", "-opens", "-adds", "pk")[:TOP_ROWS]),
        never_used=list(unused[:LIST_ROWS]),
        never_used_count=unused.count(),
        offers=list(offer_figures(user, scope, since).order_by("-views", "-requests", "title")[:LIST_ROWS]),
        top_searches=list(_searches(since).order_by("-searches", "query")[:TOP_ROWS]),
        empty_searches=list(
            _searches(since).filter(empty_searches__gt=0, last_hits=0).order_by("-empty_searches", "query")[:LIST_ROWS]
        ),
    )


# CSV ------------------------------------------------------------------------------------------------------

CSV_TABLES = ["resources", "offers", "months", "searches"]


def csv_rows(user: Any, scope: str, table: str, *, today: date) -> Iterator[list[Any]]:
    """One of the statistics as CSV rows (a header first) over the last 12 months; machine-readable names."""
    months = months_back(today)
    since = months[0]
    if table == "resources":
        yield ["id", "slug", "title", "library", "team", "status", "views", "opens", "collection_adds"]
        for resource in resource_figures(user, scope, since).order_by("pk").iterator(chunk_size=2000):
            team = resource.team.name if resource.team else ""
            yield [resource.pk, resource.slug, resource.title, resource.library.name, team, resource.status,
                   resource.views, resource.opens, resource.adds]  # type: ignore[attr-defined]  # fmt: skip
    elif table == "offers":
        yield ["id", "slug", "title", "library", "status", "views", "collection_adds", "booking_requests", "confirmed"]
        for offer in offer_figures(user, scope, since).order_by("pk").iterator(chunk_size=2000):
            yield [offer.pk, offer.slug, offer.title, offer.library.name, offer.status,
                   offer.views, offer.adds, offer.requests, offer.confirmed]  # type: ignore[attr-defined]  # fmt: skip
    elif table == "months":
        columns = [name for name in MonthRow.__dataclass_fields__ if name != "month"]
        yield ["month", *columns]
        for row in monthly(user, scope, months):
            yield [f"{row.month:%Y-%m}", *(getattr(row, name) for name in columns)]
    else:
        yield ["query", "searches", "searches_without_results", "hits_of_last_search"]
        for row in _searches(since).order_by("-searches", "query").iterator(chunk_size=2000):
            yield [row["query"], row["searches"], row["empty_searches"], row["last_hits"]]
