"""/sitemap.xml: an index of one sitemap per kind of public page, each page listed in every interface language.

Only what anyone may read is listed: published resources and school offers, public exchange-bank entries,
and the knowledge areas, learning teams and libraries. Each URL carries hreflang alternates (sv, da, nb, en
and x-default) and its lastmod; a section with more than 50,000 URLs is split into pages (?p=2).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, overload

from django.conf import settings
from django.contrib.sitemaps import Sitemap, views
from django.core.paginator import Paginator
from django.db.models import Max, Model, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from resources.models import KnowledgeArea, Resource, SchoolOffer
from teams.models import Experience, LearningTeam, Library

URLS_PER_SITEMAP = 50_000  # the sitemaps.org limit


class InEachLanguage:
    """The rows of a query, each once per language, read from the database one sitemap page at a time.

    Django's i18n sitemaps build this list in memory for every request (the index too); this counts the rows
    in one query and reads only the page's rows in another, so a page costs the same at any catalogue size.
    """

    def __init__(self, rows: QuerySet[Any], languages: list[str]) -> None:
        self.rows, self.languages = rows, languages

    def count(self) -> int:
        return self.rows.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[tuple[Model, str]]:
        return iter(self[0 : len(self)])

    @overload
    def __getitem__(self, index: int) -> tuple[Model, str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Model, str]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        size = len(self.languages)
        first_row = start // size
        rows = self.rows[first_row : None if stop is None else -(-stop // size)]
        pairs = [(row, language) for row in rows for language in self.languages]
        skip = start - first_row * size
        return pairs[skip : None if stop is None else skip + stop - start]


class PublicSitemap(Sitemap):
    """One kind of public page in every interface language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SITEMAP
    date_field = "updated_at"

    @property
    def paginator(self) -> Paginator:
        return Paginator(InEachLanguage(self.items(), [code for code, _name in settings.LANGUAGES]), self.limit)

    def items(self) -> QuerySet[Any]:
        raise NotImplementedError

    def lastmod(self, item: Any) -> datetime | None:
        return getattr(item, self.date_field)

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max(self.date_field))["latest"]


class ResourceSitemap(PublicSitemap):
    def items(self) -> QuerySet[Resource]:
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")


class OfferSitemap(PublicSitemap):
    def items(self) -> QuerySet[SchoolOffer]:
        return SchoolOffer.objects.published().only("slug", "updated_at").order_by("pk")


class ExperienceSitemap(PublicSitemap):
    def items(self) -> QuerySet[Experience]:
        return Experience.objects.public().only("slug", "updated_at").order_by("pk")

    def location(self, item: Experience) -> str:
        # get_absolute_url is the staff page; this is the one anyone may read.
        return reverse("sharing:experience", kwargs={"slug": item.slug})


class CollectionSitemap(PublicSitemap):
    """Pages that list resources (areas, teams, libraries): changed when one of their published resources was."""

    date_field = "lastmod"
    model: type[Model]
    resource_field = ""  # the resource's field that points at the page's object

    def items(self) -> QuerySet[Any]:
        newest = (
            Resource.objects.published()
            .filter(**{self.resource_field: OuterRef("pk")})
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        return self.model._default_manager.only("slug").annotate(lastmod=Subquery(newest)).order_by("pk")


class AreaSitemap(CollectionSitemap):
    model = KnowledgeArea
    resource_field = "areas"


class TeamSitemap(CollectionSitemap):
    model = LearningTeam
    resource_field = "team"


class LibrarySitemap(CollectionSitemap):
    model = Library
    resource_field = "library"


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "resources": ResourceSitemap,
    "areas": AreaSitemap,
    "teams": TeamSitemap,
    "libraries": LibrarySitemap,
    "offers": OfferSitemap,
    "exchange": ExperienceSitemap,
}


def index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: where each section's sitemap (and each of its pages) is, and when it last changed."""
    return views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


def section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=<page>: up to 50,000 URLs of one section."""
    return views.sitemap(request, SITEMAPS, section=section)
