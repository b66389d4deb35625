from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from taggit.models import Tag, TaggedItem

from resources.models import KnowledgeArea, Resource, Status
from teams.access import COORDINATORS_GROUP, CURATORS_GROUP, TEAM_LEADS_GROUP, is_coordinator
from teams.models import Answer, Country, Experience, LearningTeam, Library, Membership, Role, User

pytestmark = pytest.mark.django_db

ROLE_USERS = {
    "coordinator": COORDINATORS_GROUP,
    "teamlead": TEAM_LEADS_GROUP,
    "curator": CURATORS_GROUP,
    "kurator": CURATORS_GROUP,
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [
        Library,
        LearningTeam,
        LearningTeam.libraries.through,
        Membership,
        User,
        User.groups.through,
        Group,
        Group.permissions.through,
        KnowledgeArea,
        KnowledgeArea.teams.through,
        Resource,
        Resource.areas.through,
        Tag,
        TaggedItem,
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_creates_resources_in_every_language():
    output = seed()

    published = Resource.objects.published()
    assert published.count() >= 150
    per_language = dict(published.values_list("language").annotate(n=Count("pk")))
    for language in ["sv", "da", "nb", "en"]:
        assert per_language.get(language, 0) >= 30, language
    for language in ["nn", "ar", "fa", "uk"]:
        assert per_language.get(language, 0) >= 3, language
    assert "Demo data ready:" in output


def test_keeps_a_few_resources_unpublished():
    seed()

    hidden = Resource.objects.exclude(status=Status.PUBLISHED)
    assert set(hidden.values_list("status", flat=True)) == {Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}
    assert 3 <= hidden.count() <= 5
    assert not hidden.filter(status__in=[Status.DRAFT, Status.IN_REVIEW], published_at__isnull=False).exists()


def test_creates_libraries_areas_and_teams():
    seed()

    assert set(Library.objects.values_list("country", flat=True)) == set(Country.values)
    for country in Country.values:
        assert Library.objects.filter(country=country).count() >= 3
    assert KnowledgeArea.objects.count() >= 8
    assert KnowledgeArea.objects.filter(parent__isnull=False).exists()
    assert not KnowledgeArea.objects.filter(teams=None).exists()
    teams = LearningTeam.objects.annotate(
        member_count=Count("memberships"), lead_count=Count("memberships", filter=Q(memberships__role=Role.LEAD))
    )
    assert teams.count() == 4
    assert all(team.member_count >= 2 and team.lead_count >= 1 for team in teams)


def test_role_users_sign_in_and_belong_to_their_group():
    seed()

    for username, group in ROLE_USERS.items():
        user = User.objects.get(username=username)
        assert user.check_password("delarum-demo")
        assert user.is_staff
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("delarum-demo")


def test_roles_work_through_groups():
    seed()
    coordinator, teamlead, curator, kurator = (User.objects.get(username=name) for name in ROLE_USERS)

    assert is_coordinator(coordinator)
    assert coordinator.has_perms(["teams.add_library", "teams.change_user", "resources.delete_resource"])
    assert teamlead.has_perms(["resources.delete_resource", "teams.add_membership", "teams.delete_membership"])
    assert not teamlead.has_perm("teams.add_library")
    assert teamlead.memberships.filter(role=Role.LEAD).exists()
    for user in (curator, kurator):
        assert user.has_perms(["resources.add_resource", "resources.change_resource", "taggit.view_tag"])
        assert not user.has_perm("resources.delete_resource")
        assert not is_coordinator(user)
    assert curator.library.country == Country.SWEDEN
    assert kurator.library.country == Country.DENMARK
    assert curator.memberships.filter(role=Role.CURATOR).exists()
    assert kurator.memberships.filter(role=Role.CURATOR).exists()


def test_running_twice_changes_nothing():
    seed()
    counts = row_counts()
    updated = dict(Resource.objects.values_list("slug", "updated_at"))
    published = dict(Resource.objects.values_list("slug", "published_at"))

    entries = dict(Experience.objects.values_list("slug", "updated_at"))
    answers = list(Answer.objects.order_by("pk").values_list("pk", "value"))

    seed()

    assert row_counts() == counts
    assert dict(Resource.objects.values_list("slug", "updated_at")) == updated
    assert dict(Resource.objects.values_list("slug", "published_at")) == published
    assert dict(Experience.objects.values_list("slug", "updated_at")) == entries
    assert list(Answer.objects.order_by("pk").values_list("pk", "value")) == answers


def test_puts_back_what_someone_changed():
    seed()
    resource = Resource.objects.published().first()
    resource.title = "Changed by hand"
    resource.save()
    resource.tags.set(["stray"])
    User.objects.filter(username="curator").update(password="")

    seed()

    resource.refresh_from_db()
    assert resource.title != "Changed by hand"
    assert "stray" not in resource.tags.names()
    assert User.objects.get(username="curator").check_password("delarum-demo")


def test_teams_include_the_libraries_of_their_resources_and_members():
    seed()

    team_libraries = {team.pk: set(team.libraries.values_list("pk", flat=True)) for team in LearningTeam.objects.all()}

    for resource in Resource.objects.filter(team__isnull=False):
        assert resource.library_id in team_libraries[resource.team_id], resource.slug
    for membership in Membership.objects.select_related("user"):
        assert membership.user.library_id in team_libraries[membership.team_id], membership


def test_publication_dates_spread_over_eighteen_months():
    seed()

    dates = list(Resource.objects.published().values_list("published_at", flat=True))
    assert len(set(dates)) == len(dates)
    assert 450 <= (max(dates) - min(dates)).days <= 550


def test_refuses_to_run_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo", stdout=StringIO())


def test_gives_some_resources_and_every_library_a_picture_drawn_at_seed_time():
    from portal.demo_pictures import DEMO_RESOURCE_IMAGES
    from resources.models.catalogue import IMAGE_WIDTH
    from teams.models.organisations import LOGO_WIDTH
    from tests.images import opened

    assert "new pictures" in seed()
    pictured = Resource.objects.published().exclude(image="")
    assert pictured.count() == DEMO_RESOURCE_IMAGES
    for resource in pictured:
        assert opened(resource.image.read()).size == (IMAGE_WIDTH, resource.image_height)
    assert not Library.objects.filter(logo="").exists()
    for library in Library.objects.all():
        assert (opened(library.logo.read()).format, library.logo_width) == ("WEBP", LOGO_WIDTH)
    assert "0 new pictures" in seed()  # a rerun keeps them
