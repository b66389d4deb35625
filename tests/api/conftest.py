"""A small public catalogue for the API tests, with things that must never reach the API beside it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from resources.models import KnowledgeArea, Resource, SchoolOffer, Status
from tests.factories import (
    BookingRequestFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    OfferSessionFactory,
    ResourceFactory,
    SchoolOfferFactory,
    SubjectFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Answers, Last-Modified records and rate-limit counts live in the cache; each test starts from nothing.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Catalogue:
    area: KnowledgeArea
    published: list[Resource]
    hidden: list[Resource]
    offer: SchoolOffer
    hidden_offer: SchoolOffer


@pytest.fixture
def catalogue(db) -> Catalogue:
    library = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo", municipality="Malmö", region="Skåne")
    team = LearningTeamFactory(name="Lärteam Syd", slug="larteam-syd", libraries=[library])
    area = KnowledgeAreaFactory(name="Källkritik", name_en="Source criticism", slug="kallkritik")
    area.teams.add(team)
    KnowledgeAreaFactory(name="Bildgranskning", slug="bildgranskning", parent=area)
    published = [
        ResourceFactory(library=library, team=team, areas=[area], tags=["källkritik"], kind="video"),
        ResourceFactory(library=library, areas=[area], language="da", audiences=["teachers", "youth"]),
        ResourceFactory(library=library, license="CC0-1.0", kind="lesson_plan"),
    ]
    hidden = [
        ResourceFactory(library=library, areas=[area], status=status, slug=f"hidden-{status}", title=f"Dold {status}")
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
    ]
    Resource.objects.filter(pk=published[0].pk).update(review_note="Intern anteckning som bara personalen ser")
    subject = SubjectFactory(name="Svenska", name_en="Swedish", slug="svenska")
    offer = SchoolOfferFactory(library=library, subjects=[subject], areas=[area], slug="kallkritikverkstad")
    session = OfferSessionFactory(offer=offer, capacity=2)
    BookingRequestFactory(offer=offer, session=session, school="Hemliga skolan", email="larare@skola.example")
    hidden_offer = SchoolOfferFactory(library=library, status=Status.DRAFT, slug="dolt-erbjudande", title="Dolt")
    ExperienceFactory(library=library, title="Personalens interna erfarenhet", slug="intern", is_public=False)
    return Catalogue(area=area, published=published, hidden=hidden, offer=offer, hidden_offer=hidden_offer)
