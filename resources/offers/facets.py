"""The offer list's facet counts as the page shows them: a link per value that adds or removes that filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from resources.facets import FacetGroup, FacetValue
from resources.offers.forms import OfferSearchForm
from resources.offers.selectors import place_slug

FACET_TITLES = {
    "year": _("School year"),
    "subject": _("Subject"),
    "area": _("Knowledge area"),
    "country": _("Country"),
    "region": _("Region"),
    "municipality": _("Municipality"),
    "format": _("Where"),
}
# Facets whose values keep their natural order rather than the most common first.
NATURAL_ORDER = {"year"}


def offer_facet_links(
    counts: dict[str, list[tuple[str, str, int]]], form: OfferSearchForm, params: QueryDict
) -> list[FacetGroup]:
    groups = []
    for name, rows in counts.items():
        if name in {"region", "municipality"}:
            rows = [(place_slug(value), label, count) for value, label, count in rows]
        field = form.fields[name]
        choices: Any = field.choices if isinstance(field, forms.ChoiceField) else []
        labels = {str(value): label for value, label in choices}
        current = params.get(name, "")
        # A value the filter does not offer cannot be chosen, so it is not shown.
        rows = [(value, str(labels[value] or label or value), count) for value, label, count in rows if value in labels]
        if name in NATURAL_ORDER:
            rows.sort(key=lambda row: int(row[0]))
        else:
            rows.sort(key=lambda row: (-row[2], row[1]))
        values = [
            FacetValue(
                label=label,
                count=count,
                url=_toggle(params, name, value, selected=value == current),
                selected=value == current,
            )
            for value, label, count in rows
        ]
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
