"""One way in for every search page: form → typed filters → search → facets.

A page names its ``SearchFront``: how to read its form from the request, how to run the search the form's filters
ask for, and how to show the search's facet counts as links. ``SearchListView`` does the rest the same way for
the resource list, the offer list and the staff exchange bank: an invalid form shows its errors beside the
fields and lists nothing; a valid one lists the search's pages (counted once, each page read when shown), facet
links, and highlighted snippets of the page's records.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.generic import ListView

from resources.facets import FacetGroup, SearchPages
from resources.search import UnderstoodQuery, snippets


class Search(Protocol):
    """What every search returns: its number of results, facet counts, the understood words, and its pages."""

    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    query: UnderstoodQuery | None

    def page(self, start: int, stop: int) -> list[Any]: ...


FormT = TypeVar("FormT", bound=forms.Form)
SearchT = TypeVar("SearchT", bound=Search)


class SearchFront(Generic[FormT, SearchT]):
    """A search page's three questions; ``model``: what it lists (snippets are read from its ``summary``)."""

    model: type[models.Model]

    def form(self, request: HttpRequest) -> FormT:
        raise NotImplementedError

    def search(self, form: FormT, request: HttpRequest) -> SearchT:
        """The search the valid ``form``'s filters ask for."""
        raise NotImplementedError

    def facets(self, found: SearchT, form: FormT, params: QueryDict) -> list[FacetGroup]:
        raise NotImplementedError

    def params(self, form: FormT, request: HttpRequest) -> QueryDict:
        """The query string facet links add to and remove from."""
        return request.GET


class SearchListView(ListView):
    """A list page over a ``front``'s search. Context: ``form``, ``search`` (None when the form is invalid),
    ``facets``, and the page's records under ``context_object_name``."""

    front: SearchFront[Any, Any]
    form: Any = None
    search: Any = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = self.front.form(request)
        # Invalid: the errors are shown beside the fields; what was typed stays in them.
        self.search = self.front.search(self.form, request) if self.form.is_valid() else None
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        # The search has already counted its results; each page reads only its own rows.
        return SearchPages(self.search) if self.search is not None else []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(form=self.form, search=self.search, **kwargs)
        if self.search is not None:
            context["facets"] = self.front.facets(self.search, self.form, self.front.params(self.form, self.request))
            if self.search.query:
                page = context[self.context_object_name or "object_list"]
                found = snippets(self.front.model, [item.pk for item in page], self.search.query, field_name="summary")
                for item in page:
                    item.snippet = found.get(item.pk)
        return context
