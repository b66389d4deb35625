"""A patron's first visit, in real Chromium: home → knowledge area → resource, on a phone and a desktop."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING_IMPACTS = {"serious", "critical"}


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def catalogue():
    team = LearningTeamFactory(name="Lärteam Öresund")
    area = KnowledgeAreaFactory(name="Källkritik", name_en="Source criticism", slug="source-criticism")
    area.teams.add(team)
    resource = ResourceFactory(
        title="Granska nyheter på nätet",
        summary="En kort kurs i källkritik för alla som läser nyheter.",
        areas=[area],
        team=team,
        tags=["källkritik", "nyheter"],
    )
    ResourceFactory(title="تحقق من الأخبار", slug="check-news-ar", language="ar", areas=[area])
    return area, resource


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in blocking)


def assert_fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_home_to_area_to_resource(live_server, page: Page, screenshot, catalogue, language):
    area, resource = catalogue
    page.goto(f"{live_server.url}/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot("home")

    page.get_by_role("link", name=area.localized_name if language == "sv" else "Source criticism").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Källkritik" if language == "sv" else "Source criticism")
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot("area")

    page.get_by_role("link", name=resource.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(resource.title)
    expect(page.get_by_role("heading", name=translated("About this resource", language))).to_be_visible()
    expect(page.locator("article.resource header")).to_have_attribute("lang", "sv")
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot("resource")


def test_arabic_resource_reads_right_to_left(live_server, page: Page, catalogue):
    page.goto(f"{live_server.url}/sv/resources/check-news-ar/")
    header = page.locator("article.resource header")
    expect(header).to_have_attribute("dir", "rtl")
    assert header.evaluate("element => getComputedStyle(element).direction") == "rtl"


def test_skip_link_moves_focus_to_the_content(live_server, page: Page, catalogue):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_search_and_filters_work_without_javascript(live_server, browser, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/resources/")
    page.get_by_label("Search", exact=True).fill("källkritik")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".card__title").first).to_have_text("Granska nyheter på nätet")
    expect(page.locator(".card__summary mark").first).to_have_text("källkritik")

    page.get_by_text("Filters and sorting").click()
    page.get_by_label("Search", exact=True).fill("")
    page.get_by_role("combobox", name="Language").select_option("ar")
    page.get_by_role("button", name="Show resources").click()
    assert "language=ar" in page.url
    expect(page.locator(".card__title")).to_have_text(["تحقق من الأخبار"])
    context.close()


def open_on_a_phone(page: Page, disclosure: str) -> None:
    """On a phone the header menu and the filters are closed disclosures: open one as a visitor would."""
    summary = page.locator(f"{disclosure} > summary")
    if summary.is_visible():
        summary.click()


def test_facets_narrow_the_results(live_server, page: Page, catalogue):
    page.goto(f"{live_server.url}/en/resources/")
    open_on_a_phone(page, ".facets")
    page.get_by_role("complementary").get_by_role("link", name="Arabic").click()
    expect(page.locator(".card__title")).to_have_text(["تحقق من الأخبار"])
    open_on_a_phone(page, ".facets")
    expect(page.get_by_role("complementary").get_by_role("link", name="Arabic")).to_have_attribute(
        "aria-current", "true"
    )


def test_language_switcher_keeps_the_page(live_server, page: Page, catalogue):
    area, _resource = catalogue
    page.goto(f"{live_server.url}/sv/areas/{area.slug}/")
    open_on_a_phone(page, ".site-menu")
    page.get_by_role("navigation", name=translated("Language", "sv")).get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/areas/{area.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Source criticism")
