"""schema.org JSON-LD for the pages about organisations, and the one way every page writes JSON-LD into its HTML.

Search engines and aggregators read these with extruct and its kin. Addresses are absolute and canonical: built
from the request's scheme and host, in the site's default language, so that each thing has one id whichever
language version of its page a harvester reads. Resource, area and offer markup (``resources/jsonld.py``) builds
on these helpers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from teams.models import LearningTeam, Library

SCHEMA_ORG = "https://schema.org"
# What django.utils.html.json_script escapes: no text in the data can close the script element or start markup.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


class HasAddress(Protocol):
    def get_absolute_url(self) -> str: ...


def script(data: dict[str, Any] | list[dict[str, Any]]) -> SafeString:
    """A ``<script type="application/ld+json">`` element holding the data, escaped as ``json_script`` escapes."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def canonical_url(request: HttpRequest, thing: HasAddress | str) -> str:
    """The absolute address of a page (an object with ``get_absolute_url``, or a path) in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = thing if isinstance(thing, str) else thing.get_absolute_url()
    return request.build_absolute_uri(path)


def postal_address(library: Library) -> dict[str, Any]:
    return {
        "@type": "PostalAddress",
        "streetAddress": library.street_address,
        "postalCode": library.postal_code,
        "addressLocality": library.city or library.municipality,
        "addressRegion": library.region,
        "addressCountry": library.country,
    }


def library_reference(request: HttpRequest, library: Library) -> dict[str, Any]:
    """A library named inside another object: its type, id and name."""
    url = canonical_url(request, library)
    return {"@type": "Library", "@id": url, "name": library.name, "url": url}


def team_reference(request: HttpRequest, team: LearningTeam) -> dict[str, Any]:
    url = canonical_url(request, team)
    return {"@type": "Organization", "@id": url, "name": team.name, "url": url}


def library(request: HttpRequest, library: Library, *, teams: Iterable[LearningTeam]) -> dict[str, Any]:
    """A library's page: the library (a schema.org Library, which is an Organization) with its address."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        **library_reference(request, library),
        "address": postal_address(library),
        "memberOf": [team_reference(request, team) for team in teams],
    }
    if library.email:
        data["email"] = library.email
    if library.phone:
        data["telephone"] = library.phone
    if library.website:
        data["sameAs"] = [library.website]
    return data


def team(request: HttpRequest, team: LearningTeam, *, areas: Iterable[Any]) -> dict[str, Any]:
    """A learning team's page: an Organization whose members are its libraries, knowing about its areas."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        **team_reference(request, team),
        "member": [library_reference(request, library) for library in team.libraries.all()],
        "knowsAbout": [
            {"@type": "Thing", "name": area.localized_name, "url": canonical_url(request, area)} for area in areas
        ],
    }
    if team.description:
        data["description"] = team.description
    return data
