"""Commands and settings for school offers: purging teachers' data, the demo offers, e-mail from EMAIL_URL."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from portal.env import EmailServer, env_email_url
from resources.management.commands.purge_booking_data import months_before
from resources.models import ACTIVE_STATUSES, BookingRequest, BookingStatus, OfferSession, SchoolOffer, Status, Subject
from tests.factories import BookingRequestFactory

# purge_booking_data


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_booking_data", *args, stdout=out)
    return out.getvalue()


def visited(days_ago: int, **fields) -> BookingRequest:
    day = timezone.localdate() - timedelta(days=days_ago)
    return BookingRequestFactory(session=None, proposed_dates=[day], visit_date=day, **fields)


@pytest.mark.django_db
def test_purge_anonymises_a_year_after_the_visit_and_keeps_the_statistics():
    old = visited(400, status=BookingStatus.CONFIRMED, staff_message="Välkommen, Karin!")
    recent = visited(100)
    coming = BookingRequestFactory()

    output = purge()

    old.refresh_from_db()
    assert (old.teacher_name, old.email, old.phone, old.message, old.staff_message) == ("", "", "", "", "")
    assert old.anonymised_at is not None
    # What statistics need stays.
    assert (old.school, old.school_year, old.pupils, old.status) == ("Rosengårdsskolan", 8, 25, "confirmed")
    assert old.visit_date == timezone.localdate() - timedelta(days=400)
    for untouched in (recent, coming):
        untouched.refresh_from_db()
        assert untouched.email
        assert untouched.anonymised_at is None
    assert "Anonymised 1 booking requests" in output


@pytest.mark.django_db
def test_purge_takes_a_number_of_months_and_is_safe_to_rerun():
    visited(100)
    visited(20)
    assert "Anonymised 1 " in purge("--months", "3")
    assert "Anonymised 0 " in purge("--months", "3")
    assert BookingRequest.objects.filter(anonymised_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_purge_dry_run_changes_nothing():
    visited(400)
    assert "1 booking requests" in purge("--dry-run")
    assert not BookingRequest.objects.filter(anonymised_at__isnull=False).exists()


def test_purge_refuses_nonsense():
    with pytest.raises(CommandError, match="at least 1"):
        purge("--months", "0")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 3, 31), 1, date(2027, 2, 28)),
        (date(2027, 1, 15), 12, date(2026, 1, 15)),
        (date(2027, 1, 15), 13, date(2025, 12, 15)),
        (date(2028, 3, 30), 1, date(2028, 2, 29)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


# seed_demo's school offers


@pytest.mark.django_db
def test_seed_demo_adds_offers_in_three_countries_with_sessions_and_requests():
    call_command("seed_demo", force=True, stdout=StringIO())

    published = SchoolOffer.objects.published()
    assert published.count() >= 40
    per_country = dict(published.values_list("library__country").annotate(n=Count("pk")))
    assert all(per_country.get(country, 0) >= 10 for country in ["SE", "DK", "NO"]), per_country
    assert SchoolOffer.objects.exclude(status=Status.PUBLISHED).exists()
    assert OfferSession.objects.count() >= 80
    assert published.filter(booking="request").count() >= 5
    assert Subject.objects.exclude(name_da="").exclude(name_nb="").exclude(name_en="").count() >= 10
    assert set(BookingRequest.objects.values_list("status", flat=True)) == set(BookingStatus.values)
    # Every session's booked places are its active requests.
    active = Count("booking_requests", filter=Q(booking_requests__status__in=ACTIVE_STATUSES))
    for session in OfferSession.objects.annotate(active=active):
        assert session.groups_booked == session.active, session
    assert not SchoolOffer.objects.filter(search_vector__isnull=True).exists()


@pytest.mark.django_db
def test_seed_demo_offers_are_idempotent():
    call_command("seed_demo", force=True, stdout=StringIO())
    before = {
        "offers": dict(SchoolOffer.objects.values_list("slug", "updated_at")),
        "sessions": list(OfferSession.objects.order_by("pk").values_list("pk", "groups_booked")),
        "requests": dict(BookingRequest.objects.values_list("reference", "updated_at")),
    }
    booking = BookingRequest.objects.filter(status="pending", session__isnull=False).first()
    OfferSession.objects.filter(pk=booking.session_id).update(groups_booked=0)  # someone's stray change

    call_command("seed_demo", force=True, stdout=StringIO())

    after = {
        "offers": dict(SchoolOffer.objects.values_list("slug", "updated_at")),
        "sessions": list(OfferSession.objects.order_by("pk").values_list("pk", "groups_booked")),
        "requests": dict(BookingRequest.objects.values_list("reference", "updated_at")),
    }
    assert after == before


# EMAIL_URL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("smtp://mailer:s%40cret@smtp.example:587?tls=1",
         EmailServer("smtp.example", 587, "mailer", "s@cret", True, False)),
        ("smtp://smtp.example:465?ssl=1", EmailServer("smtp.example", 465, "", "", False, True)),
        ("smtp://localhost", EmailServer("localhost", 25, "", "", False, False)),
    ],
)  # fmt: skip
def test_email_url_is_read(monkeypatch, value, expected):
    monkeypatch.setenv("EMAIL_URL", value)
    assert env_email_url("EMAIL_URL") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://smtp.example", "must look like"),
        ("smtp://smtp.example:port", "not a number"),
        ("smtp://smtp.example?tls=1&ssl=1", "not both"),
        ("smtp://smtp.example?starttls=yes", "understands only"),
    ],
)
def test_a_bad_email_url_stops_the_start(monkeypatch, value, message):
    monkeypatch.setenv("EMAIL_URL", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_email_url("EMAIL_URL")


def test_no_email_url_means_no_smtp_server(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_email_url("EMAIL_URL") is None
