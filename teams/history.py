"""The rows of an admin history page (django-simple-history), written for the person reading them.

Each row names what changed in the interface language: the field's verbose name, the old and new values as
the change form shows them (choices by their label, a removed link as empty, never "None" or
"Deleted ... (pk=None)"), and for lists of names (tags, knowledge areas) what was added and removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.utils import display_for_field
from django.db import models
from django.template.defaultfilters import yesno
from django.utils.html import conditional_escape, strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

LONGEST_VALUE = 120  # characters of a long text shown on the page; the version itself keeps it whole


def empty() -> str:
    return _("(empty)")


class ReadableHistory(HistoricalRecordContextHelper):
    """One history row's changes: ``{"field", "old", "new"}``, or ``{"field", "added", "removed"}`` for lists.

    ``name_lists`` are fields kept as comma-separated names (``tags_text``): shown as names added and removed.
    """

    def __init__(self, model: type[models.Model], record: Any, *, name_lists: Iterable[str] = ()) -> None:
        super().__init__(model, record)
        self.name_lists = set(name_lists)

    def context_for_delta_changes(self, delta: ModelDelta) -> list[dict[str, Any]]:
        rows = []
        order = {field.name: position for position, field in enumerate(self.model._meta.get_fields())}
        for change in sorted(delta.changes, key=lambda change: order.get(change.field, len(order))):
            field = self.model._meta.get_field(change.field)
            label = capfirst(str(field.verbose_name))
            if isinstance(field, models.ManyToManyField) or change.field in self.name_lists:
                old, new = self.names(field, change.old), self.names(field, change.new)
                added = [name for name in new if name not in old]
                removed = [name for name in old if name not in new]
                rows.append({"field": label, "added": ", ".join(added), "removed": ", ".join(removed)})
            else:
                rows.append(
                    {"field": label, "old": self.readable(field, change.old), "new": self.readable(field, change.new)}
                )
        return rows

    def names(self, field: Any, value: Any) -> list[str]:
        if isinstance(field, models.ManyToManyField):
            target = get_m2m_reverse_field_name(field)
            return sorted(_name(row[target]) for row in value)
        return [name.strip() for name in (value or "").split(",") if name.strip()]

    def readable(self, field: Any, value: Any) -> str:
        if isinstance(value, DeletedObject):
            value = None if value.pk is None else _name(value)
        if value is None or value == "":
            return empty()
        if isinstance(field, models.BooleanField):
            return str(yesno(value))  # Django's own "yes" and "no", where the change list shows an icon
        shown = value if isinstance(field, models.ForeignKey) else display_for_field(value, field, empty())
        # The admin's display may be markup (a link for a web address): its text is what the row says.
        text = strip_tags(shown) if hasattr(shown, "__html__") else str(shown)
        return conditional_escape(Truncator(text).chars(LONGEST_VALUE))


def _name(item: Any) -> str:
    """A related object by its name; one deleted since by its id, in the reader's language."""
    if isinstance(item, DeletedObject):
        return _("deleted (id %(id)s)") % {"id": item.pk}
    return str(item)
