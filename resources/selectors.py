"""Questions the resource pages ask of the database, each answered in a fixed number of queries."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from resources import accessibility, semantic
from resources.forms import CRITERIA, ResourceFilters, ResourceSearchForm, Sort
from resources.models import KnowledgeArea, Resource, Status
from resources.search import (
    HALF_WEIGHT,
    LANGUAGE_BOOST,
    TYPED_BOOST,
    Facet,
    UnderstoodQuery,
    counted_with_facets,
    did_you_mean,
    search,
    understand,
)

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
# about SAMPLE_ROWS resources. Sorted by relevance, a broad search ranks only the RANKED_CANDIDATES resources that
# rank best for its lexemes, read best first from ``ResourceTerm`` (see ``_candidates``): TERM_CANDIDATES per lexeme
# or prefix (with filters, FILTER_WALK times as many are looked at to find those that pass). The work per search then
# stays about the same however large the catalogue grows (README, "Speed").
EXACT_UP_TO = 5000
SAMPLE_ROWS = 8000
RANKED_CANDIDATES = 400
TERM_CANDIDATES = 200
FILTER_WALK = 5
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
    ``candidates_ranked``: sorted by relevance, the results are the ``RANKED_CANDIDATES`` hits that rank best for
    the query's lexemes, best first, then the others, newest first (see ``_candidates``).
    """

    top_ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    query: UnderstoodQuery | None = None
    suggestion: str = ""
    estimated: bool = False
    candidates_ranked: bool = False
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
    filters: ResourceFilters, *, areas: dict[str, KnowledgeArea], version: int | None = None
) -> ResourceSearch:
    """Search and filter the published resources, answering from the cache while the catalogue is unchanged."""
    data, sort, cross_language = filters.criteria(), filters.sort, filters.cross_language
    sort = sort if data.get("q") or sort != Sort.RELEVANCE else Sort.NEWEST
    version = catalogue_version() if version is None else version
    key_data = json.dumps([version, sorted(data.items()), sort, cross_language], default=str)
    key = "resources:search:" + hashlib.sha256(key_data.encode()).hexdigest()
    found: ResourceSearch | None = cache.get(key)
    if found is None:
        found = _search(data, areas=areas, sort=sort, cross_language=cross_language)
        cache.set(key, found, SEARCH_CACHE_SECONDS)
    found.results = _results(data, areas=areas, sort=sort, query=found.query, candidates_ranked=found.candidates_ranked)
    return found


def _results(
    data: dict[str, Any],
    *,
    areas: dict[str, KnowledgeArea],
    sort: str,
    query: UnderstoodQuery | None,
    candidates_ranked: bool = False,
) -> QuerySet[Resource]:
    """The ordered results; with ``candidates_ranked``, only the best candidates are ranked (see ``_bounded``)."""
    queryset = filtered_resources(data, areas=areas)
    if not query:
        # No words to rank by (none typed, or only symbols: "-", "!!!"): the newest first.
        return queryset.order_by(*ORDERINGS[Sort.NEWEST if sort == Sort.RELEVANCE else sort])
    results = search(queryset, query)
    if candidates_ranked and sort == Sort.RELEVANCE:
        return _bounded(results, _candidates(queryset, query, with_filters=has_filters(data)))
    return results.order_by(*ORDERINGS[sort])


# A lexeme in tsquery text ('bibliotek', 'o''neill'), and whether it matches as a prefix (:*).
LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'(:\*)?")


def items_of(expression: str) -> list[tuple[str, bool]]:
    """The distinct (lexeme, prefix) items of tsquery text, as ``ts_rank`` counts them."""
    items = (
        (re.sub(r"\\(.)", r"\1", match.group(1).replace("''", "'")), bool(match.group(2)))
        for match in LEXEME.finditer(expression)
    )
    return list(dict.fromkeys(items))


def ranked_items(query: UnderstoodQuery) -> dict[tuple[str, bool], float]:
    """How much a resource's rank for each item of the query (a lexeme, or a prefix) counts in its rank for the
    whole query, as ``resources.search.search`` adds the ranks up: ``ts_rank`` of an OR query is the sum of its
    items' ranks divided by their number; the words as typed count TYPED_BOOST more, halves HALF_WEIGHT. Halves
    alone are left out: they rank below whole words."""
    whole = query.expression(halves=False)
    parts = [(whole, 1.0)]
    if (typed := query.expression(typed_only=True)) != whole:
        parts.append((typed, TYPED_BOOST))
    if (with_halves := query.expression()) != whole:
        parts.append((with_halves, HALF_WEIGHT))
    factors = dict.fromkeys(items_of(whole), 0.0)
    for expression, weight in parts:
        items = items_of(expression)
        for item in items:
            if item in factors:
                factors[item] += weight / len(items)
    return factors


def _candidates(queryset: QuerySet[Resource], query: UnderstoodQuery, *, with_filters: bool) -> RawSQL:
    """The ids of the ``RANKED_CANDIDATES`` published resources that rank best for the query, as SQL.

    Per item of the query (a lexeme, or a prefix: ``'bibliotek':*``), its ``TERM_CANDIDATES`` best resources come in
    order from an index of ``ResourceTerm`` (each row: the rank that lexeme alone, or as a prefix, gives the
    resource). A resource's rank for the query is the sum of its items' ranks, each counted as much as
    ``ranked_items`` says, times the number of the query's concepts it matches, raised for the query's languages;
    the best of these are the hits that rank best. Ties are broken by date, as ranking breaks them. The cost depends
    on the number of lexemes, not of hits.
    """
    factors = ranked_items(query)
    concepts: dict[tuple[str, bool], int] = {}
    for index, concept in enumerate(query.concepts):
        for item in items_of(concept.expression(halves=False)):
            concepts.setdefault(item, index)
    walk = TERM_CANDIDATES
    condition, condition_params = "", ()
    if with_filters:
        # Only resources the filters keep: a lexeme's best are looked at in order, FILTER_WALK times as many.
        walk *= FILTER_WALK
        passes = queryset.filter(pk=RawSQL("term.resource_id", ())).values("pk")
        sql, condition_params = passes.query.sql_with_params()
        condition = f"WHERE EXISTS ({sql})"
    boost = 1 + LANGUAGE_BOOST / max(len(query.concepts), 1)
    lists = []
    for column in ["weight", "prefix_weight"]:
        lists.append(f"""
            SELECT term.resource_id, term.{column} * items.factor AS weight, term.published_at, term.language,
                   items.concept
              FROM items CROSS JOIN LATERAL (
                  SELECT term.* FROM (
                      SELECT resource_id, {column}, published_at, language FROM resources_resourceterm
                       WHERE lexeme = items.item
                       ORDER BY {column} DESC, published_at DESC, resource_id DESC LIMIT %s) AS term
                   {condition}
                   LIMIT %s
              ) AS term
             WHERE items.prefix = {column == "prefix_weight"}""")
    sql = f"""
        WITH items(item, prefix, factor, concept) AS (
            SELECT * FROM unnest(%s::text[], %s::bool[], %s::float8[], %s::int[])
        ),
        best AS (
            -- Matching more of the concepts counts for more, as in ``search``.
            SELECT resource_id,
                   sum(weight) * CASE WHEN %s THEN count(DISTINCT concept) ELSE 1 END
                   * CASE WHEN min(language) = ANY(%s::text[]) THEN %s ELSE 1 END AS weight,
                   max(published_at) AS published_at
              FROM ({" UNION ALL ".join(lists)}) AS listed
             GROUP BY resource_id
        )
        SELECT resource_id FROM best ORDER BY weight DESC, published_at DESC, resource_id DESC LIMIT %s
    """
    per_list = [walk, *condition_params, TERM_CANDIDATES]
    params = [
        [item for item, _prefix in factors],
        [prefix for _item, prefix in factors],
        list(factors.values()),
        [concepts.get(item, 0) for item in factors],
        len(query.concepts) > 1,
        list(query.languages),
        boost,
        *per_list,
        *per_list,
        RANKED_CANDIDATES,
    ]
    return RawSQL(sql, params)


def _bounded(results: QuerySet[Resource], candidates: RawSQL) -> QuerySet[Resource]:
    """A broad search's results: its best ``candidates`` by rank, then the others newest first.

    The first pages are the candidates ranked in full, so they differ from ranking every hit only where a hit the
    candidates miss would outrank them; the pages past them are rarely read.
    """
    bounded_rank = Case(When(pk__in=candidates, then=F("rank")), default=Value(-1.0), output_field=FloatField())
    return results.alias(bounded_rank=bounded_rank).order_by("-bounded_rank", "-published_at", "-pk")


def _top_ids(results: QuerySet[Resource], *, candidates: RawSQL | None, sort: str) -> list[int]:
    """The ids of the first ``CACHED_PAGES`` pages. With ``candidates`` they are all among them, so only the
    candidates are read and ranked."""
    if candidates is not None and sort == Sort.RELEVANCE:
        results = results.filter(pk__in=candidates).order_by(*ORDERINGS[sort])
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
    # Every hit was counted: rank those, found by primary key, rather than match the words a second time.
    # Too many to count: rank the best candidates for the words (``_candidates``).
    candidates = None
    if query and counted.ids is not None:
        results = results.filter(pk__in=counted.ids)
    elif query:
        filtered = filtered_resources(data, areas=areas)
        candidates = _candidates(filtered, query, with_filters=has_filters(data))
    top_ids = _top_ids(results, candidates=candidates, sort=sort) if total else []
    if query and sort == Sort.RELEVANCE:
        top_ids, total = semantic.with_neighbours(
            data["q"], top_ids, total=total, candidates=filtered_resources(data, areas=areas), hits=results
        )
    return ResourceSearch(
        top_ids=top_ids,
        total=total,
        facets=counted.facets,
        query=query,
        suggestion=suggestion,
        estimated=counted.estimated,
        candidates_ranked=candidates is not None,
    )


ORDERINGS = {
    Sort.RELEVANCE: ["-rank", "-published_at", "-pk"],
    Sort.NEWEST: ["-published_at", "-pk"],
    Sort.TITLE: ["title", "pk"],
}


FILTERS = [name for name in CRITERIA if name != "q"]


def has_filters(data: dict[str, Any]) -> bool:
    return any(data.get(name) for name in FILTERS)


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


# A saved search (a follow, a search's feed) is the search page's query less its order and page: what it finds.
SAVED_SEARCH_FIELDS = list(CRITERIA)


def saved_search_form(params: Any) -> ResourceSearchForm:
    """The resource search form, bound to a search page's query parameters (a QueryDict or a dict)."""
    return ResourceSearchForm(params, areas=list(KnowledgeArea.objects.order_by("name")))


def normalised_search(form: ResourceSearchForm) -> str:
    """The query string that names a valid search: its filled-in fields in a fixed order, ``cross=off`` kept;
    ``?q=klimat&page=3&sort=title`` and ``?sort=newest&q=klimat`` are both ``q=klimat``."""
    data = form.cleaned_data
    pairs = [(name, str(data[name]).strip()) for name in SAVED_SEARCH_FIELDS if str(data.get(name) or "").strip()]
    if not form.cross_language:
        pairs.append(("cross", "off"))
    return urlencode(pairs)


def newest_in_search(form: ResourceSearchForm, *, since: datetime | None = None) -> QuerySet[Resource]:
    """The published resources a valid search finds, newest first; with ``since``, only those published after it."""
    data = form.cleaned_data
    results = filtered_resources(data, areas=form.areas)
    if data.get("q") and (query := understand(data["q"], cross_language=form.cross_language)):
        results = search(results, query)
    if since is not None:
        results = results.filter(published_at__gt=since)
    return results.order_by(*ORDERINGS[Sort.NEWEST])
