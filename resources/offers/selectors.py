"""Questions the school-offer pages ask of the database, each answered in a fixed number of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core import signing
from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery

from resources.models import BookingRequest, KnowledgeArea, OfferSession, SchoolOffer, Status, Subject
from resources.search import Facet, UnderstoodQuery, counted, did_you_mean, search, understand
from teams.models import Library

PAGE_SIZE = 20
MUNICIPALITY_FACET_SIZE = 25
BOOKING_SALT = "resources.offers.booking"


class Sort:
    RELEVANCE = "relevance"
    NEXT_SESSION = "next"


OFFER_FACETS = [
    Facet("year", """
        SELECT year::text AS value, NULL::text AS label, count(*) AS count
          FROM hits CROSS JOIN generate_series(hits.year_from::int, hits.year_to::int) AS year
         GROUP BY 1"""),
    Facet("subject", """
        SELECT subject.slug::text AS value, NULL::text AS label, count(*) AS count
          FROM hits
          JOIN resources_schooloffer_subjects link ON link.schooloffer_id = hits.id
          JOIN resources_subject subject ON subject.id = link.subject_id
         GROUP BY 1"""),
    Facet("area", """
        SELECT area.slug::text AS value, NULL::text AS label, count(*) AS count
          FROM hits
          JOIN resources_schooloffer_areas link ON link.schooloffer_id = hits.id
          JOIN resources_knowledgearea area ON area.id = link.knowledgearea_id
         GROUP BY 1"""),
    Facet("country", """
        SELECT library.country::text AS value, NULL::text AS label, count(*) AS count
          FROM hits JOIN teams_library library ON library.id = hits.library_id
         GROUP BY 1"""),
    Facet("region", """
        SELECT library.region::text AS value, library.region::text AS label, count(*) AS count
          FROM hits JOIN teams_library library ON library.id = hits.library_id
         GROUP BY 1, 2"""),
    Facet("municipality", f"""
        SELECT library.municipality::text AS value, library.municipality::text AS label, count(*) AS count
          FROM hits JOIN teams_library library ON library.id = hits.library_id
         GROUP BY 1, 2
         ORDER BY 3 DESC, 2
         LIMIT {MUNICIPALITY_FACET_SIZE}"""),
    Facet.of_column("format"),
]  # fmt: skip
FACET_COLUMNS = ["year_from", "year_to", "library_id", "format"]


@dataclass(frozen=True)
class Place:
    country: str
    region: str
    municipality: str


def places_with_offers() -> list[Place]:
    """Where published offers are: each (country, region, municipality) once."""
    rows = (
        Library.objects.filter(school_offers__status=Status.PUBLISHED)
        .order_by("country", "region", "municipality")
        .values_list("country", "region", "municipality")
        .distinct()
    )
    return [Place(*row) for row in rows]


@dataclass
class OfferSearch:
    """One search of the published offers: their number, facet counts and the ordered results."""

    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    results: QuerySet[SchoolOffer] = field(repr=False)
    query: UnderstoodQuery | None = None
    suggestion: str = ""

    def page(self, start: int, stop: int) -> list[SchoolOffer]:
        return list(self.results[start:stop])


def free_sessions(*, after: date | None = None, before: date | None = None) -> QuerySet[OfferSession]:
    """Upcoming sessions with a place left, optionally between two days (both included)."""
    sessions = OfferSession.objects.upcoming().with_places()
    if after:
        sessions = sessions.filter(starts_at__date__gte=after)
    if before:
        sessions = sessions.filter(starts_at__date__lte=before)
    return sessions


def with_next_free_session(
    offers: QuerySet[SchoolOffer], *, after: date | None = None, before: date | None = None
) -> QuerySet[SchoolOffer]:
    """The offers as cards show them: with their library and the start of their next free session."""
    next_free = free_sessions(after=after, before=before).filter(offer=OuterRef("pk"))
    return offers.annotate(
        next_session=Subquery(next_free.order_by("starts_at").values("starts_at")[:1], output_field=DateTimeField())
    ).select_related("library")


@dataclass(frozen=True)
class OfferFilters:
    """What an offer search asks for, as ``OfferSearchForm`` reads it from the address (empty: any). ``after`` and
    ``before`` are the ``from`` and ``to`` parameters: offers with a free session between them."""

    q: str = ""
    year: int | None = None
    subject: str = ""
    area: str = ""
    country: str = ""
    region: str = ""
    municipality: str = ""
    format: str = ""
    after: date | None = None
    before: date | None = None
    sort: str = Sort.NEXT_SESSION


def filtered_offers(
    filters: OfferFilters,
    *,
    subjects: dict[str, Subject],
    areas: dict[str, KnowledgeArea],
    regions: dict[str, list[str]],
    municipalities: dict[str, list[str]],
) -> QuerySet[SchoolOffer]:
    offers = SchoolOffer.objects.published()
    if filters.year is not None:
        offers = offers.for_year(filters.year)
    if subject := subjects.get(filters.subject):
        offers = offers.filter(subjects=subject)
    if area := areas.get(filters.area):
        # An area includes its sub-areas.
        links = SchoolOffer.areas.through.objects.filter(Q(knowledgearea=area) | Q(knowledgearea__parent=area))
        offers = offers.filter(pk__in=links.values("schooloffer_id"))
    if filters.country:
        offers = offers.filter(library__country=filters.country)
    if names := regions.get(filters.region):
        offers = offers.filter(library__region__in=names)
    if names := municipalities.get(filters.municipality):
        offers = offers.filter(library__municipality__in=names)
    if filters.format:
        offers = offers.filter(format=filters.format)
    if filters.after or filters.before:
        sessions = free_sessions(after=filters.after, before=filters.before)
        offers = offers.filter(pk__in=sessions.values("offer_id"))
    return offers


def search_offers(
    filters: OfferFilters,
    *,
    subjects: dict[str, Subject],
    areas: dict[str, KnowledgeArea],
    regions: dict[str, list[str]],
    municipalities: dict[str, list[str]],
) -> OfferSearch:
    """Filter and search the published offers: facet counts in one query, the page's rows in another."""
    query = understand(filters.q) if filters.q else None
    results = filtered_offers(filters, subjects=subjects, areas=areas, regions=regions, municipalities=municipalities)
    if query:
        results = search(results, query)
    found = counted(results, OFFER_FACETS, FACET_COLUMNS)
    results = with_next_free_session(results, after=filters.after, before=filters.before)
    if filters.sort == Sort.RELEVANCE and query:
        results = results.order_by("-rank", "title", "pk")
    else:
        results = results.order_by(F("next_session").asc(nulls_last=True), "title", "pk")
    suggestion = (
        did_you_mean(SchoolOffer.objects.published(), filters.q, query, found=bool(found.total)) if query else ""
    )
    return OfferSearch(total=found.total, facets=found.facets, results=results, query=query, suggestion=suggestion)


def booking_token(booking: BookingRequest) -> str:
    """The request's reference, signed: the teacher's key to their request, sent in their e-mail."""
    return signing.Signer(salt=BOOKING_SALT).sign(booking.reference)


def booking_for_token(token: str) -> BookingRequest | None:
    try:
        reference = signing.Signer(salt=BOOKING_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return BookingRequest.objects.for_listing().filter(reference=reference).first()


def booking_for_form(*, form_token: uuid.UUID, email: str) -> BookingRequest | None:
    """The request an earlier post of this very form made (a double click, a reload), if it was this teacher's."""
    return BookingRequest.objects.filter(form_token=form_token, email__iexact=email).first()
