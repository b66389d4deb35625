"""Two people editing the same resource: the second save is refused and nothing is overwritten."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from resources.models import Status
from tests.curation.test_workflow import change_form_data
from tests.factories import MembershipFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_second_save_is_refused_with_what_changed_and_a_way_to_see_both(curator_a, library_a, team_a, roles):
    resource = ResourceFactory(library=library_a, team=team_a, title="Lär dig söka jobb", status=Status.DRAFT,
                               published_at=None)  # fmt: skip
    colleague = UserFactory(username="colleague", library=library_a)
    colleague.groups.add(*curator_a.groups.all())
    MembershipFactory(user=colleague, team=team_a)
    first, second = Client(), Client()
    first.force_login(curator_a)
    second.force_login(colleague)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    opened_by_first = change_form_data(first, resource)
    opened_by_second = change_form_data(second, resource)

    assert second.post(url, {**opened_by_second, "title": "Söka jobb på nätet"}).status_code == 302
    refused = first.post(url, {**opened_by_first, "summary": "Min sammanfattning"})

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    message = " ".join(form.non_field_errors())
    assert "changed this since you opened it" in message or "ändrade" in message
    assert "colleague" in message
    assert "Söka jobb på nätet" in message
    assert reverse("admin:resources_resource_history", args=[resource.pk]) in message
    assert form["summary"].value() == "Min sammanfattning"  # what they typed is still there
    resource.refresh_from_db()
    assert (resource.title, resource.summary) == ("Söka jobb på nätet", opened_by_first["summary"])

    # Having seen both, saving again keeps their version on purpose.
    resubmitted = {**opened_by_first, "summary": "Min sammanfattning", "opened_version": form["opened_version"].value()}
    assert first.post(url, resubmitted).status_code == 302
    resource.refresh_from_db()
    assert resource.summary == "Min sammanfattning"
