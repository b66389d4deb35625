"""The offer list's facet counts as the page shows them: a link per value that adds or removes that filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from resources.facets import FacetGroup, facet_group
from resources.offers.forms import OfferSearchForm
from teams.text import slug_of

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
# Filters with a default when the address names none (the visitor's country, see OfferListView).
DEFAULTED = {"country"}


def offer_facet_links(
    counts: dict[str, list[tuple[str, str, int]]], form: OfferSearchForm, params: QueryDict
) -> list[FacetGroup]:
    groups = []
    for name, rows in offer_facet_rows(counts, form).items():
        if group := facet_group(name, str(FACET_TITLES[name]), rows, params, defaulted=name in DEFAULTED):
            groups.append(group)
    return groups


def offer_facet_rows(
    counts: dict[str, list[tuple[str, str, int]]], form: OfferSearchForm
) -> dict[str, list[tuple[str, str, int]]]:
    """The offer list's facet counts as (value, label, count) rows, as the page and the API show them."""
    labelled = {}
    for name, rows in counts.items():
        if name in {"region", "municipality"}:
            rows = [(slug_of(value), label, count) for value, label, count in rows]
        field = form.fields[name]
        choices: Any = field.choices if isinstance(field, forms.ChoiceField) else []
        labels = {str(value): label for value, label in choices}
        # A value the filter does not offer cannot be chosen, so it is not shown.
        rows = [(value, str(labels[value] or label or value), count) for value, label, count in rows if value in labels]
        if name in NATURAL_ORDER:
            rows.sort(key=lambda row: int(row[0]))
        else:
            rows.sort(key=lambda row: (-row[2], row[1]))
        labelled[name] = rows
    return labelled
