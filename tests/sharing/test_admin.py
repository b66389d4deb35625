"""Staff sharing in the admin: change pages stay flat in queries; activities may be hosted by any library."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from teams.models import TriedToo
from tests.factories import AnswerFactory, AssessmentFactory, ExperienceFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [1, 20])
def test_assessment_change_page_query_count_is_flat(client, superuser, django_assert_num_queries, rows):
    assessment = AssessmentFactory()
    for _ in range(rows):
        AnswerFactory(assessment=assessment, statement=StatementFactory())
    client.force_login(superuser)
    ContentType.objects.clear_cache()  # counted every time, not only in the first test of a run
    # 1 session, 2 user, 3 the round, 4 its answers with their statements, 5 questionnaire and 6 team (read-only),
    # 7 the content type (for the page's links)
    with django_assert_num_queries(7):
        response = client.get(reverse("admin:teams_assessment_change", args=[assessment.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_experience_change_page_query_count_is_flat(client, superuser, django_assert_num_queries, rows):
    entry = ExperienceFactory()
    for _ in range(rows):
        TriedToo.objects.create(experience=entry, user=UserFactory(), note="Vi provade också.")
    client.force_login(superuser)
    ContentType.objects.clear_cache()  # counted every time, not only in the first test of a run
    # 1 session, 2 user, 3 the entry, 4 its knowledge-area links, 5 "we tried this too" with their people and
    # entry, 6 the content type (for the page's links), 7 the chosen library (autocomplete)
    with django_assert_num_queries(7):
        response = client.get(reverse("admin:teams_experience_change", args=[entry.pk]))
    assert response.status_code == 200


def test_a_team_lead_plans_a_study_visit_to_another_library_in_the_admin(client, lead_a, team_a, library_b):
    client.force_login(lead_a)
    response = client.get(reverse("admin:teams_activity_add"))
    form = response.context["adminform"].form
    assert library_b in form.fields["host_library"].queryset
    assert list(form.fields["team"].queryset) == [team_a]  # the team still is one of theirs
