"""A library's public page: where it is, its learning teams and what it published lately."""

from __future__ import annotations

import pytest
from django.urls import reverse

from resources.models import Status
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_library_page_shows_address_teams_and_only_published_resources(client):
    library = LibraryFactory(name="Malmö stadsbibliotek", street_address="Kung Oscars väg 11", postal_code="211 33",
                             city="Malmö", website="https://malmo.se/bibliotek")  # fmt: skip
    LearningTeamFactory(name="Lärteam Syd", libraries=[library])
    published = ResourceFactory(library=library)
    ResourceFactory(library=library, status=Status.DRAFT, published_at=None, title="Utkast som inte syns")
    ResourceFactory()

    response = client.get(library.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["resources"]) == [published]
    content = response.content.decode()
    for text in [
        "Malmö stadsbibliotek",
        "Kung Oscars väg 11",
        "211 33 Malmö",
        "Lärteam Syd",
        "https://malmo.se/bibliotek",
    ]:
        assert text in content
    assert "Utkast som inte syns" not in content


def test_library_page_of_unknown_slug_is_not_found(client):
    assert client.get(reverse("teams:library", kwargs={"slug": "nowhere"})).status_code == 404


def test_resource_and_team_pages_link_the_library(client):
    library = LibraryFactory()
    team = LearningTeamFactory(libraries=[library])
    resource = ResourceFactory(library=library, team=team)
    for page in [resource.get_absolute_url(), team.get_absolute_url()]:
        assert f'href="{library.get_absolute_url()}"' in client.get(page).content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_library_page_query_count_is_flat(client, django_assert_num_queries, rows):
    library = LibraryFactory()
    LearningTeamFactory.create_batch(2, libraries=[library])
    ResourceFactory.create_batch(rows, library=library, areas=[KnowledgeAreaFactory()])
    # 1 library, 2 its teams, 3 its newest resources with library, 4 their areas
    with django_assert_num_queries(4):
        client.get(library.get_absolute_url())
