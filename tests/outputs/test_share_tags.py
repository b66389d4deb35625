"""Open Graph and Twitter card tags, read by extruct (as a link preview reads them) from the live server."""

from __future__ import annotations

import urllib.request
from typing import Any

import extruct
import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html
from taggit.models import Tag

from teams.models.sharing import Visibility
from tests.factories import ReflectionFactory
from tests.images import give_picture

LOCALES = {"sv": "sv_SE", "da": "da_DK", "nb": "nb_NO", "en": "en_GB"}


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:
        assert response.status == 200, url
        return response.read().decode()


def share_tags(live_server, path: str) -> tuple[dict[str, list[str]], dict[str, str], str]:
    """The page's Open Graph properties (each with all its values), its twitter: tags, and its address."""
    url = live_server.url + path
    page = fetch(url)
    (graph,) = extruct.extract(page, base_url=url, syntaxes=["opengraph"], uniform=False)["opengraph"]
    properties: dict[str, list[str]] = {}
    for name, value in graph["properties"]:
        properties.setdefault(name, []).append(value)
    twitter = {
        meta.get("name"): meta.get("content")
        for meta in html.fromstring(page).xpath("//meta[starts-with(@name, 'twitter:')]")
    }
    return properties, twitter, url


def path(name: str, language: str = "sv", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def pictured(catalogue):
    give_picture(catalogue.resources[0], alt="En karta över Öresund")
    give_picture(catalogue.library, "logo")
    give_picture(catalogue.hidden[0], alt="Hemlig bild")  # a draft's image
    reflection = ReflectionFactory(visibility=Visibility.PUBLIC)
    return catalogue, reflection


def public_pages(catalogue, reflection) -> list[tuple[str, str, str]]:
    """(path, expected og:title, og:type) for every kind of public page."""
    resource, offer = catalogue.resources[0], catalogue.offers[0]
    return [
        (path("home"), "Delarum", "website"),
        (path("resources:list"), "Lärresurser", "website"),
        (path("resources:detail", slug=resource.slug), resource.title, "article"),
        (path("resources:areas"), "Kunskapsområden", "website"),
        (path("resources:area", slug=catalogue.area.slug), "Källkritik", "website"),
        (path("resources:tag", slug=Tag.objects.get(name="källkritik").slug), "Taggen ”källkritik”", "website"),
        (path("teams:list"), "Lärteam", "website"),
        (path("teams:detail", slug=catalogue.team.slug), catalogue.team.name, "website"),
        (path("teams:library", slug=catalogue.library.slug), catalogue.library.name, "website"),
        (path("offers:list"), "Skolerbjudanden", "website"),
        (path("offers:detail", slug=offer.slug), offer.title, "article"),
        (path("sharing:experience", slug=catalogue.experience.slug), catalogue.experience.title, "article"),
        (path("sharing:reflection", pk=reflection.pk), "Reflektion", "article"),
    ]


@pytest.mark.django_db(transaction=True)
def test_every_public_page_has_a_preview(live_server, pictured):
    catalogue, reflection = pictured
    for page_path, title, kind in public_pages(catalogue, reflection):
        properties, twitter, url = share_tags(live_server, page_path)
        assert properties["og:title"] == [title], page_path
        assert properties["og:type"] == [kind], page_path
        assert properties["og:url"] == [url], page_path  # canonical: the page's own absolute address
        assert properties["og:description"][0].strip(), page_path
        assert properties["og:locale"] == ["sv_SE"], page_path
        assert sorted(properties["og:locale:alternate"]) == ["da_DK", "en_GB", "nb_NO"], page_path
        assert twitter["twitter:card"] == ("summary_large_image" if "og:image" in properties else "summary"), page_path


@pytest.mark.django_db(transaction=True)
def test_a_resource_and_a_library_share_their_picture(live_server, pictured):
    catalogue, _reflection = pictured
    resource, library = catalogue.resources[0], catalogue.library
    for page_path, image, alt in [
        (path("resources:detail", slug=resource.slug), resource.image, ["En karta över Öresund"]),
        (path("teams:library", slug=library.slug), library.logo, None),
        (path("offers:detail", slug=catalogue.offers[0].slug), library.logo, None),
    ]:
        properties, twitter, _url = share_tags(live_server, page_path)
        assert properties["og:image"] == [live_server.url + image.url]
        assert properties["og:image:width"] == [str(image.width)]
        assert properties["og:image:height"] == [str(image.height)]
        assert properties.get("og:image:alt") == alt
        assert twitter["twitter:card"] == "summary_large_image"
        with urllib.request.urlopen(properties["og:image"][0], timeout=20) as response:  # the preview's fetch
            assert response.headers["Content-Type"] == "image/webp"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_the_locale_is_the_pages_language(live_server, pictured, language):
    catalogue, _reflection = pictured
    properties, _twitter, url = share_tags(
        live_server, path("resources:detail", language, slug=catalogue.resources[0].slug)
    )
    assert properties["og:locale"] == [LOCALES[language]]
    assert properties["og:url"] == [url]
    assert f"/{language}/" in url


@pytest.mark.django_db(transaction=True)
def test_drafts_never_leak_through_the_tags(live_server, pictured):
    catalogue, reflection = pictured
    draft_image = catalogue.hidden[0].image
    hidden_titles = {item.title for item in catalogue.hidden}
    for page_path, _title, _kind in public_pages(catalogue, reflection):
        properties, twitter, _url = share_tags(live_server, page_path)
        values = {value for values in [*properties.values(), list(twitter.values())] for value in values}
        assert not any(title in value for title in hidden_titles for value in values), page_path
        assert not any(draft_image.name in value for value in values), page_path
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(live_server.url + draft_image.url, timeout=20)
    assert refused.value.code == 404
