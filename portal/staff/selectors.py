"""What the staff pages read: the exchange-bank search, the staff home, self-assessment recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from resources.models import KnowledgeArea, Resource
from resources.search import Facet, UnderstoodQuery, counted, search, understand
from teams.access import changeable_by
from teams.models import Dimension, Experience

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


def search_experiences(data: dict[str, Any], *, area: KnowledgeArea | None = None) -> ExperienceSearch:
    """Exchange-bank entries (staff see all of them) matching the words and filters of the search form."""
    entries: QuerySet[Experience] = Experience.objects.for_listing().prefetch_related(areas_prefetch())
    if data.get("kind"):
        entries = entries.filter(kind=data["kind"])
    if data.get("status"):
        entries = entries.filter(status=data["status"])
    if data.get("country"):
        entries = entries.filter(library__country=data["country"])
    if data.get("tag"):
        entries = entries.filter(tags__contains=[data["tag"]])
    if area is not None:
        entries = entries.filter(knowledge_areas=area)
    query = understand(data["q"]) if data.get("q") else None
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
class Recommendations:
    areas: list[KnowledgeArea]
    resources: list[Resource]
    experiences: list[Experience]


def recommendations_for(dimensions: list[Dimension], *, limit: int = 6) -> Recommendations:
    """Published resources and exchange-bank entries in the knowledge areas of the given (weakest) dimensions."""
    areas = list(KnowledgeArea.objects.filter(dimensions__in=dimensions).distinct().order_by("name"))
    if not areas:
        return Recommendations([], [], [])
    resources = list(
        Resource.objects.published().filter(areas__in=areas).distinct().order_by("-published_at", "pk")[:limit]
    )
    experiences = list(
        Experience.objects.filter(knowledge_areas__in=areas)
        .select_related("library")
        .distinct()
        .order_by("-created_at", "pk")[:limit]
    )
    return Recommendations(areas, resources, experiences)
