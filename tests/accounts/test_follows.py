"""Follow buttons, the digest e-mail (what is new, only published, in the account's language, nothing when nothing
is new), the unfollow link without signing in, staff follows of their own teams' queues, and the account page's
query budget."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_string

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts import emails, tasks
from portal.accounts.models import Account, Follow, Frequency
from portal.accounts.tokens import unfollow_token
from resources.models import ProblemReport, Status
from tests.accounts.conftest import links
from tests.factories import (
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    MembershipFactory,
    ResourceFactory,
    SchoolOfferFactory,
    UserFactory,
)

LONG_AGO = timedelta(days=30)


def follow(client, kind, target=None, query="", **extra):
    data = {"kind": kind, "next": "/sv/"}
    if target is not None:
        data["target"] = target.pk
    if query:
        data["query"] = query
    return client.post(reverse("accounts:follow"), {**data, **extra})


def digest_of(jobs, user) -> list:
    """Run the morning's digest job and every e-mail job it queues; the e-mails sent to the user."""
    tasks.send_digests.defer(timestamp=0)
    jobs.run()
    return [message for message in mail.outbox if message.to == [user.email]]


def backdate(user, *, since=LONG_AGO) -> None:
    Account.objects.filter(user=user).update(digest_sent_at=timezone.now() - since)
    Follow.objects.filter(user=user).update(created_at=timezone.now() - since)


# Follow buttons ------------------------------------------------------------------------------------------


def test_signed_out_the_area_page_offers_sign_in_to_follow_and_no_form(client, db):
    area = KnowledgeAreaFactory(slug="kallkritik")
    html = client.get(area.get_absolute_url()).content.decode()
    assert reverse("accounts:sign-in") + "?next=" in html
    assert reverse("accounts:follow") not in html


@pytest.mark.parametrize("kind", ["area", "team", "library-offers"])
def test_the_follow_button_follows_and_stops_following(client, member, kind):
    target = {"area": KnowledgeAreaFactory, "team": LearningTeamFactory, "library-offers": LibraryFactory}[kind]()
    client.force_login(member)
    page = client.get(target.get_absolute_url()).content.decode()
    assert f'name="kind" value="{kind}"' in page
    assert follow(client, kind, target).status_code == 302
    assert Follow.objects.filter(user=member, kind=kind, target_id=target.pk).count() == 1
    follow(client, kind, target)  # twice is once
    assert Follow.objects.filter(user=member, kind=kind).count() == 1
    page = client.get(target.get_absolute_url()).content.decode()
    assert 'name="stop"' in page
    follow(client, kind, target, stop="1")
    assert not Follow.objects.filter(user=member).exists()


def test_a_search_is_followed_by_its_normalised_query(client, member):
    client.force_login(member)
    page = client.get(reverse("resources:list") + "?sort=title&q=klimat&page=1&language=sv")
    assert page.context["saved_search"] == "q=klimat&language=sv"
    follow(client, "search", query="language=sv&q=klimat&sort=newest")
    assert Follow.objects.get(user=member).query == "q=klimat&language=sv"


def test_a_bad_search_or_kind_or_thing_cannot_be_followed(client, member):
    client.force_login(member)
    assert follow(client, "search", query="language=xx").status_code == 302
    assert follow(client, "nonsense", target=member).status_code == 404
    assert client.post(reverse("accounts:follow"), {"kind": "area", "target": "abc"}).status_code == 404
    assert client.post(reverse("accounts:follow"), {"kind": "area", "target": "999999"}).status_code == 404
    assert not Follow.objects.exists()


def test_following_needs_an_account(client, db):
    area = KnowledgeAreaFactory()
    response = follow(client, "area", area)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert not Follow.objects.exists()


# The digest ----------------------------------------------------------------------------------------------


@pytest.fixture
def followed_area(member):
    area = KnowledgeAreaFactory(name="Källkritik", slug="kallkritik")
    Follow.objects.create(user=member, kind="area", target_id=area.pk)
    backdate(member)
    return area


def test_the_digest_lists_what_is_new_and_only_published_things(member, followed_area, jobs):
    now = timezone.now()
    ResourceFactory(title="Gammal resurs", areas=[followed_area], published_at=now - LONG_AGO * 2)
    ResourceFactory(title="Ny resurs om källor", areas=[followed_area], published_at=now - timedelta(hours=2))
    for status in [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED]:
        ResourceFactory(title=f"Dold {status}", areas=[followed_area], status=status, published_at=now)
    ResourceFactory(title="Annat område", published_at=now)

    (message,) = digest_of(jobs, member)
    assert "Ny resurs om källor" in message.body
    for hidden in ["Gammal resurs", "Dold", "Annat område"]:
        assert hidden not in message.body
        assert hidden not in message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    # One unfollow link per followed thing, and the mail program's own one (RFC 8058).
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https?://\S+/account/unfollow/\S+/>", message.extra_headers["List-Unsubscribe"])
    assert len([link for link in links(message) if "/unfollow/" in link]) == 1
    parsed = message_from_string(message.message().as_string())
    assert parsed.get_content_type() == "multipart/alternative"

    # The same again: what was told is not new any more, so nothing is sent.
    mail.outbox.clear()
    emails.digest_email.defer(user_id=member.pk, base_url="http://testserver")
    jobs.run()
    assert mail.outbox == []


def test_nothing_new_sends_nothing(member, followed_area, jobs):
    ResourceFactory(areas=[followed_area], published_at=timezone.now() - LONG_AGO * 2)
    ResourceFactory(areas=[followed_area], status=Status.DRAFT, published_at=timezone.now())
    assert digest_of(jobs, member) == []
    # The count moved on all the same.
    assert Account.objects.get(user=member).digest_sent_at > timezone.now() - timedelta(minutes=5)


def test_the_digest_comes_in_the_accounts_language(member, followed_area, jobs):
    Account.objects.filter(user=member).update(language="nb")
    ResourceFactory(title="Kildekritikk for alle", areas=[followed_area], published_at=timezone.now())
    (message,) = digest_of(jobs, member)
    with translation.override("nb"):
        assert message.subject == _("What is new in what you follow – Delarum")
        assert _("Stop following this:") in message.body
    assert "/nb/account/unfollow/" in message.body


def test_a_weekly_digest_waits_for_its_week_and_a_daily_one_comes_next_morning(member, followed_area, jobs):
    ResourceFactory(areas=[followed_area], published_at=timezone.now() - timedelta(hours=1))
    Account.objects.filter(user=member).update(digest_sent_at=timezone.now() - timedelta(days=2))
    assert digest_of(jobs, member) == []  # weekly: not yet
    Account.objects.filter(user=member).update(frequency=Frequency.DAILY)
    assert len(digest_of(jobs, member)) == 1


@pytest.mark.parametrize("kind", ["team", "library-offers", "search"])
def test_each_kind_finds_what_is_new(member, jobs, kind):
    library = LibraryFactory(name="Dokk1")
    team = LearningTeamFactory(libraries=[library])
    now = timezone.now()
    ResourceFactory(title="Klimatet förändras", team=team, library=library, tags=["klimat"], published_at=now)
    SchoolOfferFactory(title="Klimatverkstad", library=library, published_at=now)
    SchoolOfferFactory(title="Dolt erbjudande", library=library, status=Status.DRAFT, published_at=now)
    target_id, query, expected = {
        "team": (team.pk, "", "Klimatet förändras"),
        "library-offers": (library.pk, "", "Klimatverkstad"),
        "search": (None, "q=klimat", "Klimatet förändras"),
    }[kind]
    Follow.objects.create(user=member, kind=kind, target_id=target_id, query=query)
    backdate(member)
    (message,) = digest_of(jobs, member)
    assert expected in message.body
    assert "Dolt erbjudande" not in message.body


# Unfollow ------------------------------------------------------------------------------------------------


def test_the_unfollow_link_works_without_signing_in_and_asks_first(client, member, followed_area):
    kept = Follow.objects.create(user=member, kind="team", target_id=LearningTeamFactory().pk)
    gone = Follow.objects.get(user=member, kind="area")
    url = reverse("accounts:unfollow", kwargs={"token": unfollow_token(user_id=member.pk, follow_id=gone.pk)})
    shown = client.get(url)
    assert shown.status_code == 200
    assert "Källkritik" in shown.content.decode()
    assert Follow.objects.filter(pk=gone.pk).exists()  # a link scanner's GET stops nothing
    assert client.post(url).status_code == 200
    assert list(Follow.objects.filter(user=member)) == [kept]


def test_list_unsubscribe_one_click_stops_every_follow(client, member, followed_area):
    Follow.objects.create(user=member, kind="team", target_id=LearningTeamFactory().pk)
    url = reverse("accounts:unfollow", kwargs={"token": unfollow_token(user_id=member.pk, follow_id=None)})
    client.post(url, {"List-Unsubscribe": "One-Click"})
    assert not Follow.objects.filter(user=member).exists()


def test_a_forged_unfollow_token_stops_nothing(client, member, followed_area):
    token = unfollow_token(user_id=member.pk, follow_id=None)[:-3] + "abc"
    assert client.post(reverse("accounts:unfollow", kwargs={"token": token})).status_code == 400
    assert Follow.objects.filter(user=member).exists()


# Staff ---------------------------------------------------------------------------------------------------


@pytest.fixture
def teams_of_staff(db):
    library = LibraryFactory()
    own, other = LearningTeamFactory(libraries=[library]), LearningTeamFactory(libraries=[library])
    staff = UserFactory(username="karin", library=library)
    MembershipFactory(team=own, user=staff)
    return staff, own, other


@pytest.mark.parametrize("kind", ["team-reports", "team-reviews"])
def test_staff_follow_the_queues_of_their_own_teams_only(client, teams_of_staff, kind):
    staff, own, other = teams_of_staff
    client.force_login(staff)
    assert f'value="{kind}"' in client.get(own.get_absolute_url()).content.decode()
    assert f'value="{kind}"' not in client.get(other.get_absolute_url()).content.decode()
    assert follow(client, kind, own).status_code == 302
    assert follow(client, kind, other).status_code == 404
    assert list(Follow.objects.values_list("target_id", flat=True)) == [own.pk]


@pytest.mark.parametrize("kind", ["team-reports", "team-reviews"])
def test_a_patron_cannot_follow_a_staff_queue(client, member, kind):
    team = LearningTeamFactory()
    client.force_login(member)
    assert f'value="{kind}"' not in client.get(team.get_absolute_url()).content.decode()
    assert follow(client, kind, team).status_code == 404


def test_staff_digest_tells_new_reports_and_review_requests_of_their_teams_only(teams_of_staff, jobs):
    staff, own, other = teams_of_staff
    for kind in ["team-reports", "team-reviews"]:
        Follow.objects.create(user=staff, kind=kind, target_id=own.pk)
    Account.objects.create(user=staff)
    backdate(staff)
    mine = ResourceFactory(title="Vår resurs", team=own, library=own.libraries.get())
    theirs = ResourceFactory(title="Deras resurs", team=other, library=own.libraries.get())
    ProblemReport.objects.create(resource=mine, kind="broken_link", message="Länken går inte")
    ProblemReport.objects.create(resource=theirs, kind="broken_link", message="Deras länk")
    ResourceFactory(title="Väntar på granskning", team=own, library=mine.library, status=Status.IN_REVIEW)
    ResourceFactory(title="Deras granskning", team=other, library=mine.library, status=Status.IN_REVIEW)
    (message,) = digest_of(jobs, staff)
    assert "Vår resurs" in message.body
    assert "Väntar på granskning" in message.body
    assert "Deras" not in message.body
    assert "/admin/resources/" in message.body

    # Once out of the team, its queues are no longer told.
    staff.memberships.all().delete()
    mail.outbox.clear()
    backdate(staff)
    assert digest_of(jobs, staff) == []


# The account page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_kind", [1, 4])
def test_the_account_page_lists_follows_in_a_flat_number_of_queries(
    client, member, django_assert_num_queries, per_kind
):
    for _number in range(per_kind):
        Follow.objects.create(user=member, kind="area", target_id=KnowledgeAreaFactory().pk)
        Follow.objects.create(user=member, kind="team", target_id=LearningTeamFactory().pk)
        Follow.objects.create(user=member, kind="library-offers", target_id=LibraryFactory().pk)
        Follow.objects.create(user=member, kind="search", query=f"q=ord{_number}")
    client.force_login(member)
    # The session, the user, the account, the follows, then the areas, the libraries and the teams (one each).
    with django_assert_num_queries(7):
        response = client.get(reverse("accounts:account"))
    assert len(response.context["follows"]) == 4 * per_kind


def test_a_followed_thing_that_was_deleted_is_left_out(client, member):
    area = KnowledgeAreaFactory()
    Follow.objects.create(user=member, kind="area", target_id=area.pk)
    area.delete()
    client.force_login(member)
    assert client.get(reverse("accounts:account")).context["follows"] == []


def test_the_digest_job_for_a_deleted_account_sends_nothing(member, jobs):
    user_id, email = member.pk, member.email
    member.delete()
    emails.digest_email.defer(user_id=user_id, base_url="http://testserver")
    jobs.run()
    assert [message for message in mail.outbox if message.to == [email]] == []
