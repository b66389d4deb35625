"""Delarum's values in the standard vocabularies: every value has a term, and imports understand the synonyms."""

from __future__ import annotations

import pytest

from resources import vocabularies
from resources.models import Audience, Kind
from resources.school_years import isced_level
from teams.models import Country


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_has_an_hcrt_term(kind):
    term = vocabularies.hcrt_term(kind)
    assert term.id.startswith("https://w3id.org/kim/hcrt/")
    assert term.id.removeprefix(vocabularies.HCRT) in vocabularies.HCRT_TERMS


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("lesson plan", Kind.LESSON_PLAN),
        ("Lesson_Plan", Kind.LESSON_PLAN),
        ("https://w3id.org/kim/hcrt/educational_game", Kind.GAME),
        ("game", Kind.GAME),
        ("app", Kind.APPLICATION),
        ("Drill and Practice", Kind.EXERCISE),
        ("web_page", Kind.WEBSITE),
        ("video", Kind.VIDEO),
        ("Audio Recording", Kind.AUDIO),
        ("no such kind", None),
    ],
)
def test_kinds_from_standard_terms_and_synonyms(value, kind):
    assert vocabularies.kind_from(value) == kind


@pytest.mark.parametrize(
    ("value", "audience"),
    [
        ("teens", Audience.YOUTH),
        ("teachers", Audience.TEACHERS),
        ("http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/teacher", Audience.TEACHERS),
        ("librarians", Audience.LIBRARY_STAFF),
        ("martians", None),
    ],
)
def test_audiences_from_standard_terms_and_synonyms(value, audience):
    assert vocabularies.audience_from(value) == audience


def test_licences_are_creative_commons_uris():
    assert vocabularies.license_uri("CC-BY-4.0") == "https://creativecommons.org/licenses/by/4.0/"
    assert vocabularies.license_uri("nonsense") is None


@pytest.mark.parametrize(
    ("country", "year", "level"),
    [
        (Country.SWEDEN, 0, 0),
        (Country.SWEDEN, 1, 1),
        (Country.SWEDEN, 6, 1),
        (Country.SWEDEN, 7, 2),
        (Country.SWEDEN, 9, 2),
        (Country.SWEDEN, 10, 3),
        (Country.DENMARK, 0, 0),
        (Country.DENMARK, 1, 1),
        (Country.DENMARK, 7, 2),
        (Country.DENMARK, 9, 2),
        (Country.DENMARK, 10, 3),
        (Country.DENMARK, 12, 3),
        (Country.NORWAY, 0, 1),  # 1. trinn is primary school
        (Country.NORWAY, 1, 1),  # 2. trinn
        (Country.NORWAY, 6, 1),  # 7. trinn
        (Country.NORWAY, 7, 2),  # 8. trinn
        (Country.NORWAY, 9, 2),  # 10. trinn
        (Country.NORWAY, 10, 3),  # vg1
        (Country.NORWAY, 12, 3),  # vg3
    ],
)
def test_school_years_have_their_isced_level(country, year, level):
    assert isced_level(country, year) == level
