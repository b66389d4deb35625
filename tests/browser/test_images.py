"""Pictures on a phone, in real Chromium: the resource page does not scroll sideways, and nothing moves when its
image arrives late (the layout shifts that PerformanceObserver reports add up to zero)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Route

from tests.browser.conftest import ARTIFACTS, PHONE
from tests.factories import LibraryFactory, ResourceFactory
from tests.images import give_picture

pytestmark = pytest.mark.django_db(transaction=True)

# Adds up every layout shift not caused by the visitor, from the first paint on (Cumulative Layout Shift).
COUNT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def resource(db):
    library = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo")
    give_picture(library, "logo")
    resource = ResourceFactory(
        library=library,
        title="Bilder som ljuger: att granska fotografier i nyhetsflödet",
        description="Övningar i att känna igen manipulerade bilder.\n\n" * 6,
    )
    give_picture(resource, alt="Ett fotografi av Öresundsbron i dimma", width=1600, height=1000)
    return resource


def test_the_resource_page_with_an_image_fits_a_phone_and_does_not_move(live_server, browser: Browser, resource):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(COUNT_SHIFTS)
    held: list[Route] = []
    page.route("**/media/**", lambda route: held.append(route))  # the picture waits until the page is painted
    with translation.override("sv"):
        url = live_server.url + reverse("resources:detail", kwargs={"slug": resource.slug})
    page.goto(url, wait_until="domcontentloaded")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function("() => performance.getEntriesByType('paint').length > 0")
    assert held, "the page asked for its picture"
    for route in held:
        route.continue_()
    image = page.locator("img.resource__image")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")

    assert page.evaluate("window.layoutShift") == 0
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    box = image.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("640", "400")
    assert image.get_attribute("loading") == "lazy"
    assert image.get_attribute("alt") == "Ett fotografi av Öresundsbron i dimma"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-resource-image.png", full_page=True)
    context.close()
