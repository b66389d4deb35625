"""iCalendar (RFC 5545) for a school offer's session: one event a teacher adds to their calendar."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from resources.models import OfferFormat, OfferSession

PRODUCT_ID = "-//Delarum//School offers//EN"
LINE_OCTETS = 75


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    parts: list[str] = []
    current = ""
    for character in line:
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if len((current + character).encode()) > limit:
            parts.append(current)
            current = character
        else:
            current += character
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _location(session: OfferSession) -> str:
    offer = session.offer
    library = offer.library
    if offer.format == OfferFormat.ONLINE:
        return str(OfferFormat.ONLINE.label)
    if offer.format == OfferFormat.AT_SCHOOL:
        return str(OfferFormat.AT_SCHOOL.label)
    address = ", ".join(
        part for part in [library.street_address, f"{library.postal_code} {library.city}".strip()] if part
    )
    return f"{library.name}, {address}" if address else library.name


def session_calendar(session: OfferSession, *, url: str) -> str:
    """A VCALENDAR with the session as its one event; ``url`` is the offer's page."""
    offer = session.offer
    description = f"{offer.summary}\n\n{url}"
    organizer = offer.library.name.replace('"', "")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:offer-session-{session.pk}@delarum",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.ends_at)}",
        f"SUMMARY:{_escape(offer.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(_location(session))}",
        f"URL:{url}",
        f'ORGANIZER;CN="{organizer}":mailto:{offer.notification_email}',
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
