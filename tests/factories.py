"""factory_boy factories: realistic defaults, one place to build test data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from resources.models import Kind, KnowledgeArea, Resource, Status
from teams.models import Country, LearningTeam, Library, Membership, Role, User


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Stadsbibliotek {n}")
    slug = factory.Sequence(lambda n: f"stadsbibliotek-{n}")
    country = Country.SWEDEN
    region = "Region Skåne"
    municipality = "Malmö"
    email = factory.Sequence(lambda n: f"info{n}@bibliotek.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@bibliotek.example")
    is_staff = True
    library = factory.SubFactory(LibraryFactory)
    password = factory.django.Password("secret-password")


class LearningTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningTeam
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lärteam {n}")
    slug = factory.Sequence(lambda n: f"larteam-{n}")
    description = "Vi väljer och vårdar resurser om källkritik."

    @factory.post_generation
    def libraries(self, create: bool, extracted: list[Library] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.libraries.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(LearningTeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CURATOR


class KnowledgeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeArea

    name = factory.Sequence(lambda n: f"Kunskapsområde {n}")
    name_en = factory.Sequence(lambda n: f"Knowledge area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    description = "Resurser som hjälper dig att lära dig mer."


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Granska nyheter på nätet, del {n}")
    slug = factory.Sequence(lambda n: f"granska-nyheter-{n}")
    summary = "En kort kurs i källkritik för alla som läser nyheter på nätet."
    description = "Lär dig känna igen vilseledande rubriker och manipulerade bilder."
    url = factory.Sequence(lambda n: f"https://www.kb.se/resurs/{n}")
    kind = Kind.COURSE
    language = "sv"
    audiences = factory.LazyFunction(lambda: ["adults"])
    license = "CC-BY-4.0"
    creator = "Kungliga biblioteket"
    library = factory.SubFactory(LibraryFactory)
    status = Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=n))

    @factory.post_generation
    def areas(self, create: bool, extracted: list[KnowledgeArea] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.tags.set(extracted)
