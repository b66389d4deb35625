"""Who may see and change what: one place for the rules the admin, views and services share.

- Site coordinators (superusers, or members of the Coordinators group) may do everything.
- Other staff see and change only what belongs to their own library or to a learning team they are a
  member of. Curators and team leads alike prepare and edit those things and send them for review.
- Reviewing (publishing, sending back with a note, archiving) is for team leads: a lead reviews what
  belongs to a team they lead, and what belongs to their own library without a team.
- People who are not staff (patron accounts) see and change nothing here.

Every model that belongs to a library or a team says so once, with ``register_scope`` (usually in its
app's ``ready()``): which field leads to the library and which to the learning team. The admin
(``teams.admin.ScopedAdmin``), views and services then ask ``can_view``, ``can_change``,
``can_publish`` for one object, or ``visible_to``, ``changeable_by``, ``publishable_by`` for a queryset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db.models import Model, Q, QuerySet

from teams.models import LearningTeam, Library, Role, User, Visibility

if TYPE_CHECKING:
    from teams.models import Reflection

COORDINATORS_GROUP = "Coordinators"
CURATORS_GROUP = "Curators"
TEAM_LEADS_GROUP = "Team leads"


@dataclass(frozen=True)
class Scope:
    """The lookups from a model to the library and the learning team it belongs to.

    ``"library"`` for a foreign key, ``"resource__library"`` through a relation, ``"libraries"`` for a
    many-to-many field, ``"pk"`` when the row is itself the library or team; ``None`` when there is none.
    """

    library_field: str | None
    team_field: str | None


_SCOPES: dict[str, Scope] = {}


def register_scope(model: type[Model], *, library_field: str | None, team_field: str | None) -> None:
    """Say once which fields tie a model's rows to a library and a learning team."""
    _SCOPES[model._meta.label_lower] = Scope(library_field, team_field)


def scope_for(model: type[Model] | Model) -> Scope:
    """The registered scope of a model (a proxy model shares its concrete model's)."""
    for meta in (model._meta, model._meta.concrete_model._meta):  # type: ignore[union-attr]
        if meta.label_lower in _SCOPES:
            return _SCOPES[meta.label_lower]
    raise LookupError(
        f"{model._meta.label} has no access rule: call teams.access.register_scope() for it "
        "(in its app's ready()) before it is shown to staff."
    )


def has_scope(model: type[Model]) -> bool:
    try:
        scope_for(model)
    except LookupError:
        return False
    return True


class Operator:
    """Whoever runs a management command on the server (a scheduled harvest): they hold the server, so they may
    do what a coordinator may. Not a person: histories record no one for their changes."""

    pk = None
    is_authenticated = True
    is_active = True
    is_staff = True
    is_superuser = True

    def __str__(self) -> str:
        return "operator"


OPERATOR = Operator()


def is_coordinator(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_delarum_is_coordinator"):
        user._delarum_is_coordinator = user.groups.filter(name=COORDINATORS_GROUP).exists()
    return bool(user._delarum_is_coordinator)


def is_staff_member(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def team_ids(user: User) -> frozenset[int]:
    """The learning teams the user is a member of (cached on the user for the request)."""
    if not hasattr(user, "_delarum_team_ids"):
        user._delarum_team_ids = frozenset(user.memberships.values_list("team_id", flat=True))  # type: ignore[attr-defined]
    return user._delarum_team_ids  # type: ignore[attr-defined]


def led_team_ids(user: User) -> frozenset[int]:
    """The learning teams the user leads (cached on the user for the request)."""
    if not hasattr(user, "_delarum_led_team_ids"):
        led = user.memberships.filter(role=Role.LEAD).values_list("team_id", flat=True)
        user._delarum_led_team_ids = frozenset(led)  # type: ignore[attr-defined]
    return user._delarum_led_team_ids  # type: ignore[attr-defined]


# Querysets ---------------------------------------------------------------------------------------------


def own_libraries(user: Any) -> QuerySet[Library]:
    """The libraries a person acts for: their own; a coordinator, every library."""
    if is_coordinator(user):
        return Library.objects.all()
    return Library.objects.filter(pk__in=[getattr(user, "library_id", None)])


def own_teams(user: Any) -> QuerySet[LearningTeam]:
    """The learning teams a person acts for: those they are a member of; a coordinator, every team."""
    if is_coordinator(user):
        return LearningTeam.objects.all()
    return LearningTeam.objects.filter(pk__in=team_ids(user))


def reviewers(*, library_id: int | None, team_id: int | None) -> QuerySet[User]:
    """The team leads who review a thing of the library and team: the team's leads; without a team, the leads
    of any team who work at the library (coordinators may too, but nobody waits for them)."""
    leads = User.objects.filter(is_active=True, is_staff=True, memberships__role=Role.LEAD)
    if team_id is not None:
        leads = leads.filter(memberships__team_id=team_id)
    else:
        leads = leads.filter(library_id=library_id) if library_id is not None else leads.none()
    return leads.distinct().order_by("first_name", "last_name", "username")


def ownership_filter(user: User, *, library_field: str | None, team_field: str | None) -> Q:
    """A filter for the rows the user may see: their library's, or their teams'."""
    condition = Q(pk__in=[])
    if library_field and user.library_id:
        condition |= Q(**{library_field: user.library_id})
    if team_field:
        condition |= Q(**{f"{team_field}__in": team_ids(user)})
    return condition


def visible_to(
    queryset: QuerySet[Any],
    user: Any,
    *,
    library_field: str | None = None,
    team_field: str | None = None,
    scope: Scope | None = None,
) -> QuerySet[Any]:
    """The rows of ``queryset`` the user may see.

    Give the fields, or a scope; with neither, the model's registered scope is used.
    """
    if is_coordinator(user):
        return queryset
    if not is_staff_member(user):
        return queryset.none()
    if scope is None:
        scope = Scope(library_field, team_field) if (library_field or team_field) else scope_for(queryset.model)
    condition = ownership_filter(user, library_field=scope.library_field, team_field=scope.team_field)
    return queryset.filter(condition).distinct()


def changeable_by(queryset: QuerySet[Any], user: Any, *, scope: Scope | None = None) -> QuerySet[Any]:
    """The rows the user may change: the same as those they may see."""
    return visible_to(queryset, user, scope=scope)


def publishable_by(queryset: QuerySet[Any], user: Any, *, scope: Scope | None = None) -> QuerySet[Any]:
    """The rows the user may review (publish, send back, archive)."""
    if is_coordinator(user):
        return queryset
    if not is_staff_member(user):
        return queryset.none()
    scope = scope or scope_for(queryset.model)
    led = led_team_ids(user)
    if not led or not scope.team_field:
        return queryset.none()
    condition = Q(**{f"{scope.team_field}__in": led})
    if scope.library_field and user.library_id:
        condition |= Q(**{scope.library_field: user.library_id, f"{scope.team_field}__isnull": True})
    return queryset.filter(condition).distinct()


# One object --------------------------------------------------------------------------------------------


def related_ids(obj: Model, path: str | None) -> set[int]:
    """The primary keys that a lookup path such as ``"resource__team"`` leads to from one object."""
    if not path or obj is None:
        return set()
    head, _sep, rest = path.partition("__")
    if head == "pk":
        return {obj.pk} if obj.pk is not None else set()
    field = obj._meta.get_field(head)
    if field.many_to_many or field.one_to_many:
        if obj.pk is None:
            return set()
        related = list(getattr(obj, head).all())
        if not rest:
            return {item.pk for item in related}
        return set().union(*(related_ids(item, rest) for item in related))
    if not rest:
        value = getattr(obj, field.attname)  # type: ignore[union-attr]
        return {value} if value is not None else set()
    return related_ids(getattr(obj, head), rest)


def can_view(user: Any, obj: Model, *, scope: Scope | None = None) -> bool:
    if is_coordinator(user):
        return True
    if not is_staff_member(user):
        return False
    scope = scope or scope_for(obj)
    if user.library_id and user.library_id in related_ids(obj, scope.library_field):
        return True
    return bool(related_ids(obj, scope.team_field) & team_ids(user))


def can_change(user: Any, obj: Model, *, scope: Scope | None = None) -> bool:
    """Curators and team leads change what belongs to their library and teams; coordinators anything."""
    return can_view(user, obj, scope=scope)


def can_publish(user: Any, obj: Model, *, scope: Scope | None = None) -> bool:
    """Team leads review their teams' things (and their library's things that have no team)."""
    if is_coordinator(user):
        return True
    if not is_staff_member(user):
        return False
    led = led_team_ids(user)
    if not led:
        return False
    scope = scope or scope_for(obj)
    teams = related_ids(obj, scope.team_field)
    if teams:
        return bool(teams & led)
    return bool(user.library_id and user.library_id in related_ids(obj, scope.library_field))


# Staff sharing ---------------------------------------------------------------------------------------------
#
# Staff pages are for signed-in library staff. A reflection's author chooses who may read it: the activity's
# team, all staff, or everyone; only the author edits it. The exchange bank is open to all staff (across
# libraries and countries) and to everyone for entries made public; a library's staff edit its entries.


def can_read_reflection(user: Any, reflection: Reflection) -> bool:
    if reflection.visibility == Visibility.PUBLIC:
        return True
    if not is_staff_member(user):
        return False
    if is_coordinator(user) or reflection.author_id == user.pk or reflection.visibility == Visibility.STAFF:
        return True
    return reflection.activity.team_id in team_ids(user)


def readable_reflections(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """The reflections of ``queryset`` the user may read (the same rules as ``can_read_reflection``)."""
    if not is_staff_member(user):
        return queryset.filter(visibility=Visibility.PUBLIC)
    if is_coordinator(user):
        return queryset
    return queryset.filter(
        Q(visibility__in=[Visibility.PUBLIC, Visibility.STAFF])
        | Q(author_id=user.pk)
        | Q(activity__team_id__in=team_ids(user))
    )


def can_edit_reflection(user: Any, reflection: Reflection) -> bool:
    """Only the author changes a reflection, whoever else may read it."""
    return is_staff_member(user) and reflection.author_id == user.pk


# A calendar app sends no cookie, so a team's feed address carries a signed token: who it was made for, and
# which team. It opens the feed only while that person is still active staff and a member of the team.
FEED_SALT = "delarum.staff.team-calendar"


def team_feed_token(user: User, team: LearningTeam) -> str:
    return signing.dumps([user.pk, team.pk], salt=FEED_SALT, compress=True)


def team_feed_reader(token: str, team: LearningTeam) -> User | None:
    """The person the token was made for, if it is for this team and they may still read its feed."""
    try:
        user_pk, team_pk = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if team_pk != team.pk:
        return None
    reader = User.objects.filter(pk=user_pk, memberships__team=team).first()
    return reader if reader is not None and is_staff_member(reader) else None
