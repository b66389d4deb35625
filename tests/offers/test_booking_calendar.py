""" "Add to calendar": the confirmation page offers the booked session's .ics and the teacher's e-mail attaches
the same one. Both are read with ``icalendar``, the file fetched over HTTP from the live test server."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from resources.models import BookingRequest, BookingStatus
from resources.offers.selectors import booking_token
from tests.factories import BookingRequestFactory, LibraryFactory, OfferSessionFactory, SchoolOfferFactory
from tests.offers.test_booking import form_data, post, url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session():
    library = LibraryFactory(
        name="Aarhus Bibliotekerne", slug="aarhus", street_address="Hack Kampmanns Plads 2", postal_code="8000",
        city="Aarhus C", country="DK",
    )  # fmt: skip
    offer = SchoolOfferFactory(
        title="Kildekritik", slug="kildekritik", library=library, contact_email="skole@aarhus.example"
    )
    starts = (timezone.now() + timedelta(days=14)).replace(hour=8, minute=30, second=0, microsecond=0)
    return OfferSessionFactory(offer=offer, starts_at=starts, capacity=3)


def fetch(live_server, path: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(live_server.url + path) as response:
        return response.headers["Content-Type"], response.read()


def the_event(data: bytes):
    calendar = Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_page_and_the_e_mail_give_the_same_calendar_file(client, live_server, session, jobs):
    response = post(client, session.offer, form_data(session), language="da")
    booking = BookingRequest.objects.get()
    token = booking_token(booking)
    page = client.get(response["Location"]).content.decode()
    ics_path = url("offers:booking-ics", "da", token=token)
    assert f'href="{ics_path}"' in page

    content_type, data = fetch(live_server, ics_path)
    assert content_type == "text/calendar; charset=utf-8"
    calendar, event = the_event(data)
    assert str(event["SUMMARY"]) == "Kildekritik"
    # The library's wall clock, with its time zone in the file.
    copenhagen = ZoneInfo("Europe/Copenhagen")
    assert event.decoded("DTSTART") == session.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("DTSTART").utcoffset() == session.starts_at.astimezone(copenhagen).utcoffset()
    assert event.decoded("DTEND") == session.ends_at
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert str(event["LOCATION"]) == "Aarhus Bibliotekerne, Hack Kampmanns Plads 2, 8000 Aarhus C"
    description = str(event["DESCRIPTION"])
    assert booking.reference in description
    assert f"{live_server.url}{url('offers:detail', 'da', slug='kildekritik')}" in description
    assert str(event["UID"]) == f"booking-{booking.reference.lower()}@delarum"
    # Nothing of the teacher travels in the file.
    assert "karin" not in data.decode().lower()

    jobs.run()
    teacher = next(message for message in mail.outbox if message.to == ["karin@skola.example"])
    ((filename, _, mimetype),) = teacher.attachments
    assert (filename, mimetype) == (f"{booking.reference}.ics", "text/calendar; method=PUBLISH")
    (part,) = [part for part in teacher.message().walk() if part.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    _, mailed = the_event(part.get_payload(decode=True))
    for name in ("UID", "SUMMARY", "LOCATION"):
        assert str(mailed[name]) == str(event[name])
    assert (mailed.decoded("DTSTART"), mailed.decoded("DTEND")) == (event.decoded("DTSTART"), event.decoded("DTEND"))
    assert booking.reference in str(mailed["DESCRIPTION"])


def test_each_booking_has_its_own_stable_uid(live_server, session):
    first, second = BookingRequestFactory.create_batch(2, offer=session.offer, session=session)
    uids = []
    for booking in (first, second, first):
        _, data = fetch(live_server, url("offers:booking-ics", token=booking_token(booking)))
        uids.append(str(the_event(data)[1]["UID"]))
    assert uids[0] == uids[2] != uids[1]


@pytest.mark.parametrize("token", ["XXXX-XXXX", "forged:signature"])
def test_no_calendar_without_the_bookings_secret_link(live_server, session, token):
    booking = BookingRequestFactory(offer=session.offer, session=session)
    assert token != booking_token(booking)
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(live_server, url("offers:booking-ics", token=booking.reference if token == "XXXX-XXXX" else token))
    assert refused.value.code == 404


def test_a_declined_request_has_no_calendar(client, session):
    booking = BookingRequestFactory(offer=session.offer, session=session, status=BookingStatus.DECLINED)
    token = booking_token(booking)
    assert client.get(url("offers:booking-ics", token=token)).status_code == 404
    assert url("offers:booking-ics", token=token) not in client.get(url("offers:booking", token=token)).content.decode()
