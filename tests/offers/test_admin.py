"""Library staff in the admin: their own offers and sessions, their own library's booking requests, and
answers that reach the teacher and keep the counts right."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from resources.models import Booking, BookingRequest, BookingStatus, OfferSession, SchoolOffer, Status
from resources.offers import emails
from teams.access import COORDINATORS_GROUP, CURATORS_GROUP, TEAM_LEADS_GROUP
from teams.models import Role
from tests.factories import (
    BookingRequestFactory,
    LearningTeamFactory,
    LibraryFactory,
    MembershipFactory,
    OfferSessionFactory,
    SchoolOfferFactory,
    SubjectFactory,
    UserFactory,
)
from tests.jobs import job_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def malmo():
    return LibraryFactory(name="Malmö stadsbibliotek", slug="malmo", country="SE")


@pytest.fixture
def lund():
    return LibraryFactory(name="Lunds stadsbibliotek", slug="lund", country="SE")


@pytest.fixture
def team(malmo, lund):
    return LearningTeamFactory(name="Lärteam Syd", libraries=[malmo, lund])


@pytest.fixture
def curator(roles, malmo, team):
    user = UserFactory(username="curator-malmo", library=malmo)
    user.groups.add(roles[CURATORS_GROUP])
    MembershipFactory(user=user, team=team, role=Role.CURATOR)
    return user


def change_url(booking: BookingRequest) -> str:
    return reverse("admin:resources_bookingrequest_change", args=[booking.pk])


def answer(client, booking: BookingRequest, **data) -> object:
    form = {"decision": "", "move_to": "", "reply": ""}
    if booking.session_id is None:
        form["visit_date"] = booking.visit_date.isoformat()
    form.update(data)
    return client.post(change_url(booking), form)


# Who sees what


def test_staff_see_only_their_own_librarys_requests(client, curator, malmo, lund, team):
    own = BookingRequestFactory(offer=SchoolOfferFactory(library=malmo))
    # An offer of the team at another library: the curator may edit the offer, not answer its teachers.
    team_offer = SchoolOfferFactory(library=lund, team=team)
    BookingRequestFactory(offer=team_offer)
    BookingRequestFactory(offer=SchoolOfferFactory(library=LibraryFactory(country="DK")))
    client.force_login(curator)

    response = client.get(reverse("admin:resources_bookingrequest_changelist"))

    assert list(response.context["cl"].result_list) == [own]
    offers = client.get(reverse("admin:resources_schooloffer_changelist")).context["cl"].result_list
    assert {offer.library_id for offer in offers} == {malmo.pk, lund.pk}


def test_another_librarys_request_cannot_be_opened_by_its_id(client, curator):
    foreign = BookingRequestFactory()
    client.force_login(curator)
    response = client.get(change_url(foreign))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_requests_come_from_teachers_and_only_coordinators_delete_them(client, curator, roles, malmo):
    booking = BookingRequestFactory(offer=SchoolOfferFactory(library=malmo))
    client.force_login(curator)
    assert client.get(reverse("admin:resources_bookingrequest_add")).status_code == 403
    assert client.get(reverse("admin:resources_bookingrequest_delete", args=[booking.pk])).status_code == 403
    coordinator = UserFactory(username="coordinator")
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    assert coordinator.has_perms(["resources.delete_bookingrequest", "resources.add_subject"])


def test_roles_carry_the_offer_permissions(roles):
    lead = UserFactory()
    lead.groups.add(roles[TEAM_LEADS_GROUP])
    for codename in ["add_schooloffer", "change_schooloffer", "add_offersession", "change_bookingrequest"]:
        assert lead.has_perm(f"resources.{codename}")
    assert not lead.has_perm("resources.delete_bookingrequest")
    assert not lead.has_perm("resources.add_subject")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "confirmed"}, ["confirmed"]),
        ({"visit": "week"}, ["in five days"]),
        ({"visit": "past"}, ["last month"]),
        ({"visit_date__gte": "2030-01-01"}, ["confirmed"]),
    ],
)
def test_requests_filter_by_status_offer_and_date(client, curator, malmo, params, expected):
    offer = SchoolOfferFactory(library=malmo)
    far_ahead = OfferSessionFactory(offer=offer, starts_at=timezone.now().replace(year=2030))
    BookingRequestFactory(offer=offer, session=far_ahead, status=BookingStatus.CONFIRMED, school="confirmed")
    soon, last_month = (timezone.localdate() + timedelta(days=days) for days in (5, -30))
    BookingRequestFactory(offer=offer, session=None, proposed_dates=[soon], school="in five days")
    BookingRequestFactory(offer=offer, session=None, proposed_dates=[last_month], school="last month")
    other = BookingRequestFactory(offer=SchoolOfferFactory(library=malmo), school="other offer")
    client.force_login(curator)

    response = client.get(reverse("admin:resources_bookingrequest_changelist"), params)
    assert [booking.school for booking in response.context["cl"].result_list] == expected

    by_offer = client.get(reverse("admin:resources_bookingrequest_changelist"), {"offer__id__exact": other.offer_id})
    assert [booking.school for booking in by_offer.context["cl"].result_list] == ["other offer"]


# Answering requests


def test_confirming_with_a_message_tells_the_teacher_in_their_language(client, curator, malmo, jobs):
    booking = BookingRequestFactory(offer=SchoolOfferFactory(library=malmo), language="en")
    client.force_login(curator)

    response = answer(client, booking, decision="confirm", reply="Welcome! Meet us at the front desk.")
    jobs.run()

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.handled_by, booking.staff_message) == (
        BookingStatus.CONFIRMED, curator, "Welcome! Meet us at the front desk."
    )  # fmt: skip
    (message,) = mail.outbox
    assert message.to == [booking.email]
    assert message.subject.startswith("Booking confirmed:")
    assert "Welcome! Meet us at the front desk." in message.body
    assert message.attachments[0][0] == f"{booking.reference}.ics"


def test_the_confirmation_and_its_calendar_are_written_from_one_query(django_assert_num_queries):
    booking = BookingRequestFactory(status=BookingStatus.CONFIRMED)
    # 1 the request with its offer, the offer's library and the session
    with django_assert_num_queries(1):
        emails.booking_email(
            booking_id=booking.pk, event="confirmed", recipient="teacher", base_url="https://delarum.example"
        )
    (message,) = mail.outbox
    assert message.attachments[0][0] == f"{booking.reference}.ics"


def test_declining_releases_the_place(client, curator, malmo, jobs):
    booking = BookingRequestFactory(offer=SchoolOfferFactory(library=malmo), status=BookingStatus.CONFIRMED)
    client.force_login(curator)

    answer(client, booking, decision="decline", reply="Vi måste tyvärr ställa in.")
    jobs.run()

    booking.refresh_from_db()
    booking.session.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.session.groups_booked == 0
    assert "Vi måste tyvärr ställa in." in mail.outbox[0].body


def test_moving_a_confirmed_request_keeps_the_counts_right(client, curator, malmo, jobs):
    offer = SchoolOfferFactory(library=malmo)
    old = OfferSessionFactory(offer=offer, capacity=2)
    new = OfferSessionFactory(offer=offer, capacity=2)
    booking = BookingRequestFactory(offer=offer, session=old, status=BookingStatus.CONFIRMED)
    client.force_login(curator)

    response = answer(client, booking, move_to=str(new.pk), reply="Ny tid!")
    jobs.run()

    assert response.status_code == 302
    booking.refresh_from_db()
    old.refresh_from_db()
    new.refresh_from_db()
    assert (booking.session, booking.visit_date, booking.status) == (new, new.date, BookingStatus.CONFIRMED)
    assert (old.groups_booked, new.groups_booked) == (0, 1)
    assert "Ny tid!" in mail.outbox[0].body


def test_a_request_cannot_be_moved_to_a_full_session(client, curator, malmo):
    offer = SchoolOfferFactory(library=malmo)
    booking = BookingRequestFactory(offer=offer, status=BookingStatus.CONFIRMED)
    full = OfferSessionFactory(offer=offer, capacity=1)
    BookingRequestFactory(offer=offer, session=full)
    client.force_login(curator)

    response = answer(client, booking, move_to=str(full.pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["move_to"]
    booking.refresh_from_db()
    assert booking.session != full


def test_an_on_request_booking_is_confirmed_for_the_agreed_day(client, curator, malmo):
    offer = SchoolOfferFactory(library=malmo, booking=Booking.ON_REQUEST, season_start=date(2027, 1, 1),
                               season_end=date(2027, 6, 1))  # fmt: skip
    booking = BookingRequestFactory(offer=offer, session=None, proposed_dates=[date(2027, 3, 2), date(2027, 3, 4)])
    client.force_login(curator)

    answer(client, booking, decision="confirm", visit_date="2027-03-04")

    booking.refresh_from_db()
    assert (booking.status, booking.visit_date) == (BookingStatus.CONFIRMED, date(2027, 3, 4))

    # Once the teacher has been sent the day, it is not changed behind their back.
    client.post(change_url(booking), {"decision": "", "move_to": "", "reply": "", "visit_date": "2027-03-02"})
    booking.refresh_from_db()
    assert booking.visit_date == date(2027, 3, 4)


def test_answering_many_at_once_reports_counts(client, curator, malmo):
    offer = SchoolOfferFactory(library=malmo)
    waiting = BookingRequestFactory.create_batch(2, offer=offer)
    answered = BookingRequestFactory(offer=offer, status=BookingStatus.DECLINED)
    client.force_login(curator)

    response = client.post(
        reverse("admin:resources_bookingrequest_changelist"),
        {"action": "confirm_requests", "_selected_action": [b.pk for b in [*waiting, answered]]},
        follow=True,
    )

    assert BookingRequest.objects.filter(status=BookingStatus.CONFIRMED).count() == 2
    messages = [str(message) for message in response.context["messages"]]
    assert any("2" in text and "1" in text for text in messages), messages
    assert job_count() == 2  # one confirmation for each teacher


# Offers and sessions


def test_a_curator_adds_an_offer_with_sessions_for_their_library(client, curator, malmo, team):
    subject = SubjectFactory()
    client.force_login(curator)
    starts = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%d")
    data = {
        "title": "Bokprat för årskurs 4", "slug": "bokprat", "summary": "Vi pratar om böcker.", "language": "sv",
        "year_from": "4", "year_to": "4", "subjects": [subject.pk], "max_pupils": "30", "format": "library",
        "duration_minutes": "60", "price": "0", "booking": "sessions", "contact_name": "Maja",
        "contact_email": "maja@malmo.example", "library": malmo.pk, "team": team.pk, "status": Status.DRAFT,
        "sessions-TOTAL_FORMS": "2", "sessions-INITIAL_FORMS": "0", "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-starts_at_0": starts, "sessions-0-starts_at_1": "09:00", "sessions-0-capacity": "2",
        "sessions-1-starts_at_0": starts, "sessions-1-starts_at_1": "13:00", "sessions-1-capacity": "1",
    }  # fmt: skip

    response = client.post(reverse("admin:resources_schooloffer_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    offer = SchoolOffer.objects.get(slug="bokprat")
    assert (offer.library, offer.years_label) == (malmo, "åk 4")
    assert sorted(offer.sessions.values_list("capacity", flat=True)) == [1, 2]


def test_a_session_keeps_room_for_the_groups_already_booked(client, curator, malmo):
    offer = SchoolOfferFactory(library=malmo)
    session = OfferSessionFactory(offer=offer, capacity=2)
    BookingRequestFactory.create_batch(2, offer=offer, session=session)
    client.force_login(curator)
    form = client.get(reverse("admin:resources_schooloffer_change", args=[offer.pk])).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({
        "subjects": [], "areas": [], "preparation": [],
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "1", "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000", "sessions-0-id": session.pk, "sessions-0-offer": offer.pk,
        "sessions-0-starts_at_0": timezone.localtime(session.starts_at).strftime("%Y-%m-%d"),
        "sessions-0-starts_at_1": "09:00", "sessions-0-capacity": "1",
    })  # fmt: skip

    response = client.post(reverse("admin:resources_schooloffer_change", args=[offer.pk]), data)

    assert response.status_code == 200
    assert "2" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert OfferSession.objects.get(pk=session.pk).capacity == 2


def offer_change_url(offer: SchoolOffer) -> str:
    return reverse("admin:resources_schooloffer_change", args=[offer.pk])


def offer_form(client, offer: SchoolOffer, **changes) -> dict:
    """The offer's change form as it opens, with its sessions, and the changes given."""
    form = client.get(offer_change_url(offer)).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    sessions = list(offer.sessions.order_by("starts_at"))
    data.update({
        "sessions-TOTAL_FORMS": len(sessions), "sessions-INITIAL_FORMS": len(sessions),
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    for index, session in enumerate(sessions):
        starts = timezone.localtime(session.starts_at)
        data.update({
            f"sessions-{index}-id": session.pk, f"sessions-{index}-offer": offer.pk,
            f"sessions-{index}-starts_at_0": f"{starts:%Y-%m-%d}", f"sessions-{index}-starts_at_1": f"{starts:%H:%M}",
            f"sessions-{index}-capacity": session.capacity,
        })  # fmt: skip
    data.update(changes)
    return data


def test_a_booked_session_keeps_its_time(client, curator, malmo):
    offer = SchoolOfferFactory(library=malmo)
    booked = OfferSessionFactory(offer=offer)
    free = OfferSessionFactory(offer=offer)
    BookingRequestFactory(offer=offer, session=booked)
    client.force_login(curator)

    # 12:15 is no session's time: the factory's 09:00 UTC reads 10:00 or, in summer, 11:00 in Stockholm.
    response = client.post(offer_change_url(offer), offer_form(client, offer, **{"sessions-0-starts_at_1": "12:15"}))

    assert response.status_code == 200
    message = gettext(
        "Groups have booked this session, so its time stays. Move their requests to another session first."
    )
    assert response.context["inline_admin_formsets"][0].formset.errors[0] == {"starts_at": [message]}
    assert OfferSession.objects.get(pk=booked.pk).starts_at == booked.starts_at

    response = client.post(offer_change_url(offer), offer_form(client, offer, **{"sessions-1-starts_at_1": "12:15"}))

    assert response.status_code == 302
    moved = timezone.localtime(OfferSession.objects.get(pk=free.pk).starts_at)
    assert (moved.hour, moved.minute) == (12, 15)


def test_a_curator_cannot_publish_an_offer_a_team_lead_can(client, roles, curator, malmo, team):
    offer = SchoolOfferFactory(library=malmo, team=team, status=Status.DRAFT, published_at=None)
    add_url = reverse("admin:resources_schooloffer_add")
    client.force_login(curator)
    assert "status" not in client.get(add_url).context["adminform"].form.fields
    assert "status" not in client.get(offer_change_url(offer)).context["adminform"].form.fields
    data = offer_form(client, offer, status=Status.PUBLISHED)  # a tampered form

    assert client.post(offer_change_url(offer), data).status_code == 302
    assert SchoolOffer.objects.get(pk=offer.pk).status == Status.DRAFT

    lead = UserFactory(library=malmo)
    lead.groups.add(roles[TEAM_LEADS_GROUP])
    MembershipFactory(user=lead, team=team, role=Role.LEAD)
    client.force_login(lead)
    assert "status" in client.get(add_url).context["adminform"].form.fields

    assert client.post(offer_change_url(offer), offer_form(client, offer, status=Status.PUBLISHED)).status_code == 302
    assert SchoolOffer.objects.get(pk=offer.pk).status == Status.PUBLISHED


def test_a_team_lead_cannot_publish_for_a_team_they_do_not_lead(client, roles, malmo, team):
    other = LearningTeamFactory(libraries=[malmo])
    lead = UserFactory(library=malmo)
    lead.groups.add(roles[TEAM_LEADS_GROUP])
    MembershipFactory(user=lead, team=team, role=Role.LEAD)
    MembershipFactory(user=lead, team=other, role=Role.CURATOR)
    offer = SchoolOfferFactory(library=malmo, team=team, status=Status.DRAFT, published_at=None)
    client.force_login(lead)

    data = offer_form(client, offer, team=other.pk, status=Status.PUBLISHED)

    assert client.post(offer_change_url(offer), data).status_code == 403
    assert SchoolOffer.objects.get(pk=offer.pk).status == Status.DRAFT


# Query budgets


@pytest.mark.parametrize("rows", [1, 15])
def test_request_changelist_query_count_is_flat(client, superuser, django_assert_num_queries, rows):
    for _ in range(rows):
        BookingRequestFactory()
    client.force_login(superuser)
    # 1 session, 2 user, 3 offers for the offer filter, 4 the count of rows, 5 the page's requests with their
    # offers and libraries
    with django_assert_num_queries(5):
        response = client.get(reverse("admin:resources_bookingrequest_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 15])
def test_request_changelist_for_staff_query_count_is_flat(client, curator, malmo, django_assert_num_queries, rows):
    for _ in range(rows):
        BookingRequestFactory(offer=SchoolOfferFactory(library=malmo))
    client.force_login(curator)
    # 1 session, 2 user, 3 the user's own and 4 their groups' permissions, 5 is the user a coordinator, 6 offers
    # for the offer filter, 7 the count, 8 the page's requests with offers and libraries
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:resources_bookingrequest_changelist"))
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [1, 15])
def test_offer_changelist_query_count_is_flat(client, superuser, django_assert_num_queries, rows):
    subject = SubjectFactory()
    for _ in range(rows):
        offer = SchoolOfferFactory(team=LearningTeamFactory(), subjects=[subject])
        OfferSessionFactory(offer=offer)
    client.force_login(superuser)
    # 1 session, 2 user, 3 subjects for the subject filter, 4 the count, 5 the full count, 6 the page's offers
    # with library and team
    with django_assert_num_queries(6):
        response = client.get(reverse("admin:resources_schooloffer_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("booked", [1, 5])
def test_saving_an_offer_costs_the_same_however_many_sessions_are_booked(
    client, superuser, django_assert_num_queries, booked
):
    offer = SchoolOfferFactory()
    offer.team = LearningTeamFactory(libraries=[offer.library])
    offer.save()
    sessions = OfferSessionFactory.create_batch(5, offer=offer)
    for session in sessions[:booked]:
        BookingRequestFactory(offer=offer, session=session)
    client.force_login(superuser)
    data = offer_form(client, offer, title="Ny titel")
    # 1 session, 2 user, 3 savepoint; 4 the offer, 5-7 its areas, subjects, preparation, 8-9 its library and team,
    # 10-11 whether they exist, 12 the team's libraries; 13-33 the offer's 7 check constraints (savepoint, check,
    # release); 34 its slug is unique; 35 the sessions, 36-55 per session row (Django's own) its id and its check
    # constraint; 56 the update, 57 its history, 58-60 the areas, subjects, preparation, 61 the log, 62 release;
    # 63 the library's country, for the year choices in its own words
    with django_assert_num_queries(63):
        response = client.post(offer_change_url(offer), data)
    assert response.status_code == 302
