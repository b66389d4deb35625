"""The review workflow: curators send drafts for review, team leads publish them or send them back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from resources import services
from resources.models import Resource, Status
from teams.access import can_change, can_publish, can_view
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def change_form_data(client, resource: Resource) -> dict:
    """What the admin's change form would post back unchanged, as a browser would."""
    form = client.get(reverse("admin:resources_resource_change", args=[resource.pk])).context["adminform"].form
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None or name in ("file", "image"):  # a browser posts no stored file back
            continue
        if name == "tags":
            value = ", ".join(getattr(tag, "tag", tag).name for tag in value) if not isinstance(value, str) else value
        data[name] = value
    return data


@pytest.fixture
def draft(library_a, team_a):
    return ResourceFactory(library=library_a, team=team_a, status=Status.DRAFT, published_at=None)


def test_rules_for_each_role(draft, curator_a, curator_b, lead_a, coordinator, patron):
    assert [can_view(u, draft) for u in (curator_a, curator_b, lead_a, coordinator, patron)] == [
        True, False, True, True, False,
    ]  # fmt: skip
    assert [can_change(u, draft) for u in (curator_a, curator_b, lead_a, coordinator, patron)] == [
        True, False, True, True, False,
    ]  # fmt: skip
    assert [can_publish(u, draft) for u in (curator_a, curator_b, lead_a, coordinator, patron)] == [
        False, False, True, True, False,
    ]  # fmt: skip


def test_a_curator_sends_a_draft_for_review_and_the_lead_publishes_it(client, draft, curator_a, lead_a):
    client.force_login(curator_a)
    data = change_form_data(client, draft)
    response = client.post(
        reverse("admin:resources_resource_change", args=[draft.pk]), {**data, "_submit_for_review": "1"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW

    client.force_login(lead_a)
    page = client.get(reverse("admin:resources_resource_change", args=[draft.pk]))
    assert [name for name, _label in page.context["workflow_buttons"]] == ["_publish", "_send_back", "_archive"]
    response = client.post(
        reverse("admin:resources_resource_change", args=[draft.pk]),
        {**change_form_data(client, draft), "_publish": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at is not None
    assert draft.history.first().history_user == lead_a


def test_a_curator_cannot_publish_nor_set_the_status_by_hand(client, draft, curator_a):
    client.force_login(curator_a)
    page = client.get(reverse("admin:resources_resource_change", args=[draft.pk]))
    assert [name for name, _label in page.context["workflow_buttons"]] == ["_submit_for_review"]
    data = {**change_form_data(client, draft), "status": Status.PUBLISHED}

    assert client.post(reverse("admin:resources_resource_change", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT  # the status field is read-only for curators

    data = {**change_form_data(client, draft), "_publish": "1"}
    response = client.post(reverse("admin:resources_resource_change", args=[draft.pk]), data)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_lead_sends_back_with_a_note_the_curator_sees(client, draft, curator_a, lead_a):
    services.resource_submit_for_review(resource=draft, user=curator_a)
    client.force_login(lead_a)
    url = reverse("admin:resources_resource_change", args=[draft.pk])

    without_note = client.post(url, {**change_form_data(client, draft), "review_note": "", "_send_back": "1"})
    assert without_note.status_code == 200
    assert "review_note" in without_note.context["adminform"].form.errors

    note = "Lägg till en sammanfattning på lätt svenska."
    response = client.post(url, {**change_form_data(client, draft), "review_note": note, "_send_back": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.review_note) == (Status.DRAFT, note)

    client.force_login(curator_a)
    page = client.get(url)
    assert note in page.content.decode()
    assert "review_note" in page.context["adminform"].readonly_fields


def test_services_refuse_what_the_rules_forbid(draft, curator_a, curator_b, lead_a):
    with pytest.raises(PermissionDenied):
        services.resource_submit_for_review(resource=draft, user=curator_b)
    with pytest.raises(PermissionDenied):
        services.resource_publish(resource=draft, user=curator_a)
    with pytest.raises(ValidationError):
        services.resource_send_back(resource=draft, user=lead_a, note="Inte i granskning än")
    services.resource_submit_for_review(resource=draft, user=curator_a)
    with pytest.raises(ValidationError):
        services.resource_send_back(resource=draft, user=lead_a, note="  ")
    services.resource_archive(resource=draft, user=lead_a)
    assert Resource.objects.get(pk=draft.pk).status == Status.ARCHIVED


def test_a_lead_reviews_only_the_teams_they_lead(library_a, lead_a, team_b, library_b):
    other_team = ResourceFactory(library=library_b, team=team_b, status=Status.IN_REVIEW, published_at=None)
    own_library_no_team = ResourceFactory(library=library_a, team=None, status=Status.IN_REVIEW, published_at=None)
    assert not can_publish(lead_a, other_team)
    assert can_publish(lead_a, own_library_no_team)
