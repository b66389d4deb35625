"""JSON-LD as harvesters read it: pages fetched from the live server over HTTP, the markup extracted with extruct
(what search engines and aggregators use), resource records validated with AMB's own JSON schema (shipped in
tests/outputs/schemas/amb), every term checked against the vocabularies it claims to come from."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import extruct
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from resources import vocabularies
from resources.languages import CONTENT_LANGUAGES
from resources.licenses import LICENSES
from resources.models import Audience, Kind, Status
from tests.factories import (
    ExperienceFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    OfferSessionFactory,
    ResourceFactory,
    SchoolOfferFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMAS = Path(__file__).parent / "schemas" / "amb"
CONTENT_CODES = {code for code, _name, _autonym in CONTENT_LANGUAGES}
# BCP 47's language tag: a primary subtag of 2–3 letters, then optional subtags (RFC 5646, simplified).
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
HIDDEN = "Utkastet som inte får synas"
STAFF_NOTE = "Intern anteckning: byt bild innan publicering"


def amb_validator(*, german_subject_in_about: bool = True) -> Draft7Validator:
    """AMB's schema.json with the other schema files it refers to, and formats (uri, date-time) checked.

    AMB requires ``about`` to name at least one subject from the German school-subject or higher-education lists
    (Schulfächer, Hochschulfächersystematik); Delarum's knowledge areas are not in them. Without
    ``german_subject_in_about`` that one rule is left out, and everything else about ``about`` is still checked.
    """
    contents = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.json")}
    if not german_subject_in_about:
        del contents["about.json"]["contains"]
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)) for schema in contents.values()
    )
    return Draft7Validator(contents["schema.json"], registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def json_ld(live_server, path: str) -> list[dict[str, Any]]:
    """The JSON-LD objects of a page as extruct reads them (each script's content; a list is flattened)."""
    url = live_server.url + path
    status, html = fetch(url)
    assert status == 200, (url, status)
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]


def page_path(name: str, language: str = "sv", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def absolute(live_server, name: str, **kwargs: Any) -> str:
    return live_server.url + page_path(name, **kwargs)


def learning_resource(live_server, resource, language: str = "sv") -> dict[str, Any]:
    (data,) = json_ld(live_server, page_path("resources:detail", language, slug=resource.slug))
    return data


def test_a_full_resource_page_is_an_amb_learning_resource_with_terms_from_the_vocabularies(live_server):
    library = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo")
    areas = [
        KnowledgeAreaFactory(
            name="Källkritik", name_da="Kildekritik", name_nb="Kildekritikk", name_en="Source criticism"
        ),
        KnowledgeAreaFactory(),
    ]
    resource = ResourceFactory(
        library=library,
        team=LearningTeamFactory(libraries=[library]),
        kind=Kind.VIDEO,
        audiences=[Audience.YOUTH, Audience.CHILDREN, Audience.TEACHERS],
        license="CC-BY-SA-4.0",
        creator="UR",
        areas=areas,
        tags=["källkritik", "nyheter"],
    )

    data = learning_resource(live_server, resource)

    assert list(amb_validator(german_subject_in_about=False).iter_errors(data)) == []
    page = absolute(live_server, "resources:detail", slug=resource.slug)
    assert data["@context"] == ["https://w3id.org/kim/amb/context.jsonld", {"@language": "sv"}]
    assert data["id"] == page
    assert data["type"] == ["LearningResource", "VideoObject"]
    assert (data["name"], data["description"]) == (resource.title, resource.description)
    assert all(BCP47.match(tag) and tag in CONTENT_CODES for tag in data["inLanguage"])
    assert data["inLanguage"] == ["sv"]
    hcrt_ids = {term.id for term in vocabularies.HCRT_TERMS.values()}
    assert [concept["id"] for concept in data["learningResourceType"]] == ["https://w3id.org/kim/hcrt/video"]
    assert all(concept["id"] in hcrt_ids for concept in data["learningResourceType"])
    roles = [concept["id"] for concept in data["audience"]]
    assert all(role.startswith(vocabularies.LRMI_ROLE) for role in roles)
    assert roles == [vocabularies.LRMI_ROLE + "student", vocabularies.LRMI_ROLE + "teacher"]  # young and children: once
    assert sorted(data["keywords"]) == ["källkritik", "nyheter"]
    labels = {concept["id"]: concept["prefLabel"] for concept in data["about"]}
    assert set(labels) == {absolute(live_server, "resources:area", slug=area.slug) for area in areas}
    assert labels[absolute(live_server, "resources:area", slug=areas[0].slug)] == {
        "sv": "Källkritik",
        "da": "Kildekritik",
        "nb": "Kildekritikk",
        "en": "Source criticism",
    }
    assert data["license"] == {"id": "https://creativecommons.org/licenses/by-sa/4.0/"}
    assert data["license"]["id"] in {license.url for license in LICENSES.values()}
    assert data["isAccessibleForFree"] is True
    assert data["creator"] == [{"type": "Organization", "name": "UR"}]
    assert data["publisher"] == [
        {"type": "Organization", "id": absolute(live_server, "teams:library", slug="malmo"), "name": library.name}
    ]
    resource.refresh_from_db()
    assert datetime.fromisoformat(data["datePublished"]) == resource.published_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["dateModified"]) == resource.updated_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["dateCreated"]) == resource.created_at.replace(microsecond=0)
    (meta,) = data["mainEntityOfPage"]
    assert (meta["id"], meta["type"], meta["provider"]["name"]) == (page, "WebContent", "Delarum")
    # The same record, whichever language version of the page a harvester reads.
    assert learning_resource(live_server, resource, "en")["id"] == page


def test_the_markup_is_readable_from_the_links_on_the_page(live_server):
    resource = ResourceFactory(areas=[KnowledgeAreaFactory()])
    data = learning_resource(live_server, resource)
    # Every address in the record answers: the page itself, its areas and its publisher.
    for url in [data["id"], *(concept["id"] for concept in data["about"]), data["publisher"][0]["id"]]:
        assert fetch(url)[0] == 200, url


@pytest.mark.parametrize(
    ("values", "types", "language"),
    [
        ({"kind": Kind.OTHER, "language": "en"}, ["LearningResource"], "en"),
        ({"kind": Kind.LESSON_PLAN, "language": "nb"}, ["LearningResource"], "nb"),
        ({"kind": Kind.APPLICATION, "language": "se"}, ["LearningResource", "SoftwareApplication"], "se"),
        ({"kind": Kind.EBOOK, "language": "prs"}, ["LearningResource", "TextDigitalDocument"], "fa"),
    ],
)
def test_a_resource_with_only_the_required_fields_is_valid_amb(live_server, values, types, language):
    resource = ResourceFactory(audiences=[], creator="", description="", **values)

    data = learning_resource(live_server, resource)

    # AMB's schema unchanged: with no knowledge areas there is no `about` for its German-subject rule to judge.
    assert list(amb_validator().iter_errors(data)) == []
    assert data["type"] == types
    assert data["inLanguage"] == [language]  # ISO 639-1, as AMB writes languages: Dari as Persian (fa)
    assert data["description"] == resource.summary
    for optional in ["audience", "about", "keywords", "creator", "educationalLevel"]:
        assert optional not in data


def test_the_validator_rejects_what_amb_rejects():
    valid = {
        "@context": ["https://w3id.org/kim/amb/context.jsonld", {"@language": "sv"}],
        "id": "https://delarum.example/sv/resources/x/",
        "type": ["LearningResource"],
        "name": "X",
    }
    validator = amb_validator()
    assert validator.is_valid(valid)
    assert not validator.is_valid({**valid, "type": ["VideoObject"]})
    assert not validator.is_valid({**valid, "license": {"id": "https://example.org/licence"}})
    assert not validator.is_valid({**valid, "dateCreated": "3 December"})
    assert not validator.is_valid({**valid, "about": [{"id": "https://delarum.example/sv/areas/x/"}]})


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_writes_types_and_a_learning_resource_type_amb_accepts(kind):
    types = json.loads((SCHEMAS / "type.json").read_text())["items"]["enum"]
    assert set(vocabularies.schema_types(kind)) <= set(types)
    assert re.match(r"^https://w3id.org/kim/hcrt/", vocabularies.hcrt_term(kind).id)


@pytest.mark.parametrize("code", sorted(CONTENT_CODES))
def test_every_content_language_is_written_as_amb_accepts(code):
    languages = json.loads((SCHEMAS / "language.json").read_text())["enum"]
    assert vocabularies.two_letter_language(code) in languages


@pytest.mark.parametrize("license_id", sorted(key for key in LICENSES if key.startswith("CC")))
def test_every_creative_commons_licence_is_a_uri_amb_accepts(license_id):
    validator = amb_validator()
    record = {
        "@context": ["https://w3id.org/kim/amb/context.jsonld", {"@language": "sv"}],
        "id": "https://delarum.example/r/",
        "type": ["LearningResource"],
        "name": "X",
        "license": {"id": vocabularies.license_uri(license_id)},
    }
    assert validator.is_valid(record)
    assert record["license"]["id"].startswith("https://creativecommons.org/")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_an_unpublished_resource_page_is_not_found_and_has_no_json_ld(live_server, status):
    resource = ResourceFactory(status=status, published_at=None if status != Status.ARCHIVED else timezone.now())

    code, html = fetch(absolute(live_server, "resources:detail", slug=resource.slug))

    assert code == 404
    assert extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"] == []
    assert resource.title not in html


def test_a_school_offer_page_names_the_isced_levels_of_its_school_years(live_server):
    swedish = SchoolOfferFactory(year_from=6, year_to=9)  # åk 6 is primary, åk 7–9 lower secondary
    OfferSessionFactory(offer=swedish, starts_at=timezone.now() + timedelta(days=10))
    norwegian = SchoolOfferFactory(library=LibraryFactory(country="NO"), year_from=11, year_to=11)  # vg1
    OfferSessionFactory(offer=norwegian, starts_at=timezone.now() + timedelta(days=10))
    kim_levels = {vocabularies.educational_level(level).id for level in vocabularies.ISCED_LABELS}

    (event,) = json_ld(live_server, page_path("offers:detail", slug=swedish.slug))
    (upper,) = json_ld(live_server, page_path("offers:detail", slug=norwegian.slug))

    assert event["@type"] == "EducationEvent"
    assert all(level["@id"] in kim_levels for level in event["educationalLevel"] + upper["educationalLevel"])
    assert [level["@id"] for level in event["educationalLevel"]] == [
        "https://w3id.org/kim/educationalLevel/level_1",
        "https://w3id.org/kim/educationalLevel/level_2",
    ]
    assert [level["@id"] for level in upper["educationalLevel"]] == ["https://w3id.org/kim/educationalLevel/level_3"]
    assert event["organizer"]["url"] == absolute(live_server, "teams:library", slug=swedish.library.slug)


@pytest.fixture
def public_and_hidden():
    """A team of two libraries in an area with one published resource, and everything that must stay out of sight:
    drafts, a resource in review, an archived one, a staff note, a staff-only exchange-bank entry."""
    library, other = (
        LibraryFactory(
            name="Malmö stadsbibliotek", street_address="Kung Oscars väg 11", postal_code="211 33", city="Malmö"
        ),
        LibraryFactory(name="Dokk1", country="DK"),
    )
    team = LearningTeamFactory(name="Lärteam Syd", libraries=[library, other], description="Vi väljer resurser.")
    area = KnowledgeAreaFactory(name="Källkritik")
    area.teams.add(team)
    child = KnowledgeAreaFactory(name="Bildgranskning", parent=area)
    published = ResourceFactory(library=library, team=team, areas=[area], review_note=STAFF_NOTE)
    for status in [Status.DRAFT, Status.IN_REVIEW]:
        ResourceFactory(
            library=library,
            team=team,
            areas=[area],
            status=status,
            published_at=None,
            title=f"{HIDDEN} ({status})",
            review_note=STAFF_NOTE,
        )
    ResourceFactory(library=library, team=team, areas=[area], status=Status.ARCHIVED, title=f"{HIDDEN} (archived)")
    ExperienceFactory(library=library, areas=[area], is_public=False, title=f"{HIDDEN} (exchange bank)")
    return {"library": library, "team": team, "area": area, "child": child, "published": published}


def test_area_team_and_library_pages_carry_their_markup_and_nothing_hidden(live_server, public_and_hidden):
    library, team, area = public_and_hidden["library"], public_and_hidden["team"], public_and_hidden["area"]
    published = public_and_hidden["published"]

    (collection,) = json_ld(live_server, page_path("resources:area", slug=area.slug))
    (organisation,) = json_ld(live_server, page_path("teams:detail", slug=team.slug))
    (place,) = json_ld(live_server, page_path("teams:library", slug=library.slug))

    resource_url = absolute(live_server, "resources:detail", slug=published.slug)
    assert collection["@type"] == "CollectionPage"
    assert collection["@id"] == absolute(live_server, "resources:area", slug=area.slug)
    assert collection["mainEntity"]["@type"] == "ItemList"
    assert [item["url"] for item in collection["mainEntity"]["itemListElement"]] == [resource_url]
    assert collection["mainEntity"]["numberOfItems"] == 1
    assert [part["@id"] for part in collection["hasPart"]] == [
        absolute(live_server, "resources:area", slug=public_and_hidden["child"].slug)
    ]
    assert [team_["@id"] for team_ in collection["maintainer"]] == [
        absolute(live_server, "teams:detail", slug=team.slug)
    ]

    assert organisation["@type"] == "Organization"
    assert organisation["name"] == "Lärteam Syd"
    assert {member["@type"] for member in organisation["member"]} == {"Library"}
    assert sorted(member["name"] for member in organisation["member"]) == ["Dokk1", "Malmö stadsbibliotek"]
    assert [about["url"] for about in organisation["knowsAbout"]] == [
        absolute(live_server, "resources:area", slug=area.slug)
    ]

    assert place["@type"] == "Library"
    assert place["@id"] == absolute(live_server, "teams:library", slug=library.slug)
    assert place["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Kung Oscars väg 11",
        "postalCode": "211 33",
        "addressLocality": "Malmö",
        "addressRegion": "Region Skåne",
        "addressCountry": "SE",
    }
    assert place["email"] == library.email
    assert [member_of["@id"] for member_of in place["memberOf"]] == [organisation["@id"]]

    for markup in [collection, organisation, place]:
        text = json.dumps(markup, ensure_ascii=False)
        assert HIDDEN not in text
        assert STAFF_NOTE not in text
    # The pages around the markup do not show them either.
    for path in [
        page_path("resources:area", slug=area.slug),
        page_path("teams:detail", slug=team.slug),
        page_path("teams:library", slug=library.slug),
        page_path("resources:detail", slug=published.slug),
    ]:
        _status, html = fetch(live_server.url + path)
        assert HIDDEN not in html
        assert STAFF_NOTE not in html


def test_no_text_can_close_the_script_element(live_server):
    resource = ResourceFactory(title="</script><script>alert(1)</script>", description="Tom & Jerry <b>")
    status, html = fetch(absolute(live_server, "resources:detail", slug=resource.slug))
    assert status == 200
    assert "<script>alert(1)" not in html
    assert learning_resource(live_server, resource)["name"] == "</script><script>alert(1)</script>"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_the_resource_page_costs_the_same_for_any_number_of_areas_and_tags(client, django_assert_num_queries, count):
    resource = ResourceFactory(
        areas=KnowledgeAreaFactory.create_batch(count),
        tags=[f"tagg{n}" for n in range(count)],
        audiences=list(Audience.values)[:count],
    )
    # 1 resource with library and team, 2 its areas, 3 its tags, 4 related resources with library;
    # the JSON-LD reads the same rows.
    with django_assert_num_queries(4):
        response = client.get(resource.get_absolute_url())
    assert b"application/ld+json" in response.content
