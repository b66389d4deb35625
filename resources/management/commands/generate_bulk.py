from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from resources.models import Audience, Kind, KnowledgeArea, Resource, Status
from teams.models import LearningTeam, Library

# Subjects and title patterns per language: enough variety for realistic search load.
SUBJECTS = {
    "sv": ["källkritik", "släktforskning", "programmering", "bedrägerier på nätet", "jobbansökan", "e-legitimation",
           "privatekonomi", "hälsa", "klimatet", "valet", "biblioteken", "svenska för nybörjare", "e-böcker",
           "lösenord", "digitala tjänster", "läsning för barn", "nyheter", "demokrati"],
    "da": ["kildekritik", "slægtsforskning", "programmering", "svindel på nettet", "jobansøgning", "MitID",
           "privatøkonomi", "sundhed", "klimaet", "valget", "bibliotekerne", "dansk for begyndere", "e-bøger",
           "adgangskoder", "digitale tjenester", "læsning for børn", "nyheder", "demokrati"],
    "nb": ["kildekritikk", "slektsforskning", "programmering", "svindel på nett", "jobbsøknad", "BankID",
           "privatøkonomi", "helse", "klimaet", "valget", "bibliotekene", "norsk for nybegynnere", "e-bøker",
           "passord", "digitale tjenester", "lesing for barn", "nyheter", "demokrati"],
    "en": ["source criticism", "genealogy", "programming", "online fraud", "job applications", "digital ID",
           "personal finance", "health", "the climate", "elections", "libraries", "English for beginners", "e-books",
           "passwords", "digital services", "reading for children", "news", "democracy"],
}  # fmt: skip
PATTERNS = {
    "sv": ["Kom igång med {s}", "{S} för nybörjare", "Guide: {s} steg för steg", "Allt du behöver veta om {s}",
           "Kurs i {s}", "{S} – tips från biblioteket"],
    "da": ["Kom i gang med {s}", "{S} for begyndere", "Guide: {s} trin for trin", "Alt du skal vide om {s}",
           "Kursus i {s}", "{S} – tips fra biblioteket"],
    "nb": ["Kom i gang med {s}", "{S} for nybegynnere", "Veiledning: {s} steg for steg", "Alt du trenger å vite om {s}",
           "Kurs i {s}", "{S} – tips fra biblioteket"],
    "en": ["Getting started with {s}", "{S} for beginners", "A step-by-step guide to {s}",
           "All you need to know about {s}", "A course in {s}", "{S}: tips from the library"],
}  # fmt: skip
SUMMARIES = {
    "sv": "En lärresurs om {s}, utvald av bibliotekarier. Passar dig som vill lära dig mer i egen takt.",
    "da": "En læringsressource om {s}, udvalgt af bibliotekarer. Passer til dig, der vil lære mere i eget tempo.",
    "nb": "En læringsressurs om {s}, valgt ut av bibliotekarer. Passer for deg som vil lære mer i eget tempo.",
    "en": "A learning resource about {s}, chosen by librarians. For anyone who wants to learn at their own pace.",
}
BATCH = 2000


class Command(BaseCommand):
    help = (
        "Create many realistic multilingual published resources (sv, da, nb, en) with tags and knowledge areas, "
        "for benchmarks. Uses bulk inserts; the database triggers index them as they arrive. Needs the demo "
        "libraries, teams and areas (manage.py seed_demo). Adds to what is there; --seed makes runs repeatable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resources", type=int, required=True, help="How many resources to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        total = options["resources"]
        if total < 1:
            raise CommandError("--resources must be at least 1.")
        libraries = list(Library.objects.all())
        areas = list(KnowledgeArea.objects.all())
        if not libraries or not areas:
            raise CommandError("Run `manage.py seed_demo` first: bulk resources need libraries and areas.")
        # Each resource's team is one its library belongs to (or none), as curators would set it.
        teams: dict[int, list[LearningTeam | None]] = {library.pk: [None] for library in libraries}
        for team in LearningTeam.objects.prefetch_related("libraries"):
            for library in team.libraries.all():
                teams.setdefault(library.pk, [None]).append(team)
        random_ = random.Random(options["seed"])
        start = Resource.objects.count()
        tags = self._tags()
        content_type_id = ContentType.objects.get_for_model(Resource).pk
        now = datetime.now(tz=UTC)
        made = 0
        rows = (self._build(start + n, random_, libraries, teams, now) for n in range(total))
        while batch := list(islice(rows, BATCH)):
            with transaction.atomic():
                created = Resource.objects.bulk_create(batch)
                Resource.areas.through.objects.bulk_create(
                    [
                        Resource.areas.through(resource_id=resource.pk, knowledgearea_id=area.pk)
                        for resource in created
                        for area in random_.sample(areas, k=random_.randint(1, 2))
                    ]
                )
                TaggedItem.objects.bulk_create(
                    [
                        TaggedItem(tag_id=tag.pk, object_id=resource.pk, content_type_id=content_type_id)
                        for resource in created
                        for tag in random_.sample(tags[resource.language], k=3)
                    ]
                )
            made += len(created)
            self._progress(made, total)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Created {made} resources; the catalogue now has {start + made}."))

    def _build(
        self, n: int, random_: random.Random, libraries: list[Library], teams: dict[int, list[Any]], now: datetime
    ) -> Resource:
        library = random_.choice(libraries)
        language = random_.choice(list(SUBJECTS))
        subject = random_.choice(SUBJECTS[language])
        title = random_.choice(PATTERNS[language]).format(s=subject, S=subject[:1].upper() + subject[1:])
        return Resource(
            title=title,
            slug=f"{slugify(title)[:200]}-{n}",
            summary=SUMMARIES[language].format(s=subject),
            description=SUMMARIES[language].format(s=subject) + " " + " ".join(random_.sample(SUBJECTS[language], 4)),
            url=f"https://resources.example/{n}",
            kind=random_.choice(Kind.values),
            language=language,
            audiences=random_.sample(Audience.values, k=random_.randint(1, 2)),
            license=random_.choice(["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CC-BY-NC-4.0"]),
            creator="Delarum benchmark",
            library=library,
            team=random_.choice(teams[library.pk]),
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )

    def _tags(self) -> dict[str, list[Tag]]:
        tags: dict[str, list[Tag]] = {}
        for language, subjects in SUBJECTS.items():
            names = [word for subject in subjects for word in subject.lower().split() if len(word) > 3]
            tags[language] = [
                Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name, allow_unicode=True)})[0]
                for name in dict.fromkeys(names)
            ]
        return tags

    def _progress(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // total
        sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stdout.flush()
