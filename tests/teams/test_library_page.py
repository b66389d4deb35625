from __future__ import annotations

import pytest
from django.urls import reverse

from resources.models import Status
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_library_page_shows_its_teams_and_only_its_published_resources(client):
    library = LibraryFactory(name="Malmö stadsbibliotek", street_address="Regementsgatan 3")
    team = LearningTeamFactory(name="Lärteam Syd", libraries=[library])
    published = ResourceFactory(library=library)
    ResourceFactory(library=library, status=Status.DRAFT, published_at=None, title="Utkast som inte syns")
    ResourceFactory(title="Från ett annat bibliotek")

    response = client.get(library.get_absolute_url())

    assert list(response.context["resources"]) == [published]
    content = response.content.decode()
    for text in ["Malmö stadsbibliotek", "Regementsgatan 3", "Lärteam Syd", team.get_absolute_url()]:
        assert text in content
    for text in ["Utkast som inte syns", "Från ett annat bibliotek"]:
        assert text not in content


def test_library_page_of_unknown_slug_is_not_found(client):
    assert client.get(reverse("teams:library", kwargs={"slug": "nowhere"})).status_code == 404


def test_team_and_resource_pages_link_the_library(client):
    library = LibraryFactory()
    resource = ResourceFactory(library=library, team=LearningTeamFactory(libraries=[library]))

    for url in [resource.get_absolute_url(), resource.team.get_absolute_url()]:
        assert library.get_absolute_url() in client.get(url).content.decode(), url


@pytest.mark.parametrize("rows", [1, 12])
def test_library_page_query_count_is_flat(client, django_assert_num_queries, rows):
    library = LibraryFactory()
    LearningTeamFactory.create_batch(2, libraries=[library])
    ResourceFactory.create_batch(rows, library=library, areas=[KnowledgeAreaFactory()])
    # 1 library, 2 its teams, 3 its resources with library, 4 their areas
    with django_assert_num_queries(4):
        client.get(library.get_absolute_url())
