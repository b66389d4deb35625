"""The API's operations: each reads what the public pages show, through the same forms and selectors.

Lists are paged by cursor (``cursors``); the resource and offer lists take exactly their pages' parameters and
answer with the same facet counts. Only published things are read; booking requests never are.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import NinjaAPI, Query, Swagger
from ninja.errors import ValidationError

from resources import vocabularies
from resources.api import cursors, problems
from resources.api.schemas import (
    AreaNode,
    InvalidParametersProblem,
    LanguageParams,
    LibraryPage,
    OfferDetail,
    OfferPage,
    OfferParams,
    PageParams,
    Problem,
    ResourceDetail,
    ResourcePage,
    ResourceParams,
    SchoolYear,
    SubjectOut,
    TeamPage,
)
from resources.facets import facet_rows
from resources.forms import ResourceSearchForm
from resources.jsonld import AREA_NAMES
from resources.languages import AUTONYMS, LANGUAGE_CHOICES, text_direction
from resources.licenses import LICENSES
from resources.models import KnowledgeArea, Resource, SchoolOffer, Status, Subject
from resources.models.catalogue import NamedInEachLanguage
from resources.offers.facets import offer_facet_rows
from resources.offers.forms import OfferSearchForm
from resources.school_years import SCALE, isced_level, range_label, year_label
from resources.selectors import search_resources
from teams.jsonld import canonical_url
from teams.models import Country, LearningTeam, Library

SLUG = re.compile(r"^[-\w]+\Z")
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


class DelarumApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The generated document, with errors declared as what they are: application/problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    _not_null(parameter["schema"])
                for status, response in operation["responses"].items():
                    if int(status) >= 400 and "application/json" in response.get("content", {}):
                        response["content"] = {problems.PROBLEM_JSON: response["content"].pop("application/json")}
                    if int(status) == 429:
                        response["headers"] = {
                            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
                        }
        return schema


def _not_null(schema: dict[str, Any]) -> None:
    """A query parameter is absent or a string, never null: ``str | None`` is documented as the string alone."""
    alternatives = [option for option in schema.pop("anyOf", []) if option.get("type") != "null"]
    if len(alternatives) == 1:
        schema.update(alternatives[0])
    elif alternatives:
        schema["anyOf"] = alternatives


api = DelarumApi(
    title="Delarum API",
    version="1",
    description=(
        "Read-only data of Delarum, where Scandinavian libraries share open learning resources and school offers. "
        "Public data only. Lists are paged by cursor; answers carry ETag and Last-Modified; errors are "
        "application/problem+json (RFC 9457). Labels are in the language of `lang` or Accept-Language."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),  # no badge fetched from swagger.io: nothing leaves the site
    docs_url="/docs",
    openapi_url="/openapi.json",
)
LIST_ERRORS: dict[int, Any] = {400: InvalidParametersProblem, 429: Problem}
DETAIL_ERRORS: dict[int, Any] = {400: InvalidParametersProblem, 404: Problem, 429: Problem}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    if any(item["loc"][0] == "path" for item in error.errors):
        return problems.not_found()
    messages: dict[str, list[str]] = {}
    for item in error.errors:
        messages.setdefault(str(item["loc"][-1]), []).append(problems.parameter_message(item))
    return problems.invalid_parameters(messages)


@api.exception_handler(problems.InvalidParameters)
def _refused(request: HttpRequest, error: problems.InvalidParameters) -> HttpResponse:
    return problems.invalid_parameters(error.errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problems.not_found()


def _one(queryset: QuerySet[Any], slug: str) -> Any:
    """The object with this slug, or 404 (a slug with other characters names nothing)."""
    found = queryset.filter(slug=slug).first() if SLUG.match(slug) else None
    if found is None:
        raise Http404
    return found


def _form_errors(form: Any) -> problems.InvalidParameters:
    return problems.InvalidParameters({name: list(errors) for name, errors in form.errors.items()})


def _paged(request: HttpRequest, next_cursor: str | None) -> dict[str, Any]:
    if next_cursor is None:
        return {"next_cursor": None, "next": None}
    query = request.GET.copy()
    query["cursor"] = next_cursor
    return {"next_cursor": next_cursor, "next": request.build_absolute_uri(f"{request.path}?{query.urlencode()}")}


def _facets(rows: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [{"value": value, "label": label, "count": count} for value, label, count in values]
        for name, values in rows.items()
    }


def _named(thing: Any) -> dict[str, str]:
    return {"slug": thing.slug, "name": str(thing)}


def _names(thing: NamedInEachLanguage) -> dict[str, str]:
    return {language: getattr(thing, field) for language, field in AREA_NAMES.items() if getattr(thing, field)}


def _library(library: Library) -> dict[str, str]:
    return {"slug": library.slug, "name": library.name, "country": library.country}


def _language(code: str) -> dict[str, str]:
    return {
        "code": code,
        "label": str(LANGUAGE_NAMES.get(code, code)),
        "autonym": AUTONYMS.get(code, code),
        "direction": text_direction(code),
    }


def _concept(term: vocabularies.Term) -> dict[str, str]:
    return {"id": term.id, "label": term.label}


# Resources -------------------------------------------------------------------------------------------------


def _resource(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    license = LICENSES[resource.license]
    audience_labels = dict(zip(resource.audiences, resource.audience_labels, strict=True))
    accessibility_labels = resource.accessibility_labels
    return {
        "slug": resource.slug,
        "title": resource.title,
        "summary": resource.summary,
        "page": canonical_url(request, resource),
        "language": _language(resource.language),
        "kind": {
            "value": resource.kind,
            "label": resource.get_kind_display(),
            "hcrt": _concept(vocabularies.hcrt_term(resource.kind)),
            "lrmi": vocabularies.lrmi_type(resource.kind),
        },
        "audiences": [
            {
                "value": audience,
                "label": audience_labels[audience],
                "role": _concept(role) if (role := vocabularies.educational_role(audience)) else None,
            }
            for audience in resource.audiences
        ],
        "accessibility": {
            name: [{"value": value, "label": label} for value, label in zip(values, labels, strict=True)]
            for name, values, labels in [
                ("features", resource.accessibility_features, accessibility_labels["features"]),
                ("hazards", resource.accessibility_hazards, accessibility_labels["hazards"]),
                ("modes", resource.access_modes, accessibility_labels["modes"]),
            ]
        },
        "license": {"spdx": license.spdx_id, "name": license.name, "uri": license.url},
        "library": _library(resource.library),
        "areas": [_named(area) for area in resource.areas.all()],
        "published_at": resource.published_at,
        "updated_at": resource.updated_at,
    }


@api.get("/resources", response={200: ResourcePage, **LIST_ERRORS}, tags=["resources"], operation_id="listResources")
def list_resources(request: HttpRequest, params: Query[ResourceParams]) -> dict[str, Any]:
    """Search and filter the published resources, as the search page does, with its facet counts."""
    form = ResourceSearchForm(request.GET, areas=list(KnowledgeArea.objects.order_by("name")))
    if not form.is_valid():
        raise _form_errors(form)
    found = search_resources(form.filters(), areas=form.areas, version=getattr(request, "catalogue_version", None))
    assert found.results is not None
    rows, next_cursor = cursors.page(found.results.for_listing(), cursor=params.cursor, limit=params.limit)  # type: ignore[attr-defined]
    return {
        "total": found.total,
        "estimated": found.estimated,
        "suggestion": found.suggestion,
        "facets": _facets(facet_rows(found.facets, form)),
        "items": [_resource(request, resource) for resource in rows],
        **_paged(request, next_cursor),
    }


@api.get(
    "/resources/{slug}", response={200: ResourceDetail, **DETAIL_ERRORS}, tags=["resources"], operation_id="getResource"
)
def get_resource(request: HttpRequest, slug: str, params: Query[LanguageParams]) -> dict[str, Any]:
    """One published resource."""
    resource = _one(Resource.objects.published().for_detail(), slug)
    return {
        **_resource(request, resource),
        "description": resource.description,
        "link": request.build_absolute_uri(resource.link) if resource.link.startswith("/") else resource.link,
        "creator": resource.creator,
        "team": _named(resource.team) if resource.team else None,
        "tags": [{"slug": tag.slug, "name": tag.name} for tag in resource.tags.all()],
    }


# Knowledge areas, teams, libraries, subjects, school years ------------------------------------------------


@api.get("/areas", response={200: list[AreaNode], **LIST_ERRORS}, tags=["areas"], operation_id="listAreas")
def list_areas(request: HttpRequest, params: Query[LanguageParams]) -> list[dict[str, Any]]:
    """Every knowledge area as a tree: top-level areas, each with its sub-areas."""
    areas = (
        KnowledgeArea.objects.annotate(resource_count=Count("resources", filter=Q(resources__status=Status.PUBLISHED)))
        .prefetch_related(Prefetch("teams", queryset=LearningTeam.objects.order_by("name")))
        .order_by("name", "pk")
    )
    nodes: dict[int | None, list[dict[str, Any]]] = {}
    by_id: dict[int, dict[str, Any]] = {}
    for area in areas:
        node = {
            **_named(area),
            "names": _names(area),
            "description": area.description,
            "resource_count": area.resource_count,
            "teams": [_named(team) for team in area.teams.all()],
            "children": [],
        }
        by_id[area.pk] = node
        nodes.setdefault(area.parent_id, []).append(node)
    for parent_id, children in nodes.items():
        if parent_id is not None and parent_id in by_id:
            by_id[parent_id]["children"] = children
    return nodes.get(None, [])


@api.get("/teams", response={200: TeamPage, **LIST_ERRORS}, tags=["teams"], operation_id="listTeams")
def list_teams(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """The learning teams, by name: their libraries and knowledge areas."""
    teams = (
        LearningTeam.objects.for_listing()
        .prefetch_related(Prefetch("knowledge_areas", queryset=KnowledgeArea.objects.order_by("name")))
        .order_by("name", "pk")
    )
    rows, next_cursor = cursors.page(teams, cursor=params.cursor, limit=params.limit)
    items = [
        {
            **_named(team),
            "description": team.description,
            "page": canonical_url(request, team),
            "libraries": [_library(library) for library in team.libraries.all()],
            "areas": [_named(area) for area in team.knowledge_areas.all()],
        }
        for team in rows
    ]
    return {"items": items, **_paged(request, next_cursor)}


@api.get("/libraries", response={200: LibraryPage, **LIST_ERRORS}, tags=["libraries"], operation_id="listLibraries")
def list_libraries(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """The libraries, by name: where they are, how to reach them, their learning teams."""
    libraries = Library.objects.prefetch_related(
        Prefetch("learning_teams", queryset=LearningTeam.objects.order_by("name"))
    ).order_by("name", "pk")
    rows, next_cursor = cursors.page(libraries, cursor=params.cursor, limit=params.limit)
    items = [
        {
            **_named(library),
            "name": library.name,
            "page": canonical_url(request, library),
            "country": {"value": library.country, "label": library.get_country_display()},
            "region": library.region,
            "municipality": library.municipality,
            "street_address": library.street_address,
            "postal_code": library.postal_code,
            "city": library.city,
            "email": library.email,
            "phone": library.phone,
            "website": library.website,
            "teams": [_named(team) for team in library.learning_teams.all()],
        }
        for library in rows
    ]
    return {"items": items, **_paged(request, next_cursor)}


@api.get("/subjects", response={200: list[SubjectOut], **LIST_ERRORS}, tags=["offers"], operation_id="listSubjects")
def list_subjects(request: HttpRequest, params: Query[LanguageParams]) -> list[dict[str, Any]]:
    """The school subjects offers are made for."""
    return [{**_named(subject), "names": _names(subject)} for subject in Subject.objects.order_by("name", "pk")]


@api.get(
    "/school-years", response={200: list[SchoolYear], **LIST_ERRORS}, tags=["offers"], operation_id="listSchoolYears"
)
def list_school_years(request: HttpRequest, params: Query[LanguageParams]) -> list[dict[str, Any]]:
    """The shared school-year scale (0–12, aligned by the pupils' age), in each country's words."""
    return [
        {
            "year": year,
            "labels": {country: year_label(country, year) for country in Country.values},
            "levels": {
                country: _concept(vocabularies.educational_level(isced_level(country, year)))
                for country in Country.values
            },
        }
        for year in SCALE
    ]


# School offers ---------------------------------------------------------------------------------------------


def _offer(request: HttpRequest, offer: SchoolOffer, *, next_session: Any) -> dict[str, Any]:
    country = offer.library.country
    levels = sorted({isced_level(country, year) for year in range(offer.year_from, offer.year_to + 1)})
    return {
        "slug": offer.slug,
        "title": offer.title,
        "summary": offer.summary,
        "page": canonical_url(request, offer),
        "language": _language(offer.language),
        "years": {
            "first": offer.year_from,
            "last": offer.year_to,
            "label": range_label(country, offer.year_from, offer.year_to),
            "levels": [_concept(vocabularies.educational_level(level)) for level in levels],
        },
        "subjects": [_named(subject) for subject in offer.subjects.all()],
        "areas": [_named(area) for area in offer.areas.all()],
        "format": {"value": offer.format, "label": offer.get_format_display()},
        "duration_minutes": offer.duration_minutes,
        "max_pupils": offer.max_pupils,
        "price": None if offer.is_free else str(offer.price),
        "currency": offer.currency,
        "library": _library(offer.library),
        "next_session": next_session,
        "published_at": offer.published_at,
        "updated_at": offer.updated_at,
    }


@api.get("/offers", response={200: OfferPage, **LIST_ERRORS}, tags=["offers"], operation_id="listOffers")
def list_offers(request: HttpRequest, params: Query[OfferParams]) -> dict[str, Any]:
    """Find published school offers, as the offer page does, with its facet counts."""
    form = OfferSearchForm.of(request.GET, language=request.LANGUAGE_CODE)
    if not form.is_valid():
        raise _form_errors(form)
    found = form.search()
    offers = found.results.prefetch_related(
        Prefetch("areas", queryset=KnowledgeArea.objects.order_by("name")),
        Prefetch("subjects", queryset=Subject.objects.order_by("name")),
    )
    rows, next_cursor = cursors.page(offers, cursor=params.cursor, limit=params.limit)
    return {
        "total": found.total,
        "suggestion": found.suggestion,
        "facets": _facets(offer_facet_rows(found.facets, form)),
        "items": [_offer(request, offer, next_session=offer.next_session) for offer in rows],
        **_paged(request, next_cursor),
    }


def _session_path(offer: SchoolOffer, pk: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("offers:session-ics", kwargs={"slug": offer.slug, "pk": pk})


@api.get("/offers/{slug}", response={200: OfferDetail, **DETAIL_ERRORS}, tags=["offers"], operation_id="getOffer")
def get_offer(request: HttpRequest, slug: str, params: Query[LanguageParams]) -> dict[str, Any]:
    """One published school offer, with its upcoming sessions and the places left in each."""
    offer = _one(SchoolOffer.objects.published().for_detail(), slug)
    sessions = offer.upcoming_sessions
    free = [session for session in sessions if not session.is_full]
    return {
        **_offer(request, offer, next_session=free[0].starts_at if free else None),
        "description": offer.description,
        "accessibility": offer.accessibility,
        "booking": {"value": offer.booking, "label": offer.get_booking_display()},
        "season_start": offer.season_start,
        "season_end": offer.season_end,
        "contact_name": offer.contact_name,
        "contact_email": offer.contact_email,
        "contact_phone": offer.contact_phone,
        "preparation": [_named(resource) for resource in offer.preparation.all()],
        "sessions": [
            {
                "id": session.pk,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "capacity": session.capacity,
                "places_left": session.places_left,
                "calendar": canonical_url(request, _session_path(offer, session.pk)),
            }
            for session in sessions
        ],
    }
