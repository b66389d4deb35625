"""Who may see and change what: one place for the rules the admin, views and services share.

Site coordinators (superusers, or members of the Coordinators group) may do everything. Other staff
see and change only what belongs to their own library or to a learning team they are a member of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from teams.models import User

COORDINATORS_GROUP = "Coordinators"
CURATORS_GROUP = "Curators"
TEAM_LEADS_GROUP = "Team leads"


def is_coordinator(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_delarum_is_coordinator"):
        user._delarum_is_coordinator = user.groups.filter(name=COORDINATORS_GROUP).exists()
    return bool(user._delarum_is_coordinator)


def team_ids(user: User) -> frozenset[int]:
    """The learning teams the user is a member of (cached on the user for the request)."""
    if not hasattr(user, "_delarum_team_ids"):
        user._delarum_team_ids = frozenset(user.memberships.values_list("team_id", flat=True))  # type: ignore[attr-defined]
    return user._delarum_team_ids  # type: ignore[attr-defined]


def ownership_filter(user: User, *, library_field: str | None, team_field: str | None) -> Q:
    """A filter for the rows the user may see: their library's, or their teams'."""
    condition = Q(pk__in=[])
    if library_field and user.library_id:
        condition |= Q(**{library_field: user.library_id})
    if team_field:
        condition |= Q(**{f"{team_field}__in": team_ids(user)})
    return condition


def visible_to(
    queryset: QuerySet[Any], user: Any, *, library_field: str | None, team_field: str | None
) -> QuerySet[Any]:
    if is_coordinator(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(ownership_filter(user, library_field=library_field, team_field=team_field)).distinct()
