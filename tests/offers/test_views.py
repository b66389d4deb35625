"""The public school-offer pages, through the test client: finding an offer, reading it, its calendar files."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from resources.models import Booking, OfferFormat, Status
from resources.offers.selectors import PAGE_SIZE
from tests.factories import (
    BookingRequestFactory,
    KnowledgeAreaFactory,
    LibraryFactory,
    OfferSessionFactory,
    ResourceFactory,
    SchoolOfferFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "sv", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def found(client, language: str = "en", **params) -> list[str]:
    response = client.get(url("offers:list", language), params)
    assert response.status_code == 200
    return [offer.slug for offer in response.context["offers"]]


def in_days(days: int, hour: int = 9):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def places():
    return {
        "malmo": LibraryFactory(slug="malmo", country="SE", region="Region Skåne", municipality="Malmö"),
        "lund": LibraryFactory(slug="lund", country="SE", region="Region Skåne", municipality="Lund"),
        "aarhus": LibraryFactory(slug="aarhus", country="DK", region="Region Midtjylland", municipality="Aarhus"),
        "oslo": LibraryFactory(slug="oslo", country="NO", region="Oslo", municipality="Oslo"),
    }


# The list


@pytest.mark.parametrize("language", ["sv", "da", "nb", "en"])
def test_the_list_lives_under_every_language(client, language):
    SchoolOfferFactory(slug="x")
    response = client.get(f"/{language}/offers/", {"country": ""})  # a Swedish offer, in every country's list
    assert response.status_code == 200
    assert [offer.slug for offer in response.context["offers"]] == ["x"]


def test_only_published_offers_are_listed(client):
    SchoolOfferFactory(slug="public")
    for status in [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED]:
        SchoolOfferFactory(slug=f"hidden-{status}", title="Hemligt utkast", status=status, published_at=None)
    assert found(client) == ["public"]
    assert found(client, q="hemligt") == []


def test_school_year_finds_offers_whose_range_covers_it(client):
    SchoolOfferFactory(slug="seven-to-nine", year_from=7, year_to=9)
    SchoolOfferFactory(slug="only-seven", year_from=7, year_to=7)
    SchoolOfferFactory(slug="four-to-six", year_from=4, year_to=6)
    assert sorted(found(client, year=7)) == ["only-seven", "seven-to-nine"]
    assert found(client, year=9) == ["seven-to-nine"]
    assert found(client, year=0) == []


def test_filters_by_subject_area_place_and_format(client, places):
    history = SubjectFactory(slug="history", name="Historia")
    area = KnowledgeAreaFactory(slug="genealogy")
    child = KnowledgeAreaFactory(slug="church-books", parent=area)
    SchoolOfferFactory(slug="malmo-history", library=places["malmo"], subjects=[history], areas=[child])
    SchoolOfferFactory(slug="lund-online", library=places["lund"], format=OfferFormat.ONLINE)
    SchoolOfferFactory(slug="aarhus", library=places["aarhus"], format=OfferFormat.AT_SCHOOL, language="da")
    SchoolOfferFactory(slug="oslo", library=places["oslo"], language="nb")

    assert found(client, subject="history") == ["malmo-history"]
    assert found(client, area="genealogy") == ["malmo-history"]  # an area includes its sub-areas
    assert sorted(found(client, country="SE")) == ["lund-online", "malmo-history"]
    assert sorted(found(client, region="region-skane")) == ["lund-online", "malmo-history"]
    assert found(client, municipality="malmo") == ["malmo-history"]
    assert found(client, format="online") == ["lund-online"]
    assert found(client, format="school", country="DK") == ["aarhus"]
    assert found(client, country="NO", municipality="oslo") == ["oslo"]


def test_free_sessions_between_two_days(client):
    soon = SchoolOfferFactory(slug="soon")
    OfferSessionFactory(offer=soon, starts_at=in_days(10))
    full = SchoolOfferFactory(slug="full")
    BookingRequestFactory(offer=full, session=OfferSessionFactory(offer=full, starts_at=in_days(10), capacity=1))
    later = SchoolOfferFactory(slug="later")
    OfferSessionFactory(offer=later, starts_at=in_days(40))
    SchoolOfferFactory(slug="no-sessions")
    day = timezone.localdate()

    between = {"from": (day + timedelta(days=5)).isoformat(), "to": (day + timedelta(days=20)).isoformat()}
    assert found(client, **between) == ["soon"]
    assert found(client, **{"from": (day + timedelta(days=30)).isoformat()}) == ["later"]
    assert sorted(found(client, to=(day + timedelta(days=50)).isoformat())) == ["later", "soon"]


def test_words_are_searched_with_the_resource_engine(client):
    SchoolOfferFactory(slug="sv", title="Källkritikverkstad", summary="Granska nyheter", language="sv")
    SchoolOfferFactory(slug="da", title="Bogsnak", summary="Vi taler om bøgerne på biblioteket", language="da")
    SchoolOfferFactory(slug="other", title="Kodklubb", summary="Scratch för nybörjare")
    assert found(client, q="bibliotekerne") == ["da"]  # Danish word forms
    assert found(client, q="källkritikverkstäder") == ["sv"]
    assert found(client, q="progamering") == []

    response = client.get(url("offers:list", "en"), {"q": "nyheter"})
    assert "<mark>nyheter</mark>" in response.content.decode().lower()


def test_a_misspelled_search_that_finds_nothing_suggests_a_spelling_that_does(client):
    # Three edits from "fotografering": too far to correct by itself (two are), near enough to suggest.
    SchoolOfferFactory(title="Nybörjarkurs i fotografering", language="sv")
    SchoolOfferFactory(title="Kvantdatorer", status=Status.DRAFT, published_at=None)

    response = client.get(url("offers:list", "en"), {"q": "fotogarferinq"})

    assert list(response.context["offers"]) == []
    assert response.context["search"].suggestion == "fotografering"
    assert 'href="?q=fotografering"' in response.content.decode()
    assert client.get(url("offers:list", "en"), {"q": "kvntdatrer"}).context["search"].suggestion == ""


def test_relevance_or_the_next_free_session(client):
    first = SchoolOfferFactory(slug="next-week", title="Läsning", summary="Boksamtal om läsning")
    OfferSessionFactory(offer=first, starts_at=in_days(7))
    second = SchoolOfferFactory(slug="tomorrow", title="Något annat", summary="Boksamtal och läsning och läsning")
    OfferSessionFactory(offer=second, starts_at=in_days(1))
    today = timezone.localdate()
    SchoolOfferFactory(
        slug="on-request", title="Läsning på begäran", summary="Läsning", booking=Booking.ON_REQUEST,
        season_start=today, season_end=today + timedelta(days=90),
    )  # fmt: skip

    assert found(client) == ["tomorrow", "next-week", "on-request"]  # without words: the next free session first
    assert found(client, q="läsning")[0] in {"next-week", "on-request"}  # titles weigh most
    assert found(client, q="läsning", sort="next") == ["tomorrow", "next-week", "on-request"]


def test_counts_beside_each_filter_value(client, places):
    history = SubjectFactory(slug="history", name="Historia", name_en="History")
    SchoolOfferFactory(library=places["malmo"], subjects=[history], year_from=7, year_to=9)
    SchoolOfferFactory(library=places["aarhus"], year_from=8, year_to=8)
    SchoolOfferFactory(library=places["oslo"], format=OfferFormat.ONLINE, year_from=1, year_to=2)

    response = client.get(url("offers:list", "en"), {"format": "library"})

    facets = {group.name: {value.label: value.count for value in group.values} for group in response.context["facets"]}
    assert facets["country"] == {"Sweden": 1, "Denmark": 1}
    assert facets["subject"] == {"History": 1}
    assert facets["municipality"] == {"Malmö": 1, "Aarhus": 1}
    assert facets["year"] == {"åk 7 · 7. klasse · 8. trinn": 1, "åk 8 · 8. klasse · 9. trinn": 2,
                              "åk 9 · 9. klasse · 10. trinn": 1}  # fmt: skip
    assert response.context["search"].total == 2
    links = {value.label: value.url for group in response.context["facets"] for value in group.values}
    assert links["Malmö"] == "?format=library&municipality=malmo"
    assert links["at the library"] == "?"  # chosen: the link removes it


def test_every_filter_state_has_a_readable_shareable_address(client, places):
    SubjectFactory(slug="history")
    SchoolOfferFactory(slug="x", library=places["malmo"], subjects=[SubjectFactory(slug="history")])
    query = "?year=8&subject=history&country=SE&region=region-skane&municipality=malmo&format=library&q=gransk"
    response = client.get(url("offers:list", "en") + query)
    assert [offer.slug for offer in response.context["offers"]] == ["x"]
    form = response.context["form"]
    assert form.cleaned_data["municipality"] == "malmo"
    assert 'hreflang="sv" href="http://testserver/sv/offers/?year=8&amp;subject=history' in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"year": "sju"},
        {"year": "14"},
        {"subject": "no-such-subject"},
        {"country": "FI"},
        {"municipality": "atlantis"},
        {"from": "2027-02-30"},
        {"from": "2027-03-10", "to": "2027-03-01"},
        {"sort": "random"},
        {"q": "x" * 300},
    ],
)
def test_bad_input_is_explained_beside_the_filter_never_a_server_error(client, params):
    SchoolOfferFactory()
    response = client.get(url("offers:list", "en"), params)
    assert response.status_code == 200
    assert response.context["form"].errors
    content = response.content.decode()
    assert "field__error" in content


def test_a_page_past_the_end_is_not_found(client):
    SchoolOfferFactory()
    assert client.get(url("offers:list", "en"), {"page": "999"}).status_code == 404


def test_pages_of_twenty(client):
    SchoolOfferFactory.create_batch(PAGE_SIZE + 3)
    response = client.get(url("offers:list", "en"), {"page": 2})
    assert len(response.context["offers"]) == 3
    assert f"{PAGE_SIZE + 3} school offers" in response.content.decode()


@pytest.mark.parametrize("rows", [1, PAGE_SIZE])
@pytest.mark.parametrize("params", [{}, {"q": "källkritik", "year": "8", "country": "SE"}])
def test_list_query_count_is_flat(client, django_assert_num_queries, rows, params):
    if params:
        params = {**params, "from": timezone.localdate().isoformat()}
    subject, area = SubjectFactory(), KnowledgeAreaFactory()
    for offer in SchoolOfferFactory.create_batch(rows, title="Källkritik", subjects=[subject], areas=[area]):
        OfferSessionFactory(offer=offer, starts_at=in_days(30 + rows))
    searching = 2 if "q" in params else 0
    # 1 subjects, 2 knowledge areas, 3 places with offers (for the form), [understanding the words], 4 facet
    # counts, 5 this page's offers with their library and next free session, [snippets]
    with django_assert_num_queries(5 + searching):
        response = client.get(url("offers:list", "en"), params)
    assert response.status_code == 200


# One offer


@pytest.fixture
def offer():
    library = LibraryFactory(
        name="Malmö stadsbibliotek", slug="malmo", street_address="Kung Oscars väg 11", postal_code="211 33",
        city="Malmö", website="https://malmo.example/",
    )  # fmt: skip
    offer = SchoolOfferFactory(
        slug="kallkritik", title="Källkritikverkstad", library=library, year_from=7, year_to=9, price=0,
        accessibility="Hörslinga finns.", contact_name="Lina Berg", contact_phone="040-12 34 56",
        subjects=[SubjectFactory(name="Samhällskunskap")], areas=[KnowledgeAreaFactory(name="Källkritik")],
    )  # fmt: skip
    offer.preparation.set([ResourceFactory(title="Granska en nyhet"), ResourceFactory(title="Utkast", status="draft")])
    return offer


def test_the_offer_page_has_everything_a_teacher_needs(client, offer):
    open_session = OfferSessionFactory(offer=offer, starts_at=in_days(10), capacity=2)
    full = OfferSessionFactory(offer=offer, starts_at=in_days(20), capacity=1)
    BookingRequestFactory(offer=offer, session=full)
    OfferSessionFactory(offer=offer, starts_at=in_days(-3))  # past: not shown

    response = client.get(offer.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    for text in ["Källkritikverkstad", "åk 7–9", "Samhällskunskap", "Källkritik", "Kung Oscars väg 11", "211 33",
                 "Lina Berg", "Hörslinga finns.", "Granska en nyhet", "90 minuter", "Gratis"]:  # fmt: skip
        assert text in content, text
    assert "Utkast" not in content  # unpublished preparation material is not shown
    assert response.context["sessions"] == [open_session, full]
    assert "2 platser kvar" in content
    assert "Fullbokat" in content
    radios = re.findall(r'<input type="radio" name="session" value="(\d+)"([^>]*)>', content)
    assert [(int(value), "disabled" in attributes) for value, attributes in radios] == [
        (open_session.pk, False),
        (full.pk, True),
    ]
    assert "no-cache" in response["Cache-Control"]


def test_scheduled_sessions_are_education_events(client, offer):
    session = OfferSessionFactory(offer=offer, starts_at=in_days(10))
    content = client.get(url("offers:detail", "en", slug=offer.slug)).content.decode()

    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1))

    assert [event["@type"] for event in data] == ["EducationEvent"]
    event = data[0]
    assert event["name"] == "Källkritikverkstad"
    assert datetime.fromisoformat(event["startDate"]) == session.starts_at
    assert event["location"]["address"]["streetAddress"] == "Kung Oscars väg 11"
    assert event["offers"]["price"] == "0.00"
    assert event["offers"]["priceCurrency"] == "SEK"
    assert [level["@id"] for level in event["educationalLevel"]] == ["https://w3id.org/kim/educationalLevel/level_2"]
    assert event["audience"]["audienceType"] == "åk 7–9"


def test_json_ld_cannot_break_out_of_its_script(client):
    offer = SchoolOfferFactory(title="</script><script>alert(1)</script>")
    OfferSessionFactory(offer=offer, starts_at=in_days(3))
    content = client.get(offer.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content


def test_a_session_as_an_ics_file(client, offer):
    session = OfferSessionFactory(offer=offer, starts_at=in_days(10))
    response = client.get(url("offers:session-ics", "en", slug=offer.slug, pk=str(session.pk)))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert f"UID:offer-session-{session.pk}@delarum" in text
    assert "SUMMARY:Källkritikverkstad" in text
    assert "LOCATION:Malmö stadsbibliotek\\, Kung Oscars väg 11\\, 211 33 Malmö" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_drafts_and_their_sessions_are_never_public(client, offer):
    session = OfferSessionFactory(offer=offer, starts_at=in_days(10))
    offer.status = Status.DRAFT
    offer.save()
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.get(url("offers:session-ics", slug=offer.slug, pk=str(session.pk))).status_code == 404


def test_on_request_offers_ask_for_dates_in_the_season(client):
    today = timezone.localdate()
    offer = SchoolOfferFactory(booking=Booking.ON_REQUEST, season_start=today + timedelta(days=3),
                               season_end=today + timedelta(days=30))  # fmt: skip
    content = client.get(offer.get_absolute_url()).content.decode()
    assert 'name="proposed_date_3"' in content
    assert f'min="{(today + timedelta(days=3)).isoformat()}"' in content
    assert 'name="session"' not in content


@pytest.mark.parametrize("sessions", [1, 8])
def test_offer_page_query_count_is_flat(client, django_assert_num_queries, offer, sessions):
    for day in range(sessions):
        OfferSessionFactory(offer=offer, starts_at=in_days(day + 1))
    # 1 the offer with its library, 2 its areas, 3 subjects, 4 published preparation material,
    # 5 upcoming sessions
    with django_assert_num_queries(5):
        response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
