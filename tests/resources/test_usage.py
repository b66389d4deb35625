"""Usage statistics: what is counted (one upsert, no personal data, no robots), the counting redirect, the searches,
and the statistics page and CSV staff see (their own library's and teams' figures only)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from resources import usage
from resources.models import OfferUsage, ResourceUsage, SearchUsage, Status, UsageKind
from resources.usage_chart import nice_step
from tests.factories import BookingRequestFactory, ResourceFactory, SchoolOfferFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
VISITOR = {"HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": "203.0.113.7"}
STATISTICS = "/admin/resources/resourceusage/"


def detail(resource) -> str:
    return reverse("resources:detail", kwargs={"slug": resource.slug})


def views_of(resource, kind: str = UsageKind.VIEW) -> int:
    return sum(ResourceUsage.objects.filter(resource=resource, kind=kind).values_list("count", flat=True))


# Counting ---------------------------------------------------------------------------------------------------


def test_a_resource_page_view_costs_one_upsert_and_keeps_nothing_personal(client, django_assert_num_queries):
    resource = ResourceFactory()
    client.get(detail(resource), **VISITOR)  # warm: the row exists; the next view updates it
    # the page's 4 queries (resource with library and team, areas, tags, related) and 5 the day's upsert
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(resource), **VISITOR)
    writes = [query["sql"] for query in queries if not query["sql"].lstrip().upper().startswith("SELECT")]
    assert len(queries) == 5
    assert len(writes) == 1
    assert "ON CONFLICT" in writes[0]
    # A robot's view of the same page: the page's queries alone
    with django_assert_num_queries(4):
        client.get(detail(resource), HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")

    assert views_of(resource) == 2
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    rows = list(ResourceUsage.objects.values())
    assert set(rows[0]) == {"id", "day", "kind", "count", "resource_id"}
    assert rows[0]["day"] == timezone.localdate()
    assert "203.0.113.7" not in str(rows)
    assert "Firefox" not in str(rows)


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
    ],
)
def test_robots_are_not_counted(client, agent):
    resource = ResourceFactory()
    client.get(detail(resource), HTTP_USER_AGENT=agent)
    client.get(reverse("resources:go", kwargs={"slug": resource.slug}), HTTP_USER_AGENT=agent)
    assert ResourceUsage.objects.count() == 0


def test_head_requests_staff_and_counting_off_are_not_counted(client, settings, curator_a):
    resource = ResourceFactory()
    client.head(detail(resource), **VISITOR)
    client.force_login(curator_a)
    client.get(detail(resource), **VISITOR)
    client.logout()
    settings.USAGE_COUNTING = False
    client.get(detail(resource), **VISITOR)
    assert ResourceUsage.objects.count() == 0
    settings.USAGE_COUNTING = True
    client.get(detail(resource), **VISITOR)
    assert views_of(resource) == 1


def test_an_offer_page_view_is_counted(client):
    offer = SchoolOfferFactory()
    client.get(reverse("offers:detail", kwargs={"slug": offer.slug}), **VISITOR)
    client.get(reverse("offers:detail", kwargs={"slug": offer.slug}), **VISITOR)
    assert OfferUsage.objects.get(offer=offer, kind=UsageKind.VIEW).count == 2


def test_collection_adds_are_counted_for_resources_and_offers_with_or_without_a_request(rf, curator_a):
    resource, offer = ResourceFactory(), SchoolOfferFactory()
    assert usage.count(UsageKind.COLLECTION_ADD, resource=resource)
    request = rf.post("/", HTTP_USER_AGENT=BROWSER)
    request.user = curator_a  # staff collect too: their adds count
    assert usage.count(UsageKind.COLLECTION_ADD, offer=offer, request=request)
    assert views_of(resource, UsageKind.COLLECTION_ADD) == 1
    assert OfferUsage.objects.get(offer=offer).kind == UsageKind.COLLECTION_ADD
    with pytest.raises(ValueError, match="one of them"):
        usage.count(UsageKind.COLLECTION_ADD, resource=resource, offer=offer)
    with pytest.raises(ValueError, match="Only resources"):
        usage.count(UsageKind.OPEN, offer=offer)


# The counting redirect ----------------------------------------------------------------------------------------


def test_the_resource_page_links_through_the_counting_redirect_to_the_stored_address(client):
    resource = ResourceFactory(url="https://www.kb.se/resurs/kallkritik")
    go = reverse("resources:go", kwargs={"slug": resource.slug})
    assert f'href="{go}"' in client.get(detail(resource)).content.decode()

    response = client.get(go, {"next": "https://evil.example/", "url": "https://evil.example/"}, **VISITOR)

    assert response.status_code == 302
    assert response["Location"] == "https://www.kb.se/resurs/kallkritik"
    assert views_of(resource, UsageKind.OPEN) == 1


def test_the_redirect_opens_an_uploaded_file_and_refuses_unpublished_resources(client):
    uploaded = ResourceFactory(url="", file="resources/2026/guide.pdf")
    response = client.get(reverse("resources:go", kwargs={"slug": uploaded.slug}), **VISITOR)
    assert response.status_code == 302
    assert response["Location"] == uploaded.file.url
    draft = ResourceFactory(status=Status.DRAFT, published_at=None)
    assert client.get(reverse("resources:go", kwargs={"slug": draft.slug}), **VISITOR).status_code == 404
    assert ResourceUsage.objects.filter(resource=draft).count() == 0


# Searches -----------------------------------------------------------------------------------------------------


def test_searches_are_stored_normalised_with_their_hits_and_empty_ones_counted(client):
    ResourceFactory(title="Källkritik för nybörjare")
    resources = reverse("resources:list")
    client.get(resources, {"q": "  KÄLLKRITIK "}, **VISITOR)
    client.get(resources, {"q": "källkritik"}, **VISITOR)  # the same page again, from the page cache
    client.get(resources, {"q": "källkritik", "page": "2"}, **VISITOR)  # a page turned: no new search
    client.get(resources, {"q": "drakflygning"}, **VISITOR)
    client.get(resources, {"q": "anna@example.org"}, **VISITOR)
    client.get(resources, {"q": "850709-1234"}, **VISITOR)

    rows = {row.query: (row.count, row.empty, row.hits) for row in SearchUsage.objects.all()}
    assert rows == {"källkritik": (2, 0, 1), "drakflygning": (1, 1, 0)}


# The statistics page ------------------------------------------------------------------------------------------


def _use(resource, kind=UsageKind.VIEW, n=1, day=None):
    ResourceUsage.objects.create(resource=resource, kind=kind, count=n, day=day or timezone.localdate())


@pytest.fixture
def two_libraries(library_a, team_a, library_b, team_b):
    ours = ResourceFactory(title="Vår resurs", library=library_a, team=team_a)
    theirs = ResourceFactory(title="Deres ressource", library=library_b, team=team_b)
    idle = ResourceFactory(title="Oläst resurs", library=library_a)
    _use(ours, n=7)
    _use(ours, UsageKind.OPEN, n=3)
    _use(theirs, n=11)
    offer = SchoolOfferFactory(title="Deres værksted", library=library_b)
    OfferUsage.objects.create(offer=offer, kind=UsageKind.VIEW, count=5, day=timezone.localdate())
    BookingRequestFactory(offer=offer)
    SearchUsage.objects.create(query="drakflygning", day=timezone.localdate(), count=4, empty=4, hits=0)
    return {"ours": ours, "theirs": theirs, "idle": idle, "offer": offer}


def test_curators_see_only_their_own_library_and_teams_figures(client, curator_a, curator_b, two_libraries):
    client.force_login(curator_a)
    page = client.get(STATISTICS)
    content = page.content.decode()
    assert page.status_code == 200
    assert [r.title for r in page.context["figures"].most_used] == ["Vår resurs"]
    assert [r.title for r in page.context["figures"].never_used] == ["Oläst resurs"]
    assert "Deres" not in content
    assert "drakflygning" in content  # searches are the whole portal's
    assert reverse("admin:resources_termgroup_add") not in content  # coordinators keep the term table

    client.force_login(curator_b)
    content = client.get(STATISTICS).content.decode()
    assert "Deres ressource" in content
    assert "Deres værksted" in content
    assert "Vår resurs" not in content
    assert "Oläst resurs" not in content
    # Another library's figures cannot be chosen
    library_a = two_libraries["ours"].library_id
    refused = client.get(STATISTICS, {"scope": f"library:{library_a}"})
    assert "Vår resurs" not in refused.content.decode()
    assert refused.context["form"].errors
    csv_text = client.get(STATISTICS + "csv/", {"table": "resources", "scope": f"library:{library_a}"})
    assert "Vår resurs" not in b"".join(csv_text.streaming_content).decode()


def test_a_coordinator_sees_everyone_and_links_empty_searches_to_the_term_table(client, coordinator, two_libraries):
    client.force_login(coordinator)
    content = client.get(STATISTICS).content.decode()
    assert "Vår resurs" in content
    assert "Deres ressource" in content
    assert f"{reverse('admin:resources_termgroup_add')}?concept=drakflygning" in content


def test_patrons_are_sent_to_sign_in(client, patron):
    client.force_login(patron)
    assert client.get(STATISTICS).status_code == 302


@pytest.mark.parametrize("rows", [1, 15])
def test_the_statistics_page_takes_the_same_queries_whatever_the_data(client, curator_a, library_a, team_a, rows,
                                                                     django_assert_num_queries):  # fmt: skip
    for n in range(rows):
        resource = ResourceFactory(library=library_a, team=team_a)
        _use(resource, n=n + 1)
        ResourceFactory(library=library_a)
        offer = SchoolOfferFactory(library=library_a)
        OfferUsage.objects.create(offer=offer, kind=UsageKind.VIEW, count=n + 1, day=timezone.localdate())
        SearchUsage.objects.create(query=f"ord {n}", day=timezone.localdate(), count=1, empty=1)
    client.force_login(curator_a)
    client.get(STATISTICS)
    # 1 session, 2 user, 3-4 their permissions (own, group's), 5 coordinator?, 6 the form's libraries, 7 the
    # person's teams, 8 the form's teams, 9-11 months of resources, offers and booking requests, 12 most used,
    # 13 never used, 14 how many, 15 offers with their sums, 16 frequent searches, 17 empty searches
    with django_assert_num_queries(17):
        assert client.get(STATISTICS).status_code == 200


def test_the_chart_is_an_accessible_svg_with_the_figures_in_a_table(client, coordinator, two_libraries):
    client.force_login(coordinator)
    content = client.get(STATISTICS).content.decode()
    svg = etree.fromstring(re.search(r"<svg [^>]*class=\"usage-chart\".*?</svg>", content, re.DOTALL).group(0).encode())
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "usage-chart-title usage-chart-desc"
    assert svg.find("svg:title", ns).text
    assert svg.find("svg:desc", ns).text
    lines = svg.findall(".//svg:polyline", ns)
    assert len(lines) == 3
    assert all(len(line.get("points").split()) == 12 for line in lines)
    # This month's point of resource views is the highest (18 views: ours and theirs); the others lie on zero.
    views = [float(point.split(",")[1]) for point in lines[0].get("points").split()]
    assert views[-1] == min(views)
    assert len(set(views[:-1])) == 1
    assert "<td>18</td>" in content  # the table gives the same figures


def test_the_csv_downloads_hold_the_figures(client, coordinator, two_libraries):
    client.force_login(coordinator)

    def table(name: str) -> list[list[str]]:
        response = client.get(STATISTICS + "csv/", {"table": name})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))

    resources = {row[2]: row for row in table("resources")[1:]}
    assert resources["Vår resurs"][6:] == ["7", "3", "0"]
    assert resources["Oläst resurs"][6:] == ["0", "0", "0"]
    offers = table("offers")
    assert offers[0][5:] == ["views", "collection_adds", "booking_requests", "confirmed"]
    assert offers[1][5:] == ["5", "0", "1", "0"]
    months = table("months")
    assert len(months) == 13
    assert months[-1][0] == f"{timezone.localdate():%Y-%m}"
    assert months[-1][1:] == ["18", "3", "0", "5", "0", "1"]
    assert table("searches")[1] == ["drakflygning", "4", "4", "0"]
    assert client.get(STATISTICS + "csv/", {"table": "passwords"}).status_code == 400


def test_months_and_scale():
    assert usage.months_back(date(2026, 3, 15))[:2] == [date(2025, 4, 1), date(2025, 5, 1)]
    assert usage.months_back(date(2026, 3, 15))[-1] == date(2026, 3, 1)
    assert [nice_step(n) for n in [0, 3, 18, 400, 9000]] == [1, 1, 5, 100, 5000]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_count_commits_on_its_own(client):
    # Pages run in autocommit: the upsert goes with synchronous_commit off for itself alone.
    resource = ResourceFactory()
    client.get(detail(resource), **VISITOR)
    client.get(detail(resource), **VISITOR)
    assert views_of(resource) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        assert cursor.fetchone() == ("on",)
