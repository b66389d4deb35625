"""A mail outage never changes what a teacher sees about their booking (the issue's defect 1), and no e-mail
is lost: each is a job in the booking's transaction, retried until the mail server is back.

The mail server is real SMTP on loopback: nothing listens on its port while it is "down", and an aiosmtpd
server takes the port when it is "back". The worker is Procrastinate's, against the test database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from resources.models import BookingRequest
from resources.offers import services
from resources.offers.selectors import booking_token
from teams.jobs import MAIL_RETRY
from tests.factories import LibraryFactory, OfferSessionFactory, SchoolOfferFactory, UserFactory
from tests.jobs import job_count, smtp_server
from tests.offers.test_booking import form_data, post, translated, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_place():
    library = LibraryFactory(slug="malmo", email="info@malmo.example", country="SE")
    offer = SchoolOfferFactory(slug="kallkritik", library=library, contact_email="skola@malmo.example")
    return OfferSessionFactory(offer=offer, capacity=1)


def test_a_booking_while_the_mail_server_is_down_shows_its_reference_and_is_not_fully_booked_on_retry(
    client, last_place, jobs, smtp, settings
):
    # Production settings (DEBUG off), EMAIL_URL pointing at a server that refuses connections.
    assert not settings.DEBUG
    offer, data = last_place.offer, form_data(last_place)

    response = post(client, offer, data, follow=True)

    booking = BookingRequest.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain == [(url("offers:booking", token=booking_token(booking)), 302)]
    assert booking.reference in response.content.decode()
    # The teacher's receipt and the library's notice wait in the queue; the worker's try fails and is retried.
    jobs.run()
    waiting = jobs.all()
    assert [(job.status, job.attempts) for job in waiting] == [("todo", 1), ("todo", 1)]
    assert all(job.scheduled_at > timezone.now() + timedelta(seconds=MAIL_RETRY.wait) for job in waiting)

    # The teacher, seeing nothing wrong, reloads the page: still their request, not "fully booked".
    again = client.get(response.redirect_chain[-1][0])
    assert again.status_code == 200
    assert booking.reference in again.content.decode()
    assert translated(services.FULLY_BOOKED) not in again.content.decode()
    assert BookingRequest.objects.count() == 1
    assert job_count() == 2

    # The mail server is back; once the backoff has passed the worker delivers both, and the queue is empty.
    with smtp_server(smtp) as received:
        jobs.make_due()
        jobs.run()
    assert sorted(message["To"] for message in received) == ["karin@skola.example", "skola@malmo.example"]
    assert all(booking.reference in message["Subject"] for message in received)
    assert jobs.all() == []


def test_a_rolled_back_booking_enqueues_no_email(last_place):
    def book_then_fail() -> None:
        with transaction.atomic():
            services.booking_request_create(
                offer=last_place.offer, session=last_place, proposed_dates=[], teacher_name="Karin", school="Skolan",
                email="karin@skola.example", phone="", school_year=8, pupils=20, message="", language="sv",
                form_token=form_data()["form_token"], base_url="http://testserver",
            )  # fmt: skip
            assert job_count() == 2  # enqueued in the booking's transaction ...
            raise RuntimeError("something after the booking failed")

    with pytest.raises(RuntimeError):
        book_then_fail()
    assert BookingRequest.objects.count() == 0
    assert job_count() == 0  # ... and gone with it


def test_a_request_refused_as_fully_booked_enqueues_no_email(client, last_place):
    post(client, last_place.offer, form_data(last_place))
    response = post(client, last_place.offer, form_data(last_place, email="other@skola.example"))
    assert translated(services.FULLY_BOOKED) in response.content.decode()
    assert job_count() == 2  # the first request's two


def test_an_email_that_never_goes_stays_failed_in_the_admin_and_can_be_retried(client, last_place, jobs, smtp):
    post(client, last_place.offer, form_data(last_place))
    tries = 1 + MAIL_RETRY.max_attempts  # the first and every retry
    for _try in range(tries):
        jobs.make_due()
        jobs.run()
    assert [(job.status, job.attempts) for job in jobs.all()] == [("failed", tries)] * 2

    # Coordinators find them in the admin and, once the mail server is back, send them again.
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    changelist = reverse("admin:procrastinate_procrastinatejob_changelist")
    page = client.get(changelist, {"status": "failed"})
    failed = [job.pk for job in page.context["cl"].result_list]
    assert len(failed) == 2
    client.post(changelist, {"action": "retry", "_selected_action": failed})
    with smtp_server(smtp) as received:
        jobs.run()
    assert len(received) == 2
    assert jobs.all() == []
