"""JSON-LD for the public resource, knowledge-area and school-offer pages, one function per kind of object.

A resource is a ``LearningResource`` in the German AMB profile (Allgemeines Metadatenprofil für
Bildungsressourcen, https://w3id.org/kim/amb/, the profile OERSI and the KIM aggregators harvest), its terms from
``resources.vocabularies``. Areas are schema.org ``CollectionPage``s, offers ``EducationEvent``s. Only what a
public page shows is written: callers pass published objects only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from resources import vocabularies
from resources.models import AccessibilityFeature, KnowledgeArea, OfferFormat, OfferSession, Resource, SchoolOffer
from resources.school_years import isced_level
from teams.jsonld import SCHEMA_ORG, canonical_url, library_reference, postal_address, team_reference

AMB_CONTEXT = "https://w3id.org/kim/amb/context.jsonld"
# The provider of the descriptions (AMB's mainEntityOfPage.provider): the portal itself.
PROVIDER_NAME = "Delarum"
EASY_TO_READ_SUMMARY = "Written in easy-to-read language (lättläst, let læst, lettlest)."
# The languages knowledge areas are named in, by field.
AREA_NAMES = {"sv": "name", "da": "name_da", "nb": "name_nb", "en": "name_en"}
SCHEMA_FORMATS = {
    OfferFormat.AT_LIBRARY: "https://schema.org/OfflineEventAttendanceMode",
    OfferFormat.AT_SCHOOL: "https://schema.org/OfflineEventAttendanceMode",
    OfferFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
}


def _date(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def concept(term: vocabularies.Term) -> dict[str, Any]:
    """A SKOS concept as AMB writes one: its URI, and its English preferred label."""
    return {"id": term.id, "type": "Concept", "prefLabel": {"en": term.label}}


def area_concept(request: HttpRequest, area: KnowledgeArea) -> dict[str, Any]:
    """A knowledge area as a concept: its page, and its name in each language staff gave it in."""
    labels = {language: getattr(area, name) for language, name in AREA_NAMES.items() if getattr(area, name)}
    return {"id": canonical_url(request, area), "type": "Concept", "prefLabel": labels}


def resource(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    """A published resource as an AMB ``LearningResource`` (areas and tags prefetched: ``for_detail``)."""
    url = canonical_url(request, resource)
    language = vocabularies.two_letter_language(resource.language)
    data: dict[str, Any] = {
        "@context": [AMB_CONTEXT, {"@language": language}],
        "id": url,
        "type": vocabularies.schema_types(resource.kind),
        "name": resource.title,
        "description": resource.description or resource.summary,
        "inLanguage": [language],
        "learningResourceType": [concept(vocabularies.hcrt_term(resource.kind))],
    }
    roles = {role.id: role for role in map(vocabularies.educational_role, resource.audiences) if role}
    if roles:
        data["audience"] = [concept(role) for role in roles.values()]
    if keywords := [tag.name for tag in resource.tags.all()]:
        data["keywords"] = keywords
    if areas := list(resource.areas.all()):
        data["about"] = [area_concept(request, area) for area in areas]
    if license_uri := vocabularies.license_uri(resource.license):
        data["license"] = {"id": license_uri}
    data["isAccessibleForFree"] = True
    data.update(accessibility(resource))
    if resource.creator:
        # The creator is free text; most are institutions (libraries, agencies, broadcasters).
        data["creator"] = [{"type": "Organization", "name": resource.creator}]
    library = library_reference(request, resource.library)
    data["publisher"] = [{"type": "Organization", "id": library["@id"], "name": library["name"]}]
    data["dateCreated"] = _date(resource.created_at)
    if resource.published_at:
        data["datePublished"] = _date(resource.published_at)
    data["dateModified"] = _date(resource.updated_at)
    data["mainEntityOfPage"] = [
        {
            "id": url,
            "type": "WebContent",
            "provider": {"id": canonical_url(request, "/"), "type": "Organization", "name": PROVIDER_NAME},
            "dateCreated": _date(resource.created_at),
            "dateModified": _date(resource.updated_at),
        }
    ]
    return data


def accessibility(resource: Resource) -> dict[str, Any]:
    """schema.org's accessibility properties, in the W3C vocabulary's terms. Easy-to-read has no term there, so it
    is said in words in ``accessibilitySummary`` (in English, the vocabulary's language), as the vocabulary advises
    for what its terms cannot express."""
    data: dict[str, Any] = {}
    features = [value for value in resource.accessibility_features if value != AccessibilityFeature.EASY_TO_READ]
    if features:
        data["accessibilityFeature"] = features
    if AccessibilityFeature.EASY_TO_READ in resource.accessibility_features:
        data["accessibilitySummary"] = EASY_TO_READ_SUMMARY
    if resource.accessibility_hazards:
        data["accessibilityHazard"] = list(resource.accessibility_hazards)
    if resource.access_modes:
        data["accessMode"] = list(resource.access_modes)
    return data


def area_page(
    request: HttpRequest,
    area: KnowledgeArea,
    *,
    resources: Sequence[Resource],
    total: int,
    children: Iterable[KnowledgeArea],
    teams: Iterable[Any],
) -> dict[str, Any]:
    """A knowledge area's page: a CollectionPage whose main entity lists the (published) resources it shows."""
    url = canonical_url(request, area)
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": area.localized_name,
        "about": {"@type": "Thing", "name": area.localized_name},
        "isPartOf": {"@type": "WebSite", "name": PROVIDER_NAME, "url": canonical_url(request, "/")},
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": total,
            "itemListElement": [
                {"@type": "ListItem", "position": position, "url": canonical_url(request, item), "name": item.title}
                for position, item in enumerate(resources, start=1)
            ],
        },
        "hasPart": [
            {"@type": "CollectionPage", "@id": canonical_url(request, child), "name": child.localized_name}
            for child in children
        ],
        "maintainer": [team_reference(request, team) for team in teams],
    }
    if area.description:
        data["description"] = area.description
    return data


def offer_events(request: HttpRequest, offer: SchoolOffer, sessions: Iterable[OfferSession]) -> list[dict[str, Any]]:
    """An offer's upcoming sessions as schema.org EducationEvents, with the ISCED levels of its school years."""
    url = canonical_url(request, offer)
    library = offer.library
    if offer.format == OfferFormat.ONLINE:
        location: dict[str, Any] = {"@type": "VirtualLocation", "url": url}
    else:
        location = {"@type": "Place", "name": library.name, "address": postal_address(library)}
    levels = sorted({isced_level(library.country, year) for year in range(offer.year_from, offer.year_to + 1)})
    educational_levels = [
        {
            "@type": "DefinedTerm",
            "@id": term.id,
            "name": term.label,
            "inDefinedTermSet": vocabularies.EDUCATIONAL_LEVEL_SCHEME,
        }
        for term in map(vocabularies.educational_level, levels)
    ]
    return [
        {
            "@context": SCHEMA_ORG,
            "@type": "EducationEvent",
            "name": offer.title,
            "description": offer.summary,
            "url": url,
            "startDate": _date(session.starts_at),
            "endDate": _date(session.ends_at),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": SCHEMA_FORMATS[OfferFormat(offer.format)],
            "location": location,
            "inLanguage": offer.language,
            "educationalLevel": educational_levels,
            # The school years in the country's own words ("åk 7–9"), which teachers search for.
            "audience": {
                "@type": "EducationalAudience",
                "educationalRole": "student",
                "audienceType": offer.years_label,
            },
            "organizer": {"@type": "Organization", "name": library.name, "url": canonical_url(request, library)},
            "offers": {
                "@type": "Offer",
                "price": str(offer.price),
                "priceCurrency": offer.currency,
                "availability": "https://schema.org/SoldOut" if session.is_full else "https://schema.org/InStock",
                "url": url,
            },
        }
        for session in sessions
    ]
