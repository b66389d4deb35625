"""What OAI-PMH harvests, read from the database: published resources as records, withdrawn ones as deleted.

A list page is two keyset queries, one on each of the (datestamp, id) indexes: published resources by
``harvest_changed_at`` and deleted records by ``deleted_at``, each resumed after the last (datestamp, id) sent
and merged; then one query for the page's knowledge areas and, for full records, one for its tags. A page
costs the same at a thousand resources as at a million, and a change between pages never makes one skip
a record (a changed record moves to the end of the list and comes again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import BooleanField, Min, Q, QuerySet
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from resources.models import DeletedRecord, KnowledgeArea, Resource
from resources.oai.protocol import OAIError, Selection
from teams.models import LearningTeam, Library

# The set families (the first part of every set spec) and their names.
SET_FAMILIES = {"area": "Knowledge areas", "team": "Learning teams", "library": "Libraries"}
# What a record needs besides what is deferred here: the search vector and staff-only fields are never read.
NOT_HARVESTED = ["search_vector", "review_note", "link_status", "link_error", "link_final_url", "link_checked_at"]


@dataclass
class Item:
    """One entry of a list: a published resource, or a deleted record (then ``resource`` is None)."""

    id: int
    datestamp: datetime
    set_specs: list[str]
    resource: Resource | None = None
    areas: list[KnowledgeArea] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.resource is None


def published() -> QuerySet[Resource]:
    return Resource.objects.published().select_related("library", "team").defer(*NOT_HARVESTED)


def set_specs(resource: Resource, areas: Iterable[KnowledgeArea]) -> list[str]:
    """The sets a published resource is in (the trigger resources_oai_set_specs says the same for deleted ones)."""
    specs = [f"library:{resource.library.slug}"]
    if resource.team_id:
        specs.append(f"team:{resource.team.slug}")  # type: ignore[union-attr]
    specs.extend(sorted(f"area:{area.slug}" for area in areas))
    return specs


def _set_filters(set_spec: str) -> tuple[Q, Q]:
    """Filters for published resources and for deleted records in a set (and its subsets)."""
    family, _, slug = set_spec.partition(":")
    if family not in SET_FAMILIES:
        raise OAIError("noRecordsMatch", f"There is no set {set_spec!r}.")
    if not slug:
        live = {"library": Q(), "team": Q(team__isnull=False), "area": ~Q(area_ids=[])}[family]
        return live, Q(in_family=True)
    model = {"area": KnowledgeArea, "team": LearningTeam, "library": Library}[family]
    found = model.objects.filter(slug=slug).values_list("pk", flat=True).first()  # type: ignore[attr-defined]
    if found is None:
        raise OAIError("noRecordsMatch", f"There is no set {set_spec!r}.")
    live = {"library": Q(library_id=found), "team": Q(team_id=found), "area": Q(area_ids__contains=[found])}[family]
    return live, Q(set_specs__contains=[set_spec])


def _deleted_records(set_spec: str) -> QuerySet[DeletedRecord]:
    family = set_spec.partition(":")[0]
    return DeletedRecord.objects.alias(
        in_family=RawSQL(
            "EXISTS (SELECT FROM unnest(set_specs) spec WHERE spec LIKE %s)",
            [f"{family}:%"],
            output_field=BooleanField(),
        )
    )


def _selected(chosen: Selection) -> tuple[QuerySet[Resource], QuerySet[DeletedRecord]]:
    live, deleted = published(), _deleted_records(chosen.set_spec)
    if chosen.set_spec:
        live_filter, deleted_filter = _set_filters(chosen.set_spec)
        live, deleted = live.filter(live_filter), deleted.filter(deleted_filter)
    if chosen.after:
        live, deleted = live.filter(harvest_changed_at__gte=chosen.after), deleted.filter(deleted_at__gte=chosen.after)
    if chosen.before:
        live, deleted = live.filter(harvest_changed_at__lt=chosen.before), deleted.filter(deleted_at__lt=chosen.before)
    return live, deleted


def count(chosen: Selection) -> int:
    """How many entries the whole list has (two counts; asked once, on a list's first page)."""
    live, deleted = _selected(chosen)
    return live.count() + deleted.count()


def page(chosen: Selection, *, after: tuple[datetime, int] | None, size: int, full: bool) -> tuple[list[Item], bool]:
    """The next ``size`` entries after (datestamp, id), and whether more follow."""
    live, deleted = _selected(chosen)
    if after:
        live = live.filter(_after("resources_resource", "harvest_changed_at", "id", after))
        deleted = deleted.filter(_after("resources_deletedrecord", "deleted_at", "resource_id", after))
    items = [
        Item(resource.pk, resource.harvest_changed_at, [], resource)
        for resource in live.order_by("harvest_changed_at", "id")[: size + 1]
    ] + [
        Item(record.resource_id, record.deleted_at, list(record.set_specs))
        for record in deleted.order_by("deleted_at", "resource_id")[: size + 1]
    ]
    items.sort(key=lambda item: (item.datestamp, item.id))
    more = len(items) > size
    items = items[:size]
    _attach([item for item in items if item.resource], full=full)
    return items, more


def _after(table: str, moment: str, key: str, after: tuple[datetime, int]) -> RawSQL:
    """Rows after (datestamp, id) as one row comparison, which PostgreSQL answers from the (datestamp, id) index.

    Written as ``datestamp >= m AND NOT (datestamp = m AND id <= i)`` it would read every earlier row of the same
    second again on each page, and many records share a second (a bulk import, the migration's first dates).
    """
    return RawSQL(f'("{table}"."{moment}", "{table}"."{key}") > (%s, %s)', after, output_field=BooleanField())


def find(resource_id: int) -> Item | None:
    """One entry by id: the published resource, or its deleted record; None if harvesters never saw it."""
    resource = published().filter(pk=resource_id).first()
    if resource:
        item = Item(resource.pk, resource.harvest_changed_at, [], resource)
        _attach([item], full=True)
        return item
    record = DeletedRecord.objects.filter(resource_id=resource_id).first()
    return Item(record.resource_id, record.deleted_at, list(record.set_specs)) if record else None


def _attach(items: list[Item], *, full: bool) -> None:
    """The knowledge areas (and for full records the tags) of a page's resources, one query each."""
    area_ids = {pk for item in items for pk in item.resource.area_ids}  # type: ignore[union-attr]
    areas = {area.pk: area for area in KnowledgeArea.objects.filter(pk__in=area_ids)} if area_ids else {}
    tag_ids = {pk for item in items for pk in item.resource.tag_ids} if full else set()  # type: ignore[union-attr]
    tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name")) if tag_ids else {}
    for item in items:
        resource = item.resource
        assert resource is not None
        item.areas = sorted((areas[pk] for pk in resource.area_ids if pk in areas), key=lambda area: area.slug)
        item.tags = sorted((tags[pk] for pk in resource.tag_ids if pk in tags), key=str.lower)
        item.set_specs = set_specs(resource, item.areas)


def earliest_datestamp() -> datetime | None:
    """The oldest datestamp of any entry (Identify)."""
    oldest = [
        Resource.objects.published().aggregate(oldest=Min("harvest_changed_at"))["oldest"],
        DeletedRecord.objects.aggregate(oldest=Min("deleted_at"))["oldest"],
    ]
    return min((moment for moment in oldest if moment), default=None)


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str


def all_sets() -> list[OAISet]:
    """Every set, ordered by spec: the three families, then each knowledge area, learning team and library."""
    sets = [OAISet(family, name) for family, name in SET_FAMILIES.items()]
    sets += [OAISet(f"area:{area.slug}", area.name) for area in KnowledgeArea.objects.only("slug", "name")]
    sets += [OAISet(f"team:{team.slug}", team.name) for team in LearningTeam.objects.only("slug", "name")]
    sets += [OAISet(f"library:{library.slug}", library.name) for library in Library.objects.only("slug", "name")]
    return sorted(sets, key=lambda entry: entry.spec)
