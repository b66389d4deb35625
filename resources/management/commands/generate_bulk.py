from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from resources.management.progress import progress_bar
from resources.models import Audience, Kind, KnowledgeArea, Resource, Status
from teams.models import LearningTeam, Library
from teams.text import slug_of

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
# Most titles, summaries and descriptions do not name the library: a broad word such as "bibliotek" matches
# about a third of the generated resources (in all four languages, through the term table), as in a real
# catalogue; a subject matches about one resource in ten.
PATTERNS = {
    "sv": ["Kom igång med {s}", "{S} för nybörjare", "Guide: {s} steg för steg", "Allt du behöver veta om {s}",
           "Kurs i {s}", "{S} – tips från biblioteket", "Övningar i {s}", "{S} på fem minuter"],
    "da": ["Kom i gang med {s}", "{S} for begyndere", "Guide: {s} trin for trin", "Alt du skal vide om {s}",
           "Kursus i {s}", "{S} – tips fra biblioteket", "Øvelser i {s}", "{S} på fem minutter"],
    "nb": ["Kom i gang med {s}", "{S} for nybegynnere", "Veiledning: {s} steg for steg", "Alt du trenger å vite om {s}",
           "Kurs i {s}", "{S} – tips fra biblioteket", "Øvelser i {s}", "{S} på fem minutter"],
    "en": ["Getting started with {s}", "{S} for beginners", "A step-by-step guide to {s}",
           "All you need to know about {s}", "A course in {s}", "{S}: tips from the library", "Exercises in {s}",
           "{S} in five minutes"],
}  # fmt: skip
SUMMARIES = {
    "sv": ["En lärresurs om {s}, utvald av bibliotekarier. Passar dig som vill lära dig mer i egen takt.",
           "Lär dig mer om {s} i din egen takt, med exempel och övningar.",
           "En introduktion till {s} med praktiska tips.",
           "Fördjupning i {s}: begrepp, exempel och var du hittar mer.",
           "Korta avsnitt om {s} för nybörjare och för den som redan kan lite.",
           "Material om {s} att använda på egen hand eller i grupp.",
           "Frågor och svar om {s}, skrivna på lätt svenska.",
           "Steg för steg genom {s}, med övningar efter varje avsnitt."],
    "da": ["En læringsressource om {s}, udvalgt af bibliotekarer. Passer til dig, der vil lære mere i eget tempo.",
           "Lær mere om {s} i dit eget tempo, med eksempler og øvelser.",
           "En introduktion til {s} med praktiske tips.",
           "Fordybelse i {s}: begreber, eksempler og hvor du finder mere.",
           "Korte afsnit om {s} for begyndere og for dem, der allerede kan lidt.",
           "Materiale om {s} til brug på egen hånd eller i grupper.",
           "Spørgsmål og svar om {s}, skrevet på let dansk.",
           "Gennemgang af {s} med øvelser efter hvert afsnit."],
    "nb": ["En læringsressurs om {s}, valgt ut av bibliotekarer. Passer for deg som vil lære mer i eget tempo.",
           "Lær mer om {s} i ditt eget tempo, med eksempler og øvelser.",
           "En introduksjon til {s} med praktiske tips.",
           "Fordypning i {s}: begreper, eksempler og hvor du finner mer.",
           "Korte avsnitt om {s} for nybegynnere og for deg som allerede kan litt.",
           "Materiell om {s} til bruk på egen hånd eller i grupper.",
           "Spørsmål og svar om {s}, skrevet på lettlest norsk.",
           "Gjennomgang av {s} med øvelser etter hvert avsnitt."],
    "en": ["A learning resource about {s}, chosen by librarians. For anyone who wants to learn at their own pace.",
           "Learn more about {s} at your own pace, with examples and exercises.",
           "An introduction to {s} with practical tips.",
           "A closer look at {s}: ideas, examples and where to find more.",
           "Short sections on {s} for beginners and for those who know a little already.",
           "Material on {s} to use on your own or in a group.",
           "Questions and answers about {s}, in plain English.",
           "A walk through {s}, with exercises after each section."],
}  # fmt: skip
# The knowledge area (seed_demo's slugs) of each subject, by its position in SUBJECTS; a resource sometimes has a
# second, random area too. Areas missing from the database are replaced by random ones.
SUBJECT_AREAS = ["source-criticism", "genealogy", "programming", "online-safety", "jobs-and-careers",
                 "digital-id-and-e-services", "personal-finance", "health", "climate-and-sustainability",
                 "citizenship-and-society", "reading-promotion", "language-learning", "reading-promotion",
                 "online-safety", "digital-skills", "reading-promotion", "citizenship-and-society",
                 "citizenship-and-society"]  # fmt: skip
SECOND_AREA_SHARE = 0.25
SEE_ALSO = {"sv": "Se även", "da": "Se også", "nb": "Se også", "en": "See also"}
# Tags: the words of the resource's subject, and one of these.
GENERAL_TAGS = {
    "sv": ["nybörjare", "fördjupning", "självstudier", "övningar", "vuxna", "lättläst"],
    "da": ["begyndere", "fordybelse", "selvstudie", "øvelser", "voksne", "letlæst"],
    "nb": ["nybegynnere", "fordypning", "selvstudier", "øvelser", "voksne", "lettlest"],
    "en": ["beginners", "in depth", "self-study", "exercises", "adults", "easy reading"],
}
BATCH = 2000
CREATOR = "Delarum benchmark"


class Command(BaseCommand):
    help = (
        "Create many realistic multilingual published resources (sv, da, nb, en) with tags and knowledge areas, "
        "for benchmarks. Uses bulk inserts; the database triggers index them as they arrive. Needs the demo "
        "libraries, teams and areas (manage.py seed_demo). Adds to what is there (--replace first removes what "
        "earlier runs generated); --seed makes runs repeatable. Ends with VACUUM FULL ANALYZE of the resources."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resources", type=int, required=True, help="How many resources to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--replace", action="store_true", help=f"First delete the resources created by {CREATOR!r} (earlier runs)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = options["resources"]
        if total < 1:
            raise CommandError("--resources must be at least 1.")
        libraries = list(Library.objects.all())
        areas = list(KnowledgeArea.objects.all())
        if not libraries or not areas:
            raise CommandError("Run `manage.py seed_demo` first: bulk resources need libraries and areas.")
        if options["replace"]:
            removed = self._remove_generated()
            self.stdout.write(f"Removed {removed} generated resources.")
        # Each resource's team is one its library belongs to (or none), as curators would set it.
        teams: dict[int, list[LearningTeam | None]] = {library.pk: [None] for library in libraries}
        for team in LearningTeam.objects.prefetch_related("libraries"):
            for library in team.libraries.all():
                teams.setdefault(library.pk, [None]).append(team)
        random_ = random.Random(options["seed"])
        start = Resource.objects.count()
        tags = self._tags()
        now = datetime.now(tz=UTC)
        made = 0
        progress = progress_bar(self.stdout, total)
        by_slug = {area.slug: area for area in areas}
        subject_areas = [by_slug.get(slug) for slug in SUBJECT_AREAS]
        rows = (self._build(start + n, random_, libraries, teams, areas, subject_areas, now) for n in range(total))
        while batch := list(islice(rows, BATCH)):
            created = self._insert(batch, tags)
            made += len(created)
            progress(made)
        self.stdout.write("")
        if not connection.in_atomic_block:
            # The triggers rewrite each new row when its areas and tags arrive, so a fresh bulk load leaves the table
            # about three times its settled size; compact it and gather statistics, as a catalogue that grew over
            # months and was vacuumed along the way would be.
            with connection.cursor() as cursor:
                # The ranks per lexeme (migration 0026) are rewritten with each rewrite of their resource.
                for table in ["resources_resource", "resources_resourceterm"]:
                    cursor.execute(f"VACUUM (FULL, ANALYZE) {table}")
                for table in ["resources_resource_areas", "taggit_taggeditem"]:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
        self.stdout.write(self.style.SUCCESS(f"Created {made} resources; the catalogue now has {start + made}."))

    def _insert(
        self, batch: list[tuple[Resource, list[str], list[KnowledgeArea]]], tags: dict[str, Tag]
    ) -> list[Resource]:
        """One batch of resources with their areas and tags, in one transaction."""
        content_type_id = ContentType.objects.get_for_model(Resource).pk
        with transaction.atomic():
            created = Resource.objects.bulk_create([resource for resource, _names, _areas in batch])
            Resource.areas.through.objects.bulk_create(
                [
                    Resource.areas.through(resource_id=resource.pk, knowledgearea_id=area.pk)
                    for resource, (_resource, _names, areas) in zip(created, batch, strict=True)
                    for area in areas
                ]
            )
            TaggedItem.objects.bulk_create(
                [
                    TaggedItem(tag_id=tags[name].pk, object_id=resource.pk, content_type_id=content_type_id)
                    for resource, (_resource, names, _areas) in zip(created, batch, strict=True)
                    for name in names
                ]
            )
        return created

    def _build(
        self,
        n: int,
        random_: random.Random,
        libraries: list[Library],
        teams: dict[int, list[Any]],
        areas: list[KnowledgeArea],
        subject_areas: list[KnowledgeArea | None],
        now: datetime,
    ) -> tuple[Resource, list[str], list[KnowledgeArea]]:
        library = random_.choice(libraries)
        language = random_.choice(list(SUBJECTS))
        subject_index = random_.randrange(len(SUBJECTS[language]))
        subject = SUBJECTS[language][subject_index]
        chosen = [subject_areas[subject_index] or random_.choice(areas)]
        if random_.random() < SECOND_AREA_SHARE:
            chosen.append(random_.choice([area for area in areas if area != chosen[0]] or chosen))
        title = random_.choice(PATTERNS[language]).format(s=subject, S=subject[:1].upper() + subject[1:])
        summary = random_.choice(SUMMARIES[language]).format(s=subject)
        see_also = random_.choice([other for other in SUBJECTS[language] if other != subject])
        resource = Resource(
            title=title,
            slug=f"{slug_of(title)[:200]}-{n}",
            summary=summary,
            description=f"{summary} {SEE_ALSO[language]}: {see_also}.",
            url=f"https://resources.example/{n}",
            kind=random_.choice(Kind.values),
            language=language,
            audiences=random_.sample(Audience.values, k=random_.randint(1, 2)),
            license=random_.choice(["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CC-BY-NC-4.0"]),
            creator=CREATOR,
            library=library,
            team=random_.choice(teams[library.pk]),
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )
        tag_names = list(dict.fromkeys([*subject_tags(subject), random_.choice(GENERAL_TAGS[language])]))
        return resource, tag_names, list(dict.fromkeys(chosen))

    def _tags(self) -> dict[str, Tag]:
        names = [name for subjects in SUBJECTS.values() for subject in subjects for name in subject_tags(subject)]
        names += [name for general in GENERAL_TAGS.values() for name in general]
        return {
            name: Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name, allow_unicode=True)})[0]
            for name in dict.fromkeys(names)
        }

    def _remove_generated(self) -> int:
        """Delete earlier generated resources with their tags and area links, in three statements.

        Resources go first, so that the triggers refreshing a resource's search data on tag and area changes
        find nothing left to refresh.
        """
        content_type_id = ContentType.objects.get_for_model(Resource).pk
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM resources_resource WHERE creator = %s RETURNING id", [CREATOR])
            ids = [pk for (pk,) in cursor.fetchall()]
            cursor.execute("DELETE FROM resources_resource_areas WHERE resource_id = ANY(%s)", [ids])
            cursor.execute(
                "DELETE FROM taggit_taggeditem WHERE content_type_id = %s AND object_id = ANY(%s)",
                [content_type_id, ids],
            )
        return len(ids)


def subject_tags(subject: str) -> list[str]:
    """A subject's words of four letters or more, as tags: "bedrägerier på nätet" -> bedrägerier, nätet."""
    return [word for word in subject.lower().split() if len(word) > 3]
