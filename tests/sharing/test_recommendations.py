"""After a self-assessment: a weak staff dimension (leadership, skills) is recommended material for library staff,
not patrons' guides; a weak patron dimension resources to use with the public; each says why."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from teams.models import DimensionFocus
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    DimensionFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    ResourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

STAFF_GUIDE = "Så leder ni det digitala arbetet"
PATRON_GUIDE = "Kom igång med surfplattan"
E_ID_GUIDE = "Logga in med e-legitimation"
ENTRY = "Digital strategi på fyra veckor"


def reason(score: str, dimension: str) -> str:
    with translation.override("sv"):
        text = translation.gettext("Because your team scored %(score)s of %(top)s on %(dimension)s.")
    return text % {"score": score, "top": 4, "dimension": dimension}


@pytest.fixture
def result(client, curator_a, team_a):
    skills = KnowledgeAreaFactory(name="Digital kompetens")
    services = KnowledgeAreaFactory(name="E-tjänster")
    assessment = AssessmentFactory(team=team_a)
    for name, focus, area, values in [
        ("Ledning och strategi", DimensionFocus.STAFF, skills, [2, 2]),
        ("Digitala tjänster för invånarna", DimensionFocus.PATRONS, services, [1, 2]),
        ("Verktyg", DimensionFocus.STAFF, skills, [4, 4]),
    ]:
        dimension = DimensionFactory(name=name, focus=focus, questionnaire=assessment.questionnaire)
        area.dimensions.add(dimension)
        for value in values:
            AnswerFactory(assessment=assessment, statement=StatementFactory(dimension=dimension), value=value)
    ResourceFactory(title=STAFF_GUIDE, areas=[skills], audiences=["library_staff"])
    ResourceFactory(title=PATRON_GUIDE, areas=[skills], audiences=["adults", "seniors"])
    ResourceFactory(title=E_ID_GUIDE, areas=[services], audiences=["adults"])
    ExperienceFactory(title=ENTRY, areas=[skills])
    client.force_login(curator_a)
    return client.get(reverse("staff:assessment", args=[assessment.pk]))


def sections(page: str) -> list[str]:
    return page.split('<section class="recommendation"')[1:]


def test_a_weak_staff_dimension_is_recommended_staff_material_with_its_reason(result):
    leadership = next(item for item in result.context["recommended"] if item.for_staff)
    assert leadership.score.dimension.name == "Ledning och strategi"
    assert [resource.title for resource in leadership.resources] == [STAFF_GUIDE]
    assert all("library_staff" in resource.audiences for resource in leadership.resources)
    assert [entry.title for entry in leadership.experiences] == [ENTRY]
    section = next(section for section in sections(result.content.decode()) if "Ledning och strategi" in section)
    assert reason("2", "Ledning och strategi") in section
    assert STAFF_GUIDE in section
    assert PATRON_GUIDE not in section


def test_a_weak_patron_dimension_is_recommended_resources_for_the_public_with_its_reason(result):
    weakest, leadership = result.context["recommended"]
    assert (weakest.score.dimension.name, weakest.for_staff) == ("Digitala tjänster för invånarna", False)
    assert [resource.title for resource in weakest.resources] == [E_ID_GUIDE]
    first = sections(result.content.decode())[0]
    assert reason("1,5", "Digitala tjänster för invånarna") in first
    assert E_ID_GUIDE in first
    # Every recommendation says why: one reason per weak dimension, the strong one not among them.
    assert [item.score.dimension.name for item in (weakest, leadership)] == [
        "Digitala tjänster för invånarna",
        "Ledning och strategi",
    ]
