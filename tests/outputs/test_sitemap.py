"""/sitemap.xml and /robots.txt, read over HTTP from the live test server.

The sitemaps validate against the sitemaps.org schemas (tests/outputs/schemas/, as published there); their
xhtml:link alternates are checked by W3C's XHTML 1.0 schema, which the strict ##other wildcard asks for and
which xmlschema ships. robots.txt is read by Python's urllib.robotparser and by Protego (Scrapy's parser,
which also understands the wildcard lines).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.request import urlopen
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest
import xmlschema
from protego import Protego

from portal.sitemaps import URLS_PER_SITEMAP, PublicSitemap
from tests.factories import KnowledgeAreaFactory, ResourceFactory

SCHEMAS = Path(__file__).parent / "schemas"
XHTML = "http://www.w3.org/1999/xhtml"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": XHTML}
LANGUAGES = {"sv", "da", "nb", "en", "x-default"}


@pytest.fixture(scope="module")
def schemas() -> dict[str, xmlschema.XMLSchema]:
    xhtml = Path(xmlschema.__file__).parent / "schemas" / "XHTML" / "xhtml1-strict.xsd"
    return {
        "index": xmlschema.XMLSchema(SCHEMAS / "siteindex.xsd"),
        "sitemap": xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd", locations=[(XHTML, str(xhtml))]),
    }


def get(url: str) -> bytes:
    with urlopen(url) as response:
        assert response.status == 200, url
        return response.read()


def harvest(live_server, schemas) -> dict[str, ElementTree.Element]:
    """Every <url> of every sitemap the index names, by its address; each document validated first."""
    index = get(f"{live_server.url}/sitemap.xml")
    schemas["index"].validate(index.decode())
    urls = {}
    for location in ElementTree.fromstring(index).iterfind("sm:sitemap/sm:loc", NS):
        assert location.text.startswith(f"{live_server.url}/sitemap-"), location.text
        sitemap = get(location.text)
        schemas["sitemap"].validate(sitemap.decode())
        for url in ElementTree.fromstring(sitemap).iterfind("sm:url", NS):
            urls[url.findtext("sm:loc", namespaces=NS)] = url
    return urls


def test_every_public_page_in_every_language_with_alternates_and_lastmod(live_server, catalogue, schemas):
    urls = harvest(live_server, schemas)

    base = live_server.url
    public = [
        *(f"/resources/{resource.slug}/" for resource in catalogue.resources),
        *(f"/offers/{offer.slug}/" for offer in catalogue.offers),
        "/exchange/lasecirklar/",
        "/areas/kallkritik/",
        "/teams/larteam-syd/",
        "/libraries/malmo-stadsbibliotek/",
        "/libraries/dokk1/",
    ]
    for path in public:
        for language in ["sv", "da", "nb", "en"]:
            url = urls[f"{base}/{language}{path}"]
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.iterfind("xhtml:link[@rel='alternate']", NS)
            }
            assert set(alternates) == LANGUAGES, path
            assert alternates["x-default"] == f"{base}{path}"
            assert all(alternates[code] == f"{base}/{code}{path}" for code in ["sv", "da", "nb", "en"])

    def lastmod(path: str) -> datetime:
        return datetime.fromisoformat(urls[f"{base}{path}"].findtext("sm:lastmod", namespaces=NS))

    resource = catalogue.resources[0]
    assert lastmod(f"/sv/resources/{resource.slug}/") == resource.updated_at.replace(microsecond=0)
    assert lastmod("/en/offers/laeseklub/") == catalogue.offers[1].updated_at.replace(microsecond=0)
    assert lastmod("/da/exchange/lasecirklar/") == catalogue.experience.updated_at.replace(microsecond=0)
    # A page listing resources changed when the newest-changed of its published resources did.
    newest = max(resource.updated_at for resource in catalogue.resources).replace(microsecond=0)
    assert lastmod("/en/areas/kallkritik/") == lastmod("/nb/teams/larteam-syd/") == newest
    assert lastmod("/sv/libraries/malmo-stadsbibliotek/") == newest
    assert urls[f"{base}/sv/libraries/dokk1/"].find("sm:lastmod", NS) is None  # no published resources
    # Nothing else: each public page once per language.
    assert len(urls) == 4 * len(public)


def test_every_sitemap_address_answers(live_server, catalogue, schemas):
    urls = harvest(live_server, schemas)

    for url in [url for url in urls if "/en/" in url]:
        assert get(url), url
    # The x-default addresses send a visitor on to their language's page.
    for path in ["/resources/granska-kallor-1/", "/libraries/dokk1/", "/exchange/lasecirklar/"]:
        with urlopen(f"{live_server.url}{path}") as response:
            assert response.status == 200
            assert response.url == f"{live_server.url}/sv{path}"


def test_nothing_unpublished_is_in_the_sitemap(live_server, catalogue, schemas):
    """The permission matrix for the sitemap: a draft, one in review, an archived resource, an unpublished offer
    and a staff-only exchange entry are in none of its documents, by address or by title."""
    documents = [get(f"{live_server.url}/sitemap.xml").decode()]
    for location in ElementTree.fromstring(documents[0]).iterfind("sm:sitemap/sm:loc", NS):
        documents.append(get(location.text).decode())
    text = "\n".join(documents)

    for record in catalogue.hidden:
        assert f"/{record.slug}/" not in text, record
        assert record.title not in text, record
    assert f"/{catalogue.resources[0].slug}/" in text


def test_a_section_is_split_into_sitemaps_of_at_most_the_limit(live_server, schemas, monkeypatch):
    assert URLS_PER_SITEMAP == PublicSitemap.limit == 50_000
    # Three resources in four languages are 12 URLs: at 5 a sitemap, three pages (5, 5, 2).
    monkeypatch.setattr(PublicSitemap, "limit", 5)
    resources = ResourceFactory.create_batch(3, areas=[KnowledgeAreaFactory()])

    index = ElementTree.fromstring(get(f"{live_server.url}/sitemap.xml"))
    pages = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS) if "sitemap-resources" in loc.text]
    assert pages == [
        f"{live_server.url}/sitemap-resources.xml",
        f"{live_server.url}/sitemap-resources.xml?p=2",
        f"{live_server.url}/sitemap-resources.xml?p=3",
    ]
    locations = []
    for page in pages:
        sitemap = get(page)
        schemas["sitemap"].validate(sitemap.decode())
        locations.append([loc.text for loc in ElementTree.fromstring(sitemap).iterfind("sm:url/sm:loc", NS)])
    assert [len(page) for page in locations] == [5, 5, 2]
    every = [location for page in locations for location in page]
    assert len(set(every)) == 12
    assert {
        f"{live_server.url}/{code}/resources/{r.slug}/" for r in resources for code in LANGUAGES - {"x-default"}
    } == set(every)


@pytest.mark.parametrize(
    "address", ["/sitemap-nothing.xml", "/sitemap-resources.xml?p=9", "/sitemap-resources.xml?p=x"]
)
def test_a_wrong_sitemap_address_is_not_found(client, db, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_a_sitemap_costs_the_same_for_1_and_20_resources(client, db, django_assert_num_queries, count):
    ResourceFactory.create_batch(count)

    # the number of resources (for the pages), the page's resources
    with django_assert_num_queries(2):
        response = client.get("/sitemap-resources.xml")
    assert response.content.count(b"<url>") == 4 * count
    # each section's number of records and latest change
    with django_assert_num_queries(12):
        client.get("/sitemap.xml")


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_staff_and_booking_pages(live_server, catalogue):
    text = get(f"{live_server.url}/robots.txt").decode()
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    modern = Protego.parse(text)

    assert robots.site_maps() == [f"{live_server.url}/sitemap.xml"]
    assert list(modern.sitemaps) == [f"{live_server.url}/sitemap.xml"]
    for parser in [robots.can_fetch, lambda agent, url: modern.can_fetch(url, agent)]:
        for language in ["sv", "da", "nb", "en"]:
            for path in [
                "/staff/",
                "/staff/exchange/",
                "/accounts/login/",
                "/offers/bookings/abc:def/",
                "/offers/bookings/abc:def/cancel/",
            ]:
                assert not parser("*", f"{live_server.url}/{language}{path}"), (language, path)
            for path in [
                "/",
                "/resources/",
                "/resources/granska-kallor-1/",
                "/offers/kallkritikverkstad/",
                "/exchange/lasecirklar/",
                "/resources/feed/atom/",
            ]:
                assert parser("*", f"{live_server.url}/{language}{path}"), (language, path)
        assert not parser("*", f"{live_server.url}/admin/")
        assert not parser("*", f"{live_server.url}/admin/resources/resource/")
        assert parser("*", f"{live_server.url}/sitemap.xml")
    # Forms that post are under addresses only wildcard-reading crawlers can be kept from.
    for language in ["sv", "en"]:
        assert not modern.can_fetch(f"{live_server.url}/{language}/offers/kallkritikverkstad/request/", "*")
        assert not modern.can_fetch(f"{live_server.url}/{language}/resources/granska-kallor-1/report/", "*")
