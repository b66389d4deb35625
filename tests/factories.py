"""factory_boy factories: realistic defaults, one place to build test data."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import factory
from django.db.models import F
from django.utils import timezone

from resources.models import Kind, KnowledgeArea, Resource, Status
from teams.models import (
    Activity,
    ActivityKind,
    Answer,
    Assessment,
    Country,
    Dimension,
    Experience,
    LearningTeam,
    Library,
    Membership,
    Participation,
    Questionnaire,
    Reflection,
    Role,
    Statement,
    User,
)


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


# School offers --------------------------------------------------------------------------------------------


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.Subject"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Ämne {n}")
    name_da = factory.Sequence(lambda n: f"Fag {n}")
    name_nb = factory.Sequence(lambda n: f"Fag {n}")
    name_en = factory.Sequence(lambda n: f"Subject {n}")
    slug = factory.Sequence(lambda n: f"subject-{n}")


class SchoolOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.SchoolOffer"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Källkritikverkstad för högstadiet, grupp {n}")
    slug = factory.Sequence(lambda n: f"kallkritikverkstad-{n}")
    summary = "Eleverna granskar nyheter, bilder och källor tillsammans med en bibliotekarie."
    description = "Vi arbetar i små grupper med riktiga exempel från nätet."
    year_from = 7
    year_to = 9
    format = "library"
    duration_minutes = 90
    max_pupils = 30
    language = "sv"
    contact_name = "Anna Bibliotekarie"
    contact_email = factory.Sequence(lambda n: f"skola{n}@bibliotek.example")
    booking = "sessions"
    library = factory.SubFactory(LibraryFactory)
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def subjects(self, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.subjects.set(extracted)

    @factory.post_generation
    def areas(self, create: bool, extracted: list[KnowledgeArea] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


class OfferSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "resources.OfferSession"

    offer = factory.SubFactory(SchoolOfferFactory)
    starts_at = factory.Sequence(
        lambda n: (timezone.now() + timedelta(days=7 + n)).replace(hour=9, minute=0, second=0, microsecond=0)
    )
    capacity = 2


class BookingRequestFactory(factory.django.DjangoModelFactory):
    """A request as the booking service leaves it: an active request holds a place in its session."""

    class Meta:
        model = "resources.BookingRequest"
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    offer = factory.SubFactory(SchoolOfferFactory)
    session = factory.SubFactory(OfferSessionFactory, offer=factory.SelfAttribute("..offer"))
    visit_date = factory.LazyAttribute(
        lambda booking: timezone.localdate(booking.session.starts_at) if booking.session else booking.proposed_dates[0]
    )
    teacher_name = "Karin Lärare"
    school = "Rosengårdsskolan"
    email = factory.Sequence(lambda n: f"larare{n}@skola.example")
    phone = "040-123 45 67"
    school_year = 8
    pupils = 25
    message = "Vi har arbetat med nyheter i svenska."
    language = "sv"
    consented_at = factory.LazyFunction(timezone.now)
    status = "pending"
    form_token = factory.LazyFunction(uuid.uuid4)

    @factory.post_generation
    def hold_place(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and self.session_id and self.status in ("pending", "confirmed"):
            type(self.session).objects.filter(pk=self.session_id).update(groups_booked=F("groups_booked") + 1)
            self.session.refresh_from_db()


# Staff sharing --------------------------------------------------------------------------------------------


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3, hours=2)),
            ends_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
        )

    team = factory.SubFactory(LearningTeamFactory)
    kind = ActivityKind.STUDY_VISIT
    title = factory.Sequence(lambda n: f"Studiebesök {n}: meröppet bibliotek")
    description = "Vi vandrar till grannbiblioteket och ser hur de arbetar med meröppet."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7, hours=3))
    host_library = factory.SubFactory(LibraryFactory)
    focus_questions = "Hur tas nya besökare emot?\nVad gör personalen annorlunda?"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    user = factory.SubFactory(UserFactory)


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    activity = factory.SubFactory(ActivityFactory, past=True)
    author = factory.SubFactory(UserFactory)
    saw = "Självbetjäningen var enkel och skyltningen tydlig."
    will_try = "Vi provar deras välkomstkort."
    would_share = "Hur de tränar volontärer."


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Läsecirklar för nyanlända {n}")
    slug = factory.Sequence(lambda n: f"lasecirklar-{n}")
    language = "sv"
    library = factory.SubFactory(LibraryFactory)
    summary = "Vi startade läsecirklar på lätt svenska tillsammans med SFI."
    what_we_did = "Varannan vecka träffades en grupp och läste en lättläst roman."
    why = "Många nyanlända ville öva svenska utanför klassrummet."
    result = "Tolv deltagare, flera lånar nu regelbundet."
    tags = factory.LazyFunction(lambda: ["läsfrämjande", "nyanlända"])

    @factory.post_generation
    def areas(self, create: bool, extracted: list[KnowledgeArea] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.knowledge_areas.set(extracted)


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    title = factory.Sequence(lambda n: f"Digital mognad {n}")
    slug = factory.Sequence(lambda n: f"digital-mognad-{n}")


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    name = factory.Sequence(lambda n: f"Dimension {n}")
    position = factory.Sequence(lambda n: n)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    dimension = factory.SubFactory(DimensionFactory)
    text = factory.Sequence(lambda n: f"Vi har en plan för digital kompetens ({n}).")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    team = factory.SubFactory(LearningTeamFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    statement = factory.SubFactory(StatementFactory)
    value = 2
