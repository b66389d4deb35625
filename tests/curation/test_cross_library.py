"""Learning teams span libraries: what a team member of another library sees, changes and reviews, and how a
resource that nobody could review is caught when it is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource, Status
from teams.access import CURATORS_GROUP, can_change, can_publish, can_view
from teams.models import Role
from tests.curation.test_workflow import change_form_data
from tests.factories import MembershipFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_team(library_a, library_b, lead_a):
    """Lärteam Syd, led by lead-a of Malmö, with Dokk1 as a member library too."""
    team = lead_a.memberships.get().team
    team.libraries.add(library_b)
    return team


@pytest.fixture
def danish_member(roles, library_b, shared_team):
    """A curator at Dokk1 (library B) who is a member of the shared team."""
    user = UserFactory(username="kurator", library=library_b)
    user.groups.add(roles[CURATORS_GROUP])
    MembershipFactory(user=user, team=shared_team, role=Role.CURATOR)
    return user


def change_url(resource: Resource) -> str:
    return reverse("admin:resources_resource_change", args=[resource.pk])


def test_a_lead_publishes_another_librarys_resource_of_their_team_from_its_form(client, lead_a, library_b, shared_team):
    resource = ResourceFactory(library=library_b, team=shared_team, status=Status.IN_REVIEW, published_at=None)
    client.force_login(lead_a)
    form = client.get(change_url(resource)).context["adminform"].form
    # The choices are what the lead may pick, and the current library and team, so the form saves unchanged.
    assert set(form.fields["library"].queryset) == {lead_a.library, library_b}
    assert shared_team in form.fields["team"].queryset

    response = client.post(change_url(resource), {**change_form_data(client, resource), "_publish": "1"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource.refresh_from_db()
    assert (resource.status, resource.library, resource.team) == (Status.PUBLISHED, library_b, shared_team)


def test_what_a_team_member_of_another_library_sees(client, danish_member, library_a, shared_team, team_b):
    """The shared team's drafts, whatever their library; nothing of library A outside the team."""
    in_team = ResourceFactory(title="I teamet", library=library_a, team=shared_team, status=Status.DRAFT)
    outside = ResourceFactory(title="Utanför teamet", library=library_a, team=None, status=Status.DRAFT)
    assert (can_view(danish_member, in_team), can_change(danish_member, in_team)) == (True, True)
    assert can_publish(danish_member, in_team) is False
    assert (can_view(danish_member, outside), can_change(danish_member, outside)) == (False, False)

    client.force_login(danish_member)
    listing = client.get(reverse("admin:resources_resource_changelist")).context["cl"].result_list
    assert list(listing) == [in_team]
    assert client.get(change_url(outside)).status_code == 302  # "does not exist": back to the admin's front page
    form = client.get(change_url(in_team)).context["adminform"].form
    # They may keep the resource's library (Malmö) or pick their own, and pick among their teams.
    assert set(form.fields["library"].queryset) == {library_a, danish_member.library}
    assert set(form.fields["team"].queryset) == {shared_team}


def test_the_send_names_who_will_review_it(client, curator_a, lead_a, library_a, team_a):
    lead_a.first_name, lead_a.last_name = "Lena", "Lind"
    lead_a.save()
    draft = ResourceFactory(library=library_a, team=team_a, status=Status.DRAFT, published_at=None)
    client.force_login(curator_a)
    response = client.post(change_url(draft), {**change_form_data(client, draft), "_submit_for_review": "1"})
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Lena Lind" in text for text in said), said


def test_a_library_without_a_reviewer_is_told_at_send_time_and_offered_the_team(client, roles, library_b, team_b):
    curator = UserFactory(username="ensam", library=library_b)
    curator.groups.add(roles[CURATORS_GROUP])
    MembershipFactory(user=curator, team=team_b, role=Role.CURATOR)
    lead = UserFactory(username="leder", library=None)
    MembershipFactory(user=lead, team=team_b, role=Role.LEAD)
    draft = ResourceFactory(library=library_b, team=None, status=Status.DRAFT, published_at=None)
    client.force_login(curator)

    data = change_form_data(client, draft)
    response = client.post(change_url(draft), {**data, "_submit_for_review": "1"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Välj det lärteam" in errors["team"][0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    response = client.post(change_url(draft), {**data, "team": str(team_b.pk), "_submit_for_review": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.team) == (Status.IN_REVIEW, team_b)


def test_resources_waiting_for_review_for_more_than_seven_days(client, lead_a, library_a, team_a):
    stalled = ResourceFactory(title="Väntar länge", library=library_a, team=team_a, status=Status.IN_REVIEW)
    fresh = ResourceFactory(title="Nyss skickad", library=library_a, team=team_a, status=Status.IN_REVIEW)
    Resource.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(days=8))
    Resource.objects.filter(pk=fresh.pk).update(updated_at=timezone.now() - timedelta(days=6))
    client.force_login(lead_a)

    home = client.get(reverse("staff:home")).content.decode()
    assert "Väntar länge" in home
    assert "Nyss skickad" not in home

    listing = client.get(reverse("admin:resources_resource_changelist"), {"waiting": "1"})
    assert list(listing.context["cl"].result_list) == [stalled]


def test_the_home_says_nothing_when_nothing_waits(client, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("staff:home")).context["waiting"] == []
