"""Patrons see link health and report problems; curators find broken links and reports in their queues."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from resources.models import ProblemKind, ProblemReport, ReportStatus, Status
from tests.factories import LearningTeamFactory, LibraryFactory, MembershipFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_patrons_see_when_the_link_was_checked(client):
    resource = ResourceFactory(link_checked_at=timezone.now(), link_status=200)
    content = client.get(resource.get_absolute_url()).content.decode()
    assert "Länken kontrollerades" in content or "Link checked" in content
    assert reverse("resources:report", args=[resource.slug]) in content


def test_a_broken_link_shows_a_note_and_an_archived_copy_instead(client):
    resource = ResourceFactory(url="https://gone.example/page", link_failures=3, link_checked_at=timezone.now())
    content = client.get(resource.get_absolute_url()).content.decode()
    assert "https://web.archive.org/web/https://gone.example/page" in content
    assert 'class="notice" role="note"' in content


def test_a_patron_reports_a_problem_and_it_lands_in_the_owning_teams_queue(client):
    resource = ResourceFactory()
    url = reverse("resources:report", args=[resource.slug])

    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": ProblemKind.BROKEN_LINK, "message": "  Sidan säger 404.  "})

    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert (report.resource, report.kind, report.message, report.status) == (
        resource, ProblemKind.BROKEN_LINK, "Sidan säger 404.", ReportStatus.OPEN,
    )  # fmt: skip
    assert client.get(response["Location"]).status_code == 200


def test_a_report_needs_a_kind_and_keeps_the_message(client):
    resource = ResourceFactory()
    response = client.post(reverse("resources:report", args=[resource.slug]), {"message": "Fel årtal"})
    assert response.status_code == 400
    assert "Fel årtal" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_drafts_cannot_be_reported(client):
    draft = ResourceFactory(status=Status.DRAFT, published_at=None)
    assert client.get(reverse("resources:report", args=[draft.slug])).status_code == 404


def test_reports_are_rate_limited(client, settings):
    cache.clear()
    settings.PROBLEM_REPORTS_PER_HOUR = 2
    resource = ResourceFactory()
    url = reverse("resources:report", args=[resource.slug])
    answers = [client.post(url, {"kind": ProblemKind.OTHER}).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert ProblemReport.objects.count() == 2


def test_a_rotating_forged_forwarded_address_does_not_escape_the_report_limit(client, settings):
    cache.clear()
    settings.PROBLEM_REPORTS_PER_HOUR = 2
    url = reverse("resources:report", args=[ResourceFactory().slug])
    answers = [
        client.post(url, {"kind": ProblemKind.OTHER}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert answers == [302, 302, 429, 429]
    assert ProblemReport.objects.count() == 2


def test_behind_a_trusted_proxy_each_visitor_has_their_own_report_limit(client, settings):
    cache.clear()
    settings.PROBLEM_REPORTS_PER_HOUR = 1
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    url = reverse("resources:report", args=[ResourceFactory().slug])

    def report(forwarded: str) -> int:
        data = {"kind": ProblemKind.OTHER}
        return client.post(url, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [report("9.9.9.9, 203.0.113.5"), report("8.8.8.8, 203.0.113.5"), report("203.0.113.6")] == [302, 429, 302]


@pytest.fixture
def curator_with_queue(library_a, team_a, curator_a, library_b):
    own = ResourceFactory(library=library_a, team=team_a, link_failures=3, link_checked_at=timezone.now())
    ResourceFactory(library=library_a, team=team_a, link_failures=1)  # not broken yet
    foreign = ResourceFactory(library=library_b, link_failures=4)
    ProblemReport.objects.create(resource=own, kind=ProblemKind.WRONG_INFORMATION)
    ProblemReport.objects.create(resource=foreign, kind=ProblemKind.OTHER)
    return own


def test_curators_see_their_own_broken_links_and_reports(client, curator_a, curator_with_queue):
    client.force_login(curator_a)
    broken = client.get(reverse("admin:resources_brokenlink_changelist")).context["cl"].result_list
    reports = client.get(reverse("admin:resources_problemreport_changelist")).context["cl"].result_list
    assert [r.pk for r in broken] == [curator_with_queue.pk]
    assert [r.resource_id for r in reports] == [curator_with_queue.pk]


def test_resolving_reports_only_touches_own(client, curator_a, curator_with_queue):
    client.force_login(curator_a)
    client.post(
        reverse("admin:resources_problemreport_changelist"),
        {"action": "resolve", "_selected_action": list(ProblemReport.objects.values_list("pk", flat=True)), "index": 0},
    )
    assert dict(ProblemReport.objects.values_list("resource_id", "status")) == {
        curator_with_queue.pk: ReportStatus.RESOLVED,
        **{r.resource_id: ReportStatus.OPEN for r in ProblemReport.objects.exclude(resource=curator_with_queue)},
    }
    assert ProblemReport.objects.get(resource=curator_with_queue).resolved_by == curator_a


def test_a_report_resolved_on_its_page_records_who_and_reopened_forgets_it(client, curator_a, curator_with_queue):
    report = ProblemReport.objects.get(resource=curator_with_queue)
    url = reverse("admin:resources_problemreport_change", args=[report.pk])
    client.force_login(curator_a)

    client.post(url, {"status": ReportStatus.RESOLVED})
    report.refresh_from_db()
    assert (report.status, report.resolved_by, report.resolved_at is not None) == ("resolved", curator_a, True)

    client.post(url, {"status": ReportStatus.OPEN})
    report.refresh_from_db()
    assert (report.status, report.resolved_by, report.resolved_at) == ("open", None, None)


@pytest.mark.parametrize(
    "name",
    [
        "admin:resources_brokenlink_changelist",
        "admin:resources_problemreport_changelist",
        "admin:resources_resource_changelist",
    ],
)
@pytest.mark.parametrize("rows", [1, 20])
def test_queue_changelists_cost_the_same_for_any_number_of_rows(client, django_assert_num_queries, name, rows):
    library = LibraryFactory()
    team = LearningTeamFactory(libraries=[library])
    user = UserFactory(library=library, is_superuser=True)
    MembershipFactory(user=user, team=team)
    for _ in range(rows):
        resource = ResourceFactory(library=library, team=team, link_failures=3, link_checked_at=timezone.now())
        ProblemReport.objects.create(resource=resource, kind=ProblemKind.BROKEN_LINK)
    client.force_login(user)
    # Every page: the session and the user, then its own queries, the same for 1 or 20 rows:
    # broken links: the team filter's choices, the count, the rows with library and team;
    # reports: the date hierarchy's range and years, the count, the rows with their resource;
    # resources: the date hierarchy's range and years, the country filter's choices, the count, the rows.
    budget = {
        "admin:resources_brokenlink_changelist": 5,
        "admin:resources_problemreport_changelist": 6,
        "admin:resources_resource_changelist": 7,
    }[name]
    with django_assert_num_queries(budget):
        response = client.get(reverse(name))
    assert response.status_code == 200
