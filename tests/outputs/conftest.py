"""A small catalogue for the outputs other systems read: public records, and one of each kind that must not show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from resources.models import Status
from tests.factories import (
    ExperienceFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    ResourceFactory,
    SchoolOfferFactory,
    SubjectFactory,
)


@dataclass
class Catalogue:
    area: Any
    team: Any
    library: Any
    other_library: Any
    resources: list[Any]  # published, newest first
    offers: list[Any]  # published, newest first
    experience: Any  # public
    hidden: list[Any]  # a draft, one in review, an archived resource, an unpublished offer, a staff-only entry


@pytest.fixture
def catalogue(db) -> Catalogue:
    now = timezone.now()
    library = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo-stadsbibliotek", municipality="Malmö")
    other = LibraryFactory(name="Dokk1", slug="dokk1", country="DK", region="Region Midtjylland", municipality="Aarhus")
    area = KnowledgeAreaFactory(name="Källkritik", name_da="Kildekritik", name_en="Source criticism", slug="kallkritik")
    team = LearningTeamFactory(name="Lärteam Syd", slug="larteam-syd", libraries=[library])
    resources = [
        ResourceFactory(
            title=f"Granska källor, del {number}",
            slug=f"granska-kallor-{number}",
            library=library,
            team=team,
            areas=[area],
            tags=["källkritik", "nyheter"],
            published_at=now - timedelta(days=number),
        )
        for number in range(1, 4)
    ]
    subject = SubjectFactory(name="Svenska", name_da="Dansk", name_nb="Norsk", name_en="Swedish", slug="svenska")
    offers = [
        SchoolOfferFactory(
            title="Källkritikverkstad för åk 8",
            slug="kallkritikverkstad",
            library=library,
            year_from=7,
            year_to=9,
            areas=[area],
            subjects=[subject],
            published_at=now - timedelta(days=1),
        ),
        SchoolOfferFactory(
            title="Læseklub for 3. klasse",
            slug="laeseklub",
            library=other,
            language="da",
            year_from=3,
            year_to=3,
            published_at=now - timedelta(days=2),
        ),
    ]
    experience = ExperienceFactory(
        title="Läsecirklar på lätt svenska", slug="lasecirklar", library=library, is_public=True
    )
    hidden_resources = [
        ResourceFactory(
            title=f"Hemlig resurs ({status})",
            slug=f"hemlig-{status}".replace("_", "-"),
            library=library,
            team=team,
            areas=[area],
            status=status,
            published_at=now if status == Status.ARCHIVED else None,
        )
        for status in [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED]
    ]
    hidden = [
        *hidden_resources,
        SchoolOfferFactory(
            title="Hemligt erbjudande",
            slug="hemligt-erbjudande",
            library=library,
            status=Status.DRAFT,
            published_at=None,
        ),
        ExperienceFactory(title="Intern erfarenhet", slug="intern-erfarenhet", library=library, is_public=False),
    ]
    return Catalogue(
        area=area,
        team=team,
        library=library,
        other_library=other,
        resources=resources,
        offers=offers,
        experience=experience,
        hidden=hidden,
    )
