"""A partner's page on another origin frames Delarum's embedded offer list in real Chromium; other pages refuse.

The partner page is served by a second HTTP server on 127.0.0.1, the live server answers on localhost: two
origins, as a municipal school site and Delarum are.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lxml.html
import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_patron_journey import assert_accessible, assert_fits_the_screen
from tests.browser.test_staff import sign_in
from tests.factories import LibraryFactory, OfferSessionFactory, SchoolOfferFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class PartnerSite:
    """A page on another origin that frames the addresses it is given."""

    def __init__(self) -> None:
        self.frames: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                iframes = "".join(
                    f'<iframe id="{name}" title="{name}" src="{src}" width="600" height="400"></iframe>'
                    for name, src in site.frames.items()
                )
                body = f"<!doctype html><html lang='sv'><title>Skolportalen</title><h1>Skolportalen</h1>{iframes}"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"


@pytest.fixture
def partner() -> Iterator[PartnerSite]:
    site = PartnerSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
    thread.join()


@pytest.fixture
def offer():
    library = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo", municipality="Malmö")
    offer = SchoolOfferFactory(
        title="Källkritikverkstad", slug="kallkritikverkstad", library=library, year_from=7, year_to=9,
        subjects=[SubjectFactory(name="Samhällskunskap", slug="samhallskunskap")],
    )  # fmt: skip
    OfferSessionFactory(offer=offer)
    SchoolOfferFactory(title="Sagostund", slug="sagostund", library=library, year_from=0, year_to=1)
    return offer


@pytest.fixture
def partner_page(browser: Browser) -> Iterator[Page]:
    # The page's own policies apply: no bypass_csp here, or the browser would ignore frame-ancestors.
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def framed(page: Page, partner: PartnerSite, frames: dict[str, str]) -> dict[str, Response]:
    """Opens the partner page framing ``frames``; the responses of the framed addresses, by frame name."""
    partner.frames = frames
    responses: dict[str, Response] = {}
    page.on("response", lambda response: responses.update({response.url: response}))
    page.goto(partner.url, wait_until="load")  # "load" waits for every frame
    return {name: responses[src] for name, src in frames.items()}


def test_a_partner_site_frames_the_offer_list_but_not_other_pages(live_server, partner, partner_page, offer):
    embed = f"{live_server.url}/embed/offers/?municipality=malmo&year=8&subject=samhallskunskap&lang=da"
    home = f"{live_server.url}/sv/"
    responses = framed(partner_page, partner, {"embedded": embed, "refused": home})

    assert responses["embedded"].status == 200
    assert "x-frame-options" not in responses["embedded"].headers
    assert "frame-ancestors *" in responses["embedded"].headers["content-security-policy"]
    embedded = partner_page.frame_locator("#embedded")
    expect(embedded.locator("html")).to_have_attribute("lang", "da")
    link = embedded.get_by_role("link", name="Källkritikverkstad")
    expect(link).to_have_attribute("href", "/da/offers/kallkritikverkstad/")
    expect(link).to_have_attribute("target", "_blank")
    expect(embedded.get_by_text("Sagostund")).to_have_count(0)  # filtered by school year

    # The offer page opens in a new tab, on Delarum, without a handle on the partner's page.
    with partner_page.context.expect_page() as new_tab:
        link.click()
    tab = new_tab.value
    tab.wait_for_load_state()
    assert tab.url == f"{live_server.url}/da/offers/kallkritikverkstad/"
    assert tab.evaluate("window.opener") is None

    # The home page answered, but refuses the frame: Chromium shows its error page instead.
    assert responses["refused"].headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in responses["refused"].headers["content-security-policy"]
    refused = partner_page.frame(url=lambda url: url.startswith("chrome-error://"))
    assert refused is not None
    assert refused.frame_element().get_attribute("id") == "refused"
    expect(partner_page.frame_locator("#refused").get_by_text("Delarum")).to_have_count(0)


def test_only_the_configured_sites_may_frame_the_list(live_server, settings, partner, partner_page, offer):
    settings.EMBED_ALLOWED_ORIGINS = ["https://skolportalen.example"]
    responses = framed(partner_page, partner, {"embedded": f"{live_server.url}/embed/offers/"})

    assert responses["embedded"].status == 200
    assert responses["embedded"].headers["content-security-policy"].count("frame-ancestors 'self' https://skolportalen")
    refused = partner_page.frame(url=lambda url: url.startswith("chrome-error://"))
    assert refused is not None
    assert refused.frame_element().get_attribute("id") == "embedded"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_embedded_list_is_accessible_and_fits_narrow_frames(live_server, browser: Browser, offer, viewport):
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe-core is injected by script
    page = context.new_page()
    page.goto(f"{live_server.url}/embed/offers/?lang=nb")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Källkritikverkstad")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    context.close()


def test_staff_build_the_snippet_with_a_live_preview(live_server, partner_page: Page, offer):
    UserFactory(username="anna", library=offer.library)
    page = partner_page  # Delarum's own policies apply, so the preview's script runs as it would for staff
    sign_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/en/staff/embed/")
    snippet = page.get_by_label("Copy this into the page where the offers should appear")
    expect(snippet).to_have_value(re.compile(r'src="http://localhost:\d+/embed/offers/\?lang=sv"'))
    preview = page.frame_locator(".embed-result__preview")
    expect(preview.get_by_role("link", name="Sagostund")).to_be_visible()

    page.evaluate("window.notReloaded = true")
    page.get_by_label("School year").select_option("8")
    page.get_by_label("Language of the list").select_option("nb")
    expect(snippet).to_have_value(re.compile(r'src="http://localhost:\d+/embed/offers/\?year=8&amp;lang=nb"'))
    expect(page.frame_locator(".embed-result__preview").locator("html")).to_have_attribute("lang", "nb")
    expect(page.frame_locator(".embed-result__preview").get_by_role("link", name="Sagostund")).to_have_count(0)
    expect(page.frame_locator(".embed-result__preview").get_by_role("link", name="Källkritikverkstad")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert "year=8" in page.url  # the address keeps the choices, to come back to

    # The snippet works where it is pasted.
    partner = lxml.html.fromstring(snippet.input_value())
    assert (partner.tag, partner.get("width"), partner.get("height")) == ("iframe", "100%", "600")


def test_the_snippet_page_is_accessible(live_server, page: Page, offer):
    UserFactory(username="anna", library=offer.library)
    sign_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/en/staff/embed/?municipality=malmo")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
