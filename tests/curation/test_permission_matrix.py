"""Every URL × every role, generated from the URL configuration and the admin registry.

Each URL the project serves must have an expected answer here for each role; a new view, a new admin
or a new admin page without a rule fails ``test_every_url_has_a_rule``. The objects in the URLs belong
to library A and its team, so "curator of library B" shows what another library's staff get.

Answers: O 200, F 403, N 404, M 405, L redirect to the sign-in page, G redirect to the admin's front page
(the admin's "no such object": another library's object is never revealed).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob
from taggit.models import Tag

from portal.accounts.models import Account, Follow
from portal.accounts.tokens import unfollow_token
from resources.models import (
    BrokenLink,
    HarvestSource,
    ProblemKind,
    ProblemReport,
    SchoolOffer,
    Status,
    Subject,
    TermGroup,
)
from resources.offers.emails import booking_email
from teams.models import Visibility
from tests.factories import (
    ActivityFactory,
    AssessmentFactory,
    BookingRequestFactory,
    DimensionFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    ParticipationFactory,
    ReflectionFactory,
    ResourceFactory,
    SchoolOfferFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "patron", "curator_a", "curator_b", "lead_a", "coordinator"]


def url_names() -> set[str]:
    def walk(patterns: list[Any], namespace: str = "") -> set[str]:
        names = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                names |= walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)
        return names

    return walk(get_resolver().url_patterns)


# Per model admin: the object in its URLs, and the answers for its pages, role by role (ROLES' order).
# "Scoped" models belong to a library or team; the others are shared (areas, tags, subjects, groups).
def _offer(ctx: dict[str, Any]) -> Any:
    return SchoolOffer.objects.create(
        title="Källkritik för åk 8", slug="kallkritik-ak-8", summary="En workshop.", year_from=8, year_to=8,
        duration_minutes=90, max_pupils=30, price=0, language="sv", contact_name="Anna",
        contact_email="anna@bibliotek.example", season_start=datetime.date(2026, 1, 10),
        season_end=datetime.date(2026, 6, 10), library=ctx["library_a"], team=ctx["team_a"],
    )  # fmt: skip


MODEL_OBJECTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "auth.group": lambda ctx: Group.objects.get(name="Curators"),
    "taggit.tag": lambda ctx: Tag.objects.create(name="källkritik"),
    "teams.library": lambda ctx: ctx["library_a"],
    "teams.learningteam": lambda ctx: ctx["team_a"],
    "teams.user": lambda ctx: ctx["curator_a"],
    "resources.knowledgearea": lambda ctx: KnowledgeAreaFactory(),
    "resources.termgroup": lambda ctx: TermGroup.objects.create(concept="delarum matrix test"),
    "resources.resource": lambda ctx: ctx["resource"],
    "resources.brokenlink": lambda ctx: BrokenLink.objects.get(pk=ctx["resource"].pk),
    "resources.harvestsource": lambda ctx: HarvestSource.objects.create(
        url="https://oer.example.org/oai", library=ctx["library_a"], team=ctx["team_a"]
    ),
    "resources.problemreport": lambda ctx: ProblemReport.objects.create(
        resource=ctx["resource"], kind=ProblemKind.BROKEN_LINK, message="Sidan finns inte."
    ),
    "resources.subject": lambda ctx: Subject.objects.create(name="Svenska", slug="svenska"),
    "resources.schooloffer": _offer,
    "resources.bookingrequest": lambda ctx: BookingRequestFactory(
        offer=SchoolOfferFactory(library=ctx["library_a"], team=ctx["team_a"])
    ),
    "teams.activity": lambda ctx: ctx["activity"],
    "teams.reflection": lambda ctx: ctx["reflection"],
    "teams.experience": lambda ctx: ctx["experience"],
    "teams.questionnaire": lambda ctx: ctx["assessment"].questionnaire,
    "teams.dimension": lambda ctx: DimensionFactory(questionnaire=ctx["assessment"].questionnaire),
    "teams.assessment": lambda ctx: ctx["assessment"],
    "procrastinate.procrastinatejob": lambda ctx: ProcrastinateJob.objects.get(
        pk=booking_email.defer(booking_id=1, event="received", recipient="teacher", base_url="http://testserver")
    ),
    "accounts.account": lambda ctx: Account.objects.create(user=ctx["patron"]),
    "accounts.follow": lambda ctx: Follow.objects.create(user=ctx["patron"], kind="search", query="q=klimat"),
    "axes.accessattempt": lambda ctx: AccessAttempt.objects.create(
        username="karin", ip_address="203.0.113.5", user_agent="", failures_since_start=5
    ),
}

#                      anonymous, patron, curator A, curator B, lead A, coordinator
SHARED_READ_ONLY = {  # everyone on the staff views; coordinators change
    "changelist": "LLOOOO", "add": "LLFFFO", "change": "LLOOOO", "delete": "LLFFFO", "history": "LLOOOO",
}  # fmt: skip
COORDINATORS_ONLY = {
    "changelist": "LLFFFO", "add": "LLFFFO", "change": "LLFFFO", "delete": "LLFFFO", "history": "LLFFFO",
}  # fmt: skip
EXPECTED_ADMIN: dict[str, dict[str, str]] = {
    "auth.group": dict.fromkeys(COORDINATORS_ONLY, "LLFFFF"),  # superusers only
    "taggit.tag": SHARED_READ_ONLY,
    "resources.knowledgearea": SHARED_READ_ONLY,
    "resources.termgroup": {**COORDINATORS_ONLY},
    "resources.subject": SHARED_READ_ONLY,
    "teams.library": {
        "changelist": "LLOOOO", "add": "LLFFFO", "change": "LLOGOO", "delete": "LLFFFO", "history": "LLOGOO",
    },
    "teams.learningteam": {
        "changelist": "LLOOOO", "add": "LLFFFO", "change": "LLOGOO", "delete": "LLFFFO", "history": "LLOGOO",
    },
    "teams.user": {
        "changelist": "LLOOOO", "add": "LLFFFO", "change": "LLOGOO", "delete": "LLFFFO", "history": "LLOGOO",
    },
    "resources.resource": {
        "changelist": "LLOOOO", "add": "LLOOOO", "change": "LLOGOO", "delete": "LLFFOO", "history": "LLOGOO",
        "simple_history": "LLOGOO",
    },
    "resources.schooloffer": {
        "changelist": "LLOOOO", "add": "LLOOOO", "change": "LLOGOO", "delete": "LLFFFO", "history": "LLOGOO",
        "simple_history": "LLOGOO",
    },
    "resources.bookingrequest": {  # teachers send them from the offer page; the library's staff answer them
        "changelist": "LLOOOO", "add": "LLFFFF", "change": "LLOGOO", "delete": "LLFFFO", "history": "LLOGOO",
    },
    "resources.brokenlink": {
        "changelist": "LLOOOO", "add": "LLFFFF", "change": "LLOGOO", "delete": "LLFFFF", "history": "LLOGOO",
    },
    "resources.harvestsource": {  # the library's OAI-PMH repositories; leads delete them
        "changelist": "LLOOOO", "add": "LLOOOO", "change": "LLOGOO", "delete": "LLFFOO", "history": "LLOGOO",
    },
    "resources.problemreport": {
        "changelist": "LLOOOO", "add": "LLFFFF", "change": "LLOGOO", "delete": "LLFFFO", "history": "LLOGOO",
    },
    # Staff sharing: a team's activities and self-assessments, a library's exchange-bank entries.
    "teams.activity": {
        "changelist": "LLOOOO", "add": "LLOOOO", "change": "LLOGOO", "delete": "LLFFOO", "history": "LLOGOO",
    },
    "teams.experience": {
        "changelist": "LLOOOO", "add": "LLOOOO", "change": "LLOGOO", "delete": "LLFFOO", "history": "LLOGOO",
    },
    "teams.assessment": {  # filled in on the staff pages, never added in the admin
        "changelist": "LLOOOO", "add": "LLFFFF", "change": "LLOGOO", "delete": "LLFFOO", "history": "LLOGOO",
    },
    "teams.reflection": {**COORDINATORS_ONLY, "history": "LLFGFO"},  # authors write theirs on the staff pages
    "teams.questionnaire": COORDINATORS_ONLY,
    "teams.dimension": COORDINATORS_ONLY,
    "procrastinate.procrastinatejob": {  # the task queue's jobs: coordinators look, nobody edits
        "changelist": "LLFFFO", "add": "LLFFFF", "change": "LLFFFO", "delete": "LLFFFF", "history": "LLFFFO",
    },
    "axes.accessattempt": {**COORDINATORS_ONLY, "add": "LLFFFF"},  # failed sign-ins are recorded, not added
    # Patrons' accounts and follows: made by their owners, seen and deleted by coordinators.
    "accounts.account": {**COORDINATORS_ONLY, "add": "LLFFFF"},
    "accounts.follow": {**COORDINATORS_ONLY, "add": "LLFFFF"},
    # Usage statistics: one page, each person's own figures (tests/resources/test_usage.py checks the content).
    "resources.resourceusage": {"changelist": "LLOOOO"},
}  # fmt: skip
# Models whose admin pages are covered elsewhere, with the changelist answers only.
CHANGELIST_ONLY: dict[str, str] = {}

# Site-wide pages, by URL name: (arguments, answers).
EXPECTED_OTHER: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], str]] = {
    "admin:index": (lambda ctx: {}, "LLOOOO"),
    "admin:login": (lambda ctx: {}, "OOGGGG"),
    "admin:logout": (lambda ctx: {}, "GGMMMM"),  # signing out is a POST
    "admin:password_change": (lambda ctx: {}, "LLOOOO"),
    "admin:password_change_done": (lambda ctx: {}, "LLOOOO"),
    "admin:autocomplete": (lambda ctx: {}, "LLFFFF"),  # without a field to complete: refused
    "admin:jsi18n": (lambda ctx: {}, "LLOOOO"),
    "admin:app_list": (lambda ctx: {"app_label": "resources"}, "LLOOOO"),
    "admin:auth_user_password_change": (lambda ctx: {"id": ctx["curator_a"].pk}, "LLFFFO"),
    "admin:view_on_site": (
        lambda ctx: {
            "content_type_id": ContentType.objects.get_for_model(ctx["resource"]).pk,
            "object_id": ctx["published"].pk,
        },
        "LLRRRR",
    ),
    "health": (lambda ctx: {}, "OOOOOO"),
    "media": (lambda ctx: {"path": "resources/2026/no-such-file.pdf"}, "NNNNNN"),
    "home": (lambda ctx: {}, "OOOOOO"),
    "resources:list": (lambda ctx: {}, "OOOOOO"),
    "resources:detail": (lambda ctx: {"slug": ctx["published"].slug}, "OOOOOO"),
    "resources:report": (lambda ctx: {"slug": ctx["published"].slug}, "OOOOOO"),
    "resources:go": (lambda ctx: {"slug": ctx["published"].slug}, "RRRRRR"),  # to the resource's own address
    "resources:areas": (lambda ctx: {}, "OOOOOO"),
    "resources:area": (lambda ctx: {"slug": "no-such-area"}, "NNNNNN"),
    "resources:tag": (lambda ctx: {"slug": "no-such-tag"}, "NNNNNN"),
    "teams:list": (lambda ctx: {}, "OOOOOO"),
    "teams:detail": (lambda ctx: {"slug": ctx["team_a"].slug}, "OOOOOO"),
    "teams:library": (lambda ctx: {"slug": ctx["library_a"].slug}, "OOOOOO"),
    "offers:list": (lambda ctx: {}, "OOOOOO"),
    "offers:detail": (lambda ctx: {"slug": "no-such-offer"}, "NNNNNN"),
    "offers:request": (lambda ctx: {"slug": "no-such-offer"}, "MMMMMM"),  # a form's POST only
    "offers:session-ics": (lambda ctx: {"slug": "no-such-offer", "pk": 1}, "NNNNNN"),
    "offers:booking": (lambda ctx: {"token": "not-a-token"}, "NNNNNN"),
    "offers:booking-ics": (lambda ctx: {"token": "not-a-token"}, "NNNNNN"),
    "offers:cancel": (lambda ctx: {"token": "not-a-token"}, "NNNNNN"),
    # For other sites: the embedded offer list, one offer, and oEmbed (which names no page here).
    "embed-offers": (lambda ctx: {}, "OOOOOO"),
    "embed-offer": (lambda ctx: {"slug": "no-such-offer"}, "NNNNNN"),
    "oembed": (lambda ctx: {}, "NNNNNN"),
    # Feeds, the sitemap, robots.txt and library pages: the same for everyone (tests/outputs/ checks their content).
    **{
        f"{name}-{format}": (kwargs, "OOOOOO")
        for format in ["atom", "rss"]
        for name, kwargs in [
            ("resources:feed", lambda ctx: {}),
            ("resources:area-feed", lambda ctx: {"slug": KnowledgeAreaFactory().slug}),
            ("resources:team-feed", lambda ctx: {"slug": ctx["team_a"].slug}),
            ("resources:library-feed", lambda ctx: {"slug": ctx["library_a"].slug}),
            ("offers:feed", lambda ctx: {}),
        ]
    },
    # The JSON API (tests/api/ checks its content): public data only, the same for everyone; a draft is 404 to all.
    "api:api-root": (lambda ctx: {}, "NNNNNN"),
    "api:openapi-json": (lambda ctx: {}, "OOOOOO"),
    "api:openapi-view": (lambda ctx: {}, "OOOOOO"),
    **{
        f"api:list_{name}": (lambda ctx: {}, "OOOOOO")
        for name in ["resources", "areas", "teams", "libraries", "offers", "subjects", "school_years"]
    },
    "api:get_resource": (lambda ctx: {"slug": ctx["resource"].slug}, "NNNNNN"),
    "api:get_offer": (lambda ctx: {"slug": "no-such-offer"}, "NNNNNN"),
    "robots": (lambda ctx: {}, "OOOOOO"),
    "sitemap": (lambda ctx: {}, "OOOOOO"),
    "sitemap-section": (lambda ctx: {"section": "resources"}, "OOOOOO"),
    "oai": (lambda ctx: {}, "OOOOOO"),  # OAI-PMH (a badVerb reply here); tests/outputs/test_oai.py checks the rest
    # Staff sign-in (django.contrib.auth) and the staff pages: staff only; patrons are refused.
    "login": (lambda ctx: {}, "OOOOOO"),
    "logout": (lambda ctx: {}, "MMMMMM"),  # signing out is a POST
    "password_change": (lambda ctx: {}, "LOOOOO"),
    "password_change_done": (lambda ctx: {}, "LOOOOO"),
    "password_reset": (lambda ctx: {}, "OOOOOO"),
    "password_reset_done": (lambda ctx: {}, "OOOOOO"),
    "password_reset_confirm": (lambda ctx: {"uidb64": "MQ", "token": "not-a-token"}, "OOOOOO"),
    "password_reset_complete": (lambda ctx: {}, "OOOOOO"),
    # Accounts and follows (portal/accounts): signed in, the sign-in and sign-up pages lead to the account page.
    "accounts:sign-up": (lambda ctx: {}, "ORRRRR"),
    "accounts:sign-up-done": (lambda ctx: {}, "OOOOOO"),
    "accounts:verify": (lambda ctx: {"uidb64": "MQ", "token": "not-a-token"}, "OOOOOO"),
    "accounts:sign-in": (lambda ctx: {}, "ORRRRR"),
    "accounts:sign-out": (lambda ctx: {}, "MMMMMM"),  # a POST
    "accounts:password-reset": (lambda ctx: {}, "OOOOOO"),
    "accounts:account": (lambda ctx: {}, "LOOOOO"),
    "accounts:delete": (lambda ctx: {}, "LOOOOO"),  # staff are told a coordinator closes their account
    "accounts:deleted": (lambda ctx: {}, "OOOOOO"),
    "accounts:follow": (lambda ctx: {}, "MMMMMM"),  # a POST
    "accounts:unfollow": (lambda ctx: {"token": unfollow_token(user_id=ctx["patron"].pk, follow_id=None)}, "OOOOOO"),
    "staff:home": (lambda ctx: {}, "LFOOOO"),
    "staff:embed": (lambda ctx: {}, "LFOOOO"),
    "staff:activities": (lambda ctx: {}, "LFOOOO"),
    "staff:activity-create": (lambda ctx: {}, "LFOOOO"),
    "staff:activity": (lambda ctx: {"pk": ctx["activity"].pk}, "LFOOOO"),
    "staff:activity-ics": (lambda ctx: {"pk": ctx["activity"].pk}, "LFOOOO"),
    "staff:activity-sign-up": (lambda ctx: {"pk": ctx["activity"].pk}, "MMMMMM"),
    "staff:reflection-write": (lambda ctx: {"pk": ctx["activity"].pk}, "MMMMMM"),
    "staff:reflection": (lambda ctx: {"pk": ctx["reflection"].pk}, "LFONOO"),  # team only: B's curator is not
    "staff:team-calendar": (lambda ctx: {"slug": ctx["team_a"].slug}, "LFOOOO"),
    "staff:exchange": (lambda ctx: {}, "LFOOOO"),
    "staff:experience-create": (lambda ctx: {}, "LFOOOO"),
    "staff:experience": (lambda ctx: {"slug": ctx["experience"].slug}, "LFOOOO"),
    "staff:experience-edit": (lambda ctx: {"slug": ctx["experience"].slug}, "LFOFOO"),  # library A's entry
    "staff:experience-tried": (lambda ctx: {"slug": ctx["experience"].slug}, "MMMMMM"),
    "staff:assessments": (lambda ctx: {}, "LFOOOO"),
    "staff:questionnaire": (lambda ctx: {"slug": ctx["assessment"].questionnaire.slug}, "LFOOOO"),
    "staff:assessment": (lambda ctx: {"pk": ctx["assessment"].pk}, "LFONOO"),  # team A's round
    "staff:assessment-chart": (lambda ctx: {"pk": ctx["assessment"].pk}, "LFONOO"),  # the same round's chart file
    # Public pages of what staff made public: the ones in ctx are not public.
    "sharing:experience": (lambda ctx: {"slug": ctx["experience"].slug}, "NNNNNN"),
    "sharing:reflection": (lambda ctx: {"pk": ctx["reflection"].pk}, "NNNNNN"),
}
# The admin's pages for one model, by the URL name's suffix.
ADMIN_PAGES = ["changelist", "add", "change", "delete", "history", "simple_history"]
# Admin pages beyond the standard ones, by URL name: (arguments, answers).
EXPECTED_ADMIN_EXTRA: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], str]] = {
    "admin:taggit_tag_merge_tags": (lambda ctx: {}, "LLFFFO"),  # merging changes every library's tags
    "admin:resources_resource_import": (lambda ctx: {}, "LLOOOO"),
    "admin:resources_resourceusage_csv": (lambda ctx: {}, "LLOOOO"),  # without ?table=: the resources
}


def admin_url_names() -> dict[str, tuple[str, str]]:
    """URL name -> (model label, page) for every registered model admin's standard pages."""
    names = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        for page in ADMIN_PAGES:
            names[f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"] = (label, page)
    return names


def test_every_url_has_a_rule():
    covered = set(EXPECTED_OTHER) | set(EXPECTED_ADMIN_EXTRA) | set(admin_url_names())
    missing = sorted(url_names() - covered)
    assert missing == [], f"Add the expected answers for these URLs to {__name__}: {missing}"
    models = {model._meta.label_lower for model in admin.site._registry}
    assert sorted(models - set(EXPECTED_ADMIN) - set(CHANGELIST_ONLY)) == []


@pytest.fixture
def ctx(library_a, team_a, curator_a, curator_b, lead_a, coordinator, patron):
    resource = ResourceFactory(library=library_a, team=team_a, status=Status.DRAFT, published_at=None, link_failures=3)
    published = ResourceFactory(library=library_a, team=team_a, link_checked_at=timezone.now())
    activity = ActivityFactory(team=team_a, past=True)
    ParticipationFactory(activity=activity, user=curator_a)
    reflection = ReflectionFactory(activity=activity, author=curator_a, visibility=Visibility.TEAM)
    experience = ExperienceFactory(library=library_a, author=curator_a)
    assessment = AssessmentFactory(team=team_a)
    sharing = {"activity": activity, "reflection": reflection, "experience": experience, "assessment": assessment}
    users = {"curator_a": curator_a, "curator_b": curator_b, "lead_a": lead_a, "coordinator": coordinator}
    return {
        "library_a": library_a, "team_a": team_a, "resource": resource, "published": published,
        "patron": patron, **users, **sharing,
    }  # fmt: skip


def answer(response: Any) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith((reverse("admin:login"), reverse("login"), reverse("accounts:sign-in"))):
            return "L"
        return "G" if location == reverse("admin:index") else "R"
    return {200: "O", 403: "F", 404: "N", 405: "M"}.get(response.status_code, str(response.status_code))


def requests_for(ctx: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(URL name, address, expected answers) for every URL of the project."""
    found = []
    objects: dict[str, Any] = {}
    for name, (label, page) in sorted(admin_url_names().items()):
        if label in CHANGELIST_ONLY:
            if page == "changelist":
                found.append((name, reverse(name), CHANGELIST_ONLY[label]))
            continue
        expected = EXPECTED_ADMIN[label].get(page)
        if expected is None:
            continue  # this admin has no such page (no history kept)
        if page in ("changelist", "add"):
            found.append((name, reverse(name), expected))
            continue
        if label not in objects:
            objects[label] = MODEL_OBJECTS[label](ctx)
        obj = objects[label]
        args = [obj.pk]
        if page == "simple_history":
            args.append(type(obj).history.filter(id=obj.pk).first().history_id)
        found.append((name, reverse(name, args=args), expected))
    for name, (kwargs, expected) in {**EXPECTED_OTHER, **EXPECTED_ADMIN_EXTRA}.items():
        found.append((name, reverse(name, kwargs=kwargs(ctx)), expected))
    return found


def test_every_url_answers_every_role_as_expected(client, ctx):
    wrong = []
    table: dict[str, list[str]] = {}
    plan = requests_for(ctx)
    for role_index, role in enumerate(ROLES):
        client.logout()
        if role != "anonymous":
            client.force_login(ctx[role])
        for name, address, expected in plan:
            got = answer(client.get(address))
            table.setdefault(name, [""] * len(ROLES))[role_index] = got
            if got != expected[role_index]:
                wrong.append(f"{name} as {role}: expected {expected[role_index]}, got {got}")
    if os.environ.get("PRINT_PERMISSION_MATRIX"):
        for name, answers in sorted(table.items()):
            print(f"{name:55} {''.join(answers)}")
    assert wrong == []
