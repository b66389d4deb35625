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
    "language": _("Language"),
    "audience": _("Audience"),
    "license": _("Licence"),
    "tag": _("Tags"),
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
    areas_by_id = {str(area.pk): area for area in getattr(form, "areas", {}).values()}
    groups = []
    for name, rows in counts.items():
        if name == "area":
            rows = [
                (areas_by_id[value].slug, str(areas_by_id[value]), count)
                for value, _l, count in rows
                if value in areas_by_id
            ]
        field = form.fields.get(name)
        labels = dict(field.choices) if isinstance(field, forms.ChoiceField) else {}  # type: ignore[arg-type]
        current = params.get(name, "")
        values = [
            FacetValue(
                # Licences by their short SPDX identifier; the full names are too long for a sidebar.
                label=label or (value if name == "license" else str(labels.get(value, value))),
                count=count,
                url=_toggle(params, name, value, selected=value == current),
                selected=value == current,
            )
            for value, label, count in rows
        ]
        if name != "tag":
            values.sort(key=lambda item: (-item.count, item.label))
        if values:
            groups.append(FacetGroup(name=name, title=str(FACET_TITLES[name]), values=values))
    return groups


def _toggle(params: QueryDict, name: str, value: str, *, selected: bool) -> str:
    """The query string with this filter added, or removed when already chosen; back to page one."""
    query = params.copy()
    query.pop("page", None)
    if selected:
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
