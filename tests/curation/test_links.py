"""The link checker against a local HTTP server: HEAD and GET, redirects, timeouts, retries, host limits."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from resources.links import CheckSettings, HostGate, LinkChecker, RefusedAddress, describe_error, public_address
from resources.models import Resource, Status
from resources.models.catalogue import BROKEN_AFTER_FAILURES
from tests.curation.linkserver import link_server
from tests.factories import LibraryFactory, ResourceFactory

FAST = CheckSettings(timeout=0.3, per_host=4, host_delay=0, retries=1, backoff=0.01, allow_loopback=True)


@pytest.fixture
def server():
    with link_server() as server:
        yield server


@pytest.fixture
def loopback_allowed(settings):
    settings.LINK_CHECK_ALLOW_LOOPBACK = True
    settings.LINK_CHECK_TIMEOUT = 0.3
    settings.LINK_CHECK_HOST_DELAY = 0
    settings.LINK_CHECK_BACKOFF = 0.01
    settings.LINK_CHECK_RETRIES = 1
    settings.LINK_CHECK_PER_HOST = 4


def test_answers_are_understood(server):
    checker = LinkChecker(FAST)
    results = checker.check_many([f"{server.base}{path}" for path in
                                  ["/ok", "/moved", "/loop", "/gone", "/no-head", "/error", "/slow"]])  # fmt: skip
    by_path = {url.removeprefix(server.base): result for url, result in results.items()}

    assert (by_path["/ok"].ok, by_path["/ok"].status) == (True, 200)
    assert by_path["/moved"].ok
    assert by_path["/moved"].final_url == f"{server.base}/ok"
    assert by_path["/moved"].redirects == [f"{server.base}/ok"]
    assert (by_path["/loop"].ok, by_path["/loop"].error) == (False, "too many redirects")
    assert (by_path["/gone"].ok, by_path["/gone"].status) == (False, 404)
    assert (by_path["/no-head"].ok, by_path["/no-head"].status) == (True, 200)
    assert ("GET", "/no-head") in server.methods
    assert ("GET", "/ok") not in server.methods  # HEAD was enough
    assert (by_path["/error"].ok, by_path["/error"].attempts) == (False, 2)  # retried once
    assert (by_path["/slow"].ok, by_path["/slow"].error) == (False, "timed out")


def test_a_flapping_address_passes_on_the_retry(server):
    result = LinkChecker(FAST).check(f"{server.base}/flap")
    assert (result.ok, result.attempts) == (True, 2)


def test_retries_pause_longer_each_time(server):
    pauses: list[float] = []
    config = CheckSettings(timeout=0.3, retries=3, backoff=0.5, host_delay=0, allow_loopback=True)
    result = LinkChecker(config, sleep=pauses.append).check(f"{server.base}/error")
    assert (result.ok, result.attempts) == (False, 4)
    assert pauses == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.8/intranet",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "ftp://ftp.example/file",
        "file:///etc/passwd",
    ],
)
def test_private_and_non_http_addresses_are_never_contacted(url):
    result = LinkChecker(FAST).check(url)
    assert not result.ok
    assert result.attempts == 1
    assert "not a public address" in result.error or "not an http(s) address" in result.error


def test_loopback_only_when_the_setting_allows_it(server):
    refused = LinkChecker(CheckSettings(allow_loopback=False)).check(f"{server.base}/ok")
    assert (refused.ok, server.hits["/ok"]) == (False, 0)
    with pytest.raises(RefusedAddress):
        public_address("localhost", 80, allow_loopback=False)
    assert public_address("127.0.0.1", 80, allow_loopback=True) == "127.0.0.1"


def test_no_more_than_the_per_host_limit_at_once(server):
    config = CheckSettings(timeout=2, per_host=2, host_delay=0, retries=0, allow_loopback=True)
    LinkChecker(config).check_many([f"{server.base}/busy?n={n}" for n in range(12)], workers=8)
    assert server.hits["/busy"] == 12
    assert server.most_at_once <= 2


def test_checks_of_one_host_start_the_delay_apart():
    pauses: list[float] = []
    gate = HostGate(per_host=1, delay=10, sleep=pauses.append)
    for _ in range(3):
        with gate.slot("www.example.org"):
            pass
    with gate.slot("other.example"):
        pass
    assert [round(p) for p in pauses] == [10, 20]  # the other host did not wait


@pytest.mark.django_db
def test_check_links_keeps_link_health_and_flags_broken_after_three_failures(server, loopback_allowed):
    library = LibraryFactory()
    works = ResourceFactory(library=library, url=f"{server.base}/ok")
    moved = ResourceFactory(library=library, url=f"{server.base}/moved")
    gone = ResourceFactory(library=library, url=f"{server.base}/gone")
    shares_address = ResourceFactory(library=library, url=f"{server.base}/gone")
    draft = ResourceFactory(library=library, url=f"{server.base}/ok?draft", status=Status.DRAFT, published_at=None)
    out = StringIO()

    for run in range(1, BROKEN_AFTER_FAILURES + 1):
        call_command("check_links", stdout=out)
        gone.refresh_from_db()
        assert gone.link_failures == run
        assert gone.link_is_broken == (run >= BROKEN_AFTER_FAILURES)

    works.refresh_from_db()
    moved.refresh_from_db()
    shares_address.refresh_from_db()
    draft.refresh_from_db()
    assert (works.link_status, works.link_failures, works.link_error) == (200, 0, "")
    assert works.link_checked_at is not None
    assert moved.link_final_url == f"{server.base}/ok"
    assert (gone.link_status, gone.link_error) == (404, "HTTP 404")
    assert shares_address.link_is_broken
    assert draft.link_checked_at is None  # only published resources are checked
    assert server.hits["/gone"] == BROKEN_AFTER_FAILURES * 2  # one address, asked once per run (HEAD + GET)
    assert "2 newly broken, 2 broken in all" in out.getvalue()
    assert works.version == 1  # link health is not an edit
    assert not Resource.history.filter(id=works.pk, history_type="~").exists()


@pytest.mark.django_db
def test_a_working_check_clears_the_failures(server, loopback_allowed):
    resource = ResourceFactory(url=f"{server.base}/ok", link_failures=5, link_checked_at=timezone.now())
    call_command("check_links", stdout=StringIO())
    resource.refresh_from_db()
    assert (resource.link_failures, resource.link_is_broken) == (0, False)


@pytest.mark.django_db
def test_five_thousand_addresses_are_all_checked_and_recorded(server, loopback_allowed):
    # The time it takes is measured by `make bench` (bench/curation.py), not asserted here.
    library = LibraryFactory()
    now = timezone.now()
    Resource.objects.bulk_create(
        Resource(title=f"Resurs {n}", slug=f"resurs-{n}", summary="Kort.", url=f"{server.base}/ok?n={n}",
                 language="sv", license="CC-BY-4.0", library=library, status=Status.PUBLISHED, published_at=now)
        for n in range(5000)
    )  # fmt: skip
    out = StringIO()

    call_command("check_links", "--workers", "32", "--per-host", "32", "--delay", "0", stdout=out)

    assert Resource.objects.filter(link_failures=0, link_status=200).count() == 5000
    assert "Checked 5000 addresses" in out.getvalue()


@pytest.mark.django_db
def test_a_new_address_forgets_what_was_found_at_the_old_one(tmp_path):
    checked = timezone.now()
    resource = ResourceFactory(
        url="https://gone.example/page", link_failures=3, link_status=404, link_checked_at=checked
    )

    resource.title = "Ny titel"
    resource.save()
    resource.refresh_from_db()
    assert (resource.link_failures, resource.link_status) == (3, 404)  # other edits keep it

    # However the address changes (the admin, an import, restoring a version all end in an UPDATE of url).
    Resource.objects.filter(pk=resource.pk).update(url="https://found.example/page")
    resource.refresh_from_db()
    assert (resource.link_failures, resource.link_status, resource.link_checked_at, resource.link_is_broken) == (
        0, None, None, False,
    )  # fmt: skip


# The broken-link queue words the stored errors in the reader's language.

STORED_ERRORS = {
    "HTTP 404": "The page is gone (HTTP %(status)s).",
    "HTTP 403": "The site refuses access to the page (HTTP %(status)s).",
    "HTTP 429": "The site asked us to come back later (HTTP %(status)s).",
    "HTTP 503": "The site has a fault on its side (HTTP %(status)s).",
    "HTTP 400": "The site answered with an error (HTTP %(status)s).",
    "too many redirects": "The address sends visitors round in redirects.",
    "timed out": "The site did not answer in time.",
    "host not found: gone.example": "No site has this name (%(host)s).",
    "not a public address: intranet.example (10.0.0.1)": (
        "The address leads to a private network, which is not checked (%(detail)s)."
    ),
    "not an http(s) address: ftp://files.example/": "This is not a web address (http or https).",
    "SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate has expired": (
        "The site's security certificate is not valid (%(detail)s)."
    ),
    "ConnectionRefusedError: [Errno 111] Connection refused": "The connection to the site failed (%(detail)s).",
    "something new": "The link check failed (%(detail)s).",
}


@pytest.mark.parametrize("language", ["sv", "da", "nb", "en"])
@pytest.mark.parametrize("stored", STORED_ERRORS)
def test_each_stored_error_is_worded_in_the_readers_language(stored, language):
    with translation.override(language):
        message = describe_error(stored)
        template = translation.gettext(STORED_ERRORS[stored])
    # The words are the catalogue's, the detail (status, host, exception) is kept.
    assert message.startswith(template.split("%(")[0])
    if "%(status)s" in template:
        assert stored.removeprefix("HTTP ") in message


def test_what_the_checker_stores_is_understood(server):
    results = LinkChecker(FAST).check_many([f"{server.base}{path}" for path in ["/loop", "/gone", "/slow"]])
    fallback = "The link check failed"
    for result in results.values():
        assert result.error
        with translation.override("en"):
            assert not describe_error(result.error).startswith(fallback), result.error
    with translation.override("en"):
        assert describe_error(LinkChecker(FAST).check("http://127.0.0.1:1/").error).startswith(
            "The connection to the site failed"
        )


@pytest.mark.django_db
def test_the_broken_link_queue_shows_the_error_in_the_readers_language(client, curator_a, library_a, team_a):
    ResourceFactory(library=library_a, team=team_a, link_status=404, link_error="HTTP 404", link_failures=3)
    client.force_login(curator_a)
    page = client.get(reverse("admin:resources_brokenlink_changelist"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    with translation.override("da"):
        expected = translation.gettext("The page is gone (HTTP %(status)s).") % {"status": 404}
        column = capfirst(translation.gettext("last link error"))
    assert 'lang="da"' in page
    assert column in page
    assert expected in page
    assert ">HTTP 404<" not in page
