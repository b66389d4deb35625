"""Delarum in other sites: the embeddable offer list and oEmbed, read as partner sites and consumers read them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen
from xml.etree import ElementTree

import lxml.html
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from micawber import Provider, ProviderRegistry
from micawber.exceptions import ProviderHTTPException
from micawber.parsers import parse_text

from portal.env import env_origins
from tests.factories import OfferSessionFactory, SchoolOfferFactory


def csp(response) -> dict[str, str]:
    """The Content-Security-Policy header's directives by name."""
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return dict(directives)


# The embedded list ------------------------------------------------------------------------------------------


def test_only_the_embedded_list_may_be_framed(client, catalogue):
    embedded = client.get("/embed/offers/")
    assert embedded.status_code == 200
    assert "X-Frame-Options" not in embedded
    assert csp(embedded)["frame-ancestors"] == "*"

    for address in ["/sv/", "/sv/offers/", f"/sv/offers/{catalogue.offers[0].slug}/", "/admin/login/", "/oembed"]:
        response = client.get(address)
        assert response["X-Frame-Options"] == "DENY", address
        assert csp(response)["frame-ancestors"] == "'none'", address


def test_the_sites_that_may_frame_it_are_configurable(client, settings, catalogue):
    settings.EMBED_ALLOWED_ORIGINS = ["https://skola.example", "https://*.kommun.example"]
    response = client.get("/embed/offers/")
    # Delarum itself stays allowed, for the staff page's preview.
    assert csp(response)["frame-ancestors"] == "'self' https://skola.example https://*.kommun.example"
    assert csp(client.get("/sv/offers/"))["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    ("raw", "origins"),
    [
        (None, ["*"]),
        ("*", ["*"]),
        ("https://skola.example, http://localhost:8080", ["https://skola.example", "http://localhost:8080"]),
        ("https://*.kommun.example", ["https://*.kommun.example"]),
    ],
)
def test_embed_allowed_origins_are_read(monkeypatch, raw, origins):
    if raw is None:
        monkeypatch.delenv("EMBED_ALLOWED_ORIGINS", raising=False)
    else:
        monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", raw)
    assert env_origins("EMBED_ALLOWED_ORIGINS", ["*"]) == origins


@pytest.mark.parametrize("raw", ["skola.example", "https://skola.example/embed/", "*, https://skola.example", ","])
def test_embed_allowed_origins_that_are_not_origins_stop_the_start(monkeypatch, raw):
    monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", raw)
    with pytest.raises(ImproperlyConfigured, match="EMBED_ALLOWED_ORIGINS"):
        env_origins("EMBED_ALLOWED_ORIGINS", ["*"])


def test_the_filters_and_the_language_are_the_offer_pages(client, catalogue):
    response = client.get("/embed/offers/?municipality=malmo&year=8&subject=svenska&lang=da")

    assert response.status_code == 200
    assert response["Content-Language"] == "da"
    page = lxml.html.fromstring(response.content)
    assert page.get("lang") == "da"
    assert page.findtext(".//title") == "Skoletilbud – Delarum"
    links = page.xpath("//article//h2/a")
    assert [link.text for link in links] == ["Källkritikverkstad för åk 8"]
    assert links[0].get("href") == "/da/offers/kallkritikverkstad/"
    assert (links[0].get("target"), links[0].get("rel")) == ("_blank", "noopener")
    more = page.xpath("//p[@class='embed__more']/a")[0]
    assert more.get("href") == "http://testserver/da/offers/?municipality=malmo&year=8&subject=svenska"
    assert (more.get("target"), more.get("rel")) == ("_blank", "noopener")


def test_drafts_never_reach_the_embedded_list(client, catalogue):
    content = client.get("/embed/offers/").content.decode()
    assert "Källkritikverkstad för åk 8" in content
    assert "Læseklub for 3. klasse" in content
    assert "Hemligt erbjudande" not in content
    assert client.get("/embed/offers/hemligt-erbjudande/").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=99", "Årskurs: Välj ett giltigt alternativ. 99 finns inte"),
        ("municipality=atlantis", "Kommun: Välj ett giltigt alternativ. atlantis finns inte"),
    ],
)
def test_a_filter_the_list_does_not_know_is_explained(client, catalogue, query, message):
    response = client.get(f"/embed/offers/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode().replace("\n", " ")
    assert "X-Frame-Options" not in response  # the partner's page shows the explanation


def test_an_unknown_language_is_explained(client, catalogue):
    response = client.get("/embed/offers/?lang=xx")
    assert response.status_code == 400
    assert "sv, da, nb, en" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_the_embedded_list_costs_the_same_for_any_number_of_offers(client, django_assert_num_queries, catalogue, rows):
    for _ in range(rows):
        OfferSessionFactory(offer=SchoolOfferFactory(library=catalogue.library))
    # subjects, areas, places with offers (the form's choices), the count with facets, the page's offers
    with django_assert_num_queries(5):
        assert client.get("/embed/offers/?lang=nb").status_code == 200


# oEmbed -----------------------------------------------------------------------------------------------------


def discovered(page_url: str) -> dict[str, str]:
    """The oEmbed links a consumer finds in the page's <head>, by type, read with lxml's HTML parser."""
    with urlopen(page_url) as response:
        head = lxml.html.fromstring(response.read()).find("head")
    return {
        link.get("type"): link.get("href") for link in head.iter("link") if link.get("type", "").endswith("+oembed")
    }


def consumer(live_server, endpoint: str) -> ProviderRegistry:
    """micawber, as a site that embeds Delarum's pages would set it up: the discovered endpoint, for its pages."""
    registry = ProviderRegistry()
    registry.register(re.escape(live_server.url) + r"/\w\w/(resources|offers)/[\w-]+/", Provider(endpoint))
    return registry


def test_an_offer_page_is_discovered_and_embedded_by_an_oembed_consumer(live_server, catalogue):
    offer = catalogue.offers[0]
    page_url = f"{live_server.url}/da/offers/{offer.slug}/"
    links = discovered(page_url)
    json_link = urlsplit(links["application/json+oembed"])
    assert parse_qs(json_link.query) == {"url": [page_url], "format": ["json"]}
    endpoint = f"{json_link.scheme}://{json_link.netloc}{json_link.path}"

    registry = consumer(live_server, endpoint)
    answer = registry.request(page_url, maxwidth=400)

    assert answer["type"] == "rich"
    assert answer["version"] == "1.0"
    assert answer["title"] == offer.title
    assert answer["provider_name"] == "Delarum"
    assert answer["author_name"] == catalogue.library.name
    assert (answer["width"], answer["height"]) == (400, 420)  # no wider than asked
    iframe = lxml.html.fromstring(answer["html"])
    assert iframe.tag == "iframe"
    assert iframe.get("width") == "400"
    with urlopen(iframe.get("src")) as embedded:
        assert "X-Frame-Options" not in embedded.headers
        content = embedded.read().decode()
    assert offer.title in content
    assert 'lang="da"' in content
    # The consumer turns the address in a text into the embed.
    assert answer["html"] in parse_text(f"Se här:\n{page_url}\n", registry, maxwidth=400)


def test_a_resource_page_is_a_link_in_json_and_in_xml(live_server, catalogue):
    resource = catalogue.resources[0]
    page_url = f"{live_server.url}/sv/resources/{resource.slug}/"
    links = discovered(page_url)

    json_link = urlsplit(links["application/json+oembed"])
    answer = consumer(live_server, f"{json_link.scheme}://{json_link.netloc}{json_link.path}").request(page_url)
    assert (answer["type"], answer["title"]) == ("link", resource.title)
    assert answer["author_url"] == f"{live_server.url}/sv/libraries/{catalogue.library.slug}/"
    assert "html" not in answer

    with urlopen(links["text/xml+oembed"]) as response:
        assert response.headers.get_content_type() == "text/xml"
        xml = ElementTree.fromstring(response.read())
    assert xml.tag == "oembed"
    assert {child.tag: child.text for child in xml} == {
        key: str(value) for key, value in answer.items() if key != "url"
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/sv/offers/kallkritikverkstad/",  # another site
        "{live}/sv/offers/hemligt-erbjudande/",  # a draft
        "{live}/sv/resources/hemlig-draft/",
        "{live}/sv/resources/hemlig-in-review/",
        "{live}/sv/resources/hemlig-archived/",
        "{live}/sv/offers/",  # not a resource or offer page
        "{live}/sv/offers/no-such-offer/",
        "ftp://localhost/sv/offers/kallkritikverkstad/",
        "not an address",
    ],
)
def test_foreign_unknown_and_unpublished_pages_are_not_found(live_server, catalogue, url):
    provider = Provider(live_server.url + reverse("oembed"))
    with pytest.raises(ProviderHTTPException) as error:
        provider.request(url.format(live=live_server.url))
    assert "404" in str(error.value)


def test_an_unknown_format_is_not_implemented(client, catalogue):
    response = client.get(
        "/oembed", {"url": f"http://testserver/sv/offers/{catalogue.offers[0].slug}/", "format": "yaml"}
    )
    assert response.status_code == 501
    assert "yaml" in response.content.decode()


def test_a_size_that_is_not_a_number_is_explained(client, catalogue):
    url = f"http://testserver/sv/offers/{catalogue.offers[0].slug}/"
    response = client.get("/oembed", {"url": url, "maxwidth": "wide"})
    assert response.status_code == 400
    assert "maxwidth" in response.content.decode()


# The staff page that builds the snippet ---------------------------------------------------------------------


def test_staff_get_the_snippet_for_the_filters_they_chose(client, curator_b, catalogue):
    client.force_login(curator_b)
    response = client.get(reverse("staff:embed"), {"municipality": "malmo", "year": "8", "lang": "da", "height": "450"})

    page = lxml.html.fromstring(response.content)
    snippet = lxml.html.fromstring(page.get_element_by_id("embed-snippet").text)
    expected = "http://testserver/embed/offers/?year=8&municipality=malmo&lang=da"
    assert (snippet.tag, snippet.get("src"), snippet.get("height")) == ("iframe", expected, "450")
    assert page.xpath("//iframe[@class='embed-result__preview']/@src") == [expected]
    assert client.get(expected).status_code == 200


def test_a_height_out_of_bounds_is_explained_and_no_snippet_is_given(client, curator_b, catalogue):
    client.force_login(curator_b)
    response = client.get(reverse("staff:embed"), {"height": "5"})
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//p[@class='field__error']/text()")[0].startswith("Kontrollera att detta värde är större")
    assert page.xpath("//*[@id='embed-snippet']") == []
