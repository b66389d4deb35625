"""Facets and counts on a large catalogue: ids kept on the row, exact counts up to a limit, estimates beyond."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from resources import search, selectors
from resources.models import Resource
from resources.search import about
from resources.selectors import catalogue_version
from tests.factories import KnowledgeAreaFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def facets_of(response) -> dict[str, dict[str, int]]:
    return {group.name: {value.label: value.count for value in group.values} for group in response.context["facets"]}


def found(client, **params) -> list[str]:
    response = client.get(reverse("resources:list"), params)
    assert response.status_code == 200
    return [resource.slug for resource in response.context["resources"]]


def tag_ids(*names: str) -> list[int]:
    return sorted(Tag.objects.filter(name__in=names).values_list("pk", flat=True))


class TestTheIdsOnTheRowStayRight:
    def test_when_tags_and_areas_are_added_and_removed(self):
        first, second = KnowledgeAreaFactory.create_batch(2)
        resource = ResourceFactory(areas=[first], tags=["nyheter", "skola"])
        resource.refresh_from_db()
        assert (resource.area_ids, resource.tag_ids) == ([first.pk], tag_ids("nyheter", "skola"))

        resource.areas.add(second)
        resource.tags.remove("skola")
        resource.refresh_from_db()
        assert (resource.area_ids, resource.tag_ids) == (sorted([first.pk, second.pk]), tag_ids("nyheter"))

    def test_when_an_area_or_a_tag_is_deleted_or_a_link_changed_in_sql(self):
        first, second = KnowledgeAreaFactory.create_batch(2)
        resource = ResourceFactory(areas=[first], tags=["nyheter", "skola"])
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE resources_resource_areas SET knowledgearea_id = %s WHERE resource_id = %s",
                [second.pk, resource.pk],
            )
        resource.refresh_from_db()
        assert resource.area_ids == [second.pk]

        second.delete()
        Tag.objects.get(name="skola").delete()
        resource.refresh_from_db()
        assert (resource.area_ids, resource.tag_ids) == ([], tag_ids("nyheter"))

    def test_the_catalogue_version_moves_when_tags_change(self):
        resource = ResourceFactory()
        before = catalogue_version()
        resource.tags.add("nyheter")
        assert catalogue_version() > before

    def test_history_does_not_record_them(self):
        field_names = {field.name for field in Resource.history.model._meta.get_fields()}
        assert not {"area_ids", "tag_ids"} & field_names


def test_the_area_filter_includes_sub_areas_and_an_unknown_tag_finds_nothing(client):
    parent = KnowledgeAreaFactory(slug="digital")
    child = KnowledgeAreaFactory(slug="programming", parent=parent)
    ResourceFactory(slug="in-parent", areas=[parent], tags=["nyheter"])
    ResourceFactory(slug="in-child", areas=[child])
    ResourceFactory(slug="elsewhere", areas=[KnowledgeAreaFactory()])

    assert sorted(found(client, area="digital")) == ["in-child", "in-parent"]
    assert found(client, area="programming") == ["in-child"]
    assert found(client, tag="nyheter") == ["in-parent"]
    assert found(client, tag="no-such-tag") == []


class TestBroadSearches:
    """With tiny limits, six hits make a broad search (the test tables are small enough to be sampled whole)."""

    @pytest.fixture(autouse=True)
    def small_limits(self, monkeypatch):
        monkeypatch.setattr(selectors, "EXACT_UP_TO", 3)
        monkeypatch.setattr(selectors, "RANKED_CANDIDATES", 4)
        monkeypatch.setattr(selectors, "TERM_CANDIDATES", 4)

    @pytest.fixture
    def weaving(self):
        area = KnowledgeAreaFactory(slug="crafts")
        # Created newest first (the factory dates each resource a day before the previous one). The oldest matches
        # the word in its title and would rank first if every hit were ranked.
        for n in range(5):
            ResourceFactory(slug=f"newer-{n}", title=f"Kurs {n}", summary="Om vävning", areas=[area], tags=["hantverk"])
        ResourceFactory(slug="oldest", title="Vävning", summary="Vävning", areas=[area], tags=["hantverk"])

    def test_counts_are_estimated_and_the_page_says_so(self, client, weaving):
        response = client.get(reverse("resources:list"), {"q": "vävning"})

        assert response.context["search"].estimated
        assert response.context["search"].total == 6
        assert facets_of(response)["tag"] == {"hantverk": 6}
        content = response.content.decode()
        assert "Cirka 6 lärresurser" in content
        assert "(cirka 6)" in content
        assert "uppskattade utifrån ett urval" in content

    def test_the_best_candidates_are_ranked_first_whatever_their_age_and_the_others_follow_newest_first(
        self, client, weaving
    ):
        ResourceFactory(slug="older-plain", title="Kurs", summary="Om vävning")

        response = client.get(reverse("resources:list"), {"q": "vävning"})
        results = [resource.slug for resource in response.context["resources"]]

        assert response.context["search"].candidates_ranked
        # Four candidates, the best for the word: the oldest has it in its title, the shortest record next; the
        # others tie, newest first.
        assert results[:4] == ["oldest", "older-plain", "newer-0", "newer-1"]
        assert results[4:] == ["newer-2", "newer-3", "newer-4"]

    def test_with_filters_the_candidates_are_those_the_filters_keep(self, client, weaving):
        ResourceFactory(slug="oldest-video", title="Vävning", summary="Vävning", kind="video")

        results = found(client, q="vävning", kind="video")

        assert results == ["oldest-video"]

    @pytest.mark.parametrize("newer", [5, 25])
    def test_the_query_count_stays_the_same(self, client, newer, django_assert_num_queries):
        area = KnowledgeAreaFactory(slug="crafts")
        for n in range(newer):
            ResourceFactory(slug=f"newer-{n}", title=f"Kurs {n}", summary="Om vävning", areas=[area])
        # As for any search: 1 areas for the form, 2 catalogue version, 3 understanding the words, 4 the planner's
        # guess of the hits, 5 count and facets, 6 ids of the first pages (the candidates, ranked), 7 this page's
        # resources with library, 8 their areas, 9 snippets
        with django_assert_num_queries(9):
            response = client.get(reverse("resources:list"), {"q": "vävning", "area": "crafts", "kind": "course"})
        assert response.context["search"].candidates_ranked

    def test_a_search_the_planner_expects_to_be_broad_is_estimated_from_the_sample(self, client, weaving, monkeypatch):
        monkeypatch.setattr(search, "planned_rows", lambda sql, params: 1_000_000)
        monkeypatch.setattr(selectors, "EXACT_UP_TO", 1)  # the sample's 6 hits bear the guess out (more than 2 * 2)

        response = client.get(reverse("resources:list"), {"q": "vävning"})

        assert response.context["search"].estimated
        assert response.context["search"].total == 6

    def test_a_search_the_planner_wrongly_expects_to_be_broad_is_still_counted_exactly(self, client, monkeypatch):
        monkeypatch.setattr(search, "planned_rows", lambda sql, params: 1_000_000)
        for n in range(3):
            ResourceFactory(slug=f"weave-{n}", title="Vävning")

        response = client.get(reverse("resources:list"), {"q": "vävning"})

        assert not response.context["search"].estimated
        assert response.context["search"].total == 3

    def test_a_search_within_the_limit_is_counted_exactly(self, client):
        for n in range(3):
            ResourceFactory(slug=f"weave-{n}", title="Vävning")
        response = client.get(reverse("resources:list"), {"q": "vävning"})
        assert not response.context["search"].estimated
        assert response.context["search"].total == 3
        assert "cirka" not in response.content.decode().lower()


@pytest.mark.parametrize(
    ("number", "shown"), [(0.2, 1), (42.4, 42), (987.4, 990), (1049, 1000), (12345, 12000), (3_456_789, 3_500_000)]
)
def test_an_estimate_is_rounded_to_two_significant_figures(number, shown):
    assert about(number) == shown
