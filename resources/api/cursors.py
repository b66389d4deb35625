"""Cursor pagination over a keyset: a page starts after the last row of the one before, by the values the list
is ordered by (which always end with the primary key), so rows added or removed meanwhile never make a row
appear twice or be skipped. The cursor is those values, signed, so it is opaque and cannot be forged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from resources.api.problems import InvalidParameters

SALT = "resources.api.cursor"


@dataclass(frozen=True)
class Key:
    """One column of the ordering. PostgreSQL puts NULL last ascending and first descending unless told."""

    name: str
    descending: bool
    nulls_last: bool


def keys_of(queryset: QuerySet[Any]) -> list[Key]:
    """The queryset's ordering as keys; it must be total (end with the primary key)."""
    keys = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            name = item.lstrip("-")
            keys.append(Key(name, item.startswith("-"), not item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            nulls_last = bool(item.nulls_last) if (item.nulls_last or item.nulls_first) else not item.descending
            keys.append(Key(item.expression.name, item.descending, nulls_last))
        else:  # pragma: no cover - a programming error, not a request's
            raise TypeError(f"Cannot page by {item!r}")
    if not keys or keys[-1].name not in {"pk", "id"}:
        raise TypeError("A keyset ordering ends with the primary key.")
    return keys


def _encode(value: Any) -> Any:
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _decode(value: Any) -> Any:
    return parse_datetime(value["t"]) if isinstance(value, dict) else value


def _after(key: Key, value: Any) -> Q:
    """Rows that come strictly after ``value`` in this key's order."""
    if value is None:
        return Q(pk__in=[]) if key.nulls_last else Q(**{f"{key.name}__isnull": False})
    after = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
    return after | Q(**{f"{key.name}__isnull": True}) if key.nulls_last else after


def _equal(key: Key, value: Any) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def page(queryset: QuerySet[Any], *, cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    """Up to ``limit`` rows after the cursor (from the start without one), and the cursor of the next page
    (None on the last page). One query."""
    keys = keys_of(queryset)
    names = [key.name for key in keys]
    if cursor:
        try:
            data = signing.loads(cursor, salt=SALT)
            values = [_decode(value) for value in data["v"]]
            valid = data["k"] == names and len(values) == len(keys)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            valid = False
        if not valid:
            raise InvalidParameters(
                {
                    "cursor": [
                        _("This cursor is not valid here. Use the next link of the page before, with the same sort.")
                    ]
                }
            )
        condition = Q(pk__in=[])
        for index, key in enumerate(keys):
            earlier = Q()
            for other, value in zip(keys[:index], values[:index], strict=True):
                earlier &= _equal(other, value)
            condition |= earlier & _after(key, values[index])
        queryset = queryset.filter(condition)
    # The key values of each row, read with it (an alias such as a bounded rank has no attribute of its own).
    annotated = queryset.annotate(**{f"cursor_{index}": F(name) for index, name in enumerate(names)})
    rows = list(annotated[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    values = [_encode(getattr(last, f"cursor_{index}")) for index in range(len(keys))]
    return rows[:limit], signing.dumps({"k": names, "v": values}, salt=SALT, compress=True)
