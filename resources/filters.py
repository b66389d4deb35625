from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from resources.languages import LANGUAGE_CHOICES
from resources.models import Audience, Kind, KnowledgeArea, Resource, ResourceQuerySet


class ResourceFilter(django_filters.FilterSet):
    """The resource list's filters, with readable query parameters (?area=<slug>&kind=video)."""

    area = django_filters.ModelChoiceFilter(
        label=_("Knowledge area"),
        field_name="areas",
        to_field_name="slug",
        queryset=KnowledgeArea.objects.order_by("name"),
        empty_label=_("All areas"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=LANGUAGE_CHOICES, empty_label=_("All languages")
    )
    audience = django_filters.ChoiceFilter(
        label=_("Audience"), choices=Audience.choices, method="filter_audience", empty_label=_("Everyone")
    )

    class Meta:
        model = Resource
        fields = ["area", "kind", "language", "audience"]

    def filter_audience(self, queryset: ResourceQuerySet, name: str, value: Any) -> ResourceQuerySet:
        return queryset.filter(audiences__contains=[value])
