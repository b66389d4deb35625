from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from teams import jsonld
from teams.models import LearningTeam, Library


class TeamListView(ListView):
    template_name = "teams/team_list.html"
    context_object_name = "teams"

    def get_queryset(self) -> QuerySet[LearningTeam]:
        return LearningTeam.objects.for_listing().prefetch_related("knowledge_areas")


class TeamDetailView(DetailView):
    template_name = "teams/team_detail.html"
    context_object_name = "team"

    def get_queryset(self) -> QuerySet[LearningTeam]:
        return LearningTeam.objects.for_listing()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        team = self.object
        areas = list(team.knowledge_areas.order_by("name"))
        # The team's resources are reached through reverse relations, so this app needs no import of
        # `resources`; the related managers bring that app's queryset methods along.
        return super().get_context_data(
            areas=areas,
            resources=team.resources.published().for_listing().newest_first()[:12],
            json_ld=jsonld.script(jsonld.team(self.request, team, areas=areas)),
            **kwargs,
        )


class LibraryDetailView(DetailView):
    """A library's public page: where it is, its learning teams and what it published lately."""

    template_name = "teams/library_detail.html"
    context_object_name = "library"
    queryset = Library.objects.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        library = self.object
        teams = list(library.learning_teams.order_by("name"))
        # Reached through reverse relations, as on the team page: this app does not import `resources`.
        return super().get_context_data(
            teams=teams,
            resources=library.resources.published().for_listing().newest_first()[:12],
            json_ld=jsonld.script(jsonld.library(self.request, library, teams=teams)),
            **kwargs,
        )
