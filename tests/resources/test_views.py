"""The public resource pages, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from resources.models import Status
from resources.views import PAGE_SIZE
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# Home


def test_home_shows_areas_with_counts_and_newest_published(client):
    area = KnowledgeAreaFactory(name="Källkritik", slug="kallkritik")
    ResourceFactory.create_batch(2, areas=[area])
    ResourceFactory(title="Hemligt utkast", status=Status.DRAFT, published_at=None, areas=[area])

    response = client.get(url("home"))

    assert response.status_code == 200
    assert [(a.name, a.resource_count) for a in response.context["areas"]] == [("Källkritik", 2)]
    assert len(response.context["newest"]) == 2
    assert "Hemligt utkast" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 10])
def test_home_query_count_is_flat(client, django_assert_num_queries, rows):
    area = KnowledgeAreaFactory()
    ResourceFactory.create_batch(rows, areas=[area])
    # 1 areas with counts, 2 newest resources with their library, 3 their areas
    with django_assert_num_queries(3):
        assert client.get(url("home")).status_code == 200


def test_path_without_language_redirects_to_visitors_language(client):
    response = client.get("/resources/", headers={"accept-language": "da"})
    assert response.status_code == 302
    assert response["Location"] == "/da/resources/"

    response = client.get("/resources/")
    assert response["Location"] == "/sv/resources/"


def test_pages_link_their_translations_with_hreflang(client):
    content = client.get(url("resources:list", "en")).content.decode()
    for code in ["sv", "da", "nb", "en"]:
        assert f'hreflang="{code}" href="http://testserver/{code}/resources/"' in content
    assert '<html lang="en" dir="ltr">' in content


# Resource list


def test_list_shows_only_published_resources(client):
    published = ResourceFactory()
    for status in [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED]:
        ResourceFactory(status=status, published_at=None)

    response = client.get(url("resources:list"))

    assert list(response.context["object_list"]) == [published]


def test_list_filters_by_area_kind_language_and_audience(client):
    area = KnowledgeAreaFactory(slug="digital-skills")
    match = ResourceFactory(areas=[area], kind="video", language="da", audiences=["seniors", "adults"])
    ResourceFactory(areas=[area], kind="video", language="da", audiences=["children"])
    ResourceFactory(areas=[area], kind="article", language="da", audiences=["seniors"])
    ResourceFactory(kind="video", language="da", audiences=["seniors"])

    response = client.get(
        url("resources:list"), {"area": "digital-skills", "kind": "video", "language": "da", "audience": "seniors"}
    )

    assert list(response.context["object_list"]) == [match]


def test_list_with_unknown_filter_value_explains_and_keeps_the_choice(client):
    ResourceFactory()

    response = client.get(url("resources:list", "en"), {"kind": "hologram", "language": "da"})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    form = response.context["form"]
    assert "kind" in form.errors
    assert form["language"].value() == "da"
    assert "Select a valid choice" in response.content.decode()


def test_list_paginates_and_keeps_filters_in_page_links(client):
    ResourceFactory.create_batch(PAGE_SIZE + 1, kind="video")

    first = client.get(url("resources:list"), {"kind": "video"})
    second = client.get(url("resources:list"), {"kind": "video", "page": 2})

    assert len(first.context["object_list"]) == PAGE_SIZE
    assert len(second.context["object_list"]) == 1
    assert "?kind=video&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "99"])
def test_list_with_bad_page_number_is_not_found(client, page):
    ResourceFactory()
    assert client.get(url("resources:list"), {"page": page}).status_code == 404


@pytest.mark.parametrize("rows", [1, PAGE_SIZE])
@pytest.mark.parametrize("filters", [{}, {"kind": "course", "language": "sv", "audience": "adults"}])
def test_list_query_count_is_flat(client, django_assert_num_queries, rows, filters):
    area = KnowledgeAreaFactory()
    ResourceFactory.create_batch(rows, areas=[area], tags=["nyheter", "källkritik"])
    params = {"area": area.slug, **filters}
    # 1 areas for the form, 2 catalogue version, 3 the planner's guess of the hits, 4 facet counts (and the total),
    # 5 ids of the first pages, 6 this page's resources with their library, 7 their areas
    with django_assert_num_queries(7):
        client.get(url("resources:list"), params)
    # The page comes whole from the cache: only the catalogue version is read
    with django_assert_num_queries(1):
        client.get(url("resources:list"), params)


# Resource page


def test_detail_shows_public_fields(client):
    team = LearningTeamFactory(name="Lärteam Syd")
    area = KnowledgeAreaFactory(name="Källkritik", name_en="Source criticism")
    resource = ResourceFactory(
        title="Falska nyheter",
        license="CC-BY-SA-4.0",
        team=team,
        areas=[area],
        tags=["nyheter", "källkritik"],
        creator="Kungliga biblioteket",
    )

    response = client.get(url("resources:detail", "en", slug=resource.slug))
    content = response.content.decode()

    assert response.status_code == 200
    assert '<article class="resource">' in content
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license"' in content
    assert "Source criticism" in content
    assert "Lärteam Syd" in content
    assert "Kungliga biblioteket" in content
    assert url("resources:tag", "en", slug="källkritik") in content


def test_detail_of_right_to_left_resource_renders_right_to_left(client):
    resource = ResourceFactory(title="مصادر المعلومات", slug="masadir", language="ar")

    content = client.get(url("resources:detail", slug=resource.slug)).content.decode()

    assert '<header lang="ar" dir="rtl">' in content
    assert '<html lang="sv" dir="ltr">' in content


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_detail_of_unpublished_resource_is_not_found(client, status):
    resource = ResourceFactory(status=status, published_at=None)
    assert client.get(url("resources:detail", slug=resource.slug)).status_code == 404


def test_detail_of_unknown_slug_is_not_found_and_translated(client):
    response = client.get(url("resources:detail", "en", slug="no-such-thing"))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_detail_suggests_related_resources_from_shared_areas(client):
    area, other_area = KnowledgeAreaFactory.create_batch(2)
    resource = ResourceFactory(areas=[area])
    related = ResourceFactory(areas=[area])
    ResourceFactory(areas=[other_area])
    ResourceFactory(areas=[area], status=Status.DRAFT, published_at=None)

    response = client.get(url("resources:detail", slug=resource.slug))

    assert list(response.context["related"]) == [related]


@pytest.mark.parametrize("extra", [0, 5])
def test_detail_query_count_is_flat(client, django_assert_num_queries, extra):
    areas = KnowledgeAreaFactory.create_batch(1 + extra)
    resource = ResourceFactory(areas=areas, tags=[f"tag{n}" for n in range(1 + extra)], team=LearningTeamFactory())
    ResourceFactory.create_batch(extra, areas=areas)
    # 1 resource with library and team, 2 areas, 3 tags, 4 related resources with library
    with django_assert_num_queries(4):
        client.get(url("resources:detail", slug=resource.slug))


# Knowledge areas and tags


def test_area_list_counts_published_resources_and_lists_sub_areas(client):
    parent = KnowledgeAreaFactory(name="Digital kompetens")
    KnowledgeAreaFactory(name="Programmering", parent=parent)
    ResourceFactory(areas=[parent])
    ResourceFactory(areas=[parent], status=Status.DRAFT, published_at=None)

    response = client.get(url("resources:areas"))

    assert [(a.name, a.resource_count) for a in response.context["areas"]] == [("Digital kompetens", 1)]
    assert "Programmering" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 8])
def test_area_list_query_count_is_flat(client, django_assert_num_queries, rows):
    for parent in KnowledgeAreaFactory.create_batch(rows):
        KnowledgeAreaFactory(parent=parent)
    # 1 top-level areas with counts, 2 their sub-areas
    with django_assert_num_queries(2):
        client.get(url("resources:areas"))


def test_area_page_shows_its_published_resources_and_teams(client):
    team = LearningTeamFactory(name="Lärteam Digitalt")
    area = KnowledgeAreaFactory(name="Digital kompetens", slug="digital")
    area.teams.add(team)
    inside = ResourceFactory(areas=[area])
    ResourceFactory()

    response = client.get(url("resources:area", slug="digital"))

    assert list(response.context["resources"]) == [inside]
    assert "Lärteam Digitalt" in response.content.decode()


def test_area_page_of_unknown_slug_is_not_found(client):
    assert client.get(url("resources:area", slug="nowhere")).status_code == 404


@pytest.mark.parametrize("rows", [1, PAGE_SIZE])
def test_area_page_query_count_is_flat(client, django_assert_num_queries, rows):
    area = KnowledgeAreaFactory()
    area.teams.add(LearningTeamFactory())
    ResourceFactory.create_batch(rows, areas=[area])
    # 1 area with parent, 2 count, 3 page of resources, 4 their areas, 5 sub-areas, 6 teams
    with django_assert_num_queries(6):
        client.get(url("resources:area", slug=area.slug))


def test_tag_page_lists_published_resources_with_the_tag(client):
    tagged = ResourceFactory(tags=["släktforskning"])
    ResourceFactory(tags=["släktforskning"], status=Status.DRAFT, published_at=None)
    ResourceFactory(tags=["nyheter"])

    response = client.get(url("resources:tag", slug="släktforskning"))

    assert list(response.context["resources"]) == [tagged]


@pytest.mark.parametrize("rows", [1, PAGE_SIZE])
def test_tag_page_query_count_is_flat(client, django_assert_num_queries, rows):
    ResourceFactory.create_batch(rows, tags=["nyheter"], library=LibraryFactory())
    # 1 tag, 2 count, 3 page of resources, 4 their areas
    with django_assert_num_queries(4):
        client.get(url("resources:tag", slug="nyheter"))
