from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView
from taggit.models import Tag

from resources.filters import ResourceFilter
from resources.models import KnowledgeArea, Resource, Status

PAGE_SIZE = 20


def areas_with_counts() -> QuerySet[KnowledgeArea]:
    """Top-level knowledge areas with the number of published resources in each."""
    return (
        KnowledgeArea.objects.filter(parent=None)
        .annotate(resource_count=Count("resources", filter=Q(resources__status=Status.PUBLISHED)))
        .order_by("name")
    )


class ResourceListView(FilterView):
    filterset_class = ResourceFilter
    template_name = "resources/resource_list.html"
    paginate_by = PAGE_SIZE
    # An invalid filter value shows its message beside the field and no results, rather than everything.
    strict = True

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.published().for_listing().newest_first()


class ResourceDetailView(DetailView):
    template_name = "resources/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.published().for_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(related=self.object.related(), **kwargs)


class AreaListView(ListView):
    template_name = "resources/area_list.html"
    context_object_name = "areas"

    def get_queryset(self) -> QuerySet[KnowledgeArea]:
        return areas_with_counts().prefetch_related("children")


class AreaDetailView(ListView):
    """One knowledge area: its published resources, sub-areas and learning teams."""

    template_name = "resources/area_detail.html"
    paginate_by = PAGE_SIZE
    context_object_name = "resources"

    def get_queryset(self) -> QuerySet[Resource]:
        self.area = get_object_or_404(KnowledgeArea.objects.select_related("parent"), slug=self.kwargs["slug"])
        return Resource.objects.published().in_area(self.area).for_listing().newest_first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            area=self.area,
            children=self.area.children.order_by("name"),
            teams=self.area.teams.order_by("name"),
            **kwargs,
        )


class TagDetailView(ListView):
    template_name = "resources/tag_detail.html"
    paginate_by = PAGE_SIZE
    context_object_name = "resources"

    def get_queryset(self) -> QuerySet[Resource]:
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Resource.objects.published().filter(tags=self.tag).for_listing().newest_first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(tag=self.tag, **kwargs)
