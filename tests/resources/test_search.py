"""Search through the resource list page: word forms, languages, typos, compounds, ranking, safety."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from resources.models import KnowledgeArea, Resource, SearchWord, Status, Term, TermGroup
from resources.views import PAGE_SIZE
from tests.factories import KnowledgeAreaFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def found(client, **params) -> list[str]:
    response = client.get(reverse("resources:list"), params)
    assert response.status_code == 200
    return [resource.slug for resource in response.context["resources"]]


def doc(slug: str, title: str, language: str = "sv", **fields) -> Resource:
    fields.setdefault("summary", title)
    fields.setdefault("description", "")
    fields.setdefault("creator", "")
    return ResourceFactory(slug=slug, title=title, language=language, **fields)


@pytest.fixture
def source_criticism_terms():
    # The seeded table has this group already; the test makes sure of it either way.
    group, _created = TermGroup.objects.get_or_create(concept="source criticism")
    for language, text in [
        ("sv", "källkritik"),
        ("da", "kildekritik"),
        ("nb", "kildekritikk"),
        ("en", "source criticism"),
    ]:
        Term.objects.get_or_create(group=group, language=language, text=text)


@pytest.mark.parametrize(
    ("query", "language", "text"),
    [
        ("biblioteken", "sv", "Välkommen till biblioteket"),
        ("bibliotekerne", "da", "Velkommen til biblioteket"),
        ("bibliotekene", "nb", "Velkommen til biblioteket"),
        ("valget", "nb", "Slik fungerer valg i kommunen"),
        ("elections", "en", "How an election works"),
    ],
)
def test_word_forms_find_each_other(client, query, language, text):
    doc("match", text, language)
    doc("other", "Sy dina egna kläder", "sv")
    assert found(client, q=query) == ["match"]


def test_a_swedish_query_finds_danish_and_norwegian_resources_through_the_term_table(client, source_criticism_terms):
    doc("sv", "Lär dig källkritik", "sv")
    doc("da", "Kildekritik for begyndere", "da")
    doc("nb", "Kildekritikk på nett", "nb")
    doc("other", "Strikka för nybörjare", "sv")

    assert sorted(found(client, q="källkritik")) == ["da", "nb", "sv"]
    assert found(client, q="källkritik", cross="off") == ["sv"]


def test_a_typo_still_finds_the_word(client):
    doc("match", "Programmering för barn", "sv")
    doc("other", "Sagor för barn", "sv")
    assert found(client, q="progamering") == ["match"]


def test_a_split_compound_finds_the_joined_word(client):
    doc("match", "Kom igång med släktforskning", "sv")
    doc("other", "Forskning om klimatet", "sv")
    assert found(client, q="släkt forskning")[0] == "match"


def test_a_compound_finds_resources_about_its_halves_after_those_with_the_whole_word(client):
    doc("whole", "Klimaendringer forklart", "nb")
    doc("half", "Klima og hverdag", "nb", description="Små vaner som betyr mye for klimaet.")
    doc("other", "Strikk en genser", "nb")

    assert found(client, q="klimaendringer") == ["whole", "half"]


@pytest.mark.parametrize(("query", "first"), [("bibliotekerne", "da"), ("biblioteken", "sv")])
def test_records_in_the_language_a_query_is_written_in_rank_first(client, query, first):
    # Both say "biblioteket"; the one wanted is made last, so it is the older and would come second on a tie.
    titles = {"sv": "Välkommen till biblioteket", "da": "Velkommen til biblioteket"}
    for language in sorted(titles, key=lambda language: language == first):
        doc(language, titles[language], language)
    # Swedish records say "biblioteken"; "bibliotekerne" is Danish by its ending alone.
    doc("news", "Nyheter från biblioteken", "sv")

    results = [slug for slug in found(client, q=query) if slug != "news"]

    assert results == [first, *({"sv", "da"} - {first})]


def test_a_natural_question_ranks_the_resource_that_answers_it_first(client):
    doc("answer", "Skydda dig mot bedrägerier på nätet", tags=["bedrägerier", "säkerhet"])
    doc("weak", "Resa med tåg", description="Boka biljetter på nätet.")
    doc("unrelated", "Baka surdegsbröd")

    results = found(client, q="hur skyddar jag mig mot bedrägerier på nätet")

    assert results[0] == "answer"
    assert "unrelated" not in results


def test_title_weighs_more_than_description(client):
    doc("in-description", "Om internet", description="Här lär du dig om källkritik på riktigt.")
    doc("in-title", "Källkritik i vardagen", description="En kort introduktion.")
    assert found(client, q="källkritik") == ["in-title", "in-description"]


def test_snippets_are_highlighted_and_content_is_escaped(client):
    doc("x", "Källkritik", summary='Källkritik för stora & små <script>alert("x")</script> 1 < 2')

    content = client.get(reverse("resources:list"), {"q": "källkritik"}).content.decode()

    assert "<mark>Källkritik</mark> för stora &amp; små" in content
    assert "<script>alert" not in content
    assert "1 &lt; 2" in content


def test_drafts_are_never_found_nor_suggested(client):
    ResourceFactory(title="Hemligt projekt kvantdator", slug="secret", status=Status.DRAFT, published_at=None)
    response = client.get(reverse("resources:list"), {"q": "kvantdator"})
    assert list(response.context["resources"]) == []
    response = client.get(reverse("resources:list"), {"q": "kvantdatr"})
    assert response.context["search"].suggestion == ""
    assert "kvantdator" not in response.content.decode()


def test_a_draft_word_is_not_suggested_even_when_its_halves_find_published_resources(client):
    ResourceFactory(title="Klimaendringer i Arktis", language="nb", status=Status.DRAFT, published_at=None)
    doc("half", "Klima og hverdag", "nb")

    response = client.get(reverse("resources:list"), {"q": "klimaendrnger"})

    assert response.context["search"].suggestion == ""
    assert "klimaendringer" not in response.content.decode().lower()


def test_a_query_with_no_hits_offers_did_you_mean(client):
    doc("match", "Nybörjarkurs i fotografering", "sv")
    response = client.get(reverse("resources:list"), {"q": "fotogrfring"})
    assert response.context["search"].suggestion == "fotografering"
    assert 'href="?q=fotografering"' in response.content.decode()


@pytest.mark.parametrize("query", ["-", "!!!", "...", "*", "🙂", "\ufffd", "'", "&|!", "-- --"])
@pytest.mark.parametrize("sort", ["", "relevance", "newest", "title"])
def test_a_query_of_symbols_only_lists_everything_newest_first(client, query, sort):
    doc("older", "Vävning", published_at=timezone.now() - timedelta(days=2))
    doc("newer", "Stickning", published_at=timezone.now() - timedelta(days=1))

    # Nothing to rank by: newest first (and by title, "Stickning" before "Vävning").
    assert found(client, q=query, sort=sort) == ["newer", "older"]


def test_facets_count_within_the_current_query(client):
    area = KnowledgeAreaFactory(slug="news")
    doc("a", "Källkritik och nyheter", kind="video", areas=[area], tags=["nyheter"])
    doc("b", "Källkritik i skolan", kind="article", tags=["skola"])
    doc("c", "Baka bröd", kind="video")

    response = client.get(reverse("resources:list"), {"q": "källkritik"})

    facets = {group.name: {value.label: value.count for value in group.values} for group in response.context["facets"]}
    assert facets["kind"] == {"video": 1, "artikel": 1}
    assert facets["tag"] == {"nyheter": 1, "skola": 1}
    assert sum(facets["area"].values()) == 1
    assert response.context["search"].total == 2


def test_sorting_by_title_and_newest(client):
    doc("b", "Bok om källkritik")
    doc("a", "Att granska källkritik")
    assert found(client, q="källkritik", sort="title") == ["a", "b"]
    assert found(client, q="källkritik", sort="newest")[0] in {"a", "b"}


class TestTheIndexStaysRight:
    def test_the_vocabulary_remembers_the_languages_of_each_word(self):
        resource = doc("x", "Kommunen och biblioteken", "sv")
        doc("y", "Kommunen og bibliotekerne", "da")
        assert SearchWord.objects.get(word="kommunen").languages == ["da", "sv"]
        assert SearchWord.objects.get(word="biblioteken").languages == ["sv"]

        Resource.objects.filter(pk=resource.pk).update(language="nb")

        assert SearchWord.objects.get(word="biblioteken").languages == ["nb", "sv"]

    def test_after_an_edit(self, client):
        resource = doc("x", "Baka bröd")
        resource.title = resource.summary = "Släktforskning för alla"
        resource.save()
        assert found(client, q="släktforskning") == ["x"]
        assert found(client, q="baka") == []

    def test_after_tags_change_and_a_tag_is_renamed(self, client):
        resource = doc("x", "En kurs")
        resource.tags.add("genealogi")
        assert found(client, q="genealogi") == ["x"]
        Tag.objects.filter(name="genealogi").update(name="anor")
        assert found(client, q="anor") == ["x"]
        resource.tags.clear()
        assert found(client, q="anor") == []

    def test_after_areas_change_and_an_area_is_renamed(self, client):
        area = KnowledgeAreaFactory(name="Hälsa", name_en="Health")
        resource = doc("x", "En kurs")
        resource.areas.add(area)
        assert found(client, q="health") == ["x"]
        KnowledgeArea.objects.filter(pk=area.pk).update(name_en="Wellbeing")
        assert found(client, q="wellbeing") == ["x"]

    def test_after_a_bulk_import_and_a_deletion(self, client):
        Resource.objects.bulk_create(
            [
                Resource(
                    title=f"Importerad kurs om vävning {n}", slug=f"import-{n}", summary="Vävning", url="https://a.example",
                    language="sv", license="CC0-1.0", library=ResourceFactory().library, status=Status.PUBLISHED,
                    published_at="2026-01-01T00:00:00Z",
                )
                for n in range(3)
            ]
        )  # fmt: skip
        assert len(found(client, q="vävning")) == 3
        Resource.objects.filter(slug="import-0").delete()
        assert len(found(client, q="vävning")) == 2


@pytest.mark.parametrize("rows", [1, PAGE_SIZE])
@pytest.mark.parametrize("filters", [{}, {"kind": "course", "language": "sv"}])
def test_search_query_count_is_flat(client, django_assert_num_queries, rows, filters):
    area = KnowledgeAreaFactory()
    ResourceFactory.create_batch(rows, title="Källkritik för alla", areas=[area], tags=["nyheter"])
    params = {"q": "källkritik", "area": area.slug, **filters}
    # 1 areas for the form, 2 catalogue version, 3 understanding the words, 4 the planner's guess of the hits,
    # 5 facet counts, 6 ids of the first pages, 7 this page's resources with library, 8 their areas, 9 snippets
    with django_assert_num_queries(9):
        client.get(reverse("resources:list"), params)
    # The page comes whole from the cache: only the catalogue version is read
    with django_assert_num_queries(1):
        client.get(reverse("resources:list"), params)


def test_a_cached_search_is_not_served_after_the_catalogue_changes(client):
    doc("first", "Vävning för nybörjare")
    assert found(client, q="vävning") == ["first"]
    doc("second", "Vävning på distans")
    assert sorted(found(client, q="vävning")) == ["first", "second"]
    Resource.objects.filter(slug="first").update(status=Status.ARCHIVED)
    assert found(client, q="vävning") == ["second"]


def test_pages_past_the_cached_ones_are_read_live(client):
    from resources import selectors

    ResourceFactory.create_batch(selectors.CACHED_PAGES * PAGE_SIZE + 3, title="Vävning", summary="Vävning")
    last = selectors.CACHED_PAGES + 1
    response = client.get(reverse("resources:list"), {"q": "vävning", "page": last})
    assert len(response.context["resources"]) == 3
