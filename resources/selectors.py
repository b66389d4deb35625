"""Questions the resource pages ask of the database, each answered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from resources.forms import Sort
from resources.models import KnowledgeArea, Resource, Status
from resources.search import Facet, UnderstoodQuery, facet_counts, search, understand

RESOURCE_FACETS = [
    Facet("area", """
        SELECT link.knowledgearea_id::text AS value, NULL::text AS label, count(*) AS count
          FROM hits JOIN resources_resource_areas link ON link.resource_id = hits.id
         GROUP BY 1"""),
    Facet("kind", "SELECT kind::text AS value, NULL::text AS label, count(*) AS count FROM hits GROUP BY 1"),
    Facet("language", "SELECT language::text AS value, NULL::text AS label, count(*) AS count FROM hits GROUP BY 1"),
    Facet("audience", """
        SELECT audience::text AS value, NULL::text AS label, count(*) AS count
          FROM hits CROSS JOIN unnest(hits.audiences) AS audience
         GROUP BY 1"""),
    Facet("license", "SELECT license::text AS value, NULL::text AS label, count(*) AS count FROM hits GROUP BY 1"),
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


def areas_with_counts() -> QuerySet[KnowledgeArea]:
    """Top-level knowledge areas with the number of published resources in each."""
    return (
        KnowledgeArea.objects.filter(parent=None)
        .annotate(resource_count=Count("resources", filter=Q(resources__status=Status.PUBLISHED)))
        .order_by("name")
    )


@dataclass
class ResourceSearch:
    """One search of the published resources: ordered results, their number, and facet counts."""

    results: QuerySet[Resource]
    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    query: UnderstoodQuery | None = None
    suggestion: str = ""
    filters: dict[str, Any] = field(default_factory=dict)


def search_resources(
    data: dict[str, Any], *, areas: dict[str, KnowledgeArea], sort: str, cross_language: bool
) -> ResourceSearch:
    queryset = filtered_resources(data, areas=areas)
    query = understand(data["q"], cross_language=cross_language) if data.get("q") else None
    if query:
        queryset = search(queryset, query)
    facets = facet_counts(queryset, RESOURCE_FACETS, FACET_COLUMNS)
    total = sum(count for _value, _label, count in facets["kind"])
    suggestion = ""
    if query and not total:
        # Nothing found: look further afield for a spelling that finds something.
        query_afar = understand(data["q"], cross_language=cross_language, similarity=LOOSE_SIMILARITY)
        if query_afar.corrections and published_matches(query_afar.suggestion()):
            suggestion = query_afar.suggestion()
    elif query and query.corrections and published_matches(query.suggestion()):
        suggestion = query.suggestion()
    return ResourceSearch(
        results=queryset.order_by(*ORDERINGS[sort if query or sort != Sort.RELEVANCE else Sort.NEWEST]),
        total=total,
        facets=facets,
        query=query,
        suggestion=suggestion,
    )


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
