"""Questions the resource pages ask of the database, each answered in a fixed number of queries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet

from resources.forms import Sort
from resources.models import KnowledgeArea, Resource, Status
from resources.search import Facet, UnderstoodQuery, facet_counts, search, understand

RESOURCE_FACETS = [
    Facet("area", """
        SELECT link.knowledgearea_id::text AS value, NULL::text AS label, count(*) AS count
          FROM hits JOIN resources_resource_areas link ON link.resource_id = hits.id
         GROUP BY 1"""),
    Facet.of_column("kind"),
    Facet.of_column("language"),
    Facet("audience", """
        SELECT audience::text AS value, NULL::text AS label, count(*) AS count
          FROM hits CROSS JOIN unnest(hits.audiences) AS audience
         GROUP BY 1"""),
    Facet.of_column("license"),
    Facet("tag", """
        SELECT tag.slug::text AS value, tag.name::text AS label, count(*) AS count
          FROM hits
          JOIN taggit_taggeditem item
            ON item.object_id = hits.id AND item.content_type_id = resources_resource_content_type()
          JOIN taggit_tag tag ON tag.id = item.tag_id
         GROUP BY 1, 2
         ORDER BY 3 DESC, 2
         LIMIT 15"""),
]  # fmt: skip
FACET_COLUMNS = ["kind", "language", "license", "audiences"]
LOOSE_SIMILARITY = 0.3
PAGE_SIZE = 20
# The first pages of a search are kept, in order, with its facet counts; later pages are read live.
CACHED_PAGES = 5
SEARCH_CACHE_SECONDS = 300


def areas_with_counts() -> QuerySet[KnowledgeArea]:
    """Top-level knowledge areas with the number of published resources in each."""
    return (
        KnowledgeArea.objects.filter(parent=None)
        .annotate(resource_count=Count("resources", filter=Q(resources__status=Status.PUBLISHED)))
        .order_by("name")
    )


@dataclass
class ResourceSearch:
    """One search of the published resources: the ids of its first pages in order, their number,
    facet counts, and the understood query. Cached under the catalogue version (see ``search_resources``)."""

    top_ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    query: UnderstoodQuery | None = None
    suggestion: str = ""
    # Rebuilt on every request (never cached): pages past the cached ones read from it.
    results: QuerySet[Resource] | None = field(default=None, compare=False)

    def page(self, start: int, stop: int) -> list[Resource]:
        """Resources start..stop of the ordered results, ready for listing."""
        if stop <= len(self.top_ids) or len(self.top_ids) >= self.total:
            ids = self.top_ids[start:stop]
            by_id = {resource.pk: resource for resource in Resource.objects.filter(pk__in=ids).for_listing()}
            return [by_id[pk] for pk in ids if pk in by_id]
        assert self.results is not None
        return list(self.results.for_listing()[start:stop])  # type: ignore[attr-defined]


def catalogue_version() -> int:
    """Moves forward with every change to resources, their tags and areas, and the term table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM resources_catalogue_version")
        (version,) = cursor.fetchone()
    return int(version)


def search_resources(
    data: dict[str, Any],
    *,
    areas: dict[str, KnowledgeArea],
    sort: str,
    cross_language: bool,
    version: int | None = None,
) -> ResourceSearch:
    """Search and filter the published resources, answering from the cache while the catalogue is unchanged."""
    sort = sort if data.get("q") or sort != Sort.RELEVANCE else Sort.NEWEST
    version = catalogue_version() if version is None else version
    key_data = json.dumps([version, sorted(data.items()), sort, cross_language], default=str)
    key = "resources:search:" + hashlib.sha256(key_data.encode()).hexdigest()
    found: ResourceSearch | None = cache.get(key)
    if found is None:
        found = _search(data, areas=areas, sort=sort, cross_language=cross_language)
        cache.set(key, found, SEARCH_CACHE_SECONDS)
    found.results = _results(data, areas=areas, sort=sort, query=found.query)
    return found


def _results(
    data: dict[str, Any], *, areas: dict[str, KnowledgeArea], sort: str, query: UnderstoodQuery | None
) -> QuerySet[Resource]:
    queryset = filtered_resources(data, areas=areas)
    if query:
        queryset = search(queryset, query)
    return queryset.order_by(*ORDERINGS[sort])


def _search(
    data: dict[str, Any], *, areas: dict[str, KnowledgeArea], sort: str, cross_language: bool
) -> ResourceSearch:
    query = understand(data["q"], cross_language=cross_language) if data.get("q") else None
    results = _results(data, areas=areas, sort=sort, query=query)
    facets = facet_counts(results, RESOURCE_FACETS, FACET_COLUMNS)
    total = sum(count for _value, _label, count in facets["kind"])
    suggestion = ""
    if query and not total:
        # Nothing found: look further afield for a spelling that finds something.
        query_afar = understand(data["q"], cross_language=cross_language, similarity=LOOSE_SIMILARITY)
        if query_afar.corrections and published_matches(query_afar.suggestion()):
            suggestion = query_afar.suggestion()
    elif query and query.corrections and published_matches(query.suggestion()):
        suggestion = query.suggestion()
    top_ids = list(results.values_list("pk", flat=True)[: CACHED_PAGES * PAGE_SIZE]) if total else []
    return ResourceSearch(top_ids=top_ids, total=total, facets=facets, query=query, suggestion=suggestion)


ORDERINGS = {
    Sort.RELEVANCE: ["-rank", "-published_at", "-pk"],
    Sort.NEWEST: ["-published_at", "-pk"],
    Sort.TITLE: ["title", "pk"],
}


def filtered_resources(data: dict[str, Any], *, areas: dict[str, KnowledgeArea]) -> QuerySet[Resource]:
    queryset = Resource.objects.published()
    if area := areas.get(data.get("area") or ""):
        # An area includes its sub-areas.
        links = Resource.areas.through.objects.filter(Q(knowledgearea=area) | Q(knowledgearea__parent=area))
        queryset = queryset.filter(pk__in=links.values("resource_id"))
    for name in ["kind", "language", "license"]:
        if value := data.get(name):
            queryset = queryset.filter(**{name: value})
    if audience := data.get("audience"):
        queryset = queryset.filter(audiences__contains=[audience])
    if tag := data.get("tag"):
        queryset = queryset.filter(tags__slug=tag)
    return queryset


def published_matches(text: str) -> bool:
    """Whether the words, exactly as given, find any published resource (no corrections, no leaks of drafts)."""
    query = understand(text, cross_language=False)
    return bool(query) and search(Resource.objects.published(), query).exists()
