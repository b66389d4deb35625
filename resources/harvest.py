"""Harvesting other repositories in: OAI-PMH records become resources (``manage.py harvest``).

The client is Sickle. Each record's Dublin Core is read as a row of the import (``resources.imports``) and goes
through the same checks, vocabularies and address dedup: ``dc:title``, ``dc:description``, ``dc:language`` (a BCP 47
tag), ``dc:subject`` as tags, ``dc:rights`` (the first Creative Commons URI or SPDX id among them) as the licence,
``dc:type`` as the kind (``kind_from``), ``dc:creator``; the address is the first http(s) ``dc:identifier``, or else the
first http(s) address in any element. A record that cannot be read so is named in the report with why.

Each page of records is written in one transaction together with the source's resumption token, so a harvest that
stops on an error (the server answers 500, the connection breaks) has written whole pages only and the next run
goes on after the last one. A complete run remembers the repository's date when it began; the next asks ``from``
that date, so only what changed since comes. A deleted record (``status="deleted"``) archives the resource its
harvest created; one that updated a resource already in the catalogue leaves it be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from lxml import etree  # Sickle parses with it
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator
from sickle.models import Header, Record

from resources import services
from resources.imports import ImportPlan, apply_import, plan_import
from resources.models import HarvestedRecord, HarvestSource, Resource, Status
from resources.vocabularies import kind_from, language_from, license_from
from teams.access import OPERATOR

OAI = "{http://www.openarchives.org/OAI/2.0/}"
TIMEOUT = 60
# The Dublin Core element each import column is read from, to name it in the report.
ELEMENTS = {
    "title": "dc:title",
    "url": "dc:identifier",
    "language": "dc:language",
    "summary": "dc:description",
    "description": "dc:description",
    "kind": "dc:type",
    "tags": "dc:subject",
    "license": "dc:rights",
    "creator": "dc:creator",
}


class HarvestError(Exception):
    """The repository could not be harvested further (an HTTP error, an OAI-PMH error, a response that is not XML)."""


@dataclass
class BadRecord:
    identifier: str
    reason: str

    def __str__(self) -> str:
        return _("Record %(identifier)s: %(reason)s") % vars(self)


@dataclass
class HarvestSummary:
    records: int = 0
    created: int = 0
    updated: int = 0
    archived: int = 0
    # Deleted records whose resource the harvest did not create (or never saw): nothing to do.
    deleted_elsewhere: int = 0
    sent_for_review: int = 0
    pages: int = 0
    bad: list[BadRecord] = field(default_factory=list)
    # Why new resources stayed drafts instead of going to review, when nobody would review them.
    not_sent: str = ""
    resumed: bool = False
    since: str = ""

    def line(self, *, dry_run: bool = False) -> str:
        text = _(
            "%(records)d records in %(pages)d pages: %(created)d new, %(updated)d updated, %(archived)d archived, "
            "%(bad)d not readable."
        ) % {**vars(self), "bad": len(self.bad)}
        if self.since:
            text = _("Since %(since)s: %(text)s") % {"since": self.since, "text": text}
        if dry_run:
            text += " " + _("Dry run: nothing was written.")
        return text


def client_for(source: HarvestSource) -> Sickle:
    return Sickle(source.url, iterator=OAIResponseIterator, timeout=TIMEOUT)


def map_record(record: Record) -> tuple[dict[str, Any] | None, str]:
    """The import row of a record's Dublin Core, or None and why it cannot be one."""
    metadata = {name: [value.strip() for value in values if value and value.strip()]
                for name, values in record.metadata.items()}  # fmt: skip

    def first(name: str, read: Callable[[str], str | None] | None = None) -> str:
        values = metadata.get(name, [])
        if read is not None:
            return next((value for value in values if read(value)), values[0] if values else "")
        return values[0] if values else ""

    addresses = [value for value in metadata.get("identifier", []) if _is_web_address(value)]
    # Else any element's, but never a licence's address.
    addresses += [
        value
        for name, values in metadata.items()
        if name != "rights"
        for value in values
        if _is_web_address(value) and not license_from(value)
    ]
    if not addresses:
        return None, _("no http(s) address in dc:identifier or any other element but dc:rights.")
    rights = [value for value in metadata.get("rights", []) if license_from(value)]
    row = {
        "title": first("title"),
        "url": addresses[0],
        "language": first("language", language_from),
        "description": "\n\n".join(metadata.get("description", [])),
        "kind": next((value for value in metadata.get("type", []) if kind_from(value)), ""),
        "tags": list(dict.fromkeys(metadata.get("subject", []))),
        "license": rights[0] if rights else "",
        "creator": Truncator("; ".join(metadata.get("creator", []))).chars(200),
    }
    return row, ""


def _is_web_address(value: str) -> bool:
    return value.lower().startswith(("http://", "https://")) and " " not in value


@dataclass
class Page:
    """One response's records: those to write as rows, the deleted ones, and the unreadable."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)  # beside rows, one each
    deleted: list[Header] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.rows) + len(self.deleted) + len(self.bad)


def read_page(xml: Any) -> Page:
    page = Page()
    for element in xml.iterfind(f".//{OAI}record"):
        header = Header(element.find(f"{OAI}header"))
        identifier = header.identifier or "?"
        if header.deleted:
            page.deleted.append(header)
            continue
        try:
            record = Record(element)
        except (AttributeError, IndexError):  # Sickle's words for a record without metadata
            page.bad.append(BadRecord(identifier, _("the record has no metadata.")))
            continue
        row, why = map_record(record)
        if row is None:
            page.bad.append(BadRecord(identifier, why))
        else:
            page.rows.append(row)
            page.headers.append(header)
    return page


def _granularity(client: Sickle) -> str:
    """The repository's datestamp granularity, as Identify tells it (days unless it says seconds)."""
    identify = client.harvest(verb="Identify")
    element = identify.xml.find(f".//{OAI}granularity")
    return element.text.strip() if element is not None and element.text else "YYYY-MM-DD"


def _response_date(xml: Any, granularity: str) -> str:
    element = xml.find(f"{OAI}responseDate")
    date = (element.text or "").strip() if element is not None else ""
    return date if "hh" in granularity else date[:10]


def harvest(
    source: HarvestSource,
    *,
    dry_run: bool = False,
    on_page: Callable[[Page, HarvestSummary, int | None], None] | None = None,
) -> HarvestSummary:
    """Harvest the source: every page in its own transaction (nothing with ``dry_run``). ``on_page`` is told of
    each page with the summary so far and the size of the whole list when the repository says it.

    Raises HarvestError when the repository fails; the pages written before stay, and the source remembers
    where to go on.
    """
    summary = HarvestSummary()
    client = client_for(source)
    try:
        for xml, token, total in _pages(client, source, summary):
            page = read_page(xml)
            summary.pages += 1
            summary.records += page.size
            if dry_run:
                _count_plan(page, source, summary)
            else:
                _write_page(page, source=source, token=token, summary=summary)
            summary.bad.extend(page.bad)  # with the rows the import's checks refused
            if on_page:
                on_page(page, summary, total)
    except (requests.RequestException, oaiexceptions.OAIError, etree.XMLSyntaxError) as error:
        message = _describe(error)
        if not dry_run:
            _remember_stop(source, summary, message)
        raise HarvestError(message) from error
    if not dry_run:
        _remember_end(source, summary)
    return summary


def _pages(client: Sickle, source: HarvestSource, summary: HarvestSummary) -> Iterable[tuple[Any, str, int | None]]:
    """Each response's XML, the token for the page after it ("" after the last), and the list's size if known."""
    params: dict[str, str] = {"metadataPrefix": source.metadata_prefix}
    granularity = ""
    if source.resumption_token:
        summary.resumed = True
        params = {"resumptionToken": source.resumption_token}
    else:
        granularity = _granularity(client)
        if source.set_spec:
            params["set"] = source.set_spec
        if source.last_datestamp:
            params["from"] = summary.since = source.last_datestamp
    try:
        responses = client.ListRecords(**params)
    except oaiexceptions.NoRecordsMatch:
        if not source.resumption_token:
            source.run_datestamp = source.last_datestamp
        return
    except oaiexceptions.BadResumptionToken:
        # The token expired: ask again from the last complete harvest; the pages written come again, unchanged.
        source.resumption_token = ""
        yield from _pages(client, source, summary)
        return
    for response in responses:
        xml = response.xml
        if not source.resumption_token and not source.run_datestamp:
            source.run_datestamp = _response_date(xml, granularity)
        token = responses.resumption_token
        size = int(token.complete_list_size) if token and (token.complete_list_size or "").isdigit() else None
        yield xml, (token.token or "") if token else "", size


def _count_plan(page: Page, source: HarvestSource, summary: HarvestSummary) -> None:
    plan = _plan(page, source)
    summary.created += plan.new
    summary.updated += plan.updates
    known = HarvestedRecord.objects.filter(source__pk=source.pk, created=True, resource__status__in=_ARCHIVABLE)
    archived = known.filter(identifier__in=[header.identifier for header in page.deleted]).count() if source.pk else 0
    summary.archived += archived
    summary.deleted_elsewhere += len(page.deleted) - archived


_ARCHIVABLE = list(services.STARTS_FROM["archive"])


def _plan(page: Page, source: HarvestSource) -> ImportPlan:
    """The import's plan for the page's rows (row numbers are 1, 2, ... in page order), its errors moved to the
    page's bad records; a record harvested before updates its resource even if its address changed."""
    plan = plan_import(page.rows, publish=source.publish, first_row=1, library_id=source.library_id)
    identifiers = dict(enumerate((header.identifier for header in page.headers), start=1))
    for error in plan.errors:
        element = ELEMENTS.get(error.column, error.column)
        reason = f"{element}: {error.message}"
        page.bad.append(BadRecord(identifiers[error.row], reason))
    if source.pk:
        before = dict(
            HarvestedRecord.objects.filter(source=source, identifier__in=identifiers.values()).values_list(
                "identifier", "resource_id"
            )
        )
        for row in plan.rows:
            row.existing_id = before.get(identifiers[row.row], row.existing_id)
    return plan


def _write_page(page: Page, *, source: HarvestSource, token: str, summary: HarvestSummary) -> None:
    with transaction.atomic():
        if source.pk is None:
            source.save()
        plan = _plan(page, source)
        outcome = apply_import(plan, library=source.library, team=source.team, publish=source.publish)
        summary.created += outcome.created
        summary.updated += outcome.updated
        headers = dict(enumerate(page.headers, start=1))
        created_before = set(
            HarvestedRecord.objects.filter(
                source=source, created=True, identifier__in=[h.identifier for h in headers.values()]
            ).values_list("identifier", flat=True)
        )
        new_ids = {outcome.resource_ids[row.row] for row in plan.rows if row.existing_id is None}
        HarvestedRecord.objects.bulk_create(
            [
                HarvestedRecord(
                    source=source,
                    identifier=headers[row.row].identifier,
                    datestamp=headers[row.row].datestamp or "",
                    resource_id=outcome.resource_ids[row.row],
                    created=row.existing_id is None or headers[row.row].identifier in created_before,
                )
                for row in plan.rows
            ],
            update_conflicts=True,
            unique_fields=["source", "identifier"],
            update_fields=["datestamp", "resource", "created"],
        )
        if not source.publish:
            _send_for_review(Resource.objects.filter(pk__in=new_ids, status=Status.DRAFT), summary)
        _archive_deleted(page.deleted, source, summary)
        source.resumption_token = token
        source.save(update_fields=["resumption_token", "run_datestamp"])


def _send_for_review(resources: Iterable[Resource], summary: HarvestSummary) -> None:
    for resource in resources:
        try:
            services.resource_submit_for_review(resource=resource, user=OPERATOR)
        except ValidationError as error:
            summary.not_sent = " ".join(error.messages)
        else:
            summary.sent_for_review += 1


def _archive_deleted(deleted: list[Header], source: HarvestSource, summary: HarvestSummary) -> None:
    records = HarvestedRecord.objects.filter(
        source=source, created=True, identifier__in=[header.identifier for header in deleted]
    ).select_related("resource")
    archived = 0
    for record in records:
        if record.resource.status in _ARCHIVABLE:
            services.resource_archive(resource=record.resource, user=OPERATOR)
            archived += 1
    summary.archived += archived
    summary.deleted_elsewhere += len(deleted) - archived


def _describe(error: Exception) -> str:
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return _("the repository answered HTTP %(status)d for %(url)s.") % {
            "status": error.response.status_code,
            "url": error.response.url,
        }
    if isinstance(error, requests.RequestException):
        return _("the repository could not be reached: %(error)s.") % {"error": error}
    if isinstance(error, oaiexceptions.OAIError):
        return _("the repository answered with the OAI-PMH error %(code)s: %(text)s") % {
            "code": type(error).__name__,
            "text": str(error) or "-",
        }
    return _("the repository's answer is not XML: %(error)s.") % {"error": error}


def _remember_stop(source: HarvestSource, summary: HarvestSummary, message: str) -> None:
    """The pages written are kept, and so is the token that asks for the next one."""
    if source.pk is None:
        return
    source.last_run_at = timezone.now()
    source.last_summary = _("Stopped after %(pages)d pages: %(error)s The next run goes on from there. %(line)s") % {
        "pages": summary.pages,
        "error": message,
        "line": summary.line(),
    }
    source.save(update_fields=["last_run_at", "last_summary"])


def _remember_end(source: HarvestSource, summary: HarvestSummary) -> None:
    if source.pk is None:
        source.save()
    source.last_run_at = timezone.now()
    source.last_datestamp = source.run_datestamp or source.last_datestamp
    source.run_datestamp = ""
    source.resumption_token = ""
    source.last_summary = summary.line()
    source.save(update_fields=["last_run_at", "last_datestamp", "run_datestamp", "resumption_token", "last_summary"])
