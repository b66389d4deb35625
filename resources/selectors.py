"""Questions the resource pages ask of the database, each answered in a fixed number of queries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When
from taggit.models import Tag

from resources import accessibility
from resources.forms import Sort
from resources.models import KnowledgeArea, Resource, Status
from resources.search import Facet, UnderstoodQuery, counted_with_facets, did_you_mean, search, understand

# Areas and tags are counted from the ids each resource keeps on its row (migration 0014): no joins.
RESOURCE_FACETS = [
    Facet("area", """
        SELECT area::text AS value, NULL::text AS label, count(*) AS count
          FROM hits CROSS JOIN unnest(hits.area_ids) AS area
         GROUP BY 1"""),
    Facet.of_column("kind"),
    Facet.of_column("language"),
    Facet("audience", """
        SELECT audience::text AS value, NULL::text AS label, count(*) AS count
          FROM hits CROSS JOIN unnest(hits.audiences) AS audience
         GROUP BY 1"""),
    Facet.of_column("license"),
    Facet("tag", """
        SELECT tag.slug::text AS value, tag.name::text AS label, counted.count
          FROM (SELECT tag_id, count(*) AS count FROM hits CROSS JOIN unnest(hits.tag_ids) AS tag_id GROUP BY 1)
               AS counted
          JOIN taggit_tag tag ON tag.id = counted.tag_id
         ORDER BY 3 DESC, 2
         LIMIT 15"""),
    *accessibility.FACETS,
]  # fmt: skip
FACET_COLUMNS = ["kind", "language", "license", "audiences", "area_ids", "tag_ids", *accessibility.COLUMNS]
# A search with more hits than EXACT_UP_TO is *broad*: its number and facet counts are estimated from a sample of
# about SAMPLE_ROWS resources. Sorted by relevance, a broad search whose hits are a large share of the catalogue
# ranks only its newest RANKED_CANDIDATES hits (see ``ranks_newest_only``). The work per search then stays about
# the same however large the catalogue grows (README, "Speed").
EXACT_UP_TO = 5000
SAMPLE_ROWS = 8000
RANKED_CANDIDATES = 2000
# Ranking a hit costs about this many times as much as looking at a resource while walking the catalogue newest first.
RANK_COST = 4
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
    facet counts, and the understood query. Cached under the catalogue version (see ``search_resources``).

    ``estimated``: the number and the facet counts are estimates (a broad search, see ``EXACT_UP_TO``).
    ``newest_ranked``: sorted by relevance, the results are the newest ``RANKED_CANDIDATES`` hits, best first,
    then the others, newest first (see ``ranks_newest_only``).
    """

    top_ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    query: UnderstoodQuery | None = None
    suggestion: str = ""
    estimated: bool = False
    newest_ranked: bool = False
    # Rebuilt on every request (never cached): pages past the cached ones read from it.
    results: QuerySet[Resource] | None = field(default=None, compare=False)

    def page(self, start: int, stop: int) -> list[Resource]:
        """Resources start..stop of the ordered results, ready for listing."""
        if stop <= len(self.top_ids) or len(self.top_ids) >= self.total:
            ids = self.top_ids[start:stop]
            by_id = Resource.objects.for_listing().in_bulk(ids)
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
    found.results = _results(data, areas=areas, sort=sort, query=found.query, newest_ranked=found.newest_ranked)
    return found


def _results(
    data: dict[str, Any],
    *,
    areas: dict[str, KnowledgeArea],
    sort: str,
    query: UnderstoodQuery | None,
    newest_ranked: bool = False,
) -> QuerySet[Resource]:
    """The ordered results; with ``newest_ranked``, only the newest hits are ranked (see ``_bounded``)."""
    queryset = filtered_resources(data, areas=areas)
    if not query:
        # No words to rank by (none typed, or only symbols: "-", "!!!"): the newest first.
        return queryset.order_by(*ORDERINGS[Sort.NEWEST if sort == Sort.RELEVANCE else sort])
    queryset = search(queryset, query)
    if newest_ranked and sort == Sort.RELEVANCE:
        return _bounded(queryset)
    return queryset.order_by(*ORDERINGS[sort])


def _candidates(results: QuerySet[Resource]) -> QuerySet[Resource, Any]:
    """The ids of a broad search's newest hits, found from the (status, published) index."""
    return results.order_by("-published_at", "-pk").values("pk")[:RANKED_CANDIDATES]


def _bounded(results: QuerySet[Resource]) -> QuerySet[Resource]:
    """A broad search's results: its newest ``RANKED_CANDIDATES`` hits by rank, then the others newest first.

    Ranking every hit of a word found in a third of the catalogue costs a few microseconds per hit; the newest
    hits ranked alone cost the same however large the catalogue is. Ties in rank were already broken by date,
    so the first pages differ from ranking everything only where an older hit outranks the newest ones.
    """
    bounded_rank = Case(
        When(pk__in=_candidates(results), then=F("rank")), default=Value(-1.0), output_field=FloatField()
    )
    return results.alias(bounded_rank=bounded_rank).order_by("-bounded_rank", "-published_at", "-pk")


def _top_ids(results: QuerySet[Resource], *, newest_ranked: bool, sort: str) -> list[int]:
    """The ids of the first ``CACHED_PAGES`` pages. With ``newest_ranked`` they are all among the ranked candidates,
    so only the candidates are read and ranked."""
    if newest_ranked and sort == Sort.RELEVANCE:
        results = results.filter(pk__in=_candidates(results)).order_by(*ORDERINGS[sort])
    return list(results.values_list("pk", flat=True)[: CACHED_PAGES * PAGE_SIZE])


def _search(
    data: dict[str, Any], *, areas: dict[str, KnowledgeArea], sort: str, cross_language: bool
) -> ResourceSearch:
    query = understand(data["q"], cross_language=cross_language) if data.get("q") else None
    results = _results(data, areas=areas, sort=sort, query=query)
    counted = counted_with_facets(
        results, RESOURCE_FACETS, FACET_COLUMNS, exact_up_to=EXACT_UP_TO, sample_rows=SAMPLE_ROWS
    )
    total = counted.total
    suggestion = ""
    if query:
        published = Resource.objects.published()
        suggestion = did_you_mean(published, data["q"], query, found=bool(total), cross_language=cross_language)
    newest_ranked = bool(query) and ranks_newest_only(total, counted.population)
    if query and counted.ids is not None:
        # Every hit was counted: rank those, found by primary key, rather than match the words a second time.
        results = results.filter(pk__in=counted.ids)
    top_ids = _top_ids(results, newest_ranked=newest_ranked, sort=sort) if total else []
    return ResourceSearch(
        top_ids=top_ids,
        total=total,
        facets=counted.facets,
        query=query,
        suggestion=suggestion,
        estimated=counted.estimated,
        newest_ranked=newest_ranked,
    )


def ranks_newest_only(total: int, population: int) -> bool:
    """Whether a search should rank only its newest ``RANKED_CANDIDATES`` hits rather than all ``total`` of them.

    Only for broad searches, and only when that costs less: walking the ``population`` resources newest first
    meets the candidates after about RANKED_CANDIDATES * population / total resources, while ranking every hit
    costs about RANK_COST * total. A word in a tenth of a million resources is ranked over its newest hits; a
    rarer combination of words and filters is ranked in full.
    """
    return total > EXACT_UP_TO and RANKED_CANDIDATES * population < RANK_COST * total * total


ORDERINGS = {
    Sort.RELEVANCE: ["-rank", "-published_at", "-pk"],
    Sort.NEWEST: ["-published_at", "-pk"],
    Sort.TITLE: ["title", "pk"],
}


def filtered_resources(data: dict[str, Any], *, areas: dict[str, KnowledgeArea]) -> QuerySet[Resource]:
    queryset = Resource.objects.published()
    if area := areas.get(data.get("area") or ""):
        # An area includes its sub-areas.
        ids = [area.pk, *(other.pk for other in areas.values() if other.parent_id == area.pk)]
        queryset = queryset.filter(area_ids__overlap=ids)
    for name in ["kind", "language", "license"]:
        if value := data.get(name):
            queryset = queryset.filter(**{name: value})
    if audience := data.get("audience"):
        queryset = queryset.filter(audiences__contains=[audience])
    if tag := data.get("tag"):
        queryset = queryset.filter(tag_ids__overlap=ArraySubquery(Tag.objects.filter(slug=tag).values("pk")))
    return accessibility.filtered(queryset, data)
