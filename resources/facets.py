"""Facet counts as a page shows them: a link per value that adds or removes that filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

FACET_TITLES = {
    "area": _("Knowledge area"),
    "kind": _("Kind"),
    "status": _("Status"),
    "country": _("Country"),
    "language": _("Language"),
    "audience": _("Audience"),
    "license": _("Licence"),
    "tag": _("Tags"),
    "feature": _("Accessibility"),
    "free_of": _("Checked to be free of"),
    "mode": _("Content in the form of"),
}


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    values: list[FacetValue]


def facet_links(counts: dict[str, list[tuple[str, str, int]]], form: forms.Form, params: QueryDict) -> list[FacetGroup]:
    """The resource list's facets as links that add or remove each filter."""
    groups = []
    for name, rows in facet_rows(counts, form).items():
        if group := facet_group(name, str(FACET_TITLES[name]), rows, params):
            groups.append(group)
    return groups


def facet_rows(
    counts: dict[str, list[tuple[str, str, int]]], form: forms.Form
) -> dict[str, list[tuple[str, str, int]]]:
    """The resource list's facet counts as (value, label, count) rows in the active language: areas by slug,
    licences by SPDX id, most common first (tags as counted). The page and the API show the same."""
    areas_by_id = {str(area.pk): area for area in getattr(form, "areas", {}).values()}
    labelled = {}
    for name, rows in counts.items():
        if name == "area":
            rows = [
                (areas_by_id[pk].slug, str(areas_by_id[pk]), count) for pk, _label, count in rows if pk in areas_by_id
            ]
        field = form.fields.get(name)
        labels = dict(field.choices) if isinstance(field, forms.ChoiceField) else {}  # type: ignore[arg-type]
        # Licences by their short SPDX identifier; the full names are too long for a sidebar.
        rows = [
            (value, label or (value if name == "license" else str(labels.get(value, value))), count)
            for value, label, count in rows
        ]
        if name != "tag":
            rows.sort(key=lambda row: (-row[2], row[1]))
        labelled[name] = rows
    return labelled


def facet_group(
    name: str, title: str, rows: list[tuple[str, str, int]], params: QueryDict, *, defaulted: bool = False
) -> FacetGroup | None:
    """A facet's (value, label, count) rows, in the order given, as links; None when there are none.

    ``defaulted``: the filter has a default when the address names none, so removing it writes ``name=``.
    """
    current = params.get(name, "")
    values = [
        FacetValue(
            label=label,
            count=count,
            url=toggle_url(params, name, value, defaulted=defaulted),
            selected=value == current,
        )
        for value, label, count in rows
    ]
    return FacetGroup(name=name, title=title, values=values) if values else None


def toggle_url(params: QueryDict, name: str, value: str, *, defaulted: bool = False) -> str:
    """The query string with this filter added, or removed when already chosen; back to page one."""
    query = params.copy()
    query.pop("page", None)
    if params.get(name, "") == value and defaulted:
        query[name] = ""
    elif params.get(name, "") == value:
        query.pop(name, None)
    else:
        query[name] = value
    return f"?{query.urlencode()}" if query else "?"


class SearchPages:
    """A search's results as the paginator sees them: counted already, each page fetched when asked for."""

    ordered = True

    def __init__(self, search: Any) -> None:
        self.search = search

    def count(self) -> int:
        return int(self.search.total)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        return self.search.page(index.start or 0, index.stop)
