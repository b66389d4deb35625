"""What may be followed: a small registry of kinds, each knowing how to find, name and link the thing, who may
follow it, and what is new in it since a moment. Only published things are ever new for a patron; staff kinds
(problem reports, review requests) are for the members of the team alone (``teams.access``).

A kind is one class registered with ``@register``. The collections' kind goes where the marked place below is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.db.models import Model
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resources.models import KnowledgeArea, ProblemReport, Resource, SchoolOffer, Status
from resources.selectors import newest_in_search, normalised_search, saved_search_form
from teams.access import is_staff_member, own_teams
from teams.models import LearningTeam, Library

# At most this many new things of one followed thing are listed in a digest; the link shows the rest.
DIGEST_ITEMS = 10


@dataclass(frozen=True)
class NewThing:
    """One line of a digest: a title, where it is (a path on the site) and a short text."""

    title: str
    path: str
    summary: str = ""


class FollowKind:
    """One kind of thing to follow. ``model`` is None for kinds named by a query string (saved searches)."""

    key: ClassVar[str]
    label: ClassVar[Any]  # lazily translated: "knowledge area"
    button: ClassVar[Any]  # lazily translated: "Follow this knowledge area"
    model: ClassVar[type[Model] | None] = None
    staff_only: ClassVar[bool] = False

    def targets(self, ids: Iterable[int]) -> dict[int, Any]:
        """The followed things by id, in one query; a deleted thing is missing (its follows are passed over)."""
        assert self.model is not None
        return self.model._default_manager.in_bulk(set(ids))

    def name(self, target: Any, query: str) -> str:
        return str(target)

    def path(self, target: Any, query: str) -> str:
        return str(target.get_absolute_url())

    def may_follow(self, user: Any, target: Any) -> bool:
        return True

    def new_since(self, target: Any, query: str, since: datetime, until: datetime) -> list[NewThing]:
        raise NotImplementedError

    @staticmethod
    def newest(things: Any) -> list[NewThing]:
        """Lines for the newest published resources or offers of a queryset."""
        return [
            NewThing(thing.title, thing.get_absolute_url(), thing.summary)
            for thing in things.order_by("-published_at", "-pk")[:DIGEST_ITEMS]
        ]


KINDS: dict[str, FollowKind] = {}


def register(kind: type[FollowKind]) -> type[FollowKind]:
    KINDS[kind.key] = kind()
    return kind


def published_between(resources: Any, since: datetime, until: datetime) -> Any:
    return resources.filter(status=Status.PUBLISHED, published_at__gt=since, published_at__lte=until)


@register
class AreaKind(FollowKind):
    key, model = "area", KnowledgeArea
    label, button = _("knowledge area"), _("Follow this knowledge area")

    def name(self, target: KnowledgeArea, query: str) -> str:
        return target.localized_name

    def new_since(self, target: KnowledgeArea, query: str, since: datetime, until: datetime) -> list[NewThing]:
        return self.newest(published_between(Resource.objects.in_area(target), since, until))


@register
class TeamKind(FollowKind):
    key, model = "team", LearningTeam
    label, button = _("learning team"), _("Follow this learning team")

    def new_since(self, target: LearningTeam, query: str, since: datetime, until: datetime) -> list[NewThing]:
        return self.newest(published_between(Resource.objects.filter(team=target), since, until))


@register
class LibraryOffersKind(FollowKind):
    key, model = "library-offers", Library
    label, button = _("school offers of a library"), _("Follow this library's school offers")

    def name(self, target: Library, query: str) -> str:
        return str(_("School offers of %(library)s") % {"library": target.name})

    def new_since(self, target: Library, query: str, since: datetime, until: datetime) -> list[NewThing]:
        return self.newest(published_between(SchoolOffer.objects.filter(library=target), since, until))


@register
class SearchKind(FollowKind):
    """A saved search: the resource search page's normalised query string (``normalised_search``)."""

    key = "search"
    label, button = _("search"), _("Follow this search")

    def targets(self, ids: Iterable[int]) -> dict[int, Any]:
        return {}

    def name(self, target: Any, query: str) -> str:
        words = QueryDict(query).get("q")
        return str(
            _("Search for “%(query)s”") % {"query": words}
            if words
            else _("Search with filters: %(filters)s") % {"filters": query}
        )

    def path(self, target: Any, query: str) -> str:
        return f"{reverse('resources:list')}?{query}"

    def new_since(self, target: Any, query: str, since: datetime, until: datetime) -> list[NewThing]:
        form = saved_search_form(QueryDict(query))
        if not form.is_valid():  # an area or tag of the search was removed since
            return []
        return self.newest(newest_in_search(form, since=since).filter(published_at__lte=until))

    @staticmethod
    def normalised(params: QueryDict) -> str | None:
        """The saved search's name for these search parameters; None if they are not a valid search."""
        form = saved_search_form(params)
        return normalised_search(form) if form.is_valid() else None


class TeamStaffKind(FollowKind):
    """Staff follow what waits for their own teams, linked to its admin page; a follow of a team one has left
    tells nothing more. Each kind names its queue's model admin, its date, and how the changelist filters a team."""

    model, staff_only = LearningTeam, True
    name_text: ClassVar[Any]  # lazily translated, with the team's name for %(team)s
    admin: ClassVar[str]  # "resources_problemreport": the admin's URL names
    team_filter: ClassVar[str]  # the changelist's query string for one team, with {team}
    dated_by: ClassVar[str]  # the field that says when a thing joined the queue

    def may_follow(self, user: Any, target: LearningTeam) -> bool:
        return is_staff_member(user) and own_teams(user).filter(pk=target.pk).exists()

    def name(self, target: LearningTeam, query: str) -> str:
        return str(self.name_text % {"team": target.name})

    def path(self, target: LearningTeam, query: str) -> str:
        return reverse(f"admin:{self.admin}_changelist") + "?" + self.team_filter.format(team=target.pk)

    def queue(self, target: LearningTeam) -> Any:
        raise NotImplementedError

    def line(self, item: Any) -> NewThing:
        raise NotImplementedError

    def new_since(self, target: LearningTeam, query: str, since: datetime, until: datetime) -> list[NewThing]:
        waiting = self.queue(target).filter(**{f"{self.dated_by}__gt": since, f"{self.dated_by}__lte": until})
        return [self.line(item) for item in waiting.order_by(f"-{self.dated_by}", "-pk")[:DIGEST_ITEMS]]

    def change_path(self, item: Any) -> str:
        return reverse(f"admin:{self.admin}_change", args=[item.pk])


@register
class TeamReportsKind(TeamStaffKind):
    key = "team-reports"
    label, button = _("problem reports of a learning team"), _("Follow this team's problem reports")
    name_text = _("Problem reports for %(team)s")
    admin, team_filter, dated_by = "resources_problemreport", "resource__team__id__exact={team}", "created_at"

    def queue(self, target: LearningTeam) -> Any:
        return ProblemReport.objects.open().filter(resource__team=target).select_related("resource")

    def line(self, item: ProblemReport) -> NewThing:
        return NewThing(str(item), self.change_path(item), item.message)


@register
class TeamReviewsKind(TeamStaffKind):
    key = "team-reviews"
    label, button = _("review requests of a learning team"), _("Follow this team's review requests")
    name_text = _("Review requests for %(team)s")
    admin, team_filter, dated_by = "resources_resource", "status__exact=in_review&team__id__exact={team}", "updated_at"

    def queue(self, target: LearningTeam) -> Any:
        return Resource.objects.filter(team=target, status=Status.IN_REVIEW)

    def line(self, item: Resource) -> NewThing:
        return NewThing(item.title, self.change_path(item), item.summary)


# INTEGRATOR: the collections' kind goes here, once resources/models/collections.py has the Collection model:
#
# @register
# class CollectionKind(FollowKind):
#     key, model = "collection", Collection
#     label, button = _("collection"), _("Follow this collection")
#
#     def may_follow(self, user, target):  # only public ones (or shared by link, if the owner allows)
#         ...
#
#     def new_since(self, target, query, since, until):  # published resources and offers added since
#         ...
#
# and a follow button on the collection page: {% follow_button "collection" collection %}.
