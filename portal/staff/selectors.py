"""What the staff pages read: the exchange-bank search, the staff home, self-assessment recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, IntegerField, Prefetch, Q, QuerySet, Value

from resources.models import Audience, KnowledgeArea, Resource
from resources.search import Facet, UnderstoodQuery, counted, search, understand
from teams.access import changeable_by
from teams.models import Dimension, DimensionFocus, Experience
from teams.selectors import DimensionScore

PAGE_SIZE = 20
EXPERIENCE_FACETS = [
    Facet.of_column("kind"),
    Facet.of_column("status"),
    Facet("area", """
        SELECT area.slug::text AS value, NULL::text AS label, count(*) AS count
          FROM hits
          JOIN resources_knowledgearea_experiences link ON link.experience_id = hits.id
          JOIN resources_knowledgearea area ON area.id = link.knowledgearea_id
         GROUP BY 1"""),
    Facet("country", """
        SELECT library.country::text AS value, NULL::text AS label, count(*) AS count
          FROM hits JOIN teams_library library ON library.id = hits.library_id
         GROUP BY 1"""),
    Facet("tag", """
        SELECT * FROM (
            SELECT tag::text AS value, NULL::text AS label, count(*) AS count
              FROM hits CROSS JOIN unnest(hits.tags) AS tag
             GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 15) AS top_tags"""),
]  # fmt: skip
FACET_COLUMNS = ["kind", "status", "library_id", "tags"]


def waiting_for_review(user: Any) -> QuerySet[Resource]:
    """The resources of the person's library and teams that wait too long in review: a lead's to review,
    a curator's sent and not yet answered."""
    waiting = Resource.objects.waiting_for_review().select_related("library", "team").order_by("updated_at")
    return changeable_by(waiting, user)


def areas_prefetch() -> Prefetch:
    return Prefetch(
        "knowledge_areas", queryset=KnowledgeArea.objects.only("name", "name_da", "name_nb", "name_en", "slug")
    )


@dataclass
class ExperienceSearch:
    """One exchange-bank search: the matching entries, counts per facet value, the understood words."""

    results: QuerySet[Experience]
    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    query: UnderstoodQuery | None = None

    def page(self, start: int, stop: int) -> list[Experience]:
        return list(self.results[start:stop])


@dataclass(frozen=True)
class ExperienceFilters:
    """What an exchange-bank search asks for, as ``ExchangeSearchForm`` reads it from the address (empty: any)."""

    q: str = ""
    kind: str = ""
    status: str = ""
    area: str = ""
    country: str = ""
    tag: str = ""


def search_experiences(filters: ExperienceFilters, *, area: KnowledgeArea | None = None) -> ExperienceSearch:
    """Exchange-bank entries (staff see all of them) matching the words and filters of the search form; ``area``:
    the knowledge area ``filters.area`` names."""
    entries: QuerySet[Experience] = Experience.objects.for_listing().prefetch_related(areas_prefetch())
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.country:
        entries = entries.filter(library__country=filters.country)
    if filters.tag:
        entries = entries.filter(tags__contains=[filters.tag])
    if area is not None:
        entries = entries.filter(knowledge_areas=area)
    query = understand(filters.q) if filters.q else None
    if query:
        entries = search(entries, query).order_by("-rank", "-created_at", "pk")
    else:
        query = None
        entries = entries.order_by("-created_at", "pk")
    found = counted(entries, EXPERIENCE_FACETS, FACET_COLUMNS)
    return ExperienceSearch(results=entries, total=found.total, facets=found.facets, query=query)


def newest_experiences(*, limit: int = 5) -> list[Experience]:
    return list(Experience.objects.select_related("library").order_by("-created_at")[:limit])


@dataclass(frozen=True)
class Recommendation:
    """What is recommended for one weak dimension (``score``), from its knowledge areas: for a staff dimension
    material for library staff, for a patron dimension any resource; exchange-bank entries for both."""

    score: DimensionScore
    areas: list[KnowledgeArea]
    resources: list[Resource]
    experiences: list[Experience]

    @property
    def for_staff(self) -> bool:
        return self.score.dimension.focus == DimensionFocus.STAFF


def recommendations_for(weakest: list[DimensionScore], *, limit: int = 4) -> list[Recommendation]:
    """For each of the (weakest) dimensions' scores, up to ``limit`` resources and entries of its areas; in three
    queries however many dimensions: the areas, then the resources and the entries of every dimension at once."""
    links = KnowledgeArea.dimensions.through.objects.filter(dimension__in=[item.dimension for item in weakest])
    areas: dict[int, list[KnowledgeArea]] = {}
    for link in links.select_related("knowledgearea").order_by("knowledgearea__name"):
        areas.setdefault(link.dimension_id, []).append(link.knowledgearea)
    with_areas = [item for item in weakest if areas.get(item.dimension.pk)]
    if not with_areas:
        return [Recommendation(item, [], [], []) for item in weakest]
    resources = _first_per_dimension(
        Resource.objects.published().order_by("-published_at", "pk"),
        {
            item.dimension.pk: _staff_material(item.dimension)
            & Q(area_ids__overlap=[area.pk for area in areas[item.dimension.pk]])
            for item in with_areas
        },
        limit=limit,
    )
    experiences = _first_per_dimension(
        Experience.objects.annotate(library_name=F("library__name")).order_by("-created_at", "pk"),
        {
            item.dimension.pk: Q(
                pk__in=KnowledgeArea.experiences.through.objects.filter(
                    knowledgearea__in=areas[item.dimension.pk]
                ).values("experience_id")
            )
            for item in with_areas
        },
        limit=limit,
    )
    return [
        Recommendation(
            item,
            areas.get(item.dimension.pk, []),
            resources.get(item.dimension.pk, []),
            experiences.get(item.dimension.pk, []),
        )
        for item in weakest
    ]


def _staff_material(dimension: Dimension) -> Q:
    """A staff dimension (leadership, skills) is helped by material for library staff, not patrons' guides."""
    if dimension.focus == DimensionFocus.STAFF:
        return Q(audiences__contains=[Audience.LIBRARY_STAFF])
    return Q()


def _first_per_dimension(queryset: QuerySet[Any], conditions: dict[int, Q], *, limit: int) -> dict[int, list[Any]]:
    """The first ``limit`` rows of ``queryset`` meeting each dimension's condition, in one query (a UNION ALL),
    by dimension id, in the queryset's order."""
    parts = [
        queryset.filter(condition).annotate(for_dimension=Value(pk, output_field=IntegerField()))[:limit]
        for pk, condition in conditions.items()
    ]
    first, *others = parts
    combined = first.union(*others, all=True).order_by("for_dimension", *queryset.query.order_by) if others else first
    found: dict[int, list[Any]] = {}
    for row in combined:
        found.setdefault(row.for_dimension, []).append(row)
    return found
