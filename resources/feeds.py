"""Atom and RSS 2.0 feeds of the newest published resources and school offers.

Every feed speaks the interface language of its address (/sv/resources/feed/atom/ is in Swedish) and lists
the 50 newest published records; nothing else (drafts, items in review, archived ones) ever reaches it.
Each subject is one class; its Atom and RSS addresses share it and differ only in the format (``atom=True``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.syndication.views import Feed
from django.db.models import F, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resources.forms import ResourceSearchForm
from resources.models import KnowledgeArea, Resource, SchoolOffer
from resources.models.catalogue import ResourceQuerySet
from resources.school_years import band_label, parse_band
from resources.selectors import SAVED_SEARCH_FIELDS, newest_in_search, normalised_search, saved_search_form
from teams.models import LearningTeam, Library
from teams.text import slug_of

FEED_SIZE = 50
NEWEST_FIRST: list[Any] = [F("published_at").desc(nulls_last=True), "-pk"]


class CatalogueFeed(Feed):
    """What every Delarum feed shares: entries curated by a library, dated by their record, with a stable id.

    A fresh instance answers each request (``as_view``), so the request can be kept on it safely.
    """

    id_prefix = ""  # "resource", "offer": part of each entry's id
    model: type[Model] | None = None
    request: HttpRequest

    def __init__(self, *, atom: bool = False) -> None:
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed

    @classmethod
    def as_view(cls, *, atom: bool = False) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return cls(atom=atom)(request, *args, **kwargs)

        view.__name__ = view.__qualname__ = f"{cls.__name__}{'Atom' if atom else 'Rss'}"
        return view

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """What the feed is about: the area, team or library the address names; None for the whole catalogue."""
        self.request = request
        return get_object_or_404(self.model, slug=kwargs["slug"]) if self.model else None

    def subtitle(self, obj: Any) -> str:
        # Atom calls RSS's description a subtitle.
        return self.description(obj)

    def description(self, obj: Any) -> str:
        raise NotImplementedError

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        return item.summary

    def item_author_name(self, item: Any) -> str:
        return item.library.name

    def item_author_link(self, item: Any) -> str:
        return self.request.build_absolute_uri(item.library.get_absolute_url())

    def item_pubdate(self, item: Any) -> Any:
        return item.published_at

    def item_updateddate(self, item: Any) -> Any:
        return item.updated_at

    def item_guid(self, item: Any) -> str:
        """A tag URI (RFC 4151) from the record's id and first publication: the same in every language's
        feed, and kept when the title or the address changes."""
        host = urlsplit(self.request.build_absolute_uri("/")).hostname
        return f"tag:{host},{item.published_at:%Y-%m-%d}:{self.id_prefix}/{item.pk}"

    def item_guid_is_permalink(self, item: Any) -> bool:
        return False

    @staticmethod
    def names(objects: Iterable[Any]) -> list[str]:
        return [object.localized_name for object in objects]


# Resources ------------------------------------------------------------------------------------------------


class ResourceFeed(CatalogueFeed):
    """The newest published resources in the whole catalogue, or of one search: the search page's address with
    feed/atom/ after resources/ (/sv/resources/feed/atom/?q=klimat&language=sv) is that search's feed."""

    id_prefix = "resource"
    search: ResourceSearchForm | None = None

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not kwargs and any(request.GET.get(name) for name in [*SAVED_SEARCH_FIELDS, "cross"]):
            self.search = saved_search_form(request.GET)
            if not self.search.is_valid():
                # What the search page says beside its fields, as plain text, instead of a feed that looks right.
                problems = [str(error) for errors in self.search.errors.values() for error in errors]
                return HttpResponse("\n".join(problems), status=400, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def title(self, obj: Any) -> str:
        if self.search is not None and (words := self.search.cleaned_data.get("q")):
            return _("New resources for “%(query)s” – Delarum") % {"query": words}
        if self.search is not None:
            return _("New resources in your search – Delarum")
        return _("New resources – Delarum")

    def description(self, obj: Any) -> str:
        if self.search is not None:
            return _("The newest open learning resources that this search of Delarum finds.")
        return _("The newest open learning resources that libraries in Sweden, Denmark and Norway published.")

    def link(self, obj: Any) -> str:
        if self.search is not None:
            return reverse("resources:list") + "?" + normalised_search(self.search)
        return reverse("resources:list")

    def resources(self, obj: Any) -> ResourceQuerySet:
        if self.search is not None:
            return newest_in_search(self.search)  # type: ignore[return-value]
        return Resource.objects.published()

    def items(self, obj: Any) -> QuerySet[Resource]:
        # Three queries whatever the number of entries: the resources with their library and team, then
        # their knowledge areas and their tags (a search understands its words first: one more).
        return self.resources(obj).for_detail().order_by(*NEWEST_FIRST)[:FEED_SIZE]

    def item_categories(self, item: Resource) -> list[str]:
        return [*self.names(item.areas.all()), *(tag.name for tag in item.tags.all())]


class CollectionResourceFeed(ResourceFeed):
    """The newest published resources of one knowledge area, learning team or library, named by its slug."""

    resource_field = ""  # the resource's field that points at the collection
    title_text: Any  # lazily translated, with the collection's name for its placeholder
    description_text: Any

    def names_of(self, obj: Any) -> dict[str, str]:
        raise NotImplementedError

    def title(self, obj: Any) -> str:
        return self.title_text % self.names_of(obj)

    def description(self, obj: Any) -> str:
        return self.description_text % self.names_of(obj)

    def link(self, obj: Any) -> str:
        return obj.get_absolute_url()

    def resources(self, obj: Any) -> ResourceQuerySet:
        return Resource.objects.published().filter(**{self.resource_field: obj})


class AreaResourceFeed(CollectionResourceFeed):
    model, resource_field = KnowledgeArea, "areas"
    title_text = gettext_lazy("New resources in %(area)s – Delarum")
    description_text = gettext_lazy("The newest open learning resources in the knowledge area %(area)s.")

    def names_of(self, obj: KnowledgeArea) -> dict[str, str]:
        return {"area": obj.localized_name}


class TeamResourceFeed(CollectionResourceFeed):
    model, resource_field = LearningTeam, "team"
    title_text = gettext_lazy("New resources from %(team)s – Delarum")
    description_text = gettext_lazy("The newest open learning resources that the learning team %(team)s published.")

    def names_of(self, obj: LearningTeam) -> dict[str, str]:
        return {"team": obj.name}


class LibraryResourceFeed(CollectionResourceFeed):
    model, resource_field = Library, "library"
    title_text = gettext_lazy("New resources from %(library)s – Delarum")
    description_text = gettext_lazy("The newest open learning resources that %(library)s published.")

    def names_of(self, obj: Library) -> dict[str, str]:
        return {"library": obj.name}


# School offers --------------------------------------------------------------------------------------------


class OfferFilter:
    """The offer feed's filters, named as on the offer list: ?municipality=<slug>&year=<band>."""

    def __init__(self, query: Any) -> None:
        """Raises BadRequest or NotFound (with a message for people) when the address's filters are wrong."""
        self.municipality = query.get("municipality", "")
        places = _municipalities().get(self.municipality, []) if self.municipality else []
        if self.municipality and not places:
            raise NotFound(
                _("No library in Delarum is in the municipality %(municipality)s.")
                % {"municipality": self.municipality}
            )
        self.names = [name for name, _country in places]
        self.country = places[0][1] if places else None
        try:
            self.band = parse_band(query["year"]) if query.get("year") else None
        except ValueError:
            raise BadRequest(
                _('"year" is a school year or a band of school years from 0 to 13, such as 8 or 7-9.')
            ) from None

    @property
    def place(self) -> str:
        return self.names[0] if self.names else ""

    @property
    def years(self) -> str:
        if self.band is None:
            return ""
        return band_label(*self.band, country=self.country, language=translation.get_language())


class BadRequest(Exception):
    status = 400


class NotFound(Exception):
    status = 404


class OfferFeed(CatalogueFeed):
    """The newest published school offers: all of them, in one municipality, for a band of school years."""

    id_prefix = "offer"

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Wrong filters get a plain, translated answer instead of an empty feed that looks right.
        try:
            self.chosen = OfferFilter(request.GET)
        except (BadRequest, NotFound) as problem:
            return HttpResponse(str(problem), status=problem.status, content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> OfferFilter:
        self.request = request
        return self.chosen

    def title(self, obj: OfferFilter) -> str:
        values = {"municipality": obj.place, "years": obj.years}
        if obj.place and obj.band:
            return _("New school offers in %(municipality)s for %(years)s – Delarum") % values
        if obj.place:
            return _("New school offers in %(municipality)s – Delarum") % values
        if obj.band:
            return _("New school offers for %(years)s – Delarum") % values
        return _("New school offers – Delarum")

    def description(self, obj: OfferFilter) -> str:
        return _("Workshops, book talks and clubs that libraries newly offer school classes.")

    def link(self, obj: OfferFilter) -> str:
        query = {"municipality": obj.municipality} if obj.municipality else {}
        if obj.band and obj.band[0] == obj.band[1]:
            query["year"] = str(obj.band[0])  # the list filters by one year at a time
        return reverse("offers:list") + (f"?{urlencode(query)}" if query else "")

    def items(self, obj: OfferFilter) -> QuerySet[SchoolOffer]:
        # Three queries whatever the number of entries: the offers with their library, then their
        # knowledge areas and their subjects (the municipality's names are one more, when asked for).
        offers = SchoolOffer.objects.published()
        if obj.names:
            offers = offers.filter(library__municipality__in=obj.names)
        if obj.band:
            offers = offers.for_years(*obj.band)
        return offers.for_feed().newest_first()[:FEED_SIZE]

    def item_categories(self, item: SchoolOffer) -> list[str]:
        return [*self.names(item.areas.all()), *self.names(item.subjects.all()), item.years_label]


def _municipalities() -> dict[str, list[tuple[str, str]]]:
    """Every municipality with a library, by its slug as the offer list writes it: its names and countries."""
    places: dict[str, list[tuple[str, str]]] = {}
    for name, country in Library.objects.values_list("municipality", "country").distinct().order_by("municipality"):
        places.setdefault(slug_of(name), []).append((name, country))
    return places


def feed_paths(route: str, feed: type[CatalogueFeed], name: str) -> list[URLPattern]:
    """A feed's two addresses: <route>feed/atom/ (name-atom) and <route>feed/rss/ (name-rss)."""
    return [
        path(f"{route}feed/atom/", feed.as_view(atom=True), name=f"{name}-atom"),
        path(f"{route}feed/rss/", feed.as_view(), name=f"{name}-rss"),
    ]
