"""Broad searches rank by relevance over all their hits, from per-lexeme ranks the database keeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from resources import selectors
from resources.models import Resource, ResourceTerm, Status
from tests.factories import LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db

NEWER = 2100


@pytest.fixture
def catalogue():
    """2,100 newer resources that mention the word in their summary, then an old one with it in its title."""
    library = LibraryFactory()
    now = timezone.now()
    Resource.objects.bulk_create(
        Resource(
            title=f"Kurs {n}",
            slug=f"kurs-{n}",
            summary="Om vävning och annat hantverk.",
            url=f"https://example.org/{n}",
            language="sv",
            license="CC-BY-4.0",
            library=library,
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )
        for n in range(NEWER)
    )
    return ResourceFactory(
        slug="vavning", title="Vävning", summary="Vävning för nybörjare.", published_at=now - timedelta(days=400)
    )


def test_an_old_highly_relevant_resource_beyond_the_newest_hits_is_on_the_first_page(client, catalogue, monkeypatch):
    # Broad with fewer rows than the real limit: more hits than are counted exactly.
    monkeypatch.setattr(selectors, "EXACT_UP_TO", 1000)

    response = client.get(reverse("resources:list"), {"q": "vävning"})

    assert response.context["search"].estimated
    assert response.context["resources"][0].slug == "vavning"


def test_the_api_lists_it_first_too(client, catalogue, monkeypatch):
    monkeypatch.setattr(selectors, "EXACT_UP_TO", 1000)

    items = client.get("/api/v1/resources", {"q": "vävning", "limit": 5}).json()["items"]

    assert items[0]["slug"] == "vavning"


class TestTheRanksAreKept:
    def test_for_a_published_resource_and_they_follow_its_words(self):
        resource = ResourceFactory(title="Vävning", summary="Om hantverk.")
        assert ResourceTerm.objects.filter(resource_id=resource.pk, lexeme="vävning").exists()

        resource.title = "Stickning"
        resource.save()

        lexemes = set(ResourceTerm.objects.filter(resource_id=resource.pk).values_list("lexeme", flat=True))
        assert "vävning" not in lexemes
        assert "stickning" in lexemes

    def test_the_title_ranks_higher_than_the_summary(self):
        in_title = ResourceFactory(title="Vävning", summary="Om hantverk.")
        in_summary = ResourceFactory(title="Hantverk", summary="Om vävning.")

        weights = dict(ResourceTerm.objects.filter(lexeme="vävning").values_list("resource_id", "weight"))

        assert weights[in_title.pk] > weights[in_summary.pk]

    def test_not_for_drafts_nor_deleted_resources(self):
        resource = ResourceFactory(title="Vävning")
        resource.status = Status.DRAFT
        resource.save()
        assert not ResourceTerm.objects.filter(resource_id=resource.pk).exists()

        other = ResourceFactory(title="Vävning")
        other_id = other.pk
        other.delete()
        assert not ResourceTerm.objects.filter(resource_id=other_id).exists()

    def test_tags_reach_them(self):
        resource = ResourceFactory(title="Kurs")
        resource.tags.add("vävning")

        assert ResourceTerm.objects.filter(resource_id=resource.pk, lexeme="vävning").exists()
