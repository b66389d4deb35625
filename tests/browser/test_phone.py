"""At 360 px, in real Chromium: no page scrolls sideways, and the journeys people start on a phone hold (an offer's
facts, the self-assessment's chart and its export, the collapsed header menu, the filters at the top)."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from portal.accounts.tokens import unfollow_token
from resources.offers.selectors import booking_token
from teams.models import Visibility
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.factories import (
    ActivityFactory,
    AnswerFactory,
    AssessmentFactory,
    BookingRequestFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    MembershipFactory,
    OfferSessionFactory,
    ParticipationFactory,
    ReflectionFactory,
    ResourceFactory,
    SchoolOfferFactory,
    StatementFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# URL names that are not pages a person reads: files, feeds, form posts, the health check.
NOT_PAGES = {
    "health", "logout", "offers:request", "offers:session-ics", "offers:booking-ics", "staff:activity-ics",
    "staff:activity-sign-up", "staff:reflection-write", "staff:team-calendar", "staff:experience-tried",
    "staff:assessment-chart", "accounts:sign-out", "accounts:follow", "resources:go",
    # Feeds, the sitemap, robots.txt and uploaded files are not pages (tests/outputs/ checks them).
    "media", "robots", "sitemap", "sitemap-section", "offers:feed-atom", "offers:feed-rss", "resources:feed-atom",
    "resources:feed-rss", "resources:area-feed-atom", "resources:area-feed-rss", "resources:library-feed-atom",
    "resources:library-feed-rss", "resources:team-feed-atom", "resources:team-feed-rss",
    # Neither are the protocols and the API (tests/outputs/test_oai.py, test_embed.py and tests/api/ check them).
    "oai", "oembed",
}  # fmt: skip


@pytest.fixture
def portal(db) -> dict[str, Any]:
    """One of everything a page shows, with the long words and addresses real content has."""
    malmo = LibraryFactory(
        name="Malmö stadsbibliotek",
        slug="malmo",
        street_address="Kung Oscars väg 11",
        postal_code="211 33",
        city="Malmö",
    )
    team = LearningTeamFactory(name="Lärteam Syd", slug="larteam-syd", libraries=[malmo])
    anna = UserFactory(username="anna", first_name="Anna", library=malmo)
    MembershipFactory(team=team, user=anna)
    area = KnowledgeAreaFactory(name="Källkritik", slug="kallkritik", name_en="Source criticism")
    resource = ResourceFactory(
        title="Granska nyheter på nätet", slug="granska-nyheter", areas=[area], tags=["källkritik"], library=malmo
    )
    offer = SchoolOfferFactory(
        title="Källkritikverkstad för högstadiet", slug="kallkritikverkstad", library=malmo, year_from=7, year_to=9,
        max_pupils=30, contact_name="Lina Berg", contact_email="skolsamverkan.stadsbiblioteket@malmo.example",
        contact_phone="040-660 85 00", accessibility="Hörslinga finns. Hiss till alla våningar.",
        subjects=[SubjectFactory(name="Samhällskunskap")], areas=[area],
    )  # fmt: skip
    session = OfferSessionFactory(offer=offer, starts_at=timezone.now() + timedelta(days=14), capacity=2)
    booking = BookingRequestFactory(offer=offer, session=session)
    visit = ActivityFactory(team=team, title="Vandring till Dokk1", past=True)
    ParticipationFactory(activity=visit, user=anna)
    reflection = ReflectionFactory(activity=visit, author=anna, visibility=Visibility.PUBLIC)
    experience = ExperienceFactory(library=malmo, author=anna, title="Läsecirklar på lätt svenska", is_public=True)
    assessment = AssessmentFactory(team=team)
    for name, value in [("Ledarskap och strategi för digital kompetens", 2), ("Informationskompetens", 3),
                        ("Digitala verktyg i undervisningen", 1), ("Samarbete med skolan", 4)]:  # fmt: skip
        statement = StatementFactory(dimension__name=name, dimension__questionnaire=assessment.questionnaire)
        AnswerFactory(assessment=assessment, statement=statement, value=value)
    return {
        "library": malmo, "team": team, "user": anna, "area": area, "resource": resource, "offer": offer,
        "booking": booking, "activity": visit, "reflection": reflection, "experience": experience,
        "assessment": assessment,
    }  # fmt: skip


def pages(portal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every public and staff page, by URL name: its arguments."""
    return {
        "home": {}, "resources:areas": {}, "resources:area": {"slug": "kallkritik"}, "resources:list": {},
        "resources:detail": {"slug": "granska-nyheter"}, "resources:report": {"slug": "granska-nyheter"},
        "resources:tag": {"slug": portal["resource"].tags.get().slug},
        "teams:list": {}, "teams:detail": {"slug": "larteam-syd"}, "teams:library": {"slug": "malmo"},
        "offers:list": {}, "offers:detail": {"slug": "kallkritikverkstad"},
        "offers:booking": {"token": booking_token(portal["booking"])},
        "offers:cancel": {"token": booking_token(portal["booking"])},
        "sharing:experience": {"slug": portal["experience"].slug},
        "sharing:reflection": {"pk": portal["reflection"].pk},
        "login": {}, "password_reset": {}, "password_reset_done": {}, "password_reset_complete": {},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "password_change": {}, "password_change_done": {},
        "staff:home": {}, "staff:activities": {}, "staff:activity-create": {},
        "staff:activity": {"pk": portal["activity"].pk},
        "staff:reflection": {"pk": portal["reflection"].pk}, "staff:exchange": {},
        "staff:experience": {"slug": portal["experience"].slug}, "staff:experience-create": {},
        "staff:experience-edit": {"slug": portal["experience"].slug}, "staff:assessments": {},
        "staff:questionnaire": {"slug": portal["assessment"].questionnaire.slug},
        "staff:assessment": {"pk": portal["assessment"].pk}, "staff:embed": {},
        "embed-offers": {}, "embed-offer": {"slug": portal["offer"].slug},
        "accounts:sign-up": {}, "accounts:sign-up-done": {}, "accounts:sign-in": {}, "accounts:password-reset": {},
        "accounts:verify": {"uidb64": "MQ", "token": "not-a-token"}, "accounts:deleted": {},
        "accounts:unfollow": {"token": unfollow_token(user_id=portal["user"].pk, follow_id=None)},
        "accounts:account": {}, "accounts:delete": {},
    }  # fmt: skip


def address(name: str, language: str = "sv", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"phone-{name}.png", full_page=True)


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_every_public_and_staff_page_fits_a_phone(live_server, phone: Page, portal):
    from tests.curation.test_permission_matrix import url_names

    every = pages(portal)
    assert (
        sorted(name for name in url_names() - set(every) - NOT_PAGES if not name.startswith(("admin:", "api:"))) == []
    )
    sign_in(phone, live_server.url)
    wide = {}
    for name, kwargs in every.items():
        response = phone.goto(live_server.url + address(name, **kwargs))
        assert response is not None
        assert response.status < 400, name
        if (extra := overflow(phone)) > 0:
            wide[name] = extra
    assert wide == {}, f"these pages scroll sideways by so many pixels: {wide}"


def test_the_offer_page_shows_group_size_address_and_contact_on_a_phone(live_server, phone: Page, portal):
    phone.goto(live_server.url + address("offers:detail", "sv", slug="kallkritikverkstad"))
    assert overflow(phone) <= 0
    for text in ["Högst 30 elever per grupp", "Kung Oscars väg 11", "Lina Berg",
                 "skolsamverkan.stadsbiblioteket@malmo.example", "040-660 85 00"]:  # fmt: skip
        fact = phone.get_by_text(text, exact=False).first
        expect(fact).to_be_visible()
        box = fact.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"], f"{text} is cut off"
    shot(phone, "offer")


def test_the_assessment_result_reads_on_a_phone_and_exports_as_an_image(live_server, phone: Page, portal):
    sign_in(phone, live_server.url)
    phone.goto(live_server.url + address("staff:assessment", "en", pk=portal["assessment"].pk))
    assert overflow(phone) <= 0
    body = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    chart = phone.locator(".profile__chart svg")
    sizes = chart.locator("text").evaluate_all("texts => texts.map(t => parseFloat(getComputedStyle(t).fontSize))")
    assert sizes
    assert min(sizes) >= body
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    # Every label fits inside the chart: none is cut off at its edges.
    for label in chart.locator("text").all():
        label_box = label.bounding_box()
        assert label_box is not None
        assert label_box["x"] >= box["x"] - 1
        assert label_box["x"] + label_box["width"] <= box["x"] + box["width"] + 1
    # The tick marks' legend: what 1 and 4 mean.
    expect(phone.locator(".profile__legend")).to_contain_text("1 – not started")
    expect(phone.locator(".profile__legend")).to_contain_text("4 – leading the way")
    # The same figures as a table.
    table = phone.get_by_role("table")
    expect(table.get_by_role("row", name="Informationskompetens 3.00")).to_be_visible()
    shot(phone, "assessment")

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Download the chart as an image (SVG)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".svg")
    svg = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    # Chromium draws the file as an image, at its own width, with every dimension named in it.
    encoded = base64.b64encode(svg.encode()).decode()
    phone.set_content(f'<img alt="" src="data:image/svg+xml;base64,{encoded}">')
    natural = phone.evaluate(
        "new Promise(done => { const image = document.images[0]; "
        "const measure = () => done([image.naturalWidth, image.naturalHeight]); "
        "image.complete ? measure() : image.onload = measure; })"
    )
    assert natural[0] == 640
    assert natural[1] > 100
    assert "Samarbete med skolan" in svg


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_header_menu_collapses_on_a_phone(live_server, browser: Browser, portal, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + address("home", "en"))
    menu_link = page.get_by_role("link", name="School offers", exact=True).first
    expect(menu_link).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] <= PHONE["height"] / 8
    page.locator(".site-menu > summary").click()
    expect(menu_link).to_be_visible()
    menu_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School offers")
    context.close()


def test_the_header_menu_is_open_on_a_wide_screen(live_server, browser: Browser, portal):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + address("home", "en"))
    expect(page.get_by_role("link", name="School offers", exact=True).first).to_be_visible()
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    expect(page.get_by_role("heading", name="Narrow the results")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_filters_come_first_on_a_phone_as_a_disclosure_with_the_count(
    live_server, browser: Browser, portal, javascript
):
    for number in range(25):
        ResourceFactory(title=f"Källkritik steg {number}", areas=[portal["area"]], language="sv", kind="course")
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(
        live_server.url + address("resources:list", "en") + "?q=k%C3%A4llkritik&kind=course&language=sv&area=kallkritik"
    )
    toggle = page.get_by_text("Filter (3)", exact=True)
    expect(toggle).to_be_visible()
    results = page.locator(".results .cards")
    toggle_box, results_box = toggle.bounding_box(), results.bounding_box()
    assert toggle_box is not None
    assert results_box is not None
    assert toggle_box["y"] < results_box["y"]  # above the results, not below twenty of them
    facet = page.get_by_role("heading", name="Narrow the results")
    expect(facet).to_be_hidden()
    toggle.click()
    expect(facet).to_be_visible()
    assert overflow(page) <= 0
    if javascript:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "phone-search.png", full_page=True)
    context.close()


def test_the_offer_list_counts_its_filters_too(live_server, phone: Page, portal):
    phone.goto(live_server.url + address("offers:list", "en") + "?year=8")
    expect(phone.get_by_text("Filter (1)", exact=True)).to_be_visible()
    assert overflow(phone) <= 0
