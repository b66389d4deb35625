"""Bulk actions change only what the person may change, and say how many were changed and refused."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import gettext

from resources.models import Resource, Status
from tests.factories import KnowledgeAreaFactory, ResourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:resources_resource_changelist"


def outcome(changed: int, unchanged: int, refused: int) -> str:
    template = gettext("Changed: %(changed)d. Already so: %(unchanged)d. Refused: %(refused)d.")
    return template % {"changed": changed, "unchanged": unchanged, "refused": refused}


def run_action(client, action, resources, **extra):
    response = client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in resources], "index": 0, **extra},
    )
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def mixed(library_a, library_b, team_a, team_b):
    """Two drafts of team A, one of another library's team."""
    own = ResourceFactory.create_batch(2, library=library_a, team=team_a, status=Status.IN_REVIEW, published_at=None)
    foreign = ResourceFactory(library=library_b, team=team_b, status=Status.IN_REVIEW, published_at=None)
    return [*own, foreign]


def test_a_lead_publishes_their_teams_resources_and_hears_what_was_refused(client, lead_a, mixed):
    client.force_login(lead_a)

    messages = run_action(client, "publish", mixed)

    statuses = dict(Resource.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in mixed] == [Status.PUBLISHED, Status.PUBLISHED, Status.IN_REVIEW]
    assert messages[0].startswith(outcome(2, 0, 1)), messages


def test_a_curator_may_not_publish_at_all(client, curator_a, mixed):
    client.force_login(curator_a)
    messages = run_action(client, "publish", mixed[:2])
    assert set(Resource.objects.filter(pk__in=[r.pk for r in mixed[:2]]).values_list("status", flat=True)) == {
        Status.IN_REVIEW
    }
    assert messages[0].startswith(outcome(0, 0, 2)), messages


def test_coordinator_archives_anything(client, coordinator, mixed):
    client.force_login(coordinator)
    assert run_action(client, "archive", mixed)[-1] == outcome(3, 0, 0)
    assert set(Resource.objects.values_list("status", flat=True)) == {Status.ARCHIVED}


def test_add_to_area_and_add_tag_change_only_own_resources(client, curator_a, library_a, team_a, library_b):
    area = KnowledgeAreaFactory(name="Digital vardag")
    own = ResourceFactory(library=library_a, team=team_a)
    foreign = ResourceFactory(library=library_b)
    client.force_login(curator_a)

    assert run_action(client, "add_to_area", [own, foreign], area=area.pk)[-1].startswith(outcome(1, 0, 1))
    assert run_action(client, "add_tag", [own, foreign], tag="bank-id")[-1].startswith(outcome(1, 0, 1))
    assert run_action(client, "add_tag", [own], tag="BANK-ID")[-1] == outcome(0, 1, 0)

    assert list(own.areas.all()) == [area]
    assert own.tags.names()[0] == "bank-id"
    assert not foreign.areas.exists()
    assert not foreign.tags.exists()


def test_add_to_area_asks_for_the_area(client, curator_a, library_a, team_a):
    own = ResourceFactory(library=library_a, team=team_a)
    client.force_login(curator_a)
    messages = run_action(client, "add_to_area", [own])
    assert messages
    assert not own.areas.exists()


def test_export_to_csv_has_the_import_columns(client, curator_a, library_a, team_a, library_b):
    area = KnowledgeAreaFactory(slug="kallkritik")
    own = ResourceFactory(library=library_a, team=team_a, title="Vår resurs", areas=[area], tags=["nyheter", "fakta"])
    ResourceFactory(library=library_b, title="Deras resurs")
    client.force_login(curator_a)

    response = client.post(
        reverse(CHANGELIST), {"action": "export_as_csv", "select_across": 1, "index": 0, "_selected_action": [own.pk]}
    )

    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].split(",")[:3] == ["title", "url", "language"]
    assert len(lines) == 2
    assert "Vår resurs" in lines[1]
    assert "fakta;nyheter" in lines[1]
    assert "kallkritik" in lines[1]


def every_admin_list():
    from django.contrib import admin

    return sorted(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin.site._registry)


@pytest.mark.parametrize("name", every_admin_list())
def test_every_admin_list_exports_to_csv(admin_client, name, library_a, team_a):
    ResourceFactory(library=library_a, team=team_a, tags=["källkritik"], areas=[KnowledgeAreaFactory()])
    # "Select all": the whole list is exported, whatever ids were ticked.
    data = {"action": "export_as_csv", "select_across": 1, "index": 0, "_selected_action": ["0"]}
    response = admin_client.post(reverse(name), data)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").splitlines()[0]  # a header row at least
