from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Learning resources")

    def ready(self) -> None:
        from resources.models import (
            BookingRequest,
            Collection,
            HarvestSource,
            OfferSession,
            OfferUsage,
            ProblemReport,
            Resource,
            ResourceUsage,
            SchoolOffer,
        )
        from teams.access import register_scope

        # Who owns what (teams.access): every model that belongs to a library or a team says so here.
        register_scope(Resource, library_field="library", team_field="team")
        register_scope(ProblemReport, library_field="resource__library", team_field="resource__team")
        # Collections are reviewed by the owner's library's leads, or the owning team's.
        register_scope(Collection, library_field="owner__library", team_field="team")
        register_scope(SchoolOffer, library_field="library", team_field="team")
        register_scope(HarvestSource, library_field="library", team_field="team")
        register_scope(OfferSession, library_field="offer__library", team_field="offer__team")
        # Booking requests hold teachers' personal data: only the offering library's staff see them.
        register_scope(BookingRequest, library_field="offer__library", team_field=None)
        # Usage statistics are their resource's and offer's; searches belong to no library (resources/usage.py).
        register_scope(ResourceUsage, library_field="resource__library", team_field="resource__team")
        register_scope(OfferUsage, library_field="offer__library", team_field="offer__team")
