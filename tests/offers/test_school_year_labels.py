"""Every page, e-mail and file that shows a school year names it in the offer's country's words."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from resources.models import BookingRequest
from tests.factories import LibraryFactory, OfferSessionFactory, SchoolOfferFactory

pytestmark = pytest.mark.django_db

# The same pupils (years 7–9 on the scale by age, and a request for year 8) in each country's words.
COUNTRIES = [
    ("SE", "sv", "åk 7–9", "åk 8"),
    ("DK", "da", "7.–9. klasse", "8. klasse"),
    ("NO", "nb", "8.–10. trinn", "9. trinn"),
]


@pytest.fixture(params=COUNTRIES, ids=[row[0] for row in COUNTRIES])
def case(request):
    country, language, years, year = request.param
    library = LibraryFactory(slug=f"library-{country.lower()}", country=country)
    offer = SchoolOfferFactory(slug=f"offer-{country.lower()}", library=library, year_from=7, year_to=9)
    session = OfferSessionFactory(offer=offer, starts_at=timezone.now() + timezone.timedelta(days=10), capacity=3)
    return offer, session, language, years, year


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_the_offer_list_and_its_filter(client, case):
    _offer, _session, language, years, year = case
    content = client.get(_url("offers:list", language)).content.decode()
    assert years in content  # the card
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', content))
    assert options["8"] == year  # the school-year filter speaks the interface language's country's words


def test_the_offer_page_and_the_booking_form(client, case):
    offer, _session, language, years, year = case
    content = client.get(_url("offers:detail", language, slug=offer.slug)).content.decode()
    assert f">{years}<" in content
    assert f'<option value="8">{year}</option>' in content


def test_the_request_page_and_the_e_mails(client, case, jobs):
    offer, session, language, _years, year = case
    data = {
        "teacher_name": "Kim",
        "school": "Skolan",
        "email": "kim@skola.example",
        "school_year": "8",
        "pupils": "20",
        "consent": "on",
        "form_token": str(uuid.uuid4()),
        "website": "",
        "session": str(session.pk),
    }
    response = client.post(_url("offers:request", language, slug=offer.slug), data)
    jobs.run()
    assert response.status_code == 302, response.content.decode()
    assert BookingRequest.objects.get().school_year_label == year
    assert year in client.get(response["Location"]).content.decode()
    assert mail.outbox
    assert all(year in message.body for message in mail.outbox)


def test_the_calendar_file(client, case):
    offer, session, language, years, _year = case
    response = client.get(_url("offers:session-ics", language, slug=offer.slug, pk=str(session.pk)))
    unfolded = response.content.decode().replace("\r\n ", "")
    assert f"DESCRIPTION:{years}\\n" in unfolded


def test_the_admin_list_and_form(admin_client, case):
    offer, _session, _language, years, year = case
    listing = admin_client.get(reverse("admin:resources_schooloffer_changelist")).content.decode()
    assert years in listing
    form = admin_client.get(reverse("admin:resources_schooloffer_change", args=[offer.pk])).content.decode()
    assert f'<option value="8">{year}</option>' in form
    assert '<option value="7" selected>' in form
