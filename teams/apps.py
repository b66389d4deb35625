from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Libraries and teams")

    def ready(self) -> None:
        from teams.access import register_scope
        from teams.models import (
            Activity,
            Assessment,
            Experience,
            LearningTeam,
            Library,
            Membership,
            Participation,
            Reflection,
            TriedToo,
            User,
        )

        # Who owns what (teams.access): a library is its own; a team belongs to its libraries and members.
        register_scope(Library, library_field="pk", team_field=None)
        register_scope(LearningTeam, library_field="libraries", team_field="pk")
        register_scope(Membership, library_field="team__libraries", team_field="team")
        register_scope(User, library_field="library", team_field=None)
        # Staff sharing: activities and self-assessments belong to a team (and its libraries); reflections to
        # their activity's team and their author's library; exchange-bank entries to their library.
        register_scope(Activity, library_field="team__libraries", team_field="team")
        register_scope(Participation, library_field="activity__team__libraries", team_field="activity__team")
        register_scope(Reflection, library_field="author__library", team_field="activity__team")
        register_scope(Experience, library_field="library", team_field=None)
        register_scope(TriedToo, library_field="experience__library", team_field=None)
        register_scope(Assessment, library_field="team__libraries", team_field="team")
