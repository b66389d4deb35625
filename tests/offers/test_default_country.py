"""The offer list starts in the visitor's country (by the page's language); the address always wins."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import LibraryFactory, SchoolOfferFactory

pytestmark = pytest.mark.django_db


def test_removing_the_country_facet_shows_every_country_rather_than_the_default_again(client):
    SchoolOfferFactory(title="Bokprat i Malmö", library=LibraryFactory(country="SE"))
    SchoolOfferFactory(title="Bogsnak i Aarhus", library=LibraryFactory(country="DK"))
    response = client.get("/sv/offers/")
    (country,) = [group for group in response.context["facets"] if group.name == "country"]
    (sweden,) = country.values
    assert sweden.selected
    assert sweden.url == "?country="
    assert response.context["default_country"]["all_url"] == "?country="
    page = client.get("/sv/offers/" + sweden.url).content.decode()
    assert "Bokprat i Malmö" in page
    assert "Bogsnak i Aarhus" in page


def test_the_all_countries_link_keeps_the_other_filters(client):
    SchoolOfferFactory(title="Bokprat i Malmö", library=LibraryFactory(country="SE"))
    response = client.get("/da/offers/", {"q": "bokprat", "year": "7"})
    with translation.override("da"):
        assert response.context["default_country"]["name"] == "Danmark"
    assert response.context["default_country"]["all_url"] == "?q=bokprat&year=7&country="
