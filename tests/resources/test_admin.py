"""The admin as librarians use it: lists that stay fast, and staff who only touch their own things."""

from __future__ import annotations

import pytest
from django.urls import reverse

from resources.models import Resource, Status
from tests.factories import (
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    MembershipFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


CHANGELISTS = [
    "admin:resources_resource_changelist",
    "admin:resources_knowledgearea_changelist",
    "admin:teams_library_changelist",
    "admin:teams_learningteam_changelist",
    "admin:teams_user_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
@pytest.mark.parametrize("rows", [1, 15])
def test_changelist_query_count_is_flat(client, superuser, django_assert_max_num_queries, name, rows):
    libraries = LibraryFactory.create_batch(2)
    for n in range(rows):
        team = LearningTeamFactory(libraries=libraries)
        MembershipFactory(team=team, user=UserFactory(library=libraries[0]))
        ResourceFactory(
            library=libraries[n % 2], team=team, areas=[KnowledgeAreaFactory(parent=KnowledgeAreaFactory())]
        )
    client.force_login(superuser)
    # session, user, then the page's own few queries: count, rows with their related rows, filter choices.
    # The budget is the same for 1 and 15 rows.
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_curator_sees_only_own_library_and_team_resources(client, curator_a, library_a, library_b, team_a):
    own = ResourceFactory(library=library_a, title="Vår egen resurs")
    teams = ResourceFactory(library=LibraryFactory(), team=team_a, title="Lagets resurs")
    ResourceFactory(library=library_b, title="Någon annans resurs")
    client.force_login(curator_a)

    response = client.get(reverse("admin:resources_resource_changelist"))

    assert set(response.context["cl"].result_list) == {own, teams}


def test_curator_cannot_open_another_librarys_resource_by_its_id(client, curator_a, library_b):
    foreign = ResourceFactory(library=library_b)
    client.force_login(curator_a)

    response = client.get(reverse("admin:resources_resource_change", args=[foreign.pk]))

    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response["Location"] == reverse("admin:index")


def test_curator_chooses_only_own_library_and_teams(client, curator_a, library_a, library_b, team_a):
    LearningTeamFactory(name="Någon annans lärteam", libraries=[library_b])
    client.force_login(curator_a)

    form = client.get(reverse("admin:resources_resource_add")).context["adminform"].form

    assert list(form.fields["library"].queryset) == [library_a]
    assert list(form.fields["team"].queryset) == [team_a]
    assert form.initial["library"] == str(library_a.pk)


def test_autocomplete_offers_only_own_library(client, curator_a, library_a, library_b):
    client.force_login(curator_a)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "resources", "model_name": "resource", "field_name": "library", "term": ""},
    )

    assert [item["text"] for item in response.json()["results"]] == [library_a.name]


def test_curator_adds_a_resource_for_own_library(client, curator_a, library_a, team_a):
    area = KnowledgeAreaFactory()
    client.force_login(curator_a)

    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "title": "Skydda dig mot bedrägerier",
            "slug": "skydda-dig",
            "summary": "Så känner du igen falska sms och samtal.",
            "url": "https://www.polisen.se/",
            "kind": "guide",
            "language": "sv",
            "audiences": ["seniors"],
            "license": "CC-BY-4.0",
            "library": library_a.pk,
            "team": team_a.pk,
            "areas": [area.pk],
            "tags": "bedrägerier, säkerhet",
            "status": Status.DRAFT,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(slug="skydda-dig")
    assert resource.library == library_a
    assert sorted(resource.tags.names()) == ["bedrägerier", "säkerhet"]


def test_curator_cannot_add_a_resource_for_another_library(client, curator_a, library_b):
    client.force_login(curator_a)

    response = client.post(
        reverse("admin:resources_resource_add"),
        {"title": "Fel bibliotek", "slug": "fel", "summary": "x", "url": "https://www.kb.se/", "kind": "guide",
         "language": "sv", "license": "CC-BY-4.0", "library": library_b.pk, "status": Status.DRAFT},
    )  # fmt: skip

    assert response.status_code == 200
    assert "library" in response.context["adminform"].form.errors
    assert not Resource.objects.filter(slug="fel").exists()


def test_missing_address_is_explained_beside_the_field_and_input_is_kept(client, curator_a, library_a):
    client.force_login(curator_a)

    response = client.post(
        reverse("admin:resources_resource_add"),
        {"title": "Utan adress", "slug": "utan-adress", "summary": "Det här sparas inte än.", "kind": "guide",
         "language": "sv", "license": "CC-BY-4.0", "library": library_a.pk, "status": Status.DRAFT},
    )  # fmt: skip

    form = response.context["adminform"].form
    assert form.errors["url"] == ["Ange en webbadress eller ladda upp en fil."]
    assert form["summary"].value() == "Det här sparas inte än."


def test_coordinator_group_sees_everything(client, coordinator, library_a, library_b):
    resources = {ResourceFactory(library=library_a), ResourceFactory(library=library_b)}
    client.force_login(coordinator)

    response = client.get(reverse("admin:resources_resource_changelist"))

    assert set(response.context["cl"].result_list) == resources


def test_view_on_site_links_to_the_public_page(client, superuser):
    resource = ResourceFactory()
    client.force_login(superuser)
    response = client.get(reverse("admin:resources_resource_change", args=[resource.pk]))
    assert response.context["original"].get_absolute_url() == resource.get_absolute_url()
    assert "/admin/r/" in response.content.decode()


@pytest.mark.parametrize("add_page", ["admin:resources_resource_add", "admin:resources_schooloffer_add",
                                      "admin:teams_experience_add"])  # fmt: skip
def test_a_new_row_starts_in_the_persons_own_library(client, lead_a, library_a, add_page):
    client.force_login(lead_a)
    response = client.get(reverse(add_page))
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["library"] == str(library_a.pk)
