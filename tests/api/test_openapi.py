"""The OpenAPI document, checked by the tools other systems use: openapi-spec-validator reads it as a valid
OpenAPI 3 document, and schemathesis calls every operation on the live server with at least 100 generated
examples each, checking every answer against the document (no server errors, no answer the document does not
describe)."""

from __future__ import annotations

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 100
ONLY_LANG = {"GET /api/v1/areas", "GET /api/v1/subjects", "GET /api/v1/school-years"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_document_is_valid_openapi(live_server):
    document = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json()
    validate(document)
    assert document["openapi"].startswith("3.")
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert operations == {
        "listResources", "getResource", "listAreas", "listTeams", "listLibraries", "listOffers", "getOffer",
        "listSubjects", "listSchoolYears",
    }  # fmt: skip


def test_every_operation_keeps_to_the_document(live_server, catalogue):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    figures = {}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        figures[operation.label] = run(operation, live_server.url, failures)
    print("schemathesis:", len(figures), "operations,", sum(figures.values()), "examples,", len(failures), "failures")
    for label, calls in sorted(figures.items()):
        print(f"  {label}: {calls} examples")
    for failure in failures[:20]:
        print(" ", *failure)
    # The published things themselves, which generated slugs seldom hit, are checked against the document too.
    details = {
        "GET /api/v1/resources/{slug}": catalogue.published[0].slug,
        "GET /api/v1/offers/{slug}": catalogue.offer.slug,
    }
    for result in schema.get_all_operations():
        operation = result.ok()
        if slug := details.get(operation.label):
            case = operation.Case(path_parameters={"slug": slug})
            assert case.call_and_validate(base_url=live_server.url, checks=CHECKS).status_code == 200
    assert failures == []
    assert len(figures) == 9
    # Operations whose only parameter is `lang` have five possible requests (no lang, or one of four): all made.
    for label, calls in figures.items():
        assert calls >= (5 if label in ONLY_LANG else EXAMPLES), label


def run(operation, base_url, failures) -> int:
    """Call one operation with generated examples; the number of calls made."""
    calls = 0

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def call(case):
        nonlocal calls
        calls += 1
        try:
            case.call_and_validate(base_url=base_url, checks=CHECKS)
        except Exception as error:
            failures.append((operation.label, repr(error)[:400]))

    call()
    return calls
