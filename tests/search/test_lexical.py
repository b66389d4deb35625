"""Compounds in both directions, typos and English queries for a Scandinavian language's learning material.

Each test names the mechanism of ``resources.search`` it holds: a query's compound split (with a linking letter),
a split query joined (with a linking letter), a compound written as a phrase, typos with two edits, missing or
other diacritics, swapped letters, and a named language.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from resources.search import understand
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def found(client, query: str) -> list[str]:
    response = client.get(reverse("resources:list"), {"q": query})
    assert response.status_code == 200
    return [resource.slug for resource in response.context["resources"]]


def doc(slug: str, title: str, language: str, **fields) -> None:
    fields.setdefault("summary", title)
    ResourceFactory(slug=slug, title=title, language=language, description="", creator="", **fields)


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        # Danish and Norwegian join "børn", "barn" and "bibliotek" with an e.
        ("børnebibliotek", "da", "Velkommen til biblioteket"),
        ("barnebibliotek", "nb", "Velkommen til biblioteket"),
        # Swedish joins with an s.
        ("hushållsbudget", "sv", "Gör en budget för månaden"),
    ],
)
def test_a_compound_is_split_at_its_linking_letter(client, query, language, title):
    doc("first-half", "Leg med børn og barn i hushåll", language)
    doc("second-half", title, language)
    doc("other", "Strikk en genser", "nb")

    assert set(found(client, query)) == {"first-half", "second-half"}


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        # The modifier as typed or stemmed ("samhälle": "samhäll"), then the linking letter.
        ("samhälle information", "sv", "Samhällsinformation för nyanlända"),
        ("slægt forskning", "da", "Slægtsforskning for begyndere"),
        ("slekt forskning", "nb", "Slektsforskning for nybegynnere"),
    ],
)
def test_a_split_query_is_joined_with_a_linking_letter(client, query, language, title):
    doc("compound", title, language)
    # Has one of the words only: the two typed apart mean the compound, not either word.
    doc("other", "Information och forskning om tåg", language)

    assert found(client, query) == ["compound"]


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        ("lyst til at læse", "da", "Læselyst hos de mindste"),
        ("lyst til å lese", "nb", "Leselyst hos de minste"),
        ("lust att läsa", "sv", "Läslust hos de minsta"),
    ],
)
def test_a_phrase_finds_the_compound_it_stands_for(client, query, language, title):
    doc("compound", title, language)
    doc("other", "Sy dine egne klær", language)

    assert found(client, query) == ["compound"]


def test_a_compound_finds_the_phrase_it_stands_for(client):
    doc("phrase", "Lyst til at læse", "da", summary="Når børn får lyst til at læse.")
    doc("other", "Sy dit eget tøj", "da")

    assert found(client, "læselyst") == ["phrase"]


def test_a_word_made_of_two_known_words_is_no_typo(client):
    doc("split", "Digital Post fra det offentlige", "da")
    doc("near", "Digipost for alle", "nb")

    query = understand("digitalpost")

    assert query.corrections == {}
    assert found(client, "digitalpost")[0] == "split"


def test_a_long_word_with_two_wrong_letters_is_corrected(client):
    doc("match", "Programmering för barn", "sv")
    doc("other", "Sagor för barn", "sv")

    assert understand("prigrammerong").corrections == {"prigrammerong": "programmering"}
    assert found(client, "prigrammerong") == ["match"]


def test_a_short_word_is_not_corrected_by_two_edits(client):
    doc("other", "Budget för hushållet", "sv")

    assert understand("bydgat").corrections == {}


@pytest.mark.parametrize(
    ("query", "language", "title"),
    [
        # Without the diacritics, and with the digraphs a keyboard without them types.
        ("hojtlaesning", "da", "Højtlæsning for børn"),
        ("laslust", "sv", "Läslust hos barn"),
        ("kalla", "sv", "Hitta en källa"),
        # A Danish letter in a Swedish word.
        ("læslust", "sv", "Läslust hos barn"),
    ],
)
def test_missing_or_other_diacritics_are_corrected(client, query, language, title):
    doc("match", title, language)
    doc("other", "Strikk en genser", "nb")

    assert found(client, query) == ["match"]


@pytest.mark.parametrize(("query", "meant"), [("budegt", "budget"), ("lösenrod", "lösenord")])
def test_swapped_letters_count_as_one_edit(client, query, meant):
    doc("match", f"Om {meant}", "sv")
    doc("other", "Strikk en genser", "nb")

    assert understand(query).corrections == {query: meant}
    assert found(client, query) == ["match"]


@pytest.mark.parametrize(
    ("query", "first"),
    [("learn Swedish", "sv"), ("Danish for beginners", "da"), ("Norwegian for beginners", "nb")],
)
def test_an_english_query_for_a_language_finds_its_learning_material_first(client, query, first):
    doc("sv", "Lär dig svenska – svenska för nybörjare", "sv")
    doc("da", "Lær dansk – dansk for begyndere", "da")
    doc("nb", "Lær norsk – norsk for nybegynnere", "nb")
    doc("en", "A short history of Swedish, Danish and Norwegian design", "en")

    assert found(client, query)[0] == first
