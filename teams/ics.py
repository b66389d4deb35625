"""iCalendar (RFC 5545): the format, and staff activities (one activity, or a learning team's feed).

School offers' sessions use the same writer (``resources.offers.ics``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.http import HttpResponse
from django.utils import timezone

from teams.models import Activity

LINE_OCTETS = 75


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
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


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    extra: Iterable[str] = (),
) -> list[str]:
    """One VEVENT's lines; ``extra`` are further properties, already formatted."""
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}@delarum",
        f"DTSTAMP:{utc(timezone.now())}",
        f"DTSTART:{utc(starts_at)}",
        f"DTEND:{utc(ends_at)}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"LOCATION:{escape(location)}",
        f"URL:{url}",
        *extra,
        "END:VEVENT",
    ]


def calendar(events: Iterable[list[str]], *, product: str, name: str = "") -> str:
    """A VCALENDAR holding the events, folded and with CRLF line ends as RFC 5545 asks."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Delarum//{product}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event_lines in events:
        lines += event_lines
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def calendar_response(body: str, *, filename: str = "") -> HttpResponse:
    """A calendar for calendar apps; with ``filename``, a file to download rather than a feed to subscribe to."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def activities_calendar(activities: Iterable[Activity], *, url_for: Callable[[Activity], str], name: str = "") -> str:
    """A VCALENDAR with one event per activity; ``url_for`` gives each activity's page."""
    return calendar(
        (_activity_event(activity, url_for(activity)) for activity in activities), product="Staff activities", name=name
    )


def _activity_event(activity: Activity, url: str) -> list[str]:
    location = activity.location or (activity.host_library.name if activity.host_library else "")
    description = "\n".join(part for part in [activity.description, activity.focus_questions, url] if part)
    return event(
        uid=f"activity-{activity.pk}",
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        summary=activity.title,
        description=description,
        location=location,
        url=url,
    )
