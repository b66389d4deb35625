"""A teacher's way in, in real Chromium: the home page invites them to the school offers, which open on their own
country's libraries (by the page's language) with one visible click to every country's."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.factories import LibraryFactory, SchoolOfferFactory

pytestmark = pytest.mark.django_db(transaction=True)

SWEDISH, DANISH, NORWEGIAN = "Bokprat i Malmö", "Bogsnak i Aarhus", "Boksnakk i Bergen"


def translated(text: str, language: str, **values: str) -> str:
    with translation.override(language):
        return translation.gettext(text) % values


@pytest.fixture
def offers():
    for title, country, slug in [(SWEDISH, "SE", "malmo"), (DANISH, "DK", "aarhus"), (NORWEGIAN, "NO", "bergen")]:
        SchoolOfferFactory(title=title, library=LibraryFactory(slug=slug, country=country))


def expect_offers(page: Page, titles: list[str]) -> None:
    # Without words the list is ordered by next free session, then title: here, by title.
    expect(page.locator(".offer-card .card__title")).to_have_text(sorted(titles))


def test_the_home_page_invites_teachers_to_their_countrys_offers(live_server, page: Page, screenshot, offers):
    page.goto(f"{live_server.url}/sv/")
    invitation = page.get_by_role("region", name=translated("For teachers: school offers from the libraries", "sv"))
    expect(invitation).to_be_visible()
    invitation.get_by_role("link", name=translated("Find a school offer for your class", "sv")).click()
    expect(page).to_have_url(f"{live_server.url}/sv/offers/")
    expect_offers(page, [SWEDISH])
    note = page.locator(".country-default")
    expect(note).to_contain_text(translated("Showing offers from libraries in %(country)s.", "sv", country="Sverige"))
    screenshot("offers-in-sweden")

    note.get_by_role("link", name=translated("Show offers from all countries", "sv")).click()
    expect_offers(page, [SWEDISH, DANISH, NORWEGIAN])
    expect(page.locator(".country-default")).to_have_count(0)
    expect(page.locator("select[name=country]")).to_have_value("")


@pytest.mark.parametrize(
    ("language", "expected"), [("da", [DANISH]), ("nb", [NORWEGIAN]), ("en", [SWEDISH, DANISH, NORWEGIAN])]
)
def test_the_offer_list_starts_in_the_country_of_the_language(live_server, page: Page, offers, language, expected):
    page.goto(f"{live_server.url}/{language}/offers/")
    expect_offers(page, expected)
    expect(page.locator(".country-default")).to_have_count(0 if language == "en" else 1)


def test_a_country_in_the_address_wins_over_the_language(live_server, page: Page, offers):
    page.goto(f"{live_server.url}/sv/offers/?country=NO")
    expect_offers(page, [NORWEGIAN])
    expect(page.locator(".country-default")).to_have_count(0)
    page.goto(f"{live_server.url}/sv/offers/?country=")
    expect_offers(page, [SWEDISH, DANISH, NORWEGIAN])
