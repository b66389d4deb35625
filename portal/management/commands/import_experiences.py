"""manage.py import_experiences FILE: exchange-bank entries and development projects from Markdown files."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from resources.models import KnowledgeArea
from teams.models import Experience, ExperienceKind, Library
from teams.text import slug_of

# Front-matter keys -> model fields; the Markdown body becomes "what we did" (or the goals of a project).
FIELDS = {
    "title", "kind", "language", "summary", "why", "result", "differently", "effort", "status", "partners",
    "funding", "contact_name", "contact_email", "coordinator", "funder", "grant", "goals", "is_public",
}  # fmt: skip


def read(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        raise CommandError(f"{path}: no YAML front matter (the file must start with ---).")
    _start, front, body = text.split("---", 2)
    try:
        data = yaml.safe_load(front) or {}
    except yaml.YAMLError as error:
        raise CommandError(f"{path}: the front matter is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise CommandError(f"{path}: the front matter must be key: value pairs.")
    return data, body.strip()


class Command(BaseCommand):
    help = (
        "Read exchange-bank entries (experiences, ideas, initiatives) and finished development projects from a "
        "Markdown file with YAML front matter, or from every .md file in a folder. Required keys: title, library "
        "(slug), summary; optional: slug, kind, language, status, effort, period (start and end dates), partners, "
        "funding, contact_name, contact_email, coordinator, funder, grant, goals, result, links, tags, areas "
        "(knowledge-area slugs), is_public. The body is 'what we did'. An entry with the same slug is updated. "
        "Every file is checked first; nothing is written unless all are valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .md file or a folder of them.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        if source.is_dir():
            paths = sorted(source.glob("*.md"))
        elif source.is_file():
            paths = [source]
        else:
            raise CommandError(f"{source} does not exist.")
        libraries = {library.slug: library for library in Library.objects.all()}
        areas = {area.slug: area for area in KnowledgeArea.objects.all()}
        prepared = []
        errors = []
        for path in paths:
            try:
                prepared.append(self.prepare(path, libraries, areas))
            except (CommandError, ValidationError) as error:
                errors.append(f"{path.name}: {error}")
        if errors:
            raise CommandError("Nothing imported:\n" + "\n".join(errors))
        created = updated = 0
        with transaction.atomic():
            for entry, entry_areas in prepared:
                is_new = entry.pk is None
                entry.save()
                entry.knowledge_areas.set(entry_areas)
                created += is_new
                updated += not is_new
        self.stdout.write(self.style.SUCCESS(f"Imported {len(prepared)} files: {created} created, {updated} updated."))

    def prepare(
        self, path: Path, libraries: dict[str, Library], areas: dict[str, KnowledgeArea]
    ) -> tuple[Experience, list[KnowledgeArea]]:
        data, body = read(path)
        for key in ("title", "library", "summary"):
            if not data.get(key):
                raise CommandError(f"'{key}' is missing.")
        library = libraries.get(str(data["library"]))
        if library is None:
            raise CommandError(f"no library with the slug {data['library']!r}.")
        slug = str(data.get("slug") or slug_of(str(data["title"])))[:200]
        entry = Experience.objects.filter(slug=slug).first() or Experience(slug=slug)
        for key in FIELDS & data.keys():
            setattr(entry, key, data[key] if key == "is_public" else str(data[key]))
        if "kind" not in data and data.get("funder"):
            entry.kind = ExperienceKind.PROJECT
        entry.library = library
        if entry.kind == ExperienceKind.PROJECT and not data.get("goals") and not entry.what_we_did:
            entry.goals = body
        entry.what_we_did = body
        period = data.get("period") or {}
        entry.period_start = _date(period.get("start")) if isinstance(period, dict) else None
        entry.period_end = _date(period.get("end")) if isinstance(period, dict) else None
        links = data.get("links") or []
        entry.links = "\n".join(str(link) for link in (links if isinstance(links, list) else [links]))
        tags = data.get("tags") or []
        entry.tags = [str(tag).lower() for tag in (tags if isinstance(tags, list) else str(tags).split(","))]
        unknown = [slug for slug in data.get("areas") or [] if slug not in areas]
        if unknown:
            raise CommandError(f"unknown knowledge areas: {', '.join(map(str, unknown))}.")
        entry.full_clean(exclude=["search_vector"])
        return entry, [areas[slug] for slug in data.get("areas") or []]


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error
