from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from resources.facets import KnownCount, facet_links
from resources.forms import ResourceSearchForm
from resources.models import KnowledgeArea, Resource
from resources.search import snippets
from resources.selectors import areas_with_counts, search_resources

PAGE_SIZE = 20


class ResourceListView(ListView):
    """Browse and search the published resources: a search box, filters with counts, sorting, pages."""

    template_name = "resources/resource_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "resources"

    def get_queryset(self) -> QuerySet[Resource]:
        areas = list(KnowledgeArea.objects.order_by("name"))
        self.form = ResourceSearchForm(self.request.GET, areas=areas)
        if not self.form.is_valid():
            # The errors are shown beside the fields; what was typed stays in them.
            self.search = None
            return Resource.objects.none()
        self.search = search_resources(
            self.form.cleaned_data,
            areas=self.form.areas,
            sort=self.form.chosen_sort,
            cross_language=self.form.cross_language,
        )
        return self.search.results.for_listing()  # type: ignore[attr-defined]

    def paginate_queryset(self, queryset: QuerySet[Resource], page_size: int) -> Any:  # type: ignore[override]
        # The facet query has already counted the results; the paginator need not count again.
        if self.search is not None:
            queryset = KnownCount(queryset, self.search.total)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=self.form, search=self.search, **kwargs)
        if self.search is not None:
            context["facets"] = facet_links(self.search.facets, self.form, self.request.GET)
            if self.search.query:
                page = context["resources"]
                found = snippets(Resource, [resource.pk for resource in page], self.search.query, field_name="summary")
                for resource in page:
                    resource.snippet = found.get(resource.pk)
        return context


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
