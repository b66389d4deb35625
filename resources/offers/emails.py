"""The e-mails a booking request sends: to the teacher in the language they used, to the library in its own.

The services call ``announce()`` inside their transaction: it enqueues one job per e-mail, so the e-mails
go only if the booking is stored, and a mail server that is away delays them (the job is tried again)
instead of losing them or troubling the teacher. Each job reads the request afresh when it runs, so what it
says is what is stored then, and the queue holds no personal data, only the request's id.
"""

from __future__ import annotations

import logging
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from resources.models import BookingRequest
from resources.offers.ics import session_calendar
from resources.offers.selectors import booking_token
from teams.jobs import mail_task
from teams.text import render_email

logger = logging.getLogger(__name__)

TEMPLATES = "resources/offers/email"

Event = Literal["received", "confirmed", "declined", "moved", "cancelled"]
# Who hears of each event: the teacher always, the library of a new request and of a cancellation.
TEACHER_ONLY: tuple[str, ...] = ("teacher",)
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "received": ("teacher", "library"),
    "confirmed": TEACHER_ONLY,
    "declined": TEACHER_ONLY,
    "moved": TEACHER_ONLY,
    "cancelled": ("teacher", "library"),
}
# The teacher's e-mails that carry the visit as a calendar file.
WITH_CALENDAR = {"confirmed", "moved"}


def site_url(request: HttpRequest) -> str:
    """The site's address as this visitor reached it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def announce(booking: BookingRequest, event: Event, *, base_url: str) -> None:
    """Enqueue the e-mails of ``event`` in the caller's transaction: sent if it commits, never if it does not."""
    for recipient in RECIPIENTS[event]:
        booking_email.defer(booking_id=booking.pk, event=event, recipient=recipient, base_url=base_url)


@mail_task
def booking_email(*, booking_id: int, event: str, recipient: str, base_url: str) -> None:
    """One e-mail about a booking request, to the teacher or to the library (a job: retried while mail is down)."""
    booking = _booking(booking_id)
    if booking is None:
        logger.info("Booking request %s is gone; its %s e-mail is not sent.", booking_id, event)
        return
    message = (
        _to_teacher(booking, f"teacher_{event}", base_url=base_url, calendar=event in WITH_CALENDAR)
        if recipient == "teacher"
        else _to_library(booking, f"library_{event}", base_url=base_url)
    )
    if message is not None:
        message.send()


def _booking(pk: int) -> BookingRequest | None:
    booking = BookingRequest.objects.for_listing().filter(pk=pk).first()
    if booking is not None and booking.session is not None:
        booking.session.offer = booking.offer  # the calendar reads the session's offer and its library
    return booking


def _links(booking: BookingRequest, base_url: str) -> dict[str, str]:
    token = booking_token(booking)
    return {
        "booking_url": base_url + reverse("offers:booking", kwargs={"token": token}),
        "cancel_url": base_url + reverse("offers:cancel", kwargs={"token": token}),
        "offer_url": base_url + booking.offer.get_absolute_url(),
    }


def _to_teacher(booking: BookingRequest, name: str, *, base_url: str, calendar: bool) -> EmailMessage | None:
    if not booking.email:
        return None  # anonymised
    with translation.override(booking.language):
        links = _links(booking, base_url)
        context = {"booking": booking, "offer": booking.offer, "session": booking.session, **links}
        subject, body = render_email(f"{TEMPLATES}/{name}", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.email])
    if calendar and booking.session is not None:
        event = session_calendar(booking.session, url=links["offer_url"])
        message.attach(f"{booking.reference}.ics", event, "text/calendar")
    return message


def _to_library(booking: BookingRequest, name: str, *, base_url: str) -> EmailMessage | None:
    address = booking.offer.notification_email
    if not address:
        logger.warning("School offer %s has no contact address; request %s not announced.", booking.offer, booking)
        return None
    with translation.override(booking.offer.library.language):
        admin_url = base_url + reverse("admin:resources_bookingrequest_change", args=[booking.pk])
        context = {"booking": booking, "offer": booking.offer, "session": booking.session, "admin_url": admin_url}
        subject, body = render_email(f"{TEMPLATES}/{name}", context)
    reply_to = [booking.email] if booking.email else []
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], reply_to=reply_to)
