"""Bulk import of resources from CSV or JSON, shared by ``manage.py import_resources`` and the admin.

A file is a CSV table (UTF-8, a header row) or a JSON list of objects with the same keys. Columns:
``title``, ``url``, ``language`` (required); ``summary``, ``description``, ``kind``, ``tags`` and
``audiences`` (several values separated by semicolons), ``license`` (an SPDX id), ``creator``, ``areas``
(knowledge-area slugs, separated by semicolons), and the accessibility metadata ``accessibility_features``,
``accessibility_hazards`` and ``access_modes`` (schema.org's terms, separated by semicolons: ``closedCaptions;
transcript``). Other columns are ignored with a warning.

Kinds and audiences may be given as the standard terms other systems use and their common synonyms (HCRT terms,
labels and URIs, LRMI labels and roles, ``lesson plan``, ``app``, ``game``, ``teens``: ``resources.vocabularies``),
licences as Creative Commons URIs, languages as BCP 47 tags in any case (``nb-NO`` is ``nb``). The report says
once for each such value what it was read as.

Every row is checked before anything is written, and the report names each bad row and field in plain
words. A web address already in the catalogue (compared without the difference between http and https,
upper and lower case in the host name, a trailing slash, or tracking parameters such as utm_source) updates
that resource instead of adding a second one: the fields the row fills in are replaced, its areas and tags
are added. New resources are drafts unless the import publishes them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from taggit.models import Tag, TaggedItem

from resources import semantic
from resources.indexes import RESOURCE_TAGS
from resources.languages import LANGUAGE_CHOICES
from resources.licenses import LICENSES
from resources.models import (
    AccessibilityFeature,
    AccessibilityHazard,
    AccessMode,
    Audience,
    Kind,
    KnowledgeArea,
    Resource,
    Status,
)
from resources.models.accessibility import hazard_conflicts
from resources.models.catalogue import ACCESSIBILITY_FIELDS
from resources.vocabularies import (
    access_mode_from,
    audience_from,
    feature_from,
    hazard_from,
    kind_from,
    language_from,
    license_from,
)
from teams.access import can_change, can_publish
from teams.models import LearningTeam, Library
from teams.text import unique_slug

COLUMNS = ["title", "url", "language", "summary", "description", "kind", "tags", "audiences", "license",
           "creator", "areas", *ACCESSIBILITY_FIELDS]  # fmt: skip
REQUIRED = ["title", "url", "language"]
LIST_COLUMNS = {"tags", "audiences", "areas", *ACCESSIBILITY_FIELDS}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
TRACKING_NAMES = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga",
                  "_gl", "igshid", "ref_src", "si"}  # fmt: skip
BATCH = 1000
# Fields an update replaces when the row fills them in.
UPDATABLE = ["title", "url", "language", "summary", "description", "kind", "audiences", "license", "creator",
             *ACCESSIBILITY_FIELDS]  # fmt: skip
# The columns holding a list of values of a vocabulary, and its values.
CHOICE_LISTS: dict[str, list[str]] = {
    "audiences": list(Audience.values),
    "accessibility_features": list(AccessibilityFeature.values),
    "accessibility_hazards": list(AccessibilityHazard.values),
    "access_modes": list(AccessMode.values),
}


class ImportFileError(Exception):
    """The file cannot be read at all (its format, encoding or header)."""


def normalise_url(url: str) -> str:
    """The key two addresses of the same page share: no scheme, lower-case host, no trailing slash or tracking."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith(TRACKING_PREFIXES) and name.lower() not in TRACKING_NAMES
    )
    return host + path + (f"?{urlencode(query)}" if query else "")


def split_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value or "").split(";") if item.strip()]


def read_rows(name: str, data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of a CSV or JSON file, and warnings about columns that will be ignored."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text (byte %(position)d).") % {"position": error.start}
        ) from None
    is_json = name.lower().endswith(".json") or (not name.lower().endswith(".csv") and text.lstrip()[:1] == "[")
    if is_json:
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(_("The JSON is not valid: %(error)s.") % {"error": error}) from None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ImportFileError(_("A JSON file must hold a list of objects, one per resource."))
        header = list(dict.fromkeys(key for row in rows for key in row))
    else:
        reader = csv.DictReader(io.StringIO(text))
        header = list(reader.fieldnames or [])
        rows = [{key: value for key, value in row.items() if key is not None} for row in reader]
    if missing := [column for column in REQUIRED if column not in header]:
        raise ImportFileError(_("The file has no column for: %(columns)s.") % {"columns": ", ".join(missing)})
    warnings = [
        _("The column “%(column)s” is not one Delarum knows; it is ignored.") % {"column": column}
        for column in header
        if column not in COLUMNS
    ]
    return rows, warnings


class RowForm(forms.Form):
    """One row's values, checked as the admin's form would check them."""

    title = forms.CharField(max_length=250)
    url = forms.URLField(max_length=500, assume_scheme="https")
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES)
    summary = forms.CharField(max_length=400, required=False)
    description = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("", ""), *Kind.choices], required=False)
    license = forms.ChoiceField(choices=[("", ""), *((key, key) for key in LICENSES)], required=False)
    creator = forms.CharField(max_length=200, required=False)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(message)s") % vars(self)


@dataclass
class Mapping:
    """A value the import read as one of Delarum's own: the first row it was seen in."""

    row: int
    column: str
    value: str
    label: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: “%(value)s” read as %(label)s") % vars(self)


# How each column with a vocabulary reads a value: Delarum's own value for it, or None; and that value's label.
READERS: dict[str, tuple[Callable[[str], str | None], Callable[[str], str]]] = {
    "kind": (kind_from, lambda value: str(Kind(value).label)),
    "audiences": (audience_from, lambda value: str(Audience(value).label)),
    "license": (license_from, str),
    "language": (language_from, str),
    "accessibility_features": (feature_from, lambda value: str(AccessibilityFeature(value).label)),
    "accessibility_hazards": (hazard_from, lambda value: str(AccessibilityHazard(value).label)),
    "access_modes": (access_mode_from, lambda value: str(AccessMode(value).label)),
}


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]
    areas: list[KnowledgeArea]
    tags: list[str]
    existing_id: int | None = None


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # One line for each distinct value read as a standard term (the first row it was seen in).
    mappings: list[Mapping] = field(default_factory=list)
    total: int = 0

    @property
    def invalid_rows(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def new(self) -> int:
        return sum(row.existing_id is None for row in self.rows)

    @property
    def updates(self) -> int:
        return sum(row.existing_id is not None for row in self.rows)


def plan_import(
    rows: list[dict[str, Any]],
    *,
    publish: bool = False,
    user: Any = None,
    first_row: int = 2,
    progress: Callable[[int], None] | None = None,
    library_id: int | None = None,
) -> ImportPlan:
    """Check every row; find the resources that rows update. Writes nothing.

    ``user`` is the person importing in the admin: a row may only update what they may change, and with
    ``publish`` only what they may publish. ``library_id`` (a harvest for a library, with no person) lets a row
    update only that library's resources.
    ``first_row`` is the number of the first data row in the file (2 in a CSV under its header).
    """
    plan = ImportPlan(total=len(rows))
    areas = {area.slug: area for area in KnowledgeArea.objects.all()}
    # Each address's resource: its id, library and team (what the access rules read).
    known: dict[str, tuple[int, int, int | None]] = {}
    for pk, url, library_id, team_id in Resource.objects.exclude(url="").values_list("pk", "url", "library", "team"):
        known.setdefault(normalise_url(url), (pk, library_id, team_id))
    owners = dict(Library.objects.values_list("pk", "name"))
    seen: dict[str, int] = {}
    mapped: set[tuple[str, str]] = set()
    for index, raw in enumerate(rows):
        number = first_row + index
        raw = _read_vocabularies(raw, number, mapped=mapped, mappings=plan.mappings)
        errors, values = _check_row(raw, number, areas=areas, publish=publish)
        existing: Resource | None = None
        if not errors:
            key = normalise_url(values["url"])
            if owned := known.get(key):
                existing = Resource(pk=owned[0], library_id=owned[1], team_id=owned[2])
            if key in seen:
                errors.append(RowError(number, "url", _("the same web address as row %(row)d.") % {"row": seen[key]}))
            elif existing and (
                (user is not None and not can_change(user, existing))
                or (library_id is not None and existing.library_id != library_id)
            ):
                message = _("already in the catalogue, chosen by %(library)s; ask them to change it.")
                errors.append(RowError(number, "url", message % {"library": owners.get(existing.library_id, "?")}))
            elif existing and user is not None and publish and not can_publish(user, existing):
                errors.append(RowError(number, "url", _("already in the catalogue; only its team's leads publish it.")))
            seen.setdefault(key, number)
        if errors:
            plan.errors.extend(errors)
        else:
            plan.rows.append(
                PlannedRow(
                    row=number,
                    values=values,
                    areas=[areas[slug] for slug in split_list(raw.get("areas"))],
                    tags=split_list(raw.get("tags")),
                    existing_id=existing.pk if existing else None,
                )
            )
        if progress and (index + 1) % 500 == 0:
            progress(index + 1)
    return plan


def _read_vocabularies(
    raw: dict[str, Any], number: int, *, mapped: set[tuple[str, str]], mappings: list[Mapping]
) -> dict[str, Any]:
    """The row with its standard terms and synonyms read as Delarum's own values; each distinct one is noted once.
    A value nothing matches is kept as it was, so that the checks name it."""
    row = dict(raw)
    for column, (read, label) in READERS.items():
        given = split_list(raw.get(column)) if column in LIST_COLUMNS else [str(raw.get(column) or "").strip()]
        values = []
        for value in given:
            own = read(value) if value else None
            if own and own != value and (column, value) not in mapped:
                mapped.add((column, value))
                mappings.append(Mapping(number, column, value, label(own)))
            values.append(own or value)
        row[column] = values if column in LIST_COLUMNS else values[0]
    return row


def _check_row(
    raw: dict[str, Any], number: int, *, areas: dict[str, KnowledgeArea], publish: bool
) -> tuple[list[RowError], dict[str, Any]]:
    """The row's errors, and its cleaned values when it has none."""
    data = {name: ("" if raw.get(name) is None else str(raw.get(name)).strip()) for name in RowForm.base_fields}
    form = RowForm(data)
    result: list[RowError] = []
    if not form.is_valid():
        for name, messages in form.errors.items():
            result.extend(RowError(number, name, str(message)) for message in messages)
    lists = {column: split_list(raw.get(column)) for column in CHOICE_LISTS}
    for column, known in CHOICE_LISTS.items():
        if unknown := [value for value in lists[column] if value not in known]:
            message = _("unknown value “%(values)s” (use: %(known)s).")
            result.append(RowError(number, column, message % {"values": ", ".join(unknown), "known": ", ".join(known)}))
    if conflicts := hazard_conflicts(lists["accessibility_hazards"]):
        message = _("these hazard values contradict each other: %(values)s.")
        result.append(RowError(number, "accessibility_hazards", message % {"values": ", ".join(conflicts)}))
    if unknown := [slug for slug in split_list(raw.get("areas")) if slug not in areas]:
        message = _("no knowledge area has the slug “%(values)s”.")
        result.append(RowError(number, "areas", message % {"values": ", ".join(unknown)}))
    if too_long := [tag for tag in split_list(raw.get("tags")) if len(tag) > 100]:
        result.append(
            RowError(number, "tags", _("a tag is longer than 100 characters: %(tag)s") % {"tag": too_long[0]})
        )
    if publish and form.is_valid() and not form.cleaned_data["license"]:
        result.append(RowError(number, "license", _("a licence is needed to publish.")))
    values = dict(form.cleaned_data) if form.is_valid() else {}
    if values:
        values.update({column: list(dict.fromkeys(chosen)) for column, chosen in lists.items()})
        if not values["summary"]:
            values["summary"] = Truncator(values["description"]).chars(400)
    return result, values


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    # Each written row's resource: row number → resource id.
    resource_ids: dict[int, int] = field(default_factory=dict)


def claim_slug(title: str, taken: set[str], *, language: str) -> str:
    """A slug no resource has (``taken``, kept up to date as the import claims them)."""
    slug = unique_slug(title, taken=taken.__contains__, language=language)
    taken.add(slug)
    return slug


def apply_import(
    plan: ImportPlan,
    *,
    library: Library,
    team: LearningTeam | None,
    publish: bool,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Write the plan's valid rows in one transaction, history included; returns what was created and updated."""
    now = timezone.now()
    status = Status.PUBLISHED if publish else Status.DRAFT
    outcome = ImportOutcome()
    with transaction.atomic():
        taken = set(Resource.objects.values_list("slug", flat=True))
        new_rows = [row for row in plan.rows if row.existing_id is None]
        update_rows = [row for row in plan.rows if row.existing_id is not None]
        created: list[Resource] = []
        for batch in _batches(new_rows):
            objects = [
                Resource(
                    **{name: row.values[name] or "" for name in UPDATABLE if name not in CHOICE_LISTS},
                    **{name: row.values[name] for name in CHOICE_LISTS},
                    slug=claim_slug(row.values["title"], taken, language=row.values["language"]),
                    library=library,
                    team=team,
                    status=status,
                    published_at=now if publish else None,
                )
                for row in batch
            ]
            for resource, row in zip(objects, batch, strict=True):
                resource.kind = resource.kind or Kind.WEBSITE
                # As the database will write it once the tags are added (the same declaration), so the first
                # history line has them.
                resource.tags_text = RESOURCE_TAGS.as_text(row.tags)
            created += bulk_create_with_history(objects, Resource, batch_size=BATCH, default_user=user)
            outcome.created += len(objects)
            if progress:
                progress(outcome.created)
        existing = Resource.objects.in_bulk([row.existing_id for row in update_rows])
        changed: list[Resource] = []
        for row in update_rows:
            resource = existing[row.existing_id]
            for name in UPDATABLE:
                if row.values.get(name):
                    setattr(resource, name, row.values[name])
            if publish and resource.status != Status.PUBLISHED:
                resource.status = Status.PUBLISHED
                resource.published_at = resource.published_at or now
            resource.version += 1
            resource.updated_at = now
            changed.append(resource)
        fields = [*UPDATABLE, "status", "published_at", "version", "updated_at"]
        bulk_update_with_history(changed, Resource, fields, batch_size=BATCH, default_user=user)
        outcome.updated = len(changed)
        targets = [*zip(new_rows, created, strict=True), *((row, existing[row.existing_id]) for row in update_rows)]
        outcome.resource_ids = {row.row: resource.pk for row, resource in targets}
        _add_areas_and_tags(targets)
        _record_tags([resource for _row, resource in targets], user=user)
        semantic.embed_later(outcome.resource_ids.values())
    return outcome


def _record_tags(resources: list[Resource], *, user: Any) -> None:
    """One more history line for each resource whose tags the import changed (the database keeps tags_text)."""
    stored = dict(Resource.objects.filter(pk__in=[r.pk for r in resources]).values_list("pk", "tags_text"))
    retagged = [resource for resource in resources if stored[resource.pk] != resource.tags_text]
    for resource in retagged:
        resource.tags_text = stored[resource.pk]
    bulk_update_with_history(retagged, Resource, ["tags_text"], batch_size=BATCH, default_user=user)


def _batches(rows: list[PlannedRow]) -> Iterable[list[PlannedRow]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _add_areas_and_tags(targets: list[tuple[PlannedRow, Resource]]) -> None:
    through = Resource.areas.through
    through.objects.bulk_create(
        [through(resource_id=resource.pk, knowledgearea_id=area.pk) for row, resource in targets for area in row.areas],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    names = {tag for row, _resource in targets for tag in row.tags}
    if not names:
        return
    tags = {
        tag.name.lower(): tag
        for tag in Tag.objects.annotate(lowered=Lower("name")).filter(lowered__in={n.lower() for n in names})
    }
    for name in sorted(names):
        if name.lower() not in tags:
            tags[name.lower()] = Tag.objects.create(name=name)
    content_type = ContentType.objects.get_for_model(Resource)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag_id=tags[name.lower()].pk, object_id=resource.pk, content_type_id=content_type.pk)
            for row, resource in targets
            for name in dict.fromkeys(row.tags)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
