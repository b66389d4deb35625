"""A teacher's booking request through the front door: every rule, e-mails after commit, no overbooking,
one request per form, spam and abuse, and cancelling through the signed link."""

from __future__ import annotations

import ipaddress
import re
import threading
import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation

from resources.models import Booking, BookingRequest, BookingStatus, OfferSession, Status
from resources.offers import services
from resources.offers.selectors import booking_token
from tests.factories import (
    BookingRequestFactory,
    LibraryFactory,
    OfferSessionFactory,
    SchoolOfferFactory,
)
from tests.jobs import job_count

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def translated(text: str, language: str = "sv") -> str:
    with translation.override(language):
        return translation.gettext(text)


def form_data(session: OfferSession | None = None, /, **changes: str | None) -> dict[str, str]:
    data = {
        "teacher_name": "Karin Lärare",
        "school": "Rosengårdsskolan",
        "email": "karin@skola.example",
        "phone": "040-12 34 56",
        "school_year": "8",
        "pupils": "25",
        "message": "Vi har läst om nyheter.",
        "consent": "on",
        "form_token": str(uuid.uuid4()),
        "website": "",
    }
    if session is not None:
        data["session"] = str(session.pk)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def library():
    return LibraryFactory(name="Malmö stadsbibliotek", slug="malmo", email="info@malmo.example", country="SE")


@pytest.fixture
def offer(library):
    return SchoolOfferFactory(
        title="Källkritikverkstad",
        slug="kallkritik",
        library=library,
        max_pupils=30,
        contact_email="skola@malmo.example",
    )


@pytest.fixture
def session(offer):
    return OfferSessionFactory(offer=offer, capacity=2)


@pytest.fixture
def on_request(library):
    today = timezone.localdate()
    return SchoolOfferFactory(
        slug="pa-begaran",
        library=library,
        booking=Booking.ON_REQUEST,
        season_start=today + timedelta(days=10),
        season_end=today + timedelta(days=60),
    )


def post(client, offer, data, language="sv", **extra):
    return client.post(url("offers:request", language, slug=offer.slug), data, **extra)


# A request that succeeds


def test_a_teacher_books_a_session_and_sees_a_reference(client, offer, session):
    response = post(client, offer, form_data(session))

    booking = BookingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("offers:booking", token=booking_token(booking))
    page = client.get(response["Location"]).content.decode()
    assert booking.reference in page
    assert (booking.status, booking.session, booking.visit_date) == ("pending", session, session.date)
    assert (booking.teacher_name, booking.school, booking.pupils, booking.school_year) == (
        "Karin Lärare", "Rosengårdsskolan", 25, 8
    )  # fmt: skip
    assert booking.consented_at is not None
    session.refresh_from_db()
    assert session.groups_booked == 1


def test_the_teacher_hears_in_their_language_and_the_library_is_told(client, offer, session, jobs):
    post(client, offer, form_data(session), language="da")
    # The request only enqueued the e-mails; the worker sends them.
    assert mail.outbox == []
    assert [job.task_name for job in jobs.all()] == ["resources.offers.emails.booking_email"] * 2

    jobs.run()
    booking = BookingRequest.objects.get()
    assert jobs.all() == []
    teacher, library = mail.outbox
    assert teacher.to == ["karin@skola.example"]
    subject = "Booking request received: %(title)s (%(reference)s)"
    assert teacher.subject == translated(subject, "da") % {"title": offer.title, "reference": booking.reference}
    assert translated(subject, "da") != subject
    assert booking.reference in teacher.body
    assert booking.language == "da"
    cancel_link = re.search(r"https?://\S+/cancel/", teacher.body).group(0)
    assert cancel_link.startswith("http://testserver/da/offers/bookings/")
    # The library reads Swedish (its country's language) and can answer the teacher directly.
    assert library.to == ["skola@malmo.example"]
    assert library.reply_to == ["karin@skola.example"]
    assert library.subject.startswith(translated("New booking request: %(title)s (%(reference)s)").split(":")[0])
    assert not library.subject.startswith("New booking request")
    assert "Karin Lärare" in library.body
    assert f"/admin/resources/bookingrequest/{booking.pk}/change/" in library.body


def test_on_request_offers_take_up_to_three_proposed_days(client, on_request, jobs):
    days = [on_request.season_start + timedelta(days=n) for n in (3, 5, 8)]
    data = form_data(**{f"proposed_date_{n}": day.isoformat() for n, day in enumerate(days, start=1)})

    response = post(client, on_request, data)
    jobs.run()

    assert response.status_code == 302
    booking = BookingRequest.objects.get()
    assert booking.session is None
    assert booking.proposed_dates == days
    assert booking.visit_date == days[0]
    assert len(mail.outbox) == 2


# Every rule, checked on the server, explained beside its field, with what was typed kept


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"teacher_name": ""}, "teacher_name", "This field is required."),
        ({"school": ""}, "school", "This field is required."),
        ({"email": "karin-at-skola"}, "email", "Enter a valid email address."),
        ({"phone": "call me"}, "phone", "Enter a phone number: digits, spaces and + - ( ) only."),
        ({"school_year": "3"}, "school_year", "Select a valid choice. %(value)s is not one of the available choices."),
        ({"pupils": "31"}, "pupils",
         "This offer takes at most %(limit_value)s pupils in a group. Send one request per group."),
        ({"pupils": "0"}, "pupils", "A group has at least one pupil."),
        ({"pupils": "många"}, "pupils", "Enter a whole number."),
        ({"session": None}, "session", "Choose a session."),
        ({"session": "999999"}, "session", "Choose one of the sessions listed."),
        ({"consent": None}, "consent", "We need your consent to store these details, or we cannot handle the request."),
        ({"message": "x" * 2001}, "message", None),
        ({"form_token": "not-a-token"}, "form_token", "The form is incomplete. Reload the page and send it again."),
    ],
)  # fmt: skip
def test_each_rule_is_explained_beside_its_field(client, offer, session, changes, field, message):
    response = post(client, offer, form_data(session, **changes))

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message:
        values = {"value": changes.get(field), "limit_value": 30}
        assert errors == [translated(message) % values if "%(" in message else translated(message)]
        assert translated(message) != message  # shown in Swedish
    assert not BookingRequest.objects.exists()
    content = response.content.decode()
    # Everything typed is still there.
    for name, value in form_data(session, **changes).items():
        if name not in {field, "consent", "session", "message", "form_token", "website"} and value:
            assert f'value="{value}"' in content, name
    assert form_data(session)["message"] in content or field == "message"


def test_a_session_of_another_offer_cannot_be_booked(client, offer, session):
    other = OfferSessionFactory()
    response = post(client, offer, form_data(other))
    assert "session" in response.context["form"].errors
    assert not BookingRequest.objects.exists()


def test_a_past_session_cannot_be_booked(client, offer):
    past = OfferSessionFactory(offer=offer, starts_at=timezone.now() - timedelta(days=1))
    response = post(client, offer, form_data(past))
    assert "session" in response.context["form"].errors


@pytest.mark.parametrize(
    ("days", "field", "message"),
    [
        ([], "proposed_date_1", "Propose at least one date."),
        ([-20], "proposed_date_1", "Propose a day after today."),
        ([0], "proposed_date_1", "Propose a day after today."),
        ([100], "proposed_date_1", "Propose a day within the offer's season."),
        ([15, 15], "proposed_date_2", "You proposed this day already."),
    ],
)
def test_proposed_days_must_be_in_the_season_and_to_come(client, on_request, days, field, message):
    today = timezone.localdate()
    if days == [0]:
        on_request.season_start = today - timedelta(days=5)
        on_request.save()
    data = form_data(**{f"proposed_date_{n}": (today + timedelta(days=d)).isoformat() for n, d in enumerate(days, 1)})

    response = post(client, on_request, data)

    assert response.context["form"].errors[field] == [translated(message)]
    assert not BookingRequest.objects.exists()


def test_a_fully_booked_session_says_so(client, offer):
    full = OfferSessionFactory(offer=offer, capacity=1)
    BookingRequestFactory(offer=offer, session=full)

    response = post(client, offer, form_data(full))

    assert response.context["form"].errors["session"] == [translated(str(services.FULLY_BOOKED))]
    assert BookingRequest.objects.count() == 1


def test_drafts_take_no_requests(client, offer, session):
    offer.status = Status.DRAFT
    offer.save()
    assert post(client, offer, form_data(session)).status_code == 404
    assert client.get(url("offers:request", slug=offer.slug)).status_code == 405


# No overbooking, one request per form


@pytest.mark.django_db(transaction=True)
def test_twenty_teachers_race_for_the_last_place_and_one_gets_it(jobs):
    session = OfferSessionFactory(capacity=3)
    BookingRequestFactory.create_batch(2, offer=session.offer, session=session)  # one place left
    offer = session.offer
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def teacher(number: int) -> None:
        try:
            start.wait()
            services.booking_request_create(
                offer=offer, session=session, proposed_dates=[], teacher_name=f"Lärare {number}",
                school="Skolan", email=f"larare{number}@skola.example", phone="", school_year=8, pupils=20,
                message="", language="sv", form_token=uuid.uuid4(), base_url="http://testserver",
            )  # fmt: skip
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.error_dict["session"][0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=teacher, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["fully_booked"] * 19
    session.refresh_from_db()
    assert session.groups_booked == session.capacity == 3
    assert BookingRequest.objects.filter(session=session).count() == 3
    jobs.run()
    assert len(mail.outbox) == 2  # the winner's receipt and the library's notice, nothing for the others


def test_a_double_click_makes_one_request(client, offer, session):
    data = form_data(session)
    first = post(client, offer, data)
    again = post(client, offer, data)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert BookingRequest.objects.count() == 1
    session.refresh_from_db()
    assert session.groups_booked == 1
    assert job_count() == 2  # the first post's two e-mails, none for the second


def test_a_double_click_on_the_last_place_shows_the_booking_it_made(client, offer):
    last = OfferSessionFactory(offer=offer, capacity=1)
    data = form_data(last)
    first = post(client, offer, data)

    again = post(client, offer, data)  # the session is full now, with this very form's booking

    assert again.status_code == 302
    assert (
        again["Location"]
        == first["Location"]
        == url("offers:booking", token=booking_token(BookingRequest.objects.get()))
    )
    last.refresh_from_db()
    assert last.groups_booked == 1


def test_a_used_form_cannot_be_reused_for_someone_else(client, offer, session):
    data = form_data(session)
    post(client, offer, data)

    response = post(client, offer, {**data, "email": "someone.else@skola.example"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [translated(str(services.FORM_ALREADY_SENT))]
    assert BookingRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_twice_at_once_makes_one_request(on_request):
    token, start = uuid.uuid4(), threading.Barrier(2)
    day = on_request.season_start + timedelta(days=1)
    results: list[tuple[int, bool]] = []

    def send() -> None:
        try:
            start.wait()
            booking, created = services.booking_request_create(
                offer=on_request, session=None, proposed_dates=[day], teacher_name="Karin", school="Skolan",
                email="karin@skola.example", phone="", school_year=8, pupils=20, message="", language="sv",
                form_token=token, base_url="http://testserver",
            )  # fmt: skip
            results.append((booking.pk, created))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert BookingRequest.objects.count() == 1
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False, True]


# Spam and abuse


def test_the_honeypot_turns_robots_away_with_a_clear_message(client, offer, session):
    response = post(client, offer, form_data(session, website="http://spam.example"))

    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert translated("Leave this field empty") in error
    assert not BookingRequest.objects.exists()


def test_one_address_may_post_only_so_often(client, offer, settings):
    settings.BOOKING_RATE_LIMIT = 2
    sessions = OfferSessionFactory.create_batch(3, offer=offer)
    for session in sessions[:2]:
        assert post(client, offer, form_data(session)).status_code == 302

    response = post(client, offer, form_data(sessions[2], school="Tredje skolan"))

    assert response.status_code == 429
    assert "Tredje skolan" in response.content.decode()
    (error,) = response.context["form"].non_field_errors()
    assert error == translated(
        "Too many booking requests have come from your address in the last hour, so this one was not "
        "sent. Please try again later, or contact the library."
    )
    assert BookingRequest.objects.count() == 2
    # Another address is not affected.
    assert post(client, offer, form_data(sessions[2]), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_limit(client, offer, settings):
    settings.BOOKING_RATE_LIMIT = 1
    session = OfferSessionFactory(offer=offer, capacity=5)
    assert post(client, offer, form_data(session), HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 302
    assert post(client, offer, form_data(session), HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 429
    assert post(client, offer, form_data(session), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert BookingRequest.objects.count() == 1


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, offer, settings):
    settings.BOOKING_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    session = OfferSessionFactory(offer=offer, capacity=5)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The visitor's forged first address changes each time; the proxy appends the one it saw.
    assert (
        post(client, offer, form_data(session), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **proxy).status_code == 302
    )
    assert (
        post(client, offer, form_data(session), HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.5", **proxy).status_code == 429
    )
    # Another visitor behind the same proxy is not affected.
    assert post(client, offer, form_data(session), HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302


# Cancelling through the signed link


def test_the_teacher_cancels_through_the_link_and_the_place_is_released(client, offer, session, jobs):
    post(client, offer, form_data(session))
    jobs.run()
    cancel_link = re.search(r"http://testserver(/\S+/cancel/)", mail.outbox[0].body).group(1)
    mail.outbox.clear()

    page = client.get(cancel_link)
    assert page.status_code == 200
    assert translated("Yes, cancel the request") in page.content.decode()
    session.refresh_from_db()
    assert session.groups_booked == 1  # looking at the page changes nothing

    response = client.post(cancel_link)
    jobs.run()

    booking = BookingRequest.objects.get()
    assert response.status_code == 302
    assert booking.status == BookingStatus.CANCELLED
    session.refresh_from_db()
    assert session.groups_booked == 0
    assert [message.to for message in mail.outbox] == [["karin@skola.example"], ["skola@malmo.example"]]
    # Twice is harmless.
    assert client.post(cancel_link).status_code == 302
    session.refresh_from_db()
    assert session.groups_booked == 0


def test_a_declined_request_cannot_be_cancelled(client, offer, session):
    booking = BookingRequestFactory(offer=offer, session=session, status=BookingStatus.DECLINED)
    response = client.post(url("offers:cancel", token=booking_token(booking)))
    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED


@pytest.mark.parametrize("name", ["offers:booking", "offers:cancel"])
def test_a_forged_or_altered_link_finds_nothing(client, offer, session, name):
    booking = BookingRequestFactory(offer=offer, session=session)
    assert client.get(url(name, token=f"{booking.reference}:forged")).status_code == 404
    assert client.get(url(name, token=booking.reference)).status_code == 404
    assert client.get(url(name, token=booking_token(booking))).status_code == 200


def test_the_booking_page_shows_the_request_and_is_not_cached(client, on_request):
    booking = BookingRequestFactory(
        offer=on_request, session=None, proposed_dates=[date(2027, 3, 2), date(2027, 3, 4)], staff_message=""
    )
    response = client.get(url("offers:booking", "en", token=booking_token(booking)))
    content = response.content.decode()
    assert booking.reference in content
    assert "March 2, 2027" in content
    assert "March 4, 2027" in content
    assert "no-cache" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in content
