"""Every query parameter of every page that reads them, fuzzed with hypothesis: no answer is a server error.

Each page is fuzzed with the parameters it promises (README) and those it offers itself: the fields of its GET
forms and the parameters of its own links (facets, sorting, pages, the admin's filters), read from the page once.
Values are arbitrary Unicode, invalid UTF-8 percent-escapes, huge and negative numbers, odd dates, the page's own
valid values, and names repeated or unknown. A server error raises in the test client, so hypothesis shrinks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources.models import ProblemReport, Status
from teams.access import team_feed_token
from tests.factories import (
    ActivityFactory,
    BookingRequestFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    OfferSessionFactory,
    ParticipationFactory,
    ReflectionFactory,
    ResourceFactory,
    SchoolOfferFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# The admin's change lists are many and slow to render: fewer examples each.
FUZZ_ADMIN = settings(FUZZ, max_examples=15)

# The parameters each page promises (README), by URL name; pages with a slug take the fixture's.
PUBLIC_PAGES: dict[str, list[str]] = {
    "resources:list": [
        "q",
        "area",
        "kind",
        "language",
        "audience",
        "license",
        "tag",
        "feature",
        "free_of",
        "mode",
        "sort",
        "cross",
        "page",
    ],
    "offers:list": [
        "year",
        "subject",
        "area",
        "country",
        "region",
        "municipality",
        "format",
        "from",
        "to",
        "q",
        "sort",
        "page",
    ],
    "resources:area": ["page"],
    "resources:tag": ["page"],
    "resources:report": ["sent"],
    "staff:team-calendar": ["token"],
    "login": ["next"],
}
STAFF_PAGES: dict[str, list[str]] = {
    "staff:exchange": ["q", "kind", "status", "area", "country", "tag", "page"],
    "staff:activities": ["page"],
    "staff:team-calendar": ["token"],
}
# What the admin's change lists read besides their filters: search, ordering, page, "show all", errors, popups.
ADMIN_PARAMETERS = ["q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"]
ADMIN_CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
)
# The change lists a curator works in, whose rows are scoped to their library and teams.
CURATOR_CHANGELISTS = [f"admin:{name}_changelist" for name in [
    "resources_resource", "resources_brokenlink", "resources_problemreport", "resources_schooloffer",
    "resources_bookingrequest", "teams_activity", "teams_experience",
]]  # fmt: skip

SPECIAL_VALUES = [
    "", "%", "%%", "%zz", "%00", "%ff%fe", "%c0%af", "%EF%BF%BD", "%ED%A0%80", "+", "%20", "-", "!!!", "...", "*",
    "%F0%9F%99%82", "1e309", "NaN", "inf", "-0", "0x1f", "00000000000000000000001", "9999-12-31", "0001-01-01",
    "0000-00-00", "2027-02-30", "10000-01-01", "-1", "%27%3B--", "%3Cscript%3E", "..%2F..%2F", "%5C", "a:b:c",
]  # fmt: skip


class PageParameters(HTMLParser):
    """The query parameters a page offers: its GET forms' fields and its own links' parameters, with values."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, set[str]] = {}
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._in_get_form = attributes.get("method", "get").lower() == "get"
        elif tag in ("input", "select", "textarea", "button", "option") and self._in_get_form:
            if name := attributes.get("name"):
                self.found.setdefault(name, set()).add(attributes.get("value", ""))
        elif tag == "a" and (href := attributes.get("href", "")).startswith("?"):
            for name, value in parse_qsl(urlsplit(href).query, keep_blank_values=True):
                self.found.setdefault(name, set()).add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False


def offered_parameters(client: Client, path: str) -> dict[str, set[str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = PageParameters()
    parser.feed(response.content.decode())
    return parser.found


def percent_bytes(raw: bytes) -> str:
    """Bytes as percent-escapes, most of them not UTF-8."""
    return "".join(f"%{byte:02X}" for byte in raw)


def values(known: Iterable[str]) -> st.SearchStrategy[str]:
    """One value of a query string, already encoded as it travels."""
    known = sorted(known)
    return st.one_of(
        *([st.sampled_from(known).map(quote)] if known else []),
        st.text(max_size=250).map(lambda text: quote(text, safe="")),
        st.binary(min_size=1, max_size=12).map(percent_bytes),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.sampled_from(SPECIAL_VALUES),
    )


def query_strings(parameters: dict[str, set[str]]) -> st.SearchStrategy[str]:
    """Query strings of the page's parameters (repeated, in any order), now and then an unknown or bare one."""
    names = sorted(parameters)
    pair = st.one_of(
        st.sampled_from(names).flatmap(lambda name: values(parameters[name]).map(lambda value: f"{name}={value}")),
        st.tuples(values([]), values([])).map("=".join),
        st.sampled_from(names),  # a name without "="
    )
    return st.lists(pair, max_size=10).map("&".join)


def assert_no_server_error(client: Client, path: str, query: str) -> None:
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, f"{path}?{query}"


@pytest.fixture
def catalogue(library_a, team_a, curator_a):
    """Something of everything the pages list, so that filters, facets and pages have values to offer."""
    parent = KnowledgeAreaFactory(slug="digital")
    child = KnowledgeAreaFactory(slug="kallkritik", parent=parent)
    team_a.knowledge_areas.add(parent)
    for number, (kind, language) in enumerate(
        [("course", "sv"), ("video", "da"), ("article", "nb"), ("website", "ar")]
    ):
        ResourceFactory(
            slug=f"resurs-{number}", kind=kind, language=language, library=library_a, team=team_a,
            areas=[child if number % 2 else parent], tags=["källkritik", f"tagg-{number}"], audiences=["children"],
        )  # fmt: skip
    resource = ResourceFactory(slug="granska", library=library_a, areas=[child], tags=["nyheter"])
    ResourceFactory(slug="utkast", status=Status.DRAFT, published_at=None, library=library_a)
    ProblemReport.objects.create(resource=resource, kind="broken_link", message="Länken fungerar inte.")
    offer = SchoolOfferFactory(slug="verkstad", library=library_a, subjects=[SubjectFactory()], areas=[child])
    session = OfferSessionFactory(offer=offer, capacity=3)
    BookingRequestFactory(offer=offer, session=session)
    SchoolOfferFactory(slug="boksamtal", booking="request", season_start=timezone.localdate(),
                       season_end=timezone.localdate() + timedelta(days=90))  # fmt: skip
    activity = ActivityFactory(team=team_a, host_library=library_a)
    ParticipationFactory(activity=activity, user=curator_a)
    ReflectionFactory(activity=ActivityFactory(team=team_a, past=True), author=curator_a)
    ExperienceFactory(library=library_a, author=curator_a, areas=[parent])
    return {
        "area": "digital",
        "tag": "nyheter",
        "resource": "granska",
        "team": team_a.slug,
        "token": team_feed_token(curator_a, team_a),
    }


def page_path(name: str, slugs: dict[str, str]) -> str:
    slug = {
        "resources:area": slugs["area"],
        "resources:tag": slugs["tag"],
        "resources:report": slugs["resource"],
        "staff:team-calendar": slugs["team"],
    }.get(name)
    return reverse(name, kwargs={"slug": slug} if slug else None)


def fuzzed_parameters(client: Client, path: str, promised: list[str], catalogue: dict[str, str]) -> dict[str, set[str]]:
    """The promised parameters and those the page offers, with the values it offers (a calendar feed: a valid
    token)."""
    parameters: dict[str, set[str]] = {name: set() for name in promised}
    if path.endswith(".ics"):
        parameters["token"].add(catalogue["token"])
        return parameters
    for name, found in offered_parameters(client, path).items():
        parameters.setdefault(name, set()).update(found)
    return parameters


def fuzz(client: Client, path: str, parameters: dict[str, set[str]], *, examples: settings = FUZZ) -> None:
    @examples
    @given(query=query_strings(parameters))
    def check(query: str) -> None:
        assert_no_server_error(client, path, query)

    check()


@pytest.mark.parametrize(
    ("person", "name"),
    [(None, name) for name in sorted(PUBLIC_PAGES)] + [("curator_a", name) for name in sorted(STAFF_PAGES)],
)
def test_public_and_staff_pages_answer_any_query_without_a_server_error(client, catalogue, request, person, name):
    if person:
        client.force_login(request.getfixturevalue(person))
    path = page_path(name, catalogue)
    promised = (STAFF_PAGES if person else PUBLIC_PAGES)[name]
    fuzz(client, path, fuzzed_parameters(client, path, promised, catalogue))


@pytest.mark.parametrize(
    ("person", "name"),
    [("superuser", name) for name in ADMIN_CHANGELISTS] + [("curator_a", name) for name in CURATOR_CHANGELISTS],
)
def test_admin_change_lists_answer_any_query_without_a_server_error(client, catalogue, request, person, name):
    client.force_login(request.getfixturevalue(person))
    path = reverse(name)
    fuzz(client, path, fuzzed_parameters(client, path, ADMIN_PARAMETERS, catalogue), examples=FUZZ_ADMIN)


@pytest.mark.parametrize(
    ("pages", "name"),
    [(PUBLIC_PAGES, name) for name in PUBLIC_PAGES if name != "staff:team-calendar"]
    + [(STAFF_PAGES, name) for name in STAFF_PAGES if name != "staff:team-calendar"],
)
def test_every_parameter_a_page_offers_is_fuzzed_by_name(client, catalogue, curator_a, pages, name):
    # A filter added to a page must be added to the lists above too, so that its promise is kept in the README.
    if pages is STAFF_PAGES:
        client.force_login(curator_a)
    assert set(offered_parameters(client, page_path(name, catalogue))) <= set(pages[name])


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("admin:resources_resource_changelist", "updated_at"),
        ("admin:resources_problemreport_changelist", "created_at"),
        ("admin:teams_activity_changelist", "starts_at"),
    ],
)
@pytest.mark.parametrize(
    "query",
    ["{field}__year=2147483648", "{field}__year=-99999999999", "{field}__year=9999",
     "{field}__year=9999&{field}__month=12", "{field}__year=9999&{field}__month=12&{field}__day=31",
     "{field}__year=2026&{field}__month=99999999999999999999", "{field}__year=2026&{field}__day=-1",
     "{field}__year=twenty"],
)  # fmt: skip
def test_a_date_out_of_range_in_the_date_hierarchy_is_refused_as_a_bad_filter(admin_client, name, field, query):
    response = admin_client.get(f"{reverse(name)}?{query.format(field=field)}")
    # The admin's answer to a filter it cannot use: back to the unfiltered list with ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
