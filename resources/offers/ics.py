"""iCalendar (RFC 5545) for a school offer's session: one event a teacher adds to their calendar.

A booked session is written with the ``icalendar`` package (``booking_calendar``): the file the confirmation
page offers and the teacher's e-mails attach, in the teacher's language and the library's time zone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from resources.models import BookingRequest, BookingStatus, OfferFormat, OfferSession
from teams import ics
from teams.models import Country

# The library's wall clock: a calendar in another time zone still shows the visit at the right hour.
TIME_ZONES: dict[str, str] = {
    Country.SWEDEN: "Europe/Stockholm",
    Country.DENMARK: "Europe/Copenhagen",
    Country.NORWAY: "Europe/Oslo",
}
EVENT_STATUS: dict[str, str] = {BookingStatus.CONFIRMED: "CONFIRMED", BookingStatus.CANCELLED: "CANCELLED"}


def _location(session: OfferSession) -> str:
    offer = session.offer
    library = offer.library
    if offer.format == OfferFormat.ONLINE:
        return str(OfferFormat.ONLINE.label)
    if offer.format == OfferFormat.AT_SCHOOL:
        return str(OfferFormat.AT_SCHOOL.label)
    return ", ".join([library.name, *library.address_lines])


def session_calendar(session: OfferSession, *, url: str) -> str:
    """A VCALENDAR with the session as its one event; ``url`` is the offer's page."""
    offer = session.offer
    organizer = offer.library.name.replace('"', "")
    return ics.calendar(
        [
            ics.event(
                uid=f"offer-session-{session.pk}",
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                summary=offer.title,
                description=f"{offer.years_label}\n{offer.summary}\n\n{url}",
                location=_location(session),
                url=url,
                extra=[f'ORGANIZER;CN="{organizer}":mailto:{offer.notification_email}'],
            )
        ],
        product="School offers",
    )


def has_calendar(booking: BookingRequest) -> bool:
    """Whether the request is for a session that is still expected: a file to add to a calendar."""
    return booking.session_id is not None and booking.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED)


def booking_calendar(booking: BookingRequest, *, base_url: str) -> bytes:
    """A VCALENDAR with the booked session as its one event, the same for the page and the e-mail.

    Written in the teacher's language; its UID names the booking, so a calendar updates the event it already
    has when the library moves the visit. Nothing of the teacher is in it. Only for ``has_calendar()``.
    """
    session, offer = booking.session, booking.offer
    assert session is not None
    zone = ZoneInfo(TIME_ZONES.get(offer.library.country, "Europe/Stockholm"))
    with translation.override(booking.language):
        offer_url = base_url + offer.get_absolute_url()
        reference = _("Booking reference: %(reference)s") % {"reference": booking.reference}
        description = "\n".join(part for part in [offer.years_label, offer.summary, reference, offer_url] if part)
        session.offer = offer
        location = _location(session)
    event = Event()
    event.add("uid", f"booking-{booking.reference.lower()}@delarum")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", booking.updated_at)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", offer.title)
    event.add("description", description)
    event.add("location", location)
    event.add("url", offer_url)
    event.add("status", EVENT_STATUS.get(booking.status, "TENTATIVE"))
    if offer.notification_email:
        organizer = vCalAddress(f"mailto:{offer.notification_email}")
        organizer.params["cn"] = vText(offer.library.name)
        event.add("organizer", organizer)
    calendar = Calendar()
    calendar.add("prodid", "-//Delarum//School offers//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
