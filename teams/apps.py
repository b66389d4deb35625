from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Libraries and teams")

    def ready(self) -> None:
        from teams.access import register_scope
        from teams.models import LearningTeam, Library, Membership, User

        # Who owns what (teams.access): a library is its own; a team belongs to its libraries and members.
        register_scope(Library, library_field="pk", team_field=None)
        register_scope(LearningTeam, library_field="libraries", team_field="pk")
        register_scope(Membership, library_field="team__libraries", team_field="team")
        register_scope(User, library_field="library", team_field=None)
