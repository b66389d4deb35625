"""iCalendar (RFC 5545) for a school offer's session: one event a teacher adds to their calendar."""

from __future__ import annotations

from resources.models import OfferFormat, OfferSession
from teams import ics


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
