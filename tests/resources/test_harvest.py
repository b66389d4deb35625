"""``manage.py harvest`` end to end: Sickle against a fixture OAI-PMH repository served over HTTP in a thread."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from resources.models import HarvestedRecord, HarvestSource, Resource, Status
from resources.tasks import harvest_sources
from tests.factories import ResourceFactory
from tests.resources.oai_repository import FixtureRecord, Repository, serve

CC_BY = "http://creativecommons.org/licenses/by/4.0/"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def fixture_records() -> list[FixtureRecord]:
    """Seven records over three pages: four that map (one an address already in the catalogue), three that do not."""
    return [
        FixtureRecord(
            "oai:fx:1",
            "2026-11-01T08:00:00Z",
            {
                "title": ["Källkritik för nybörjare"],
                "description": ["Hur man granskar en nyhet."],
                "language": ["sv"],
                "subject": ["källkritik", "nyheter"],
                "rights": ["Alla rättigheter", CC_BY],
                "type": ["Text"],
                "identifier": ["https://oer.example.org/kallkritik"],
                "creator": ["Ada"],
            },
        ),
        FixtureRecord(
            "oai:fx:2",
            "2026-11-02T08:00:00Z",
            {
                "title": ["Kildekritikk på video"],
                "language": ["nb-NO"],
                "rights": [CC_BY_SA],
                "type": ["Video"],
                "identifier": ["hdl:1234/5678"],
                "relation": ["https://video.example.no/kildekritikk"],
            },
        ),
        FixtureRecord(
            "oai:fx:3",
            "2026-11-03T08:00:00Z",
            {
                "title": ["Utan adress"],
                "language": ["sv"],
                "identifier": ["urn:isbn:9789100000000"],
            },
        ),
        FixtureRecord(
            "oai:fx:4",
            "2026-11-04T08:00:00Z",
            {
                "title": ["Redan i katalogen"],
                "language": ["sv"],
                "identifier": ["http://EXAMPLE.org/existing?utm_source=oai"],
            },
        ),
        FixtureRecord(
            "oai:fx:5",
            "2026-11-05T08:00:00Z",
            {
                "title": ["tlhIngan Hol"],
                "language": ["tlh"],
                "identifier": ["https://oer.example.org/klingon"],
            },
        ),
        FixtureRecord("oai:fx:6", "2026-11-06T08:00:00Z", broken=True),
        FixtureRecord(
            "oai:fx:7",
            "2026-11-07T08:00:00Z",
            {
                "title": ["Fact-checking"],
                "language": ["en"],
                "type": ["lesson plan"],
                "identifier": ["https://oer.example.org/fact-checking"],
            },
        ),
    ]


@pytest.fixture
def repository():
    yield from serve(Repository(records=fixture_records()))


@pytest.fixture
def existing(library_a):
    return ResourceFactory(
        title="Existing", url="https://example.org/existing/", library=library_a, status=Status.PUBLISHED
    )


def harvest(*args: str, stdout: io.StringIO | None = None) -> tuple[str, str]:
    """The command as an operator with an English shell runs it (the report is in the active language)."""
    out, err = stdout or io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("harvest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def by_record(identifier: str) -> Resource:
    return HarvestedRecord.objects.get(identifier=identifier).resource


def test_a_harvest_maps_records_follows_tokens_and_names_what_it_cannot_read(repository, lead_a, existing):
    out, err = harvest(repository.url, "--library", "malmo", "--team", "larteam-syd")

    # Three pages through two resumption tokens.
    assert [sorted(q) for q in repository.list_requests] == [
        ["metadataPrefix", "verb"], ["resumptionToken", "verb"], ["resumptionToken", "verb"]
    ]  # fmt: skip
    assert "7 records in 3 pages: 3 new, 1 updated, 0 archived, 3 not readable." in out
    assert "Record oai:fx:3: no http(s) address in dc:identifier or any other element but dc:rights." in err
    assert "Record oai:fx:5: dc:language:" in err
    assert "Record oai:fx:6: the record has no metadata." in err

    first = by_record("oai:fx:1")
    assert (first.title, first.language, first.license, first.kind) == (
        "Källkritik för nybörjare", "sv", "CC-BY-4.0", "text"
    )  # fmt: skip
    assert (first.url, first.creator, first.summary) == (
        "https://oer.example.org/kallkritik", "Ada", "Hur man granskar en nyhet."
    )  # fmt: skip
    assert sorted(first.tags.names()) == ["källkritik", "nyheter"]
    assert (first.library.slug, first.team.slug) == ("malmo", "larteam-syd")
    second = by_record("oai:fx:2")
    assert (second.url, second.language, second.license, second.kind) == (
        "https://video.example.no/kildekritikk", "nb", "CC-BY-SA-4.0", "video"
    )  # fmt: skip
    assert by_record("oai:fx:7").kind == "lesson_plan"
    # Without --publish the new ones wait for the team's lead; the one already in the catalogue was updated.
    assert {by_record(i).status for i in ["oai:fx:1", "oai:fx:2", "oai:fx:7"]} == {Status.IN_REVIEW}
    existing.refresh_from_db()
    assert (existing.title, existing.status, by_record("oai:fx:4")) == ("Redan i katalogen", Status.PUBLISHED, existing)
    assert Resource.objects.count() == 4

    source = HarvestSource.objects.get()
    assert (source.url, source.library.slug, source.last_datestamp) == (repository.url, "malmo", repository.now)
    assert source.last_run_at is not None
    assert "3 new" in source.last_summary
    assert source.resumption_token == ""


def test_a_second_run_asks_only_for_what_changed_and_deletions_archive_what_it_created(repository, lead_a, existing):
    harvest(repository.url, "--library", "malmo", "--team", "larteam-syd", "--publish")
    first_run_date = repository.now
    repository.requests.clear()
    repository.now = "2026-12-02T10:00:00Z"
    changed, deleted, deleted_elsewhere = repository.records[0], repository.records[1], repository.records[3]
    changed.datestamp, changed.dc["title"] = "2026-12-01T12:00:00Z", ["Källkritik, andra upplagan"]
    for record in [deleted, deleted_elsewhere]:
        record.datestamp, record.deleted = "2026-12-01T13:00:00Z", True

    out, _err = harvest(repository.url, "--library", "malmo", "--team", "larteam-syd", "--publish")

    assert [q.get("from") for q in repository.list_requests] == [first_run_date]
    assert f"Since {first_run_date}: 3 records in 1 pages: 0 new, 1 updated, 1 archived, 0 not readable." in out
    assert by_record("oai:fx:1").title == "Källkritik, andra upplagan"
    assert by_record("oai:fx:1").status == Status.PUBLISHED
    assert by_record("oai:fx:2").status == Status.ARCHIVED
    # The resource the harvest found in the catalogue is not the harvest's to archive.
    existing.refresh_from_db()
    assert existing.status == Status.PUBLISHED
    assert HarvestSource.objects.get().last_datestamp == "2026-12-02T10:00:00Z"

    repository.requests.clear()
    out, _err = harvest(repository.url, "--library", "malmo", "--publish")
    assert "0 records in 0 pages" in out


@pytest.mark.django_db(transaction=True)
def test_a_server_failing_mid_harvest_keeps_whole_pages_and_a_rerun_goes_on(repository, lead_a, existing):
    repository.fail_on_page = 2

    with pytest.raises(CommandError, match="run it again"):
        harvest(repository.url, "--library", "malmo", "--team", "larteam-syd")

    # Page 1 (records 1–3) is written and committed, nothing of page 2 (4–6).
    assert set(HarvestedRecord.objects.values_list("identifier", flat=True)) == {"oai:fx:1", "oai:fx:2"}
    existing.refresh_from_db()
    assert existing.title == "Existing"
    source = HarvestSource.objects.get()
    assert source.resumption_token
    assert "HTTP 500" in source.last_summary
    assert source.last_datestamp == ""

    repository.fail_on_page = None
    repository.requests.clear()
    out, _err = harvest(repository.url, "--library", "malmo", "--team", "larteam-syd")

    assert next(q.get("resumptionToken") for q in repository.list_requests) == source.resumption_token
    assert "4 records in 2 pages: 1 new, 1 updated, 0 archived, 2 not readable." in out
    assert Resource.objects.count() == 4
    assert HarvestedRecord.objects.count() == 4
    assert HarvestSource.objects.get().last_datestamp == repository.now


def test_a_resource_of_another_library_is_named_and_left_alone(repository, lead_a, existing, library_b):
    existing.library = library_b
    existing.save()

    out, _err = harvest(repository.url, "--library", "malmo", "--team", "larteam-syd")

    assert "3 new, 0 updated, 0 archived, 4 not readable." in out  # the fourth: the other library's address
    existing.refresh_from_db()
    assert (existing.title, existing.library) == ("Existing", library_b)
    assert not HarvestedRecord.objects.filter(resource=existing).exists()


def test_a_dry_run_reports_and_writes_nothing(repository, lead_a, existing):
    out, err = harvest(repository.url, "--library", "malmo", "--dry-run")

    assert "7 records in 3 pages: 3 new, 1 updated, 0 archived, 3 not readable. Dry run: nothing was written." in out
    assert "oai:fx:6" in err
    assert Resource.objects.count() == 1
    assert not HarvestSource.objects.exists()


def test_all_harvests_the_sources_kept_in_the_admin_and_shows_a_bar_on_a_terminal(repository, library_b):
    HarvestSource.objects.create(url=repository.url, library=library_b)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = harvest("--all", stdout=Terminal())

    assert "Records [" in out
    assert "7/7" in out
    assert "7 records in 3 pages: 4 new, 0 updated" in out
    # Nobody at Dokk1 leads a team, so nobody would review them: they stay drafts, and the report says why.
    assert "New resources stay drafts:" in err
    assert set(Resource.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_bad_options_get_a_clear_message(repository, library_a, library_b):
    with pytest.raises(CommandError, match="No library has the slug 'nowhere'"):
        harvest(repository.url, "--library", "nowhere")
    with pytest.raises(CommandError, match="--library"):
        harvest(repository.url)
    HarvestSource.objects.create(url=repository.url, library=library_b)
    with pytest.raises(CommandError, match="is harvested for the library 'dokk1'"):
        harvest(repository.url, "--library", "malmo")


def test_a_repository_that_cannot_be_reached_stops_with_a_message(library_a):
    with pytest.raises(CommandError, match="run it again"):
        harvest("http://127.0.0.1:9/oai", "--library", "malmo")


@pytest.mark.parametrize("rows", [1, 10])
def test_staff_see_only_their_own_librarys_sources(client, curator_a, library_a, library_b, rows,
                                                  django_assert_num_queries):  # fmt: skip
    for number in range(rows):
        HarvestSource.objects.create(url=f"https://a.example.org/oai/{number}", library=library_a)
        HarvestSource.objects.create(url=f"https://b.example.org/oai/{number}", library=library_b)
    client.force_login(curator_a)

    # Session, user, the user's own and their groups' permissions, the coordinator check, the user's teams, the
    # team filter's choices, the count of rows, the page of rows with their library and team.
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:resources_harvestsource_changelist"))

    assert response.status_code == 200
    assert len(re.findall(rb">https://a.example.org/oai/\d+<", response.content)) == rows
    assert b"b.example.org" not in response.content


def test_only_leads_may_set_a_source_to_publish(client, curator_a, library_a, team_a):
    client.force_login(curator_a)
    data = {"url": "https://oer.example.org/oai", "set_spec": "", "metadata_prefix": "oai_dc",
            "library": library_a.pk, "team": team_a.pk, "publish": "on"}  # fmt: skip

    response = client.post(reverse("admin:resources_harvestsource_add"), data)

    assert response.status_code == 200
    assert "Bara lärteamets ledare publicerar" in response.content.decode()
    del data["publish"]
    response = client.post(reverse("admin:resources_harvestsource_add"), data)
    assert response.status_code == 302
    assert HarvestSource.objects.get().team == team_a


def test_the_nightly_job_harvests_every_source(jobs, repository, library_a):
    HarvestSource.objects.create(url=repository.url, library=library_a)

    harvest_sources.defer(timestamp=int(time.time()))  # what the worker's scheduler does at 03:30
    jobs.run()

    assert HarvestedRecord.objects.count() == 4
    assert "4 nya" in HarvestSource.objects.get().last_summary  # the worker speaks the site's language
    assert jobs.all() == []
