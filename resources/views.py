from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from resources import jsonld, usage
from resources.embeds import discovery_links
from resources.facets import FacetGroup, facet_links
from resources.forms import ResourceSearchForm
from resources.frontdoor import SearchFront, SearchListView
from resources.models import KnowledgeArea, Resource, UsageKind
from resources.selectors import (
    PAGE_SIZE,
    ResourceSearch,
    areas_with_counts,
    catalogue_version,
    normalised_search,
    saved_search_form,
    search_resources,
)
from teams.jsonld import script

PAGE_CACHE_SECONDS = 300


def cached_while_catalogue_unchanged(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous visitors a page rendered for the same address since the catalogue last changed.

    The key holds the catalogue version, so an edit, import or deletion is seen at once.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        request.catalogue_version = version = catalogue_version()  # type: ignore[attr-defined]
        address = request.build_absolute_uri()  # host too: the page links its translations absolutely
        # "page2": the entries hold the page's search too (resources.usage), which older entries lack
        key = f"resources:page2:{version}:" + hashlib.sha256(address.encode()).hexdigest()
        if (cached := cache.get(key)) is not None:
            status, content_type, content, search = cached
            usage.count_cached_search(request, search)  # a search served from the cache is a search too
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            search = usage.search_of(request)
            response.add_post_render_callback(  # type: ignore[attr-defined]
                lambda rendered: cache.set(
                    key, (rendered.status_code, rendered["Content-Type"], rendered.content, search), PAGE_CACHE_SECONDS
                )
            )
        return response

    return wrapper


class ResourceFront(SearchFront[ResourceSearchForm, ResourceSearch]):
    model = Resource

    def form(self, request: HttpRequest) -> ResourceSearchForm:
        return saved_search_form(request.GET)

    def search(self, form: ResourceSearchForm, request: HttpRequest) -> ResourceSearch:
        version = getattr(request, "catalogue_version", None)
        found = search_resources(form.filters(), areas=form.areas, version=version)
        usage.count_search(request, form.cleaned_data.get("q", ""), found.total)
        return found

    def facets(self, found: ResourceSearch, form: ResourceSearchForm, params: QueryDict) -> list[FacetGroup]:
        return facet_links(found.facets, form, params)


@method_decorator(cached_while_catalogue_unchanged, name="get")
class ResourceListView(SearchListView):
    """Browse and search the published resources: a search box, filters with counts, sorting, pages."""

    template_name = "resources/resource_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "resources"
    front = ResourceFront()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The search as a saved search names it: its feed's and its follow's query ("" for the whole catalogue).
        saved_search = normalised_search(self.form) if self.search is not None else ""
        return super().get_context_data(saved_search=saved_search, **kwargs)


class ResourceDetailView(DetailView):
    template_name = "resources/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.published().for_detail()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        usage.count(UsageKind.VIEW, resource=self.object, request=request)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            related=self.object.related(),
            json_ld=script(jsonld.resource(self.request, self.object)),
            oembed_links=discovery_links(self.request),
            **kwargs,
        )


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
        children = list(self.area.children.order_by("name"))
        teams = list(self.area.teams.order_by("name"))
        context = super().get_context_data(area=self.area, children=children, teams=teams, **kwargs)
        page = context["page_obj"]
        context["json_ld"] = script(
            jsonld.area_page(
                self.request,
                self.area,
                resources=list(page),
                total=page.paginator.count,
                children=children,
                teams=teams,
            )
        )
        return context


class TagDetailView(ListView):
    template_name = "resources/tag_detail.html"
    paginate_by = PAGE_SIZE
    context_object_name = "resources"

    def get_queryset(self) -> QuerySet[Resource]:
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Resource.objects.published().filter(tags=self.tag).for_listing().newest_first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(tag=self.tag, **kwargs)


def resource_go(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a published resource: counted, then redirected to its own stored address (or file), nothing else."""
    resource = get_object_or_404(Resource.objects.published().only("pk", "url", "file"), slug=slug)
    if not resource.link.startswith(("https://", "http://", "/")):
        raise Http404
    usage.count(UsageKind.OPEN, resource=resource, request=request)
    response = HttpResponseRedirect(resource.link)
    response["X-Robots-Tag"] = "noindex"
    return response
