"""Fill the database with demo libraries, learning teams, staff and resources, for development."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import Count
from django.db.models.functions import Lower
from taggit.models import Tag

from portal.demo_pictures import give_demo_pictures
from portal.seeding import DEMO_DIR, load, pick, sync
from portal.staff.demo import sync_sharing
from resources.imports import claim_slug
from resources.models import (
    ACTIVE_STATUSES,
    BookingRequest,
    BookingStatus,
    KnowledgeArea,
    OfferSession,
    Resource,
    SchoolOffer,
    Status,
    Subject,
)
from resources.models.catalogue import ACCESSIBILITY_FIELDS
from teams.access import COORDINATORS_GROUP, CURATORS_GROUP, TEAM_LEADS_GROUP
from teams.models import LearningTeam, Library, Membership, Role, User
from teams.roles import ensure_role_groups

DEMO_PASSWORD = "delarum-demo"

# Publication dates count back from a fixed day, spread over about 18 months, so that "newest first" means
# something and a rerun gives every resource the same date again.
PUBLISHED_BEFORE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PUBLISHING_SPAN_DAYS = 540
DAYS_STEP = 37  # coprime with the span: consecutive resources land far apart, and no two on the same day

ROLE_GROUPS = {"coordinator": COORDINATORS_GROUP, "team lead": TEAM_LEADS_GROUP, "curator": CURATORS_GROUP}
UNPUBLISHED = {Status.DRAFT, Status.IN_REVIEW}

# School offers: sessions are local times in the library's country; requests were sent on a fixed day.
TIME_ZONES = {"SE": ZoneInfo("Europe/Stockholm"), "DK": ZoneInfo("Europe/Copenhagen"), "NO": ZoneInfo("Europe/Oslo")}
REQUESTS_SENT_AT = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
# Form tokens of demo requests are derived from their references, so a rerun finds the same values.
DEMO_TOKENS = uuid.UUID("6f1c1f8e-2b1a-4c55-9d0e-2f5d3c1a7b90")


def read_resources() -> list[dict[str, Any]]:
    """Every resource in portal/demo/resources_<language>.json, with its language, library and team filled in."""
    items: list[dict[str, Any]] = []
    for path in sorted(DEMO_DIR.glob("resources_*.json")):
        data = load(path.name)
        for group in data["groups"]:
            shared = {"language": data["language"], "library": group["library"], "team": group["team"]}
            items.extend({**shared, **item} for item in group["resources"])
    # Accessibility metadata for some of them (portal/demo/accessibility.json), by title.
    accessibility = load("accessibility.json")
    if unknown := set(accessibility) - {item["title"] for item in items}:
        raise CommandError(f"accessibility.json names resources the demo does not have: {sorted(unknown)}")
    for item in items:
        described = accessibility.get(item["title"], {})
        item["accessibility_features"] = described.get("features", [])
        item["accessibility_hazards"] = described.get("hazards", [])
        item["access_modes"] = described.get("modes", [])
    return items


def find_or_create_tags(names: set[str]) -> dict[str, Tag]:
    """The tags by name, each looked up once rather than once per resource; case-insensitive, like taggit here."""
    wanted = {name.lower() for name in names}
    tags = {tag.name.lower(): tag for tag in Tag.objects.annotate(lowered=Lower("name")).filter(lowered__in=wanted)}
    for name in sorted(names):
        if name.lower() not in tags:
            tags[name.lower()] = Tag.objects.create(name=name)
    return {name: tags[name.lower()] for name in names}


class Command(BaseCommand):
    help = (
        "Creates demo data for development: libraries in Sweden, Denmark and Norway, knowledge areas, four "
        "learning teams with members, staff accounts (admin, coordinator, teamlead, curator, kurator and a few "
        f"more, all with the password {DEMO_PASSWORD!r}) and about 160 resources in Scandinavian languages, "
        "English, Arabic, Persian and Ukrainian, a few of them unpublished; school subjects and 45 school offers "
        "(42 published) in Sweden, Denmark and Norway with sessions and a few booking requests. The data lives in "
        "portal/demo/. "
        "Idempotent: rows are found by slug or username and brought back to the demo values, so running it again "
        "changes nothing and duplicates nothing. For development databases only: it refuses to run unless DEBUG "
        "is on, or --force says this database is not production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run although DEBUG is off (tests, benchmarks). Never in production."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DEBUG=1 "
                "(or --force, for a database that is not production)."
            )
        self._password_checks: dict[str, bool] = {}
        self._demo_password_hash = ""
        with transaction.atomic():
            groups = ensure_role_groups()
            libraries = self.sync_libraries(load("libraries.json"))
            teams, team_libraries = self.sync_teams(load("teams.json"), libraries)
            areas = self.sync_areas(load("areas.json"), teams)
            staff = self.sync_staff(load("staff.json"), libraries, teams, team_libraries, groups)
            resources = self.sync_resources(libraries, teams, team_libraries, areas)
            offers_data = load("offers.json")
            subjects = self.sync_subjects(offers_data["subjects"])
            offers = self.sync_offers(offers_data["offers"], libraries, teams, team_libraries, areas, subjects)
            requests = self.sync_requests(offers_data["requests"], offers)
            sharing = sync_sharing(libraries=libraries, teams=teams, staff=staff)
            pictures = give_demo_pictures(resources=resources, libraries=libraries.values())

        published = sum(resource.status == Status.PUBLISHED for resource in resources)
        sessions = OfferSession.objects.filter(offer__in=offers.values()).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(libraries)} libraries, {len(areas)} knowledge areas, "
                f"{len(teams)} learning teams, {len(staff)} staff, "
                f"{len(resources)} resources ({published} published), {len(subjects)} subjects, "
                f"{len(offers)} school offers with {sessions} sessions, {len(requests)} booking requests, "
                f"{sharing['activities']} staff activities, {sharing['reflections']} reflections, "
                f"{sharing['experiences']} exchange-bank entries, {sharing['answers']} self-assessment answers, "
                f"{pictures} new pictures."
            )
        )
        self.stdout.write(
            f"Sign in as admin, coordinator, teamlead, curator or kurator with the password {DEMO_PASSWORD!r}."
        )

    def sync_libraries(self, rows: list[dict[str, str]]) -> dict[str, Library]:
        libraries = {}
        for row in rows:
            values = {name: value for name, value in row.items() if name != "slug"}
            libraries[row["slug"]] = sync(Library, {"slug": row["slug"]}, values)
        return libraries

    def sync_teams(
        self, rows: list[dict[str, Any]], libraries: dict[str, Library]
    ) -> tuple[dict[str, LearningTeam], dict[str, set[int]]]:
        teams, team_libraries = {}, {}
        for row in rows:
            team = sync(LearningTeam, {"slug": row["slug"]}, {"name": row["name"], "description": row["description"]})
            member_libraries = [pick(libraries, slug, "library") for slug in row["libraries"]]
            team.libraries.set(member_libraries)
            teams[team.slug] = team
            team_libraries[team.slug] = {library.pk for library in member_libraries}
        return teams, team_libraries

    def sync_areas(self, rows: list[dict[str, Any]], teams: dict[str, LearningTeam]) -> dict[str, KnowledgeArea]:
        areas: dict[str, KnowledgeArea] = {}
        for row in rows:  # parents come before their sub-areas
            parent = pick(areas, row["parent"], "parent area") if "parent" in row else None
            values = {name: row[name] for name in ("name", "name_da", "name_nb", "name_en", "description")}
            area = sync(KnowledgeArea, {"slug": row["slug"]}, {**values, "parent_id": parent.pk if parent else None})
            area.teams.set([pick(teams, slug, "learning team") for slug in row["teams"]])
            areas[area.slug] = area
        return areas

    def sync_staff(
        self,
        rows: list[dict[str, Any]],
        libraries: dict[str, Library],
        teams: dict[str, LearningTeam],
        team_libraries: dict[str, set[int]],
        groups: dict[str, Group],
    ) -> list[User]:
        staff = []
        for row in rows:
            library = pick(libraries, row["library"], "library") if "library" in row else None
            values = {
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "email": row["email"],
                "is_active": True,
                "is_staff": True,
                "is_superuser": row.get("superuser", False),
                "library_id": library.pk if library else None,
            }
            user = sync(User, {"username": row["username"]}, values)
            self.give_demo_password(user)
            user.groups.set([groups[ROLE_GROUPS[row["role"]]]] if "role" in row else [])
            for team_slug, role in row.get("memberships", {}).items():
                team = pick(teams, team_slug, "learning team")
                if user.library_id not in team_libraries[team_slug]:
                    raise CommandError(f"{user.username} joins {team_slug}, which does not include their library.")
                sync(Membership, {"team": team, "user": user}, {"role": Role(role)})
            if not user.is_superuser:
                staff.append(user)
        return staff

    def give_demo_password(self, user: User) -> None:
        # Password hashing is slow on purpose, so one hash serves every demo account and each stored hash is
        # checked once per run: a rerun costs one check, not one per user.
        if user.password not in self._password_checks:
            self._password_checks[user.password] = check_password(DEMO_PASSWORD, user.password)
        if not self._password_checks[user.password]:
            if not self._demo_password_hash:
                self._demo_password_hash = make_password(DEMO_PASSWORD)
                self._password_checks[self._demo_password_hash] = True
            user.password = self._demo_password_hash
            user.save(update_fields=["password"])

    def sync_resources(
        self,
        libraries: dict[str, Library],
        teams: dict[str, LearningTeam],
        team_libraries: dict[str, set[int]],
        areas: dict[str, KnowledgeArea],
    ) -> list[Resource]:
        items = read_resources()
        tags = find_or_create_tags({tag for item in items for tag in item["tags"]})
        resources: list[Resource] = []
        slugs: set[str] = set()
        for index, item in enumerate(items):
            library = pick(libraries, item["library"], "library")
            team = pick(teams, item["team"], "learning team")
            if library.pk not in team_libraries[team.slug]:
                raise CommandError(f"{item['title']!r}: the team {team.slug} does not include {library.slug}.")
            slug = claim_slug(item.get("slug") or item["title"], slugs, language=item.get("language", ""))
            resource = self.sync_resource(item, slug=slug, library=library, team=team, index=index)
            resource.areas.set([pick(areas, area, "knowledge area") for area in item["areas"]])
            resource.tags.set([tags[name] for name in item["tags"]])
            resources.append(resource)
        return resources

    def sync_resource(
        self, item: dict[str, Any], *, slug: str, library: Library, team: LearningTeam, index: int
    ) -> Resource:
        status = Status(item.get("status", Status.PUBLISHED))
        days_ago = (index * DAYS_STEP) % PUBLISHING_SPAN_DAYS
        values = {
            "title": item["title"],
            "summary": item["summary"],
            "description": item["description"],
            "url": item["url"],
            "kind": item["kind"],
            "language": item["language"],
            "audiences": item["audiences"],
            **{name: item[name] for name in ACCESSIBILITY_FIELDS},
            "license": item["license"],
            "creator": item["creator"],
            "library_id": library.pk,
            "team_id": team.pk,
            "status": status,
            # Archived resources were public once, so they keep a publication date.
            "published_at": None if status in UNPUBLISHED else PUBLISHED_BEFORE - timedelta(days=days_ago),
        }
        try:
            # Field checks only (choices, lengths, web addresses), without the queries full_clean() would add.
            Resource(slug=slug, **values).clean_fields(exclude=["library", "team"])
        except ValidationError as error:
            raise CommandError(f"Demo resource {slug!r}: {error.message_dict}") from error
        return sync(Resource, {"slug": slug}, values)

    def sync_subjects(self, rows: list[dict[str, str]]) -> dict[str, Subject]:
        subjects = {}
        for row in rows:
            values = {name: row[name] for name in ("name", "name_da", "name_nb", "name_en")}
            subjects[row["slug"]] = sync(Subject, {"slug": row["slug"]}, values)
        return subjects

    def sync_offers(
        self,
        rows: list[dict[str, Any]],
        libraries: dict[str, Library],
        teams: dict[str, LearningTeam],
        team_libraries: dict[str, set[int]],
        areas: dict[str, KnowledgeArea],
        subjects: dict[str, Subject],
    ) -> dict[str, SchoolOffer]:
        titles = {title for row in rows for title in row["preparation"]}
        preparation = dict(Resource.objects.published().filter(title__in=titles).values_list("title", "pk"))
        if missing := titles - preparation.keys():
            raise CommandError(f"School offers name preparation material that is not a published resource: {missing}")
        offers: dict[str, SchoolOffer] = {}
        for index, row in enumerate(rows):
            library = pick(libraries, row["library"], "library")
            team = pick(teams, row["team"], "learning team") if "team" in row else None
            if team and library.pk not in team_libraries[team.slug]:
                raise CommandError(f"{row['slug']!r}: the team {team.slug} does not include {library.slug}.")
            offer = self.sync_offer(row, library=library, team=team, index=index)
            offer.areas.set([pick(areas, slug, "knowledge area") for slug in row["areas"]])
            offer.subjects.set([pick(subjects, slug, "subject") for slug in row["subjects"]])
            offer.preparation.set([preparation[title] for title in row["preparation"]])
            zone = TIME_ZONES[library.country]
            for starts, capacity in row.get("sessions", []):
                starts_at = datetime.fromisoformat(starts).replace(tzinfo=zone)
                sync(OfferSession, {"offer": offer, "starts_at": starts_at}, {"capacity": capacity})
            offers[offer.slug] = offer
        return offers

    def sync_offer(
        self, row: dict[str, Any], *, library: Library, team: LearningTeam | None, index: int
    ) -> SchoolOffer:
        status = Status(row.get("status", Status.PUBLISHED))
        season: list[date | None] = [date.fromisoformat(day) for day in row.get("season", [])] or [None, None]
        contact_name, contact_email, contact_phone = row["contact"]
        values = {
            "title": row["title"],
            "summary": row["summary"],
            "description": row["description"],
            "language": row["language"],
            "year_from": row["years"][0],
            "year_to": row["years"][1],
            "format": row["format"],
            "duration_minutes": row["duration"],
            "max_pupils": row["max_pupils"],
            "price": Decimal(row["price"]),
            "accessibility": row["accessibility"],
            "contact_name": contact_name,
            "contact_email": contact_email,
            "contact_phone": contact_phone,
            "booking": row["booking"],
            "season_start": season[0],
            "season_end": season[1],
            "library_id": library.pk,
            "team_id": team.pk if team else None,
            "status": status,
            "published_at": None if status in UNPUBLISHED else PUBLISHED_BEFORE - timedelta(days=index * 3),
        }
        candidate = SchoolOffer(slug=row["slug"], **{**values, "team_id": None})  # the team was checked above
        candidate.library = library
        try:
            # Field checks and the offer's own rules (school years of the country, the season).
            candidate.clean_fields(exclude=["library", "team"])
            candidate.clean()
        except ValidationError as error:
            raise CommandError(f"Demo school offer {row['slug']!r}: {error.message_dict}") from error
        return sync(SchoolOffer, {"slug": row["slug"]}, values)

    def sync_requests(self, rows: list[dict[str, Any]], offers: dict[str, SchoolOffer]) -> list[BookingRequest]:
        """A few requests in every state. Their sessions' booked places are counted from the requests afterwards."""
        requests = []
        for row in rows:
            offer = pick(offers, row["offer"], "school offer")
            session = None
            if "session" in row:
                starts_at = datetime.fromisoformat(row["session"]).replace(tzinfo=TIME_ZONES[offer.library.country])
                session = OfferSession.objects.get(offer=offer, starts_at=starts_at)
            dates = [date.fromisoformat(day) for day in row.get("dates", [])]
            values = {
                "offer_id": offer.pk,
                "session_id": session.pk if session else None,
                "proposed_dates": dates,
                "visit_date": session.date if session else dates[0],
                "teacher_name": row["teacher_name"],
                "school": row["school"],
                "email": row["email"],
                "phone": row["phone"],
                "school_year": row["school_year"],
                "pupils": row["pupils"],
                "message": row["message"],
                "staff_message": row.get("staff_message", ""),
                "language": row["language"],
                "status": BookingStatus(row["status"]),
                "consented_at": REQUESTS_SENT_AT,
                "form_token": uuid.uuid5(DEMO_TOKENS, row["reference"]),
            }
            requests.append(sync(BookingRequest, {"reference": row["reference"]}, values))
        self.recount_places(offers)
        return requests

    def recount_places(self, offers: dict[str, SchoolOffer]) -> None:
        """Each demo session's booked places are its active requests, whatever earlier runs or clicks left."""
        sessions = (
            OfferSession.objects.filter(offer__in=offers.values())
            .annotate(active=Count("booking_requests", filter=models.Q(booking_requests__status__in=ACTIVE_STATUSES)))
            .values_list("pk", "groups_booked", "capacity", "active")
        )
        for pk, booked, capacity, active in sessions:
            if booked != active:
                if active > capacity:
                    raise CommandError(f"The demo requests overbook the session {pk}.")
                OfferSession.objects.filter(pk=pk).update(groups_booked=active)
