"""The e-mails a booking request sends: to the teacher in the language they used, to the library in its own.

Called by the services after their transaction commits; each reads the request afresh, so what it says
is what was stored.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from resources.models import BookingRequest
from resources.offers.ics import session_calendar
from resources.offers.selectors import booking_token
from teams.text import render_email

logger = logging.getLogger(__name__)

TEMPLATES = "resources/offers/email"


def site_url(request: HttpRequest) -> str:
    """The site's address as this visitor reached it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def _booking(pk: int) -> BookingRequest:
    booking = BookingRequest.objects.for_listing().get(pk=pk)
    if booking.session is not None:
        booking.session.offer = booking.offer  # the calendar reads the session's offer and its library
    return booking


def _links(booking: BookingRequest, base_url: str) -> dict[str, str]:
    token = booking_token(booking)
    return {
        "booking_url": base_url + reverse("offers:booking", kwargs={"token": token}),
        "cancel_url": base_url + reverse("offers:cancel", kwargs={"token": token}),
        "offer_url": base_url + booking.offer.get_absolute_url(),
    }


def _to_teacher(booking: BookingRequest, name: str, *, base_url: str, calendar: bool = False) -> None:
    if not booking.email:
        return  # anonymised
    with translation.override(booking.language):
        links = _links(booking, base_url)
        context = {"booking": booking, "offer": booking.offer, "session": booking.session, **links}
        subject, body = render_email(f"{TEMPLATES}/{name}", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.email])
    if calendar and booking.session is not None:
        event = session_calendar(booking.session, url=links["offer_url"])
        message.attach(f"{booking.reference}.ics", event, "text/calendar")
    message.send()


def _to_library(booking: BookingRequest, name: str, *, base_url: str) -> None:
    address = booking.offer.notification_email
    if not address:
        logger.warning("School offer %s has no contact address; request %s not announced.", booking.offer, booking)
        return
    with translation.override(booking.offer.library.language):
        admin_url = base_url + reverse("admin:resources_bookingrequest_change", args=[booking.pk])
        context = {"booking": booking, "offer": booking.offer, "session": booking.session, "admin_url": admin_url}
        subject, body = render_email(f"{TEMPLATES}/{name}", context)
    reply_to = [booking.email] if booking.email else []
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], reply_to=reply_to).send()


def request_received(pk: int, *, base_url: str) -> None:
    """A new request: the teacher's confirmation of receipt with the reference, and the library's notice."""
    booking = _booking(pk)
    _to_teacher(booking, "teacher_received", base_url=base_url)
    _to_library(booking, "library_received", base_url=base_url)


def request_decided(pk: int, *, base_url: str, decision: str) -> None:
    """The library confirmed or declined: the teacher hears it, with the library's message."""
    booking = _booking(pk)
    _to_teacher(booking, f"teacher_{decision}", base_url=base_url, calendar=decision == "confirmed")


def request_moved(pk: int, *, base_url: str) -> None:
    booking = _booking(pk)
    _to_teacher(booking, "teacher_moved", base_url=base_url, calendar=True)


def request_cancelled(pk: int, *, base_url: str) -> None:
    """The teacher cancelled: both sides get a note, so the library can offer the place to someone else."""
    booking = _booking(pk)
    _to_teacher(booking, "teacher_cancelled", base_url=base_url)
    _to_library(booking, "library_cancelled", base_url=base_url)
