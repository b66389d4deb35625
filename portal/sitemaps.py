"""/sitemap.xml: an index of one sitemap per kind of public page, each page listed in every interface language.

Only what anyone may read is listed: published resources and school offers, public exchange-bank entries,
and the knowledge areas, learning teams and libraries. Each URL carries hreflang alternates (sv, da, nb, en
and x-default) and its lastmod; a section with more than 50,000 URLs is split into pages (?p=2).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, overload
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.sitemaps import Sitemap, views
from django.core.paginator import Paginator
from django.db.models import Max, Model, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from resources.models import KnowledgeArea, Resource, SchoolOffer
from teams.models import Experience, LearningTeam, Library

URLS_PER_SITEMAP = 50_000  # the sitemaps.org limit
SLUG = "delarum-sitemap-slug"  # stands in for each page's slug in its reversed address


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
    """One kind of public page (``url_name``, by slug) in every interface language, with hreflang alternates.

    Django's i18n sitemaps reverse every address six times (its language, four alternates, x-default) and render
    each through the template: a page of 50,000 URLs took 28 s. Here each language's address is reversed once per
    page with a stand-in slug, and each <url> is written as one string: the same page takes 1.6–2.5 s
    (bench/outputs.py).
    """

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SITEMAP
    date_field = "updated_at"
    url_name = ""

    @property
    def paginator(self) -> Paginator:
        return Paginator(InEachLanguage(self.items(), self._language_codes()), self.limit)

    @staticmethod
    def _language_codes() -> list[str]:
        return [code for code, _name in settings.LANGUAGES]

    def items(self) -> QuerySet[Any]:
        raise NotImplementedError

    def location(self, item: Any) -> str:
        return reverse(self.url_name, kwargs={"slug": item.slug})

    def lastmod(self, item: Any) -> datetime | None:
        return getattr(item, self.date_field)

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max(self.date_field))["latest"]

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> list[dict[str, Any]]:
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        addresses = {}
        for code in self._language_codes():
            with translation.override(code):
                addresses[code] = base + reverse(self.url_name, kwargs={"slug": SLUG})
        # As Django's x_default: the default language's address without its prefix, which redirects by language.
        addresses["x-default"] = addresses[settings.LANGUAGE_CODE].replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
        urls, dates = [], []
        for item, code in self.paginator.page(page).object_list:
            lastmod = self.lastmod(item)
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{language}" href={quoteattr(href.replace(SLUG, item.slug))}/>'
                for language, href in addresses.items()
            )
            location = escape(addresses[code].replace(SLUG, item.slug))
            date = f"<lastmod>{timezone.localtime(lastmod).isoformat(timespec='seconds')}</lastmod>" if lastmod else ""
            urls.append({"xml": mark_safe(f"<url><loc>{location}</loc>{date}{links}</url>")})
            dates.append(lastmod)
        if dates and None not in dates:
            self.latest_lastmod = max(date for date in dates if date)  # the Last-Modified header, as Django sets it
        return urls


class ResourceSitemap(PublicSitemap):
    url_name = "resources:detail"

    def items(self) -> QuerySet[Resource]:
        return Resource.objects.published().only("slug", "updated_at").order_by("pk")


class OfferSitemap(PublicSitemap):
    url_name = "offers:detail"

    def items(self) -> QuerySet[SchoolOffer]:
        return SchoolOffer.objects.published().only("slug", "updated_at").order_by("pk")


class ExperienceSitemap(PublicSitemap):
    # Experience.get_absolute_url is the staff page; this is the one anyone may read.
    url_name = "sharing:experience"

    def items(self) -> QuerySet[Experience]:
        return Experience.objects.public().only("slug", "updated_at").order_by("pk")


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
    model, resource_field, url_name = KnowledgeArea, "areas", "resources:area"


class TeamSitemap(CollectionSitemap):
    model, resource_field, url_name = LearningTeam, "team", "teams:detail"


class LibrarySitemap(CollectionSitemap):
    model, resource_field, url_name = Library, "library", "teams:library"


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
    return views.sitemap(request, SITEMAPS, section=section, template_name="portal/sitemap.xml")
