"""manage.py import_experiences FILE: exchange-bank entries and development projects from Markdown files."""

from __future__ import annotations

import calendar
import datetime
import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import Truncator

from resources.models import KnowledgeArea
from teams.models import Experience, ExperienceKind, Library
from teams.text import slug_of

# Front-matter keys -> model fields; the Markdown body becomes "what we did" (or the goals of a project).
FIELDS = {
    "title", "kind", "language", "summary", "why", "result", "differently", "effort", "status", "partners",
    "funding", "contact_name", "contact_email", "coordinator", "funder", "grant", "goals", "is_public",
}  # fmt: skip


def read(path: Path) -> tuple[dict[str, Any], str]:
    """The front matter and the body of one file, read by python-frontmatter (``---`` inside a value is fine)."""
    text = path.read_text(encoding="utf-8-sig")
    if not text.startswith("---"):
        raise CommandError(f"{path}: no YAML front matter (the file must start with ---).")
    try:
        data, body = frontmatter.parse(text)
    except yaml.YAMLError as error:
        raise CommandError(f"{path}: the front matter is not valid YAML: {error}") from error
    except (TypeError, ValueError) as error:  # a list or a single value where key: value pairs belong
        raise CommandError(f"{path}: the front matter must be key: value pairs.") from error
    if not isinstance(data, dict):
        raise CommandError(f"{path}: the front matter must be key: value pairs.")
    return data, body.strip()


def first_paragraph(body: str, *, max_length: int) -> str:
    """The body's first paragraph that is not a heading, as plain text on one line, cut to ``max_length``."""
    for paragraph in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in paragraph.strip().splitlines()]
        if lines and not lines[0].startswith("#"):
            return Truncator(" ".join(lines)).chars(max_length)
    return ""


# A point in time as people write a project's period: 2013, 2013-09, 2013-09-01, HT 2014 / VT 2015 (Swedish
# terms), and the Danish, Norwegian and English words for autumn and spring.
TERMS = {
    "ht": "autumn", "höst": "autumn", "hösten": "autumn", "efterår": "autumn", "høst": "autumn", "høsten": "autumn",
    "autumn": "autumn", "fall": "autumn",
    "vt": "spring", "vår": "spring", "våren": "spring", "forår": "spring", "spring": "spring",
}  # fmt: skip
POINT = r"(?:(?P<term{n}>[^\W\d_]+)\.?\s*)?(?P<year{n}>\d{{4}})(?:-(?P<month{n}>\d{{1,2}})(?:-(?P<day{n}>\d{{1,2}}))?)?"
ONE_POINT = re.compile(POINT.format(n=1), re.IGNORECASE)
RANGE = re.compile(rf"{POINT.format(n=1)}\s*(?:–|—|-|/|to|till|til)\s*{POINT.format(n=2)}", re.IGNORECASE)
PERIOD_SHAPES = (
    "2013-2015, 2013–2015, 2013, 2013-09, 2013-09-01 – 2014-06-30, HT 2014, a list [start, end] or {start, end}"
)


class PeriodError(CommandError):
    pass


def _bounds(match: re.Match[str], n: int, raw: Any) -> tuple[datetime.date, datetime.date]:
    """The first and last day a written point in time covers: 2013 is the year, HT 2014 August to December."""
    term, year = match.group(f"term{n}"), int(match.group(f"year{n}"))
    month, day = match.group(f"month{n}"), match.group(f"day{n}")
    try:
        if term:
            season = TERMS.get(term.lower())
            if season is None or month:
                raise PeriodError(f"period {raw!r}: {term!r} is not a term this import knows (HT, VT, höst, vår …).")
            if season == "autumn":
                return datetime.date(year, 8, 1), datetime.date(year, 12, 31)
            return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
        if day:
            start = datetime.date(year, int(month), int(day))
            return start, start
        if month:
            start = datetime.date(year, int(month), 1)
            return start, datetime.date(year, int(month), calendar.monthrange(year, int(month))[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        raise PeriodError(f"period {raw!r}: there is no such date.") from None


def _period_text(raw: Any) -> tuple[datetime.date, datetime.date]:
    text = str(raw).strip()
    if match := ONE_POINT.fullmatch(text):
        return _bounds(match, 1, raw)
    if match := RANGE.fullmatch(text):
        return _bounds(match, 1, raw)[0], _bounds(match, 2, raw)[1]
    raise PeriodError(f"period {raw!r} is not a period this import understands; write it as one of: {PERIOD_SHAPES}.")


def _period_point(raw: Any, *, first: bool) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    start, end = _period_text(raw)
    return start if first else end


def read_period(raw: Any) -> tuple[datetime.date | None, datetime.date | None]:
    """``period`` in every shape people write it; anything else is refused by name, never skipped."""
    if raw in (None, "", [], {}):
        return None, None
    if isinstance(raw, dict | list):
        if isinstance(raw, dict) and (unknown := set(raw) - {"start", "end", "from", "to"}):
            raise PeriodError(f"period has keys this import does not know: {', '.join(map(str, sorted(unknown)))}.")
        if isinstance(raw, list) and len(raw) > 2:
            raise PeriodError(f"period {raw!r}: a list must hold the start and the end, no more.")
        start, end = (
            (raw.get("start", raw.get("from")), raw.get("end", raw.get("to")))
            if isinstance(raw, dict)
            else (raw[0], raw[-1])
        )
        first, last = _period_point(start, first=True), _period_point(end, first=False)
    elif isinstance(raw, datetime.date):
        first = last = raw
    else:
        first, last = _period_text(raw)
    if first and last and first > last:
        raise PeriodError(f"period {raw!r} ends before it starts.")
    return first, last


class Command(BaseCommand):
    help = (
        "Read exchange-bank entries (experiences, ideas, initiatives) and finished development projects from a "
        "Markdown file with YAML front matter, or from every .md file in a folder. Required keys: title, library "
        "(slug); optional: summary (else the body's first paragraph), slug, kind, language, status, effort, period "
        f"({PERIOD_SHAPES}; any other shape is refused), partners, "
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
        if not data.get("summary"):
            data["summary"] = first_paragraph(body, max_length=Experience._meta.get_field("summary").max_length or 300)
        for key in ("title", "library", "summary"):
            if not data.get(key):
                raise CommandError(f"'{key}' is missing.")
        library = libraries.get(str(data["library"]))
        if library is None:
            raise CommandError(f"no library with the slug {data['library']!r}.")
        language = str(data.get("language") or "")
        slug = str(data.get("slug") or slug_of(str(data["title"]), language=language))[:200]
        entry = Experience.objects.filter(slug=slug).first() or Experience(slug=slug)
        for key in FIELDS & data.keys():
            setattr(entry, key, data[key] if key == "is_public" else str(data[key]))
        if "kind" not in data and data.get("funder"):
            entry.kind = ExperienceKind.PROJECT
        entry.library = library
        if entry.kind == ExperienceKind.PROJECT and not data.get("goals") and not entry.what_we_did:
            entry.goals = body
        entry.what_we_did = body
        entry.period_start, entry.period_end = read_period(data.get("period"))
        links = data.get("links") or []
        entry.links = "\n".join(str(link) for link in (links if isinstance(links, list) else [links]))
        tags = data.get("tags") or []
        entry.tags = [str(tag).lower() for tag in (tags if isinstance(tags, list) else str(tags).split(","))]
        unknown = [slug for slug in data.get("areas") or [] if slug not in areas]
        if unknown:
            raise CommandError(f"unknown knowledge areas: {', '.join(map(str, unknown))}.")
        entry.full_clean(exclude=["search_vector"])
        return entry, [areas[slug] for slug in data.get("areas") or []]
