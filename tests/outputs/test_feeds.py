"""The Atom and RSS feeds, read over HTTP from the live test server by feedparser, the parser feed readers use."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin
from urllib.request import urlopen

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resources.feeds import FEED_SIZE
from tests.factories import (
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    ResourceFactory,
    SchoolOfferFactory,
)

FORMATS = ["atom", "rss"]


def read(url: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse(url)
    assert feed.get("status") == 200, url
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def feed_url(live_server, name: str, format: str, language: str = "sv", query: str = "", **kwargs) -> str:
    with translation.override(language):
        return live_server.url + reverse(f"{name}-{format}", kwargs=kwargs or None) + query


class FeedLinks(HTMLParser):
    """The <link rel="alternate"> feeds a page names in its head, as a browser or feed reader finds them."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("rel") == "alternate" and "xml" in values.get("type", ""):
            self.feeds.append(values)


def page_feeds(url: str) -> list[dict[str, str]]:
    with urlopen(url) as response:
        parser = FeedLinks()
        parser.feed(response.read().decode())
    for feed in parser.feeds:
        feed["href"] = urljoin(url, feed["href"])
    return parser.feeds


@pytest.mark.parametrize("format", FORMATS)
def test_the_newest_resources_in_order_with_everything_a_reader_shows(live_server, catalogue, format):
    feed = read(feed_url(live_server, "resources:feed", format))

    assert [entry.title for entry in feed.entries] == [resource.title for resource in catalogue.resources]
    entry, resource = feed.entries[0], catalogue.resources[0]
    assert entry.link == f"{live_server.url}/sv/resources/{resource.slug}/"
    assert entry.summary == resource.summary
    assert entry.author == "Malmö stadsbibliotek"
    assert {tag.term for tag in entry.tags} == {"Källkritik", "källkritik", "nyheter"}
    assert entry.id == f"tag:localhost,{resource.published_at:%Y-%m-%d}:resource/{resource.pk}"
    assert entry.published_parsed[:6] == resource.published_at.utctimetuple()[:6]
    if format == "atom":
        assert entry.updated_parsed[:6] == resource.updated_at.utctimetuple()[:6]
        assert entry.author_detail.href == f"{live_server.url}/sv/libraries/malmo-stadsbibliotek/"
    assert feed.feed.language == "sv"
    with translation.override("sv"):
        assert feed.feed.title == _("New resources – Delarum")


@pytest.mark.parametrize("format", FORMATS)
def test_a_feed_speaks_the_language_of_its_address(live_server, catalogue, format):
    english = read(feed_url(live_server, "resources:area-feed", format, language="en", slug="kallkritik"))
    danish = read(feed_url(live_server, "resources:area-feed", format, language="da", slug="kallkritik"))

    assert english.feed.title == "New resources in Source criticism – Delarum"
    assert "Source criticism" in {tag.term for tag in english.entries[0].tags}
    assert english.entries[0].link.startswith(f"{live_server.url}/en/resources/")
    assert "Kildekritik" in {tag.term for tag in danish.entries[0].tags}
    assert danish.entries[0].link.startswith(f"{live_server.url}/da/resources/")
    # The same resource is the same entry in every language.
    assert english.entries[0].id == danish.entries[0].id


@pytest.mark.parametrize("format", FORMATS)
def test_area_team_and_library_feeds_hold_their_own_resources(live_server, catalogue, format):
    elsewhere = ResourceFactory(title="Om något annat", library=LibraryFactory(), areas=[KnowledgeAreaFactory()])
    titles = [resource.title for resource in catalogue.resources]

    for name, slug in [
        ("resources:area-feed", "kallkritik"),
        ("resources:team-feed", "larteam-syd"),
        ("resources:library-feed", "malmo-stadsbibliotek"),
    ]:
        feed = read(feed_url(live_server, name, format, slug=slug))
        assert [entry.title for entry in feed.entries] == titles, name

    assert elsewhere.title in [entry.title for entry in read(feed_url(live_server, "resources:feed", format)).entries]


@pytest.mark.parametrize("format", FORMATS)
def test_offer_feeds_overall_by_municipality_and_by_school_year_band(live_server, catalogue, format):
    swedish, danish = catalogue.offers

    def titles(query: str = "") -> list[str]:
        return [entry.title for entry in read(feed_url(live_server, "offers:feed", format, query=query)).entries]

    assert titles() == [swedish.title, danish.title]
    assert titles("?municipality=malmo") == [swedish.title]
    assert titles("?municipality=aarhus") == [danish.title]
    # A band finds offers for any of its years: 7-9 overlaps 7-9, 2-4 overlaps 3, 9-12 overlaps 7-9.
    assert titles("?year=7-9") == [swedish.title]
    assert titles("?year=2-4") == [danish.title]
    assert titles("?year=9-12") == [swedish.title]
    assert titles("?year=3") == [danish.title]
    assert titles("?year=10-12") == []
    assert titles("?municipality=malmo&year=3") == []

    feed = read(feed_url(live_server, "offers:feed", format, language="en", query="?municipality=malmo&year=7-9"))
    # The years in the words of the municipality's country, whatever the language.
    assert feed.feed.title == "New school offers in Malmö for åk 7–9 – Delarum"
    entry = feed.entries[0]
    assert entry.link == f"{live_server.url}/en/offers/kallkritikverkstad/"
    assert entry.author == "Malmö stadsbibliotek"
    assert {tag.term for tag in entry.tags} == {"Source criticism", "Swedish", "åk 7–9"}
    assert entry.id == f"tag:localhost,{swedish.published_at:%Y-%m-%d}:offer/{swedish.pk}"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?year=sju", 400, '"year"'),
        ("?year=9-7", 400, '"year"'),
        ("?year=7-99", 400, '"year"'),
        ("?municipality=atlantis", 404, "atlantis"),
    ],
)
def test_wrong_offer_filters_get_a_clear_answer(client, catalogue, query, status, message):
    response = client.get("/en/offers/feed/atom/" + query)

    assert response.status_code == status
    assert message in response.content.decode()


def test_an_unknown_area_team_or_library_is_not_found(client, catalogue):
    for url in ["/sv/areas/nowhere/feed/atom/", "/sv/teams/nobody/feed/rss/", "/sv/libraries/none/feed/atom/"]:
        assert client.get(url).status_code == 404, url


def test_a_feed_holds_the_50_newest(client, catalogue):
    now = timezone.now()
    newest = [ResourceFactory(published_at=now - timedelta(minutes=number)) for number in range(FEED_SIZE + 5)]

    feed = feedparser.parse(client.get("/sv/resources/feed/atom/").content)

    assert [entry.title for entry in feed.entries] == [resource.title for resource in newest[:FEED_SIZE]]


def test_nothing_unpublished_reaches_any_feed(live_server, catalogue):
    """The permission matrix for feeds: a draft, one in review, an archived resource, an unpublished offer and a
    staff-only exchange entry appear in none of them, by title or by address."""
    urls = [
        feed_url(live_server, name, format, language=language, **kwargs)
        for format in FORMATS
        for language in ["sv", "en"]
        for name, kwargs in [
            ("resources:feed", {}),
            ("resources:area-feed", {"slug": "kallkritik"}),
            ("resources:team-feed", {"slug": "larteam-syd"}),
            ("resources:library-feed", {"slug": "malmo-stadsbibliotek"}),
            ("offers:feed", {}),
        ]
    ]
    urls += [feed_url(live_server, "offers:feed", "atom", query="?municipality=malmo&year=0-12")]
    for url in urls:
        with urlopen(url) as response:
            text = response.read().decode()
        for record in catalogue.hidden:
            assert record.title not in text, (url, record)
            assert f"/{record.slug}/" not in text, (url, record)
        assert read(url).entries, url  # each feed has public entries, so their absence above means something


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/sv/", ["/sv/resources/feed/"]),
        ("/sv/resources/", ["/sv/resources/feed/"]),
        ("/da/areas/kallkritik/", ["/da/areas/kallkritik/feed/"]),
        ("/nb/teams/larteam-syd/", ["/nb/teams/larteam-syd/feed/"]),
        ("/en/libraries/malmo-stadsbibliotek/", ["/en/libraries/malmo-stadsbibliotek/feed/"]),
        ("/sv/offers/", ["/sv/offers/feed/"]),
        ("/sv/offers/?municipality=malmo&year=8", ["/sv/offers/feed/", "/sv/offers/feed/?municipality=malmo&year=8"]),
    ],
)
def test_pages_name_their_feeds_in_their_language(live_server, catalogue, page, feeds):
    found = page_feeds(live_server.url + page)

    expected = {
        (live_server.url + path.replace("feed/", f"feed/{format}/"), f"application/{format}+xml")
        for path in feeds
        for format in FORMATS
    }
    assert {(feed["href"], feed["type"]) for feed in found} == expected
    assert {feed["hreflang"] for feed in found} == {page.split("/")[1]}
    for feed in found:
        assert read(feed["href"]).entries, feed  # every named feed is there and has entries


def test_the_filtered_offer_list_titles_its_feed(live_server, catalogue):
    titles = {feed["title"] for feed in page_feeds(live_server.url + "/en/offers/?municipality=malmo&year=8")}

    assert titles == {
        "New school offers (Atom)",
        "New school offers (RSS)",
        "New school offers in Malmö, åk 8 · 8. klasse · 9. trinn (Atom)",  # the year as the page names it
        "New school offers in Malmö, åk 8 · 8. klasse · 9. trinn (RSS)",
    }


# Query budgets: each feed costs the same few queries with 1 entry and with 20.


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the resources with library and team, their areas, their tags
        ("/sv/resources/feed/atom/", 3),
        ("/sv/resources/feed/rss/", 3),
        # + the area, team or library
        ("/sv/areas/kallkritik/feed/atom/", 4),
        ("/sv/teams/larteam-syd/feed/rss/", 4),
        ("/sv/libraries/malmo-stadsbibliotek/feed/atom/", 4),
    ],
)
def test_resource_feeds_cost_the_same_for_1_and_20_entries(db, client, django_assert_num_queries, count, url, queries):
    library = LibraryFactory(slug="malmo-stadsbibliotek")
    area = KnowledgeAreaFactory(slug="kallkritik")
    team = LearningTeamFactory(slug="larteam-syd", libraries=[library])
    ResourceFactory.create_batch(count, library=library, team=team, areas=[area], tags=["källkritik"])

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert len(feedparser.parse(response.content).entries) == count


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # the offers with their library, their areas, their subjects
        ("", 3),
        ("?year=7-9", 3),
        # + the municipalities' names
        ("?municipality=malmo&year=8", 4),
    ],
)
def test_the_offer_feed_costs_the_same_for_1_and_20_entries(
    db, client, django_assert_num_queries, count, query, queries
):
    library = LibraryFactory(municipality="Malmö")
    area = KnowledgeAreaFactory()
    for _number in range(count):
        SchoolOfferFactory(library=library, areas=[area])

    with django_assert_num_queries(queries):
        response = client.get("/sv/offers/feed/rss/" + query)

    assert len(feedparser.parse(response.content).entries) == count
