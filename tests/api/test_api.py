"""The JSON API through the test client: public data only, the search page's filters, cursors, caching headers,
CORS, the rate limit, languages and problem+json errors."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from resources.api.problems import PROBLEM_JSON
from tests.factories import LibraryFactory, ResourceFactory

LISTS = ["/api/v1/resources", "/api/v1/areas", "/api/v1/teams", "/api/v1/libraries", "/api/v1/offers",
         "/api/v1/subjects", "/api/v1/school-years"]  # fmt: skip


def test_hidden_things_are_in_no_list_and_not_found(client, catalogue):
    hidden = [resource.slug for resource in catalogue.hidden] + [catalogue.hidden_offer.slug]
    secrets = ["Dold", "Intern anteckning", "Hemliga skolan", "larare@skola.example", "Personalens interna", "Dolt"]
    for address in LISTS:
        body = client.get(address).content.decode()
        for text in [*hidden, *secrets]:
            assert text not in body, (address, text)
    for resource in catalogue.hidden:
        assert client.get(f"/api/v1/resources/{resource.slug}").status_code == 404
    assert client.get(f"/api/v1/offers/{catalogue.hidden_offer.slug}").status_code == 404
    detail = client.get(f"/api/v1/offers/{catalogue.offer.slug}").content.decode()
    assert "Hemliga skolan" not in detail
    assert "larare@skola.example" not in detail
    assert "Intern anteckning" not in client.get(f"/api/v1/resources/{catalogue.published[0].slug}").content.decode()


def test_resource_list_filters_and_counts_as_the_search_page(client, catalogue):
    everything = client.get("/api/v1/resources").json()
    assert everything["total"] == 3
    assert {row["value"]: row["count"] for row in everything["facets"]["kind"]} == {
        "video": 1, "course": 1, "lesson_plan": 1,
    }  # fmt: skip
    danish = client.get("/api/v1/resources?language=da").json()
    assert [item["slug"] for item in danish["items"]] == [catalogue.published[1].slug]
    in_area = client.get("/api/v1/resources?area=kallkritik&sort=title").json()
    assert in_area["total"] == 2
    found = client.get("/api/v1/resources?q=nyheter").json()
    assert found["total"] == 3


def test_standard_vocabularies(client, catalogue):
    item = client.get(f"/api/v1/resources/{catalogue.published[1].slug}").json()
    assert item["kind"]["hcrt"]["id"] == "https://w3id.org/kim/hcrt/course"
    assert item["license"]["uri"] == "https://creativecommons.org/licenses/by/4.0/"
    assert item["language"]["code"] == "da"
    roles = {audience["role"]["id"] for audience in item["audiences"]}
    assert "http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/teacher" in roles
    offer = client.get(f"/api/v1/offers/{catalogue.offer.slug}").json()
    assert [level["id"] for level in offer["years"]["levels"]] == ["https://w3id.org/kim/educationalLevel/level_2"]
    assert offer["years"]["label"] == "åk 7–9"
    assert offer["sessions"][0]["places_left"] == 1
    years = client.get("/api/v1/school-years").json()
    assert years[7]["labels"] == {"SE": "åk 7", "DK": "7. klasse", "NO": "8. trinn"}


def test_labels_in_the_chosen_language(client, catalogue):
    slug = catalogue.published[0].slug
    assert client.get(f"/api/v1/resources/{slug}?lang=en").json()["kind"]["label"] == "video"
    danish = client.get(f"/api/v1/resources/{slug}", headers={"accept-language": "fr, da-DK;q=0.8, en;q=0.5"})
    assert danish["Content-Language"] == "da"
    assert danish.json()["kind"]["label"] == "video"
    assert "Accept-Language" in danish["Vary"]
    english_areas = client.get("/api/v1/areas?lang=en").json()
    assert english_areas[0]["name"] == "Source criticism"
    assert english_areas[0]["children"][0]["slug"] == "bildgranskning"


def test_cursor_pages_are_stable_under_inserts(client, catalogue):
    first = client.get("/api/v1/resources?limit=2").json()
    assert len(first["items"]) == 2
    assert first["next"]
    # A newer resource arrives between two pages: the next page neither repeats nor skips anything.
    ResourceFactory(title="Nyaste", slug="nyaste", published_at=timezone.now())
    second = client.get(first["next"]).json()
    seen = [item["slug"] for item in first["items"] + second["items"]]
    assert seen == [resource.slug for resource in catalogue.published]
    assert second["next"] is None


def test_cursor_walks_a_list_sorted_by_title(client, catalogue):
    LibraryFactory.create_batch(4)
    slugs, address = [], "/api/v1/libraries?limit=2"
    while address:
        page = client.get(address).json()
        slugs += [library["slug"] for library in page["items"]]
        address = page["next"]
    assert len(slugs) == len(set(slugs)) == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("kind=nope", "kind"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("area=nowhere", "area"),
        ("cursor=forged", "cursor"),
        ("lang=fr", "lang"),
        ("q=%00", "q"),
    ],
)
def test_bad_parameters_are_problems(client, catalogue, query, parameter):
    response = client.get(f"/api/v1/resources?{query}&lang=en" if parameter != "lang" else f"/api/v1/resources?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == 400
    assert problem["type"] == "urn:delarum:problem:invalid-parameters"
    assert [error["parameter"] for error in problem["errors"]] == [parameter]
    assert problem["errors"][0]["detail"]


def test_bad_offer_parameters_are_problems(client, catalogue):
    response = client.get("/api/v1/offers?from=2027-05-02&to=2027-05-01&year=13")
    assert response.status_code == 400
    assert {error["parameter"] for error in response.json()["errors"]} == {"year"}
    response = client.get("/api/v1/offers?from=2027-05-02&to=2027-05-01")
    assert [error["parameter"] for error in response.json()["errors"]] == ["to"]


def test_messages_are_translated(client, catalogue):
    assert client.get("/api/v1/resources?limit=0&lang=en").json()["errors"][0]["detail"] == (
        "Give a number of at least 1."
    )
    english = client.get("/api/v1/resources?area=nowhere&lang=en").json()
    swedish = client.get("/api/v1/resources?area=nowhere", headers={"accept-language": "sv"}).json()
    assert english["errors"][0]["detail"].startswith("Select a valid choice.")
    assert swedish["errors"][0]["detail"].startswith("Välj ett giltigt alternativ.")


def test_not_found_and_methods_are_problems(client, catalogue):
    for address in ["/api/v1/resources/nothing-here", "/api/v1/nowhere", "/api/v1/offers/a%00b"]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert response["Content-Type"] == PROBLEM_JSON
    response = client.post("/api/v1/resources")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM_JSON


def test_conditional_get(client, catalogue):
    for address in ["/api/v1/resources", "/api/v1/offers", f"/api/v1/offers/{catalogue.offer.slug}"]:
        response = client.get(address)
        assert response.status_code == 200
        etag, modified = response["ETag"], response["Last-Modified"]
        assert client.get(address, headers={"if-none-match": etag}).status_code == 304
        assert client.get(address, headers={"if-modified-since": modified}).status_code == 304
    changed = catalogue.published[0]
    etag = client.get(f"/api/v1/resources/{changed.slug}")["ETag"]
    changed.title = "Ny titel"
    changed.save()
    assert client.get(f"/api/v1/resources/{changed.slug}", headers={"if-none-match": etag}).status_code == 200


def test_cors_on_the_api_only(client, catalogue):
    assert client.get("/api/v1/resources")["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/resources", headers={"origin": "https://skola.example"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/sv/resources/")


def test_head_answers_as_get_without_a_body(client, catalogue):
    response = client.head("/api/v1/subjects")
    assert response.status_code == 200
    assert response["ETag"] == client.get("/api/v1/subjects")["ETag"]
    assert response.content == b""


def test_rate_limit_answers_429_with_retry_after(client, catalogue, settings):
    settings.API_RATE_LIMIT = 2
    address = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/api/v1/subjects", **address).status_code == 200
    assert client.get("/api/v1/subjects", **address).status_code == 200
    refused = client.get("/api/v1/subjects", **address)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Content-Type"] == PROBLEM_JSON
    # Another address is not held back.
    assert client.get("/api/v1/subjects", REMOTE_ADDR="203.0.113.10").status_code == 200


def test_rate_limit_counts_the_visitor_behind_a_trusted_proxy(client, catalogue, settings):
    import ipaddress

    settings.API_RATE_LIMIT = 1
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert client.get("/api/v1/subjects", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 200
    assert client.get("/api/v1/subjects", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 200
    assert client.get("/api/v1/subjects", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 429


def test_docs_use_the_bundled_swagger_ui(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "validator.swagger.io" not in page


@pytest.fixture
def many(catalogue, request):
    """``request.param`` published resources, libraries and offers in all."""
    from tests.factories import LearningTeamFactory, OfferSessionFactory, SchoolOfferFactory

    count = request.param
    library = catalogue.offer.library
    for _ in range(count - 3):
        ResourceFactory(library=library, areas=[catalogue.area], tags=["källkritik"])
    for _ in range(count - 1):
        LibraryFactory()
        LearningTeamFactory(libraries=[library])
        OfferSessionFactory(offer=SchoolOfferFactory(library=library, areas=[catalogue.area]))
    cache.clear()
    return count


# Each list costs the same number of queries for 1 (or 3) and 100 items.
@pytest.mark.parametrize("many", [3, 100], indirect=True)
@pytest.mark.parametrize(
    ("address", "queries"),
    [
        # catalogue version; areas for the form; the planner's guess (EXPLAIN); count with facets; the first pages'
        # ids (cached with the search); the page of resources; their areas
        ("/api/v1/resources?limit=100", 7),
        # the same, and the words understood (one query)
        ("/api/v1/resources?limit=100&q=nyheter", 8),
        # catalogue version; areas with counts; their teams
        ("/api/v1/areas", 3),
        # teams; their libraries; their areas
        ("/api/v1/teams?limit=100", 3),
        # libraries; their teams
        ("/api/v1/libraries?limit=100", 2),
        # subjects, areas and places for the form; count with facets; the page of offers; their areas; subjects
        ("/api/v1/offers?limit=100", 7),
        ("/api/v1/subjects", 1),
        ("/api/v1/school-years", 0),
    ],
)
def test_list_query_budget(client, many, address, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        response = client.get(address)
    assert response.status_code == 200


def test_cursor_walks_offers_with_and_without_a_next_session(client, catalogue):
    from tests.factories import SchoolOfferFactory

    # Offers without a free session come last (null next session); the cursor crosses from one kind to the other.
    SchoolOfferFactory.create_batch(3, library=catalogue.offer.library)
    slugs, address = [], "/api/v1/offers?limit=1"
    while address:
        page = client.get(address).json()
        slugs += [offer["slug"] for offer in page["items"]]
        address = page["next"]
    assert slugs[0] == catalogue.offer.slug
    assert len(slugs) == len(set(slugs)) == 4
