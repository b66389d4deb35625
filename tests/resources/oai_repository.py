"""A small OAI-PMH 2.0 repository for the harvest tests: a real HTTP server (wsgiref) in a thread.

It answers Identify and ListRecords (oai_dc) from a list of records the test changes as it goes, ``page_size``
records a response with resumption tokens, ``from`` compared with each record's datestamp, and deleted
records as headers with ``status="deleted"``. ``fail_on_page`` makes the request for that page answer 500;
every request's arguments are kept in ``requests``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.etree import ElementTree as ET

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("", OAI)
ET.register_namespace("oai_dc", OAI_DC)
ET.register_namespace("dc", DC)


@dataclass
class FixtureRecord:
    identifier: str
    datestamp: str
    dc: dict[str, list[str]] = field(default_factory=dict)
    deleted: bool = False
    # A record whose <metadata> is empty (a broken export).
    broken: bool = False


@dataclass
class Repository:
    records: list[FixtureRecord] = field(default_factory=list)
    page_size: int = 3
    now: str = "2026-12-01T10:00:00Z"
    fail_on_page: int | None = None
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = {name: values[0] for name, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        self.requests.append(query)
        verb = query.get("verb")
        if verb == "Identify":
            return self._answer(start_response, self._identify(query))
        if verb != "ListRecords":
            return self._answer(start_response, self._error(query, "badVerb", "Only Identify and ListRecords."))
        if token := query.get("resumptionToken"):
            start, _, since = token.partition("|")
            offset = int(start)
        else:
            offset, since = 0, query.get("from", "")
        page = offset // self.page_size + 1
        if page == self.fail_on_page:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"The database went away."]
        matching = [record for record in self.records if record.datestamp >= since]
        if not matching:
            return self._answer(start_response, self._error(query, "noRecordsMatch", "Nothing changed."))
        return self._answer(start_response, self._list(query, matching, offset, since))

    def _answer(self, start_response: Any, root: ET.Element) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [ET.tostring(root, encoding="utf-8", xml_declaration=True)]

    def _envelope(self, query: dict[str, str]) -> ET.Element:
        root = ET.Element(f"{{{OAI}}}OAI-PMH")
        ET.SubElement(root, f"{{{OAI}}}responseDate").text = self.now
        ET.SubElement(root, f"{{{OAI}}}request", dict(query.items())).text = self.url
        return root

    def _error(self, query: dict[str, str], code: str, text: str) -> ET.Element:
        root = self._envelope(query)
        ET.SubElement(root, f"{{{OAI}}}error", {"code": code}).text = text
        return root

    def _identify(self, query: dict[str, str]) -> ET.Element:
        root = self._envelope(query)
        identify = ET.SubElement(root, f"{{{OAI}}}Identify")
        for name, value in [("repositoryName", "Fixture repository"), ("baseURL", self.url),
                            ("protocolVersion", "2.0"), ("adminEmail", "oai@example.org"),
                            ("earliestDatestamp", "2020-01-01T00:00:00Z"), ("deletedRecord", "persistent"),
                            ("granularity", "YYYY-MM-DDThh:mm:ssZ")]:  # fmt: skip
            ET.SubElement(identify, f"{{{OAI}}}{name}").text = value
        return root

    def _list(self, query: dict[str, str], matching: list[FixtureRecord], offset: int, since: str) -> ET.Element:
        root = self._envelope(query)
        listing = ET.SubElement(root, f"{{{OAI}}}ListRecords")
        for record in matching[offset : offset + self.page_size]:
            element = ET.SubElement(listing, f"{{{OAI}}}record")
            header = ET.SubElement(element, f"{{{OAI}}}header", {"status": "deleted"} if record.deleted else {})
            ET.SubElement(header, f"{{{OAI}}}identifier").text = record.identifier
            ET.SubElement(header, f"{{{OAI}}}datestamp").text = record.datestamp
            if record.deleted:
                continue
            metadata = ET.SubElement(element, f"{{{OAI}}}metadata")
            if record.broken:
                continue
            dc = ET.SubElement(metadata, f"{{{OAI_DC}}}dc")
            for name, values in record.dc.items():
                for value in values:
                    ET.SubElement(dc, f"{{{DC}}}{name}").text = value
        following = offset + self.page_size
        if following < len(matching) or offset:
            attributes = {"completeListSize": str(len(matching)), "cursor": str(offset)}
            token = ET.SubElement(listing, f"{{{OAI}}}resumptionToken", attributes)
            token.text = f"{following}|{since}" if following < len(matching) else None
        return root

    @property
    def list_requests(self) -> list[dict[str, str]]:
        return [query for query in self.requests if query.get("verb") == "ListRecords"]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(repository: Repository) -> Iterator[Repository]:
    """Serves the repository on a free loopback port until the generator is closed."""
    server: WSGIServer = make_server("127.0.0.1", 0, repository, handler_class=_QuietHandler)
    repository.url = f"http://127.0.0.1:{server.server_port}/oai"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield repository
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
