from __future__ import annotations

import pytest
from django.urls import reverse

from resources.models import Status
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_team_list_shows_teams_with_libraries_and_areas(client):
    malmo = LibraryFactory(name="Malmö stadsbibliotek")
    aarhus = LibraryFactory(name="Dokk1", country="DK")
    team = LearningTeamFactory(name="Lärteam Öresund", libraries=[malmo, aarhus])
    KnowledgeAreaFactory(name="Källkritik").teams.add(team)

    content = client.get(reverse("teams:list")).content.decode()

    for text in ["Lärteam Öresund", "Malmö stadsbibliotek", "Dokk1", "Källkritik"]:
        assert text in content


@pytest.mark.parametrize("rows", [1, 6])
def test_team_list_query_count_is_flat(client, django_assert_num_queries, rows):
    for team in LearningTeamFactory.create_batch(rows, libraries=LibraryFactory.create_batch(2)):
        KnowledgeAreaFactory().teams.add(team)
    # 1 teams, 2 their libraries, 3 their knowledge areas
    with django_assert_num_queries(3):
        client.get(reverse("teams:list"))


def test_team_page_shows_only_published_resources_of_the_team(client):
    team = LearningTeamFactory(name="Lärteam Norr")
    published = ResourceFactory(team=team)
    ResourceFactory(team=team, status=Status.DRAFT, published_at=None, title="Utkast som inte syns")
    ResourceFactory()

    response = client.get(team.get_absolute_url())

    assert list(response.context["resources"]) == [published]
    assert "Utkast som inte syns" not in response.content.decode()


def test_team_page_of_unknown_slug_is_not_found(client):
    assert client.get(reverse("teams:detail", kwargs={"slug": "nobody"})).status_code == 404


@pytest.mark.parametrize("rows", [1, 12])
def test_team_page_query_count_is_flat(client, django_assert_num_queries, rows):
    team = LearningTeamFactory(libraries=LibraryFactory.create_batch(2))
    KnowledgeAreaFactory().teams.add(team)
    ResourceFactory.create_batch(rows, team=team, areas=[KnowledgeAreaFactory()])
    # 1 team, 2 its libraries, 3 its areas, 4 its resources with library, 5 their areas
    with django_assert_num_queries(5):
        client.get(team.get_absolute_url())
