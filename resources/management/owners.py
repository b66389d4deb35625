"""The library and learning team that commands writing resources (import, harvest) give them."""

from __future__ import annotations

from django.core.management.base import CommandError

from teams.models import LearningTeam, Library


def library_and_team(library_slug: str, team_slug: str | None) -> tuple[Library, LearningTeam | None]:
    """The library and team the slugs name; CommandError when either is unknown or the team lacks the library."""
    library = Library.objects.filter(slug=library_slug).first()
    if library is None:
        raise CommandError(f"No library has the slug {library_slug!r}.")
    if not team_slug:
        return library, None
    team = LearningTeam.objects.filter(slug=team_slug).first()
    if team is None:
        raise CommandError(f"No learning team has the slug {team_slug!r}.")
    if not team.libraries.filter(pk=library.pk).exists():
        raise CommandError(f"The learning team {team.slug!r} does not include the library {library.slug!r}.")
    return library, team
