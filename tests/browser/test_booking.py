"""A teacher finds a school offer for their class and books it, in real Chromium: on a phone, and without
JavaScript. The confirmation e-mail is sent by the task queue's worker and read from the outbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect

from resources.models import Booking, BookingRequest
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_patron_journey import assert_accessible, assert_fits_the_screen
from tests.factories import LibraryFactory, OfferSessionFactory, SchoolOfferFactory, SubjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library():
    return LibraryFactory(
        name="Malmö stadsbibliotek", slug="malmo", street_address="Kung Oscars väg 11", postal_code="211 33",
        city="Malmö", email="info@malmo.example",
    )  # fmt: skip


@pytest.fixture
def offer(library):
    offer = SchoolOfferFactory(
        title="Källkritikverkstad", slug="kallkritikverkstad", library=library, year_from=7, year_to=9,
        contact_email="skola@malmo.example", subjects=[SubjectFactory(name="Samhällskunskap")],
    )  # fmt: skip
    starts = (timezone.localtime() + timedelta(days=14)).replace(hour=9, minute=0, second=0, microsecond=0)
    OfferSessionFactory(offer=offer, starts_at=starts, capacity=2)
    SchoolOfferFactory(title="Sagostund", slug="sagostund", library=library, year_from=0, year_to=1)
    return offer


def test_a_teacher_books_a_session_on_a_phone(live_server, browser: Browser, offer, screenshot_dir, jobs):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/en/offers/")
    page.get_by_role("combobox", name="School year").select_option("8")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "year=8" in page.url
    expect(page.locator(".card__title")).to_have_text(["Källkritikverkstad"])
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "booking-phone-list.png", full_page=True)

    page.get_by_role("link", name="Källkritikverkstad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Källkritikverkstad")
    expect(page.locator(".sessions")).to_contain_text("2 places left")
    assert_accessible(page)
    assert_fits_the_screen(page)

    form = page.locator("form.booking-form")
    form.get_by_label("Your name").fill("Karin Lärare")
    form.get_by_label("School", exact=True).fill("Rosengårdsskolan")
    form.get_by_label("E-mail").fill("karin@skola.example")
    form.get_by_label("School year").select_option("8")
    form.get_by_label("Number of pupils").fill("25")
    form.get_by_role("radio").first.check()
    form.get_by_label("I agree that the library stores these details to handle the booking.").check()
    page.screenshot(path=screenshot_dir / "booking-phone-form.png", full_page=True)
    form.get_by_role("button", name="Send the booking request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking request")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
    expect(page.get_by_role("status")).to_contain_text(reference)
    assert_accessible(page)
    assert_fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "booking-phone-done.png", full_page=True)

    jobs.run()
    teacher, library = mail.outbox
    assert teacher.to == ["karin@skola.example"]
    assert reference in teacher.subject
    assert library.to == ["skola@malmo.example"]
    booking = BookingRequest.objects.get(reference=reference)
    booking.session.refresh_from_db()
    assert booking.session.places_left == 1

    # The link in the e-mail cancels, and the place is free again.
    cancel_link = re.search(r"https?://\S+/cancel/", teacher.body).group(0)
    page.goto(cancel_link)
    page.get_by_role("button", name="Yes, cancel the request").click()
    expect(page.get_by_role("status")).to_contain_text("cancelled")
    booking.session.refresh_from_db()
    assert booking.session.places_left == 2
    context.close()


def test_a_request_with_proposed_days_works_without_javascript(live_server, browser: Browser, library, jobs):
    today = timezone.localdate()
    SchoolOfferFactory(
        title="Kodklubb på skolan", slug="kodklubb", library=library, year_from=4, year_to=6,
        booking=Booking.ON_REQUEST, season_start=today + timedelta(days=7), season_end=today + timedelta(days=60),
    )  # fmt: skip
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sv/offers/kodklubb/")

    form = page.locator("form.booking-form")
    form.get_by_label("Ditt namn").fill("Emma Persson")
    form.get_by_label("Skola", exact=True).fill("Rosengårdsskolan")
    form.get_by_label("E-post").fill("emma@skola.example")
    form.get_by_label("Årskurs").select_option("5")
    form.get_by_label("Antal elever").fill("24")
    day = (today + timedelta(days=10)).isoformat()
    form.get_by_label("Föreslaget datum 1").fill(day)
    form.get_by_label("Föreslaget datum 2").fill(day)  # the same day twice: only the server notices
    form.get_by_role("checkbox").check()
    form.get_by_role("button").click()

    # The server explains, beside the field, and keeps everything typed.
    expect(page.locator(".field--invalid .field__error")).to_have_text("Du har redan föreslagit den här dagen.")
    expect(form.get_by_label("Skola", exact=True)).to_have_value("Rosengårdsskolan")
    expect(form.get_by_label("Antal elever")).to_have_value("24")
    form.get_by_label("Föreslaget datum 2").fill((today + timedelta(days=12)).isoformat())
    form.get_by_role("button").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Din bokningsförfrågan")
    jobs.run()
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == ["emma@skola.example"]
    context.close()


@pytest.fixture
def screenshot_dir():
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
