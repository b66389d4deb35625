"""The accessibility filters of the resource search: which values a patron picks, what each matches, and their counts.

Three filters, each a readable query parameter (``/sv/resources/?feature=captions``):

- ``feature``: an accessibility feature. ``captions`` finds closed and open captions alike (the vocabulary tells them
  apart; a patron who needs captions takes either); every other value is the feature's own term (``transcript``,
  ``signLanguage``, ``easyToRead``...).
- ``free_of``: a hazard the resource is said not to have (``flashing``, ``motionSimulation``, ``sound``): its
  ``no…Hazard`` value, or ``none`` (no hazards at all). A resource that says nothing is not assumed safe.
- ``mode``: an access mode (``textual``, ``visual``, ``auditory``).

Counts come from the arrays on each resource's row, in the same query as the search's other facets
(``resources.search.counted_with_facets``): no joins, no extra query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from resources.models import AccessibilityFeature, AccessibilityHazard, AccessMode, Resource
from resources.models.accessibility import HAZARD_ABSENT
from resources.search import Facet

CAPTIONS = "captions"
# Each value of the ``feature`` filter and the stored features it finds.
FEATURE_FILTERS: dict[str, list[str]] = {
    CAPTIONS: [AccessibilityFeature.CLOSED_CAPTIONS, AccessibilityFeature.OPEN_CAPTIONS],
    **{
        feature: [feature]
        for feature in AccessibilityFeature.values
        if feature not in {AccessibilityFeature.CLOSED_CAPTIONS, AccessibilityFeature.OPEN_CAPTIONS}
    },
}
FEATURE_CHOICES = [
    (CAPTIONS, _("captions")),
    *((value, label) for value, label in AccessibilityFeature.choices if value in FEATURE_FILTERS),
]
# Each value of the ``free_of`` filter and the stored hazard values that say the resource is free of it.
FREE_OF_FILTERS: dict[str, list[str]] = {
    hazard: [AccessibilityHazard.NONE, absent] for hazard, absent in HAZARD_ABSENT.items()
}
FREE_OF_CHOICES = [(value, label) for value, label in AccessibilityHazard.choices if value in FREE_OF_FILTERS]
MODE_CHOICES = AccessMode.choices
COLUMNS = ["accessibility_features", "accessibility_hazards", "access_modes"]


def _values_sql(table: dict[str, list[str]]) -> str:
    """A VALUES list of (filter value, stored value) pairs. Every string is one of our own constants."""
    return ", ".join(f"('{value}', '{stored}')" for value, stored_values in table.items() for stored in stored_values)


FACETS = [
    Facet("feature", f"""
        SELECT filter.value, NULL::text AS label, count(DISTINCT hits.id) AS count
          FROM hits CROSS JOIN unnest(hits.accessibility_features) AS feature
          JOIN (VALUES {_values_sql(FEATURE_FILTERS)}) AS filter(value, stored) ON filter.stored = feature
         GROUP BY 1"""),
    Facet("free_of", f"""
        SELECT filter.value, NULL::text AS label, count(DISTINCT hits.id) AS count
          FROM hits CROSS JOIN unnest(hits.accessibility_hazards) AS hazard
          JOIN (VALUES {_values_sql(FREE_OF_FILTERS)}) AS filter(value, stored) ON filter.stored = hazard
         GROUP BY 1"""),
    Facet("mode", """
        SELECT mode::text AS value, NULL::text AS label, count(*) AS count
          FROM hits CROSS JOIN unnest(hits.access_modes) AS mode
         GROUP BY 1"""),
]  # fmt: skip


def filtered(queryset: QuerySet[Resource], data: dict[str, Any]) -> QuerySet[Resource]:
    """The resources matching the accessibility filters in ``data`` (a search form's cleaned data)."""
    if feature := data.get("feature"):
        queryset = queryset.filter(accessibility_features__overlap=FEATURE_FILTERS[feature])
    if free_of := data.get("free_of"):
        queryset = queryset.filter(accessibility_hazards__overlap=FREE_OF_FILTERS[free_of])
    if mode := data.get("mode"):
        queryset = queryset.filter(access_modes__contains=[mode])
    return queryset
