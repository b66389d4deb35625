"""iCalendar (RFC 5545) for staff activities: one activity, or a learning team's calendar feed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils import timezone

from teams.models import Activity

PRODUCT_ID = "-//Delarum//Staff activities//EN"
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


def _event(activity: Activity, url: str) -> list[str]:
    location = activity.location or (activity.host_library.name if activity.host_library else "")
    description = "\n".join(part for part in [activity.description, activity.focus_questions, url] if part)
    return [
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@delarum",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(activity.starts_at)}",
        f"DTEND:{_utc(activity.ends_at)}",
        f"SUMMARY:{_escape(activity.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{url}",
        "END:VEVENT",
    ]


def activities_calendar(activities: Iterable[Activity], *, url_for: Callable[[Activity], str], name: str = "") -> str:
    """A VCALENDAR with one event per activity; ``url_for`` gives each activity's page."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for activity in activities:
        lines += _event(activity, url_for(activity))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
