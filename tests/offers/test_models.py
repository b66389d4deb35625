"""School offers, sessions and requests: the shared school-year scale, the invariants the database keeps,
and the search index its triggers keep."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from resources.models import Booking, OfferSession, SchoolOffer, Status, Subject
from resources.school_years import SCALE, range_label, scale_label, year_choices, year_label
from tests.factories import (
    BookingRequestFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    OfferSessionFactory,
    SchoolOfferFactory,
    SubjectFactory,
)

# The shared school-year scale, aligned by the pupils' age

# Every year of the scale in every country's words: one row per year (the six-year-olds are 0).
EVERY_YEAR = [
    (0, "förskoleklass", "0. klasse", "1. trinn"),
    (1, "åk 1", "1. klasse", "2. trinn"),
    (2, "åk 2", "2. klasse", "3. trinn"),
    (3, "åk 3", "3. klasse", "4. trinn"),
    (4, "åk 4", "4. klasse", "5. trinn"),
    (5, "åk 5", "5. klasse", "6. trinn"),
    (6, "åk 6", "6. klasse", "7. trinn"),
    (7, "åk 7", "7. klasse", "8. trinn"),
    (8, "åk 8", "8. klasse", "9. trinn"),
    (9, "åk 9", "9. klasse", "10. trinn"),
    (10, "gymnasiet år 1", "10. klasse / 1.g", "vg1"),
    (11, "gymnasiet år 2", "2.g", "vg2"),
    (12, "gymnasiet år 3", "3.g", "vg3"),
]


@pytest.mark.parametrize(
    ("country", "year", "label"),
    [
        (country, row[0], row[column])
        for row in EVERY_YEAR
        for column, country in enumerate(["SE", "DK", "NO"], start=1)
    ],
)
def test_every_year_has_its_label_in_every_country(country, year, label):
    assert year_label(country, year) == label
    assert range_label(country, year, year) == label


def test_the_table_covers_the_whole_scale():
    assert [row[0] for row in EVERY_YEAR] == list(SCALE)
    assert scale_label(0) == "förskoleklass · 0. klasse · 1. trinn"
    assert scale_label(9) == "åk 9 · 9. klasse · 10. trinn"


@pytest.mark.parametrize(
    ("country", "first", "last", "label"),
    [
        ("SE", 7, 9, "åk 7–9"),
        ("DK", 7, 9, "7.–9. klasse"),
        ("NO", 7, 9, "8.–10. trinn"),
        ("NO", 0, 3, "1.–4. trinn"),
        ("SE", 4, 4, "åk 4"),
        ("SE", 0, 3, "förskoleklass – åk 3"),
        ("DK", 0, 1, "0.–1. klasse"),
        ("DK", 8, 10, "8.–10. klasse"),
        ("SE", 10, 12, "gymnasiet år 1–3"),
        ("DK", 10, 12, "1.–3.g"),
        ("NO", 10, 12, "vg1–vg3"),
        ("SE", 8, 10, "åk 8 – gymnasiet år 1"),
        ("NO", 9, 10, "10. trinn – vg1"),
        ("DK", 9, 11, "9. klasse – 2.g"),
    ],
)
def test_school_years_are_labelled_in_each_countrys_words(country, first, last, label):
    assert range_label(country, first, last) == label


def test_year_choices_follow_the_country_then_the_interface_language():
    assert year_choices(country="NO", language="sv")[0] == (0, "1. trinn")
    assert year_choices(country=None, language="da")[0] == (0, "0. klasse")
    assert year_choices(country=None, language="en")[7] == (7, "åk 7 · 7. klasse · 8. trinn")
    assert len(year_choices(country=None, language="en")) == 13


# Offers


@pytest.mark.django_db
class TestSchoolOffer:
    def test_is_complete(self):
        offer = SchoolOfferFactory(title="Bokprat", slug="bokprat", library=LibraryFactory(country="DK"))
        assert str(offer) == "Bokprat"
        assert offer.get_absolute_url() == reverse("offers:detail", kwargs={"slug": "bokprat"})
        assert offer.years_label == "7.–9. klasse"
        assert offer.years_language == "da"
        assert offer.currency == "DKK"
        assert offer.is_free
        assert offer.notification_email == offer.contact_email

    def test_publishing_dates_the_offer(self):
        offer = SchoolOfferFactory(status=Status.DRAFT, published_at=None)
        assert offer.published_at is None
        offer.status = Status.PUBLISHED
        offer.save()
        assert offer.published_at is not None

    @pytest.mark.parametrize(
        ("changes", "constraint"),
        [
            ({"year_from": 9, "year_to": 7}, "resources_offer_years_in_order"),
            ({"year_to": 13}, "resources_offer_years_in_order"),
            ({"max_pupils": 0}, "resources_offer_sizes_positive"),
            ({"price": -1}, "resources_offer_sizes_positive"),
            ({"booking": Booking.ON_REQUEST}, "resources_offer_on_request_has_season"),
            ({"season_start": date(2027, 5, 1), "season_end": date(2027, 4, 1)}, "resources_offer_season_in_order"),
            ({"status": "secret"}, "resources_offer_status_valid"),
        ],
    )
    def test_the_database_refuses_impossible_offers(self, changes, constraint):
        offer = SchoolOfferFactory()
        for name, value in changes.items():
            setattr(offer, name, value)
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            offer.save()

    def test_clean_explains_the_rules_beside_the_fields(self):
        norway = LibraryFactory(country="NO")
        offer = SchoolOfferFactory.build(
            library=norway, year_from=3, year_to=0, booking=Booking.ON_REQUEST, team=LearningTeamFactory()
        )
        with pytest.raises(ValidationError) as error:
            offer.clean()
        assert set(error.value.message_dict) == {"year_to", "season_start", "team"}

    def test_queryset_names_the_question(self):
        covering = SchoolOfferFactory(year_from=6, year_to=8)
        SchoolOfferFactory(year_from=9, year_to=9)
        SchoolOfferFactory(year_from=7, year_to=7, status=Status.DRAFT, published_at=None)
        assert list(SchoolOffer.objects.published().for_year(7)) == [covering]


@pytest.mark.django_db
class TestOfferSession:
    def test_places_left_and_end(self):
        session = OfferSessionFactory(capacity=3, offer=SchoolOfferFactory(duration_minutes=90))
        BookingRequestFactory(offer=session.offer, session=session)
        session.refresh_from_db()
        assert (session.groups_booked, session.places_left, session.is_full) == (1, 2, False)
        assert (session.ends_at - session.starts_at).total_seconds() == 90 * 60

    def test_the_database_never_lets_a_session_be_overbooked(self):
        session = OfferSessionFactory(capacity=1)
        OfferSession.objects.filter(pk=session.pk).update(groups_booked=1)
        with pytest.raises(IntegrityError, match="resources_session_not_overbooked"), transaction.atomic():
            OfferSession.objects.filter(pk=session.pk).update(groups_booked=2)

    def test_capacity_cannot_drop_below_the_groups_booked(self):
        session = OfferSessionFactory(capacity=2)
        BookingRequestFactory.create_batch(2, offer=session.offer, session=session)
        session.refresh_from_db()
        session.capacity = 1
        with pytest.raises(ValidationError) as error:
            session.clean()
        assert error.value.message_dict == {"capacity": ["2 grupper har redan bokat det här tillfället."]}


@pytest.mark.django_db
class TestBookingRequest:
    def test_one_form_makes_one_request(self):
        first = BookingRequestFactory()
        with pytest.raises(IntegrityError, match="resources_booking_form_token_once"), transaction.atomic():
            BookingRequestFactory(form_token=first.form_token, offer=first.offer, session=first.session)

    def test_a_request_needs_a_session_or_proposed_dates(self):
        offer = SchoolOfferFactory()
        with pytest.raises(IntegrityError, match="resources_booking_session_or_dates"), transaction.atomic():
            BookingRequestFactory(offer=offer, session=None, proposed_dates=[], visit_date=date(2027, 3, 1))

    def test_at_most_three_proposed_dates(self):
        offer = SchoolOfferFactory()
        dates = [date(2027, 3, day) for day in (1, 2, 3, 4)]
        with pytest.raises(IntegrityError, match="resources_booking_three_dates"), transaction.atomic():
            BookingRequestFactory(offer=offer, session=None, proposed_dates=dates)

    def test_school_year_reads_in_the_librarys_words(self):
        booking = BookingRequestFactory(offer=SchoolOfferFactory(library=LibraryFactory(country="NO")), school_year=7)
        assert booking.school_year_label == "8. trinn"
        assert str(booking) == booking.reference


# The search index, kept by triggers


@pytest.mark.django_db
class TestTheIndexStaysRight:
    def matches(self, word: str) -> list[str]:
        from resources.search import search, understand

        return sorted(search(SchoolOffer.objects.all(), understand(word)).values_list("slug", flat=True))

    def test_title_summary_and_place_are_indexed_in_the_offers_language(self):
        SchoolOfferFactory(slug="x", title="Bogsnak", summary="Vi taler om bøgerne", language="da")
        assert self.matches("bogsnak") == ["x"]
        assert self.matches("malmö") == ["x"]  # the library's municipality

    def test_subjects_and_areas_in_every_language_and_their_renames(self):
        subject = SubjectFactory(name="Samhällskunskap", name_da="Samfundsfag", name_en="Social studies")
        area = KnowledgeAreaFactory(name="Källkritik", name_en="Source criticism")
        offer = SchoolOfferFactory(slug="x", title="En verkstad", subjects=[subject], areas=[area])
        assert self.matches("samfundsfag") == ["x"]
        assert self.matches("source criticism") == ["x"]
        Subject.objects.filter(pk=subject.pk).update(name_en="Civics")
        assert self.matches("civics") == ["x"]
        offer.subjects.clear()
        assert self.matches("civics") == []

    def test_after_the_library_moves(self):
        offer = SchoolOfferFactory(slug="x", title="En verkstad")
        type(offer.library).objects.filter(pk=offer.library_id).update(municipality="Lund")
        assert self.matches("lund") == ["x"]


@pytest.mark.django_db
def test_publishing_with_update_fields_dates_the_publication_too():
    offer = SchoolOfferFactory(status=Status.DRAFT, published_at=None)
    offer.status = Status.PUBLISHED
    offer.save(update_fields=["status"])
    offer.refresh_from_db()
    assert offer.published_at is not None
