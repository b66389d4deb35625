"""A patron who needs captions filters the resources by them, in real Chromium, on a 360 px phone and a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_patron_journey import assert_accessible, assert_fits_the_screen
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    ResourceFactory(title="Nyhetsvärdering med textning", kind="video", accessibility_features=["closedCaptions"])
    ResourceFactory(title="Svenska med inbränd text", kind="video", accessibility_features=["openCaptions"])
    ResourceFactory(title="Lättläst om val", accessibility_features=["easyToRead"])
    ResourceFactory(title="Film utan textning", kind="video")


def test_filter_by_captions(live_server, page: Page, screenshot, catalogue):
    page.goto(f"{live_server.url}/en/resources/")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"4 resources"))

    captions = page.get_by_role("link", name=re.compile(r"^Captions \(2\)"))
    if not captions.is_visible():  # on a phone the filters are folded into "Filter (0)"
        page.locator("summary.facets__toggle").click()
    captions.click()

    expect(page).to_have_url(re.compile(r"[?&]feature=captions"))
    expect(page.get_by_role("status")).to_have_text(re.compile(r"2 resources"))
    results = page.locator(".results")
    expect(results.get_by_role("heading", name="Nyhetsvärdering med textning")).to_be_visible()
    expect(results.get_by_role("heading", name="Svenska med inbränd text")).to_be_visible()
    expect(results.get_by_text("Film utan textning")).to_have_count(0)
    # The chosen filter is marked (folded away on a phone, so found in the document rather than by its role).
    expect(page.locator(".facets a[aria-current='true']")).to_have_text(re.compile(r"^Captions \(2\)"))
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot("captions")

    # The resource page says so in words.
    results.get_by_role("link", name="Nyhetsvärdering med textning").click()
    expect(page.get_by_text("Captions (can be turned off)")).to_be_visible()


def test_the_filter_form_without_javascript_gives_a_message_for_a_bad_value(live_server, page: Page, catalogue):
    page.goto(f"{live_server.url}/en/resources/?feature=subtitles")
    expect(page.get_by_text("Please correct the filters marked above.")).to_be_visible()
    # The form opens by itself when a filter needs correcting.
    page.get_by_label("Accessibility").select_option("captions")
    page.get_by_role("button", name="Show resources").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"2 resources"))
