"""The OAI-PMH endpoint, /oai/: GET or POST, every verb, every error as <error> with HTTP 200."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml.etree import Element, SubElement, tostring

from resources.oai import records
from resources.oai.formats import FORMATS, XSI, Context, Format
from resources.oai.protocol import (
    OAIError,
    Request,
    Resumption,
    Selection,
    clean,
    datestamp,
    parse,
    selection,
    sign,
    token_lifetime,
    unsign,
)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


def _oai(name: str) -> str:
    return f"{{{OAI}}}{name}"


def _add(parent: Element, name: str, text: str = "", **attributes: str) -> Element:
    element = SubElement(parent, _oai(name), {key: clean(value) for key, value in attributes.items()})
    element.text = clean(text) if text else None
    return element


@dataclass(frozen=True)
class Repository:
    """This repository as one request sees it: its base URL and the identifier scheme of its records."""

    request: HttpRequest

    @property
    def base_url(self) -> str:
        return self.request.build_absolute_uri(reverse("oai"))

    @property
    def repository_id(self) -> str:
        return settings.OAI_REPOSITORY_ID or urlsplit(f"//{self.request.get_host()}").hostname or "localhost"

    @property
    def identifier_prefix(self) -> str:
        return f"oai:{self.repository_id}:resource/"

    def identifier(self, resource_id: int) -> str:
        return f"{self.identifier_prefix}{resource_id}"

    def resource_id(self, identifier: str) -> int:
        """The id an identifier of this repository names; idDoesNotExist for any other."""
        number = identifier.removeprefix(self.identifier_prefix)
        if number == identifier or not number.isascii() or not number.isdigit() or len(number) > 18:
            raise OAIError("idDoesNotExist", f"{clean(identifier)!r} is not an identifier of this repository.")
        return int(number)

    def context(self) -> Context:
        absolute = self.request.build_absolute_uri
        return Context(
            absolute=absolute,
            identifier=self.identifier,
            page_url=lambda resource: absolute(resource.get_absolute_url()),
        )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """Answer one OAI-PMH request. Records and addresses are in the default language, whoever asks."""
    with translation.override(settings.LANGUAGE_CODE):
        repository = Repository(request)
        root = Element(
            _oai("OAI-PMH"), {f"{{{XSI}}}schemaLocation": f"{OAI} {OAI}OAI-PMH.xsd"}, nsmap={None: OAI, "xsi": XSI}
        )
        _add(root, "responseDate", datestamp(datetime.now(UTC)))
        echo = _add(root, "request", repository.base_url)
        try:
            parsed = parse(request.POST if request.method == "POST" else request.GET)
        except OAIError as error:  # a bad verb or bad arguments: <request> repeats none of them
            _add(root, "error", error.message, code=error.code)
        else:
            try:
                root.append(VERBS[parsed.verb](repository, parsed))
                _echo(echo, parsed)
            except OAIError as error:
                if error.echoes_arguments:
                    _echo(echo, parsed)
                _add(root, "error", error.message, code=error.code)
    body = tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _echo(element: Element, parsed: Request) -> None:
    element.set("verb", parsed.verb)
    for key, value in parsed.arguments.items():
        element.set(key, clean(value))


def identify(repository: Repository, parsed: Request) -> Element:
    answer = Element(_oai("Identify"))
    _add(answer, "repositoryName", "Delarum")
    _add(answer, "baseURL", repository.base_url)
    _add(answer, "protocolVersion", "2.0")
    _add(answer, "adminEmail", settings.OAI_ADMIN_EMAIL)
    _add(answer, "earliestDatestamp", datestamp(records.earliest_datestamp() or datetime.now(UTC)))
    _add(answer, "deletedRecord", "persistent")
    _add(answer, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if DOMAIN.fullmatch(repository.repository_id):
        description = _add(answer, "description")
        scheme = SubElement(
            description,
            f"{{{OAI_IDENTIFIER}}}oai-identifier",
            {f"{{{XSI}}}schemaLocation": f"{OAI_IDENTIFIER} {OAI}oai-identifier.xsd"},
            nsmap={None: OAI_IDENTIFIER},
        )
        for name, text in [
            ("scheme", "oai"),
            ("repositoryIdentifier", repository.repository_id),
            ("delimiter", ":"),
            ("sampleIdentifier", repository.identifier(1)),
        ]:
            SubElement(scheme, f"{{{OAI_IDENTIFIER}}}{name}").text = text
    return answer


def list_metadata_formats(repository: Repository, parsed: Request) -> Element:
    # Every record is disseminated in every format, so noMetadataFormats never applies.
    if "identifier" in parsed.arguments:
        _item(repository, parsed.arguments["identifier"])
    answer = Element(_oai("ListMetadataFormats"))
    for format in FORMATS.values():
        entry = _add(answer, "metadataFormat")
        _add(entry, "metadataPrefix", format.prefix)
        _add(entry, "schema", format.schema)
        _add(entry, "metadataNamespace", format.namespace)
    return answer


def list_sets(repository: Repository, parsed: Request) -> Element:
    resumption = unsign(parsed.verb, parsed.token) if parsed.token else None
    sets = records.all_sets()
    remaining = [entry for entry in sets if not resumption or entry.spec > resumption.last_spec]
    if not remaining:
        raise OAIError("badResumptionToken", "The list this token continues has ended.")
    page = remaining[: settings.OAI_PAGE_SIZE]
    answer = Element(_oai("ListSets"))
    for entry in page:
        element = _add(answer, "set")
        _add(element, "setSpec", entry.spec)
        _add(element, "setName", entry.name)
    cursor = resumption.cursor if resumption else 0
    if resumption or len(remaining) > len(page):
        more = len(remaining) > len(page)
        following = Resumption(Selection(), cursor=cursor + len(page), complete_size=len(sets), last_spec=page[-1].spec)
        _token(answer, parsed.verb, following if more else None, cursor=cursor, size=len(sets))
    return answer


def _token(answer: Element, verb: str, following: Resumption | None, *, cursor: int, size: int) -> None:
    """The resumption token (empty on a list's last page), with the list's size, position and expiry."""
    attributes = {"completeListSize": str(max(size, 1)), "cursor": str(cursor)}
    if following:
        attributes["expirationDate"] = datestamp(datetime.now(UTC) + token_lifetime())
    _add(answer, "resumptionToken", sign(verb, following) if following else "", **attributes)


def _format(prefix: str) -> Format:
    if prefix not in FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"{clean(prefix)!r} is not a format of this repository ({', '.join(FORMATS)})."
        )
    return FORMATS[prefix]


def _item(repository: Repository, identifier: str) -> records.Item:
    item = records.find(repository.resource_id(identifier))
    if item is None:
        raise OAIError("idDoesNotExist", f"{clean(identifier)!r} is not a record of this repository.")
    return item


def _lists(repository: Repository, parsed: Request) -> Element:
    """ListIdentifiers and ListRecords: one page, resumed after the (datestamp, id) the token carries."""
    full = parsed.verb == "ListRecords"
    if parsed.token:
        resumption = unsign(parsed.verb, parsed.token)
        chosen = resumption.selection
        after = (resumption.last_datestamp, resumption.last_id) if resumption.last_datestamp else None
    else:
        resumption, chosen, after = None, selection(parsed.arguments), None
    format = _format(chosen.metadata_prefix)
    items, more = records.page(chosen, after=after, size=settings.OAI_PAGE_SIZE, full=full)
    if not items:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    size = resumption.complete_size if resumption else records.count(chosen)
    cursor = resumption.cursor if resumption else 0
    answer = Element(_oai(parsed.verb))
    context = repository.context()
    for item in items:
        parent = _add(answer, "record") if full else answer
        _header(parent, repository, item)
        if full and item.resource:
            format.write(_add(parent, "metadata"), item.resource, item.areas, item.tags, context)
    if resumption or more:
        last = items[-1]
        following = Resumption(chosen, last.datestamp, last.id, cursor + len(items), size)
        _token(answer, parsed.verb, following if more else None, cursor=cursor, size=size)
    return answer


def _header(parent: Element, repository: Repository, item: records.Item) -> None:
    header = _add(parent, "header", **({"status": "deleted"} if item.deleted else {}))
    _add(header, "identifier", repository.identifier(item.id))
    _add(header, "datestamp", datestamp(item.datestamp))
    for spec in item.set_specs:
        _add(header, "setSpec", spec)


def get_record(repository: Repository, parsed: Request) -> Element:
    format = _format(parsed.arguments["metadataPrefix"])
    item = _item(repository, parsed.arguments["identifier"])
    answer = Element(_oai("GetRecord"))
    record = _add(answer, "record")
    _header(record, repository, item)
    if item.resource:
        format.write(_add(record, "metadata"), item.resource, item.areas, item.tags, repository.context())
    return answer


VERBS: dict[str, Callable[[Repository, Request], Element]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": _lists,
    "ListRecords": _lists,
}
