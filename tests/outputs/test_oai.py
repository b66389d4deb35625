"""OAI-PMH 2.0 at /oai/, harvested from the live test server by Sickle (the harvesting client other systems use).

Every reply is validated with lxml against the OAI-PMH 2.0 schema and, inside it, oai_dc's schema and the
oai-identifier description's (tests/outputs/schemas/harvest.xsd). IEEE's LOM schema set is not shipped (no
complete copy could be found, see schemas/README.md): oai_lom replies are validated as OAI-PMH replies with a
stand-in for LOM's root element (lom-envelope.xsd), and their LOM terms are checked one by one below.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from django.core import signing
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree
from sickle import Sickle, oaiexceptions

from resources.models import Resource
from resources.oai import protocol
from resources.services import resource_archive
from resources.vocabularies import HCRT
from tests.factories import ExperienceFactory, KnowledgeAreaFactory, ResourceFactory

SCHEMAS = Path(__file__).parent / "schemas"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"
FORMATS = ["oai_dc", "oai_lom"]
PREFIX = "oai:localhost:resource/"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "harvest.xsd")))


class Harvester(Sickle):
    """Sickle, validating every reply it receives and counting them."""

    def __init__(self, live_server: Any, schema: etree.XMLSchema) -> None:
        super().__init__(f"{live_server.url}/oai/", max_retries=0)
        self.schema = schema
        self.replies = 0

    def harvest(self, **kwargs: str) -> Any:
        response = super().harvest(**kwargs)
        self.schema.assertValid(etree.fromstring(response.http_response.content))
        self.replies += 1
        return response


def oai_get(live_server: Any, schema: etree.XMLSchema, method: str = "GET", **arguments: str) -> etree._Element:
    """One request by plain HTTP (GET or POST), its reply checked for HTTP 200, XML content and validity."""
    query = urlencode(arguments).encode()
    url = f"{live_server.url}/oai/"
    request = Request(f"{url}?{query.decode()}") if method == "GET" else Request(url, data=query, method="POST")
    with urlopen(request) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        root = etree.fromstring(response.read())
    schema.assertValid(root)
    return root


def pk(identifier: str) -> int:
    assert identifier.startswith(PREFIX), identifier
    return int(identifier.removeprefix(PREFIX))


@pytest.fixture
def harvest(catalogue, superuser) -> dict[str, Any]:
    """The outputs catalogue plus what harvesters are told about withdrawals.

    Public: the catalogue's three resources (Malmö, Lärteam Syd, Källkritik) and two of Dokk1's with no team or
    area. Withdrawn after publication (deleted records): one archived, one deleted. Never public: the catalogue's
    draft, one in review and one inserted as archived (harvesters never saw it), and a staff-only entry.
    """
    plain = [
        ResourceFactory(title=f"Læs og lær {number}", library=catalogue.other_library, language="da")
        for number in range(2)
    ]
    archived, deleted = (ResourceFactory(library=catalogue.other_library, areas=[catalogue.area]) for _ in range(2))
    resource_archive(resource=archived, user=superuser)
    deleted_id = deleted.pk
    deleted.delete()
    staff_only = ResourceFactory(library=catalogue.library, review_note="Intern anteckning: fråga Eva om licensen")
    return {
        "public": {resource.pk for resource in [*catalogue.resources, *plain, staff_only]},
        "withdrawn": {archived.pk, deleted_id},
        "never": {resource.pk for resource in catalogue.hidden[:3]},
        "archived": archived,
        "staff_only": staff_only,
        "plain": plain,
    }


def test_identify(live_server, schema, settings, catalogue):
    settings.OAI_REPOSITORY_ID = "delarum.example"
    identify = Harvester(live_server, schema).Identify()
    assert identify.baseURL == f"{live_server.url}/oai/"
    assert identify.protocolVersion == "2.0"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "persistent"
    oldest = min(Resource.objects.published().values_list("harvest_changed_at", flat=True))
    assert identify.earliestDatestamp == protocol.datestamp(oldest)
    description = identify.xml.find(f".//{OAI}description")
    assert description is not None
    assert "oai:delarum.example:resource/1" in etree.tostring(description).decode()


def test_list_metadata_formats_and_sets(live_server, schema, settings, harvest, catalogue):
    settings.OAI_PAGE_SIZE = 2
    harvester = Harvester(live_server, schema)
    assert {entry.metadataPrefix for entry in harvester.ListMetadataFormats()} == set(FORMATS)
    one = harvester.ListMetadataFormats(identifier=f"{PREFIX}{catalogue.resources[0].pk}")
    assert {entry.metadataPrefix for entry in one} == set(FORMATS)
    before = harvester.replies
    specs = [entry.setSpec for entry in harvester.ListSets()]
    assert harvester.replies - before > 1  # the sets came in pages of two, through resumption tokens
    assert len(specs) == len(set(specs))
    assert {"area", "team", "library", "area:kallkritik", "team:larteam-syd"} <= set(specs)
    assert {"library:malmo-stadsbibliotek", "library:dokk1"} <= set(specs)


@pytest.mark.parametrize("metadata_prefix", FORMATS)
def test_whole_repository_through_resumption_tokens(live_server, schema, settings, harvest, metadata_prefix):
    settings.OAI_PAGE_SIZE = 2
    harvester = Harvester(live_server, schema)
    records = list(harvester.ListRecords(metadataPrefix=metadata_prefix))
    assert harvester.replies == 4  # 6 public + 2 withdrawn in pages of 2
    identifiers = [pk(record.header.identifier) for record in records]
    assert len(identifiers) == len(set(identifiers))
    assert {pk(record.header.identifier) for record in records if not record.deleted} == harvest["public"]
    assert {pk(record.header.identifier) for record in records if record.deleted} == harvest["withdrawn"]
    headers = list(harvester.ListIdentifiers(metadataPrefix=metadata_prefix))
    assert [pk(header.identifier) for header in headers] == identifiers


@pytest.mark.parametrize(
    ("set_spec", "expected"),
    [
        ("area:kallkritik", lambda catalogue, harvest: {resource.pk for resource in catalogue.resources}),
        ("team:larteam-syd", lambda catalogue, harvest: {resource.pk for resource in catalogue.resources}),
        ("library:dokk1", lambda catalogue, harvest: {resource.pk for resource in harvest["plain"]}),
        ("library", lambda catalogue, harvest: harvest["public"]),
    ],
)
@pytest.mark.parametrize("metadata_prefix", FORMATS)
def test_set_harvest(live_server, schema, settings, catalogue, harvest, metadata_prefix, set_spec, expected):
    settings.OAI_PAGE_SIZE = 1
    harvester = Harvester(live_server, schema)
    records = list(harvester.ListRecords(metadataPrefix=metadata_prefix, set=set_spec))
    live = [pk(record.header.identifier) for record in records if not record.deleted]
    assert len(live) == len(set(live))
    assert set(live) == expected(catalogue, harvest)
    assert all(set_spec in record.header.setSpecs or ":" not in set_spec for record in records)
    # The archived and the deleted resource were in Dokk1 and Källkritik, and stay in those sets as deleted.
    deleted = {pk(record.header.identifier) for record in records if record.deleted}
    assert deleted == (harvest["withdrawn"] if set_spec in {"area:kallkritik", "library:dokk1", "library"} else set())


def backdate(days: int) -> None:
    """Move every datestamp back by some days, as if nothing had changed since.

    The trigger resources_resource_harvest_changed never lets a datestamp go back, so it is disabled for this one
    statement, inside one transaction (ALTER TABLE takes a lock that keeps every other writer out meanwhile).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE resources_resource DISABLE TRIGGER resources_resource_harvest_changed")
        cursor.execute(
            "UPDATE resources_resource SET harvest_changed_at = harvest_changed_at - %s", [timedelta(days=days)]
        )
        cursor.execute("ALTER TABLE resources_resource ENABLE TRIGGER resources_resource_harvest_changed")
        cursor.execute("UPDATE resources_deletedrecord SET deleted_at = deleted_at - %s", [timedelta(days=days)])


def test_incremental_harvest_from_gets_exactly_what_changed(live_server, schema, settings, harvest, superuser):
    settings.OAI_PAGE_SIZE = 2
    backdate(10)
    since = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    harvester = Harvester(live_server, schema)
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": protocol.datestamp(since)}))

    changed, withdrawn, untouched = Resource.objects.filter(pk__in=harvest["public"]).order_by("pk")[:3]
    changed.title = "Granska källor, ny upplaga"
    changed.save()
    resource_archive(resource=withdrawn, user=superuser)
    untouched.link_status = 404  # a link check: nothing a harvester receives
    untouched.save()
    new = ResourceFactory(library=changed.library)

    for metadata_prefix in FORMATS:
        records = list(harvester.ListRecords(metadataPrefix=metadata_prefix, **{"from": protocol.datestamp(since)}))
        assert {pk(record.header.identifier) for record in records if not record.deleted} == {changed.pk, new.pk}
        assert {pk(record.header.identifier) for record in records if record.deleted} == {withdrawn.pk}
    day = since.date().isoformat()
    assert len(list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": day}))) == 3
    earlier = protocol.datestamp(since - timedelta(days=1))
    before = {pk(header.identifier) for header in harvester.ListIdentifiers(metadataPrefix="oai_dc", until=earlier)}
    assert before == (harvest["public"] | harvest["withdrawn"]) - {changed.pk, withdrawn.pk}


def test_get_record_in_both_formats(live_server, schema, catalogue):
    resource = catalogue.resources[0]
    harvester = Harvester(live_server, schema)
    dc = harvester.GetRecord(identifier=f"{PREFIX}{resource.pk}", metadataPrefix="oai_dc")
    assert dc.metadata["title"] == [resource.title]
    assert "Källkritik" in dc.metadata["subject"]
    assert "nyheter" in dc.metadata["subject"]
    assert dc.metadata["language"] == ["sv"]
    assert dc.metadata["rights"] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert sorted(dc.header.setSpecs) == ["area:kallkritik", "library:malmo-stadsbibliotek", "team:larteam-syd"]

    lom = harvester.GetRecord(identifier=f"{PREFIX}{resource.pk}", metadataPrefix="oai_lom").xml
    assert lom.findtext(f".//{LOM}general/{LOM}title/{LOM}string") == resource.title
    assert lom.findtext(f".//{LOM}general/{LOM}language") == "sv"
    assert lom.findtext(f".//{LOM}technical/{LOM}location") == resource.url
    roles = lom.findall(f".//{LOM}educational/{LOM}intendedEndUserRole/{LOM}value")
    assert [role.text for role in roles] == ["learner"]
    types = {
        (entry.findtext(f"{LOM}source"), entry.findtext(f"{LOM}value"))
        for entry in lom.findall(f".//{LOM}educational/{LOM}learningResourceType")
    }
    assert types == {(f"{HCRT}scheme", f"{HCRT}course")}  # LOM's own vocabulary has no term for a course
    taxa = [entry.findtext(f"{LOM}string") for entry in lom.iterfind(f".//{LOM}taxon/{LOM}entry")]
    assert taxa == ["Källkritik"]
    entries = lom.findall(f".//{LOM}taxon/{LOM}entry/{LOM}string")
    assert {entry.get("language") for entry in entries} == {"sv", "da", "en"}


def test_permissions(live_server, schema, harvest, catalogue):
    harvester = Harvester(live_server, schema)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    seen = {pk(record.header.identifier) for record in records}
    assert not seen & harvest["never"]  # the draft, the one in review, one archived before harvesters saw it
    for never in harvest["never"]:
        with pytest.raises(oaiexceptions.IdDoesNotExist):
            harvester.GetRecord(identifier=f"{PREFIX}{never}", metadataPrefix="oai_dc")
    archived = harvester.GetRecord(identifier=f"{PREFIX}{harvest['archived'].pk}", metadataPrefix="oai_lom")
    assert archived.deleted
    assert archived.header.xml.get("status") == "deleted"
    assert archived.xml.find(f"{OAI}metadata") is None
    text = b"".join(etree.tostring(record.xml) for record in records).decode()
    assert "Intern anteckning" not in text  # staff-only review notes never leave
    assert catalogue.experience.title not in text
    assert "Intern erfarenhet" not in text
    assert "Hemlig" not in text


ERRORS = [
    ("badVerb", {}),
    ("badVerb", {"verb": "Harvest"}),
    ("badArgument", {"verb": "ListRecords"}),
    ("badArgument", {"verb": "Identify", "set": "area"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2025-01-01"}),
    (
        "badArgument",
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2027-01-01T00:00:00Z"},
    ),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai dc"}),
    ("badArgument", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "area:"}),
    ("badResumptionToken", {"verb": "ListRecords", "resumptionToken": "forged"}),
    ("cannotDisseminateFormat", {"verb": "ListRecords", "metadataPrefix": "marc21"}),
    ("cannotDisseminateFormat", {"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": f"{PREFIX}1"}),
    ("idDoesNotExist", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:1"}),
    ("idDoesNotExist", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"{PREFIX}999999999"}),
    ("idDoesNotExist", {"verb": "ListMetadataFormats", "identifier": f"{PREFIX}999999999"}),
    ("noRecordsMatch", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "area:no-such-area"}),
    ("noRecordsMatch", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1999-01-01"}),
]
# noMetadataFormats never applies (every record is disseminated in both formats) and noSetHierarchy neither
# (the repository has sets).


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("code", "arguments"), ERRORS, ids=[f"{code}-{n}" for n, (code, _) in enumerate(ERRORS)])
def test_errors_are_oai_errors_with_http_200(live_server, schema, catalogue, method, code, arguments):
    root = oai_get(live_server, schema, method, **arguments)
    assert [error.get("code") for error in root.iter(f"{OAI}error")] == [code]
    echoed = root.find(f"{OAI}request").attrib
    assert echoed == ({} if code in {"badVerb", "badArgument"} else arguments)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("ListIdentifiers", id="another verb's token"),
        pytest.param("expired", id="expired token"),
        pytest.param("tampered", id="tampered token"),
    ],
)
def test_bad_resumption_tokens(live_server, schema, settings, catalogue, monkeypatch, token):
    resumption = protocol.Resumption(protocol.Selection(metadata_prefix="oai_dc"), datetime.now(UTC), 1, 1, 3)
    if token == "expired":
        past = signing.TimestampSigner.timestamp(signing.TimestampSigner())
        lifetime = int(protocol.token_lifetime().total_seconds()) + 60
        monkeypatch.setattr(
            signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(signing.b62_decode(past) - lifetime)
        )
    signed = protocol.sign("ListIdentifiers" if token == "ListIdentifiers" else "ListRecords", resumption)
    monkeypatch.undo()
    if token == "tampered":
        signed = signed[:-3] + ("aaa" if not signed.endswith("aaa") else "bbb")
    root = oai_get(live_server, schema, verb="ListRecords", resumptionToken=signed)
    assert [error.get("code") for error in root.iter(f"{OAI}error")] == ["badResumptionToken"]


NAMES = ["verb", "metadataPrefix", "identifier", "set", "from", "until", "resumptionToken", "x"]
VALUES = st.one_of(
    st.sampled_from(["oai_dc", "oai_lom", "oai dc", "area", "area:", "area:kallkritik", ":area", "library:dokk1"]),
    st.sampled_from(["2026-01-01", "2026-02-30", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00", "0000-01-01"]),
    st.sampled_from([f"{PREFIX}1", f"{PREFIX}-1", f"{PREFIX}{'9' * 40}", PREFIX, "\x00", "\ud800", "\U0001f600"]),
    st.text(max_size=40),
)


@st.composite
def hostile_queries(draw: Any) -> list[tuple[str, str]]:
    """Mostly a real verb (so that the arguments are read), with any names and values, repeated or not."""
    verb = draw(st.one_of(st.sampled_from(list(protocol.VERBS)), VALUES))
    return [("verb", verb), *draw(st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4))]


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_queries())
def test_hostile_arguments_never_a_server_error(client: Client, schema, catalogue, pairs):
    """Any mix of names and values, repeated or not, answers 200 with a valid reply (a server error raises here)."""
    query = urlencode([(name, value.encode("utf-8", "surrogatepass")) for name, value in pairs])
    response = client.get(f"/oai/?{query}")
    assert response.status_code == 200
    schema.assertValid(etree.fromstring(response.content))


def test_resumption_survives_inserts_and_updates_between_pages(live_server, schema, settings, harvest):
    settings.OAI_PAGE_SIZE = 2
    harvester = Harvester(live_server, schema)
    headers = harvester.ListIdentifiers(metadataPrefix="oai_dc")
    first = [next(headers), next(headers)]
    token = headers.resumption_token
    assert token.complete_list_size == "8"
    assert token.cursor == "0"
    expires = datetime.strptime(token.expiration_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)

    # Between pages: one of the first page changes (it comes again at the end), one not yet sent changes, and a
    # new resource is published. Keyset tokens skip nothing and repeat only what changed.
    sent = Resource.objects.get(pk=pk(first[0].identifier))
    sent.summary = "Ny sammanfattning"
    sent.save()
    pending = Resource.objects.filter(pk__in=harvest["public"] - {pk(header.identifier) for header in first}).first()
    pending.summary = "Också ändrad"
    pending.save()
    new = ResourceFactory(library=sent.library)

    rest = [pk(header.identifier) for header in headers]
    everything = {pk(header.identifier) for header in first} | set(rest)
    assert everything == harvest["public"] | harvest["withdrawn"] | {new.pk}
    assert rest.count(pending.pk) == 1  # moved to the end, sent once
    assert rest[-3:] == [sent.pk, pending.pk, new.pk]  # the changed one of the first page comes again


@pytest.mark.parametrize("count", [10, 250])
def test_list_records_page_query_budget(db, client: Client, django_assert_num_queries, settings, count):
    settings.OAI_PAGE_SIZE = 100
    areas = [KnowledgeAreaFactory() for _ in range(3)]
    for number in range(count):
        ResourceFactory(areas=[areas[number % 3]], tags=[f"tagg {number % 7}"])
    ExperienceFactory(is_public=True)
    # First page: the published resources' page, the deleted records' page, the page's knowledge areas, its
    # tags, and the list's size (published, deleted).
    with django_assert_num_queries(6):
        first = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_lom")
    assert first.content.count(b"<record>") == min(count, 100)
    root = etree.fromstring(first.content)
    token = root.findtext(f"{OAI}ListRecords/{OAI}resumptionToken")
    if count > 100:
        # A later page: the same without the size, which the token carries.
        with django_assert_num_queries(4):
            later = client.get(f"/oai/?{urlencode({'verb': 'ListRecords', 'resumptionToken': token})}")
        assert later.content.count(b"<record>") == 100
    else:
        assert token is None
