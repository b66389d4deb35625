"""Sign up with an e-mail address, verify it by the link, sign in and out, reset the password, delete the account.

The e-mails are jobs: the tests run the task queue for real (``jobs``) and read what it sent (locmem outbox).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts.models import Account, Follow
from teams.models import User
from tests.accounts.conftest import PASSWORD, links
from tests.factories import KnowledgeAreaFactory, UserFactory


def sign_up(client, email="nils@example.org", password=PASSWORD, again=None, language="sv", **extra):
    data = {"email": email, "password1": password, "password2": again or password, "language": language}
    return client.post(reverse("accounts:sign-up"), data, **extra)


def test_sign_up_makes_an_inactive_account_until_the_link_is_followed(client, jobs):
    response = sign_up(client, email="Nils@Example.org", language="da")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign-up-done")
    user = User.objects.get(email="nils@example.org")
    assert not user.is_active
    assert not user.is_staff
    assert user.account.language == "da"
    # Not open yet: the right password does not sign in.
    refused = client.post(reverse("accounts:sign-in"), {"username": "nils@example.org", "password": PASSWORD})
    assert refused.status_code == 200
    assert not refused.context["user"].is_authenticated

    jobs.run()
    (message,) = mail.outbox
    assert message.to == ["nils@example.org"]
    with translation.override("da"):
        assert message.subject == _("Open your Delarum account")  # in the account's language
    (link,) = [link for link in links(message) if "/verify/" in link]
    assert link.startswith("http://testserver/da/account/verify/")

    response = client.get(link.removeprefix("http://testserver"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert response.context["user"] == user
    user.refresh_from_db()
    assert user.is_active
    # The link works once.
    client.logout()
    again = client.get(link.removeprefix("http://testserver"))
    assert "accounts/verify_failed.html" in [template.name for template in again.templates]


def test_a_forged_verification_link_opens_nothing(client, db):
    sign_up(client)
    user = User.objects.get(email="nils@example.org")
    response = client.get(reverse("accounts:verify", kwargs={"uidb64": "MQ", "token": "abc-123"}))
    assert response.status_code == 200
    assert "accounts/verify_failed.html" in [t.name for t in response.templates]
    user.refresh_from_db()
    assert not user.is_active


def test_signing_up_with_a_taken_address_looks_the_same_and_tells_the_owner(client, member, jobs):
    first = sign_up(client, email="LINA@example.org")
    assert first.status_code == 302
    assert first["Location"] == reverse("accounts:sign-up-done")
    assert User.objects.filter(email__iexact="lina@example.org").count() == 1
    jobs.run()
    (message,) = mail.outbox
    assert message.to == ["lina@example.org"]
    assert not [link for link in links(message) if "/verify/" in link]
    assert [link for link in links(message) if link.endswith(reverse("accounts:sign-in"))]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "inte-en-adress"}, "email", "Fyll i en giltig e-postadress."),
        ({"again": "något-annat-lösen-9"}, "password2", "The two passwords differ. Type the same password twice."),
        ({"password": "12345678"}, "password1", "Detta lösenord är alldeles för vanligt."),
        ({"email": "a" * 140 + "@example.org"}, "email", "som mest 150 tecken"),
    ],
)
def test_bad_sign_up_input_is_explained_beside_the_field_and_kept(client, db, data, field, message):
    response = sign_up(client, **data)
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("sv"):
        message = _(message)  # the page's language, Swedish (the project's own words as the catalogue has them)
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    if "email" in data:
        assert f'value="{data["email"]}"' in html
    assert not User.objects.exclude(username="patron").filter(is_staff=False).exists()


def test_the_sign_up_form_speaks_the_page_language(client, db):
    with translation.override("nb"):
        url = reverse("accounts:sign-up")
    response = client.post(url, {"email": "x", "password1": "", "password2": "", "language": "nb"})
    assert "Oppgi en gyldig e-postadresse" in response.context["form"].errors["email"]


def test_sign_ups_are_limited_per_address(client, db, settings):
    settings.ACCOUNT_RATE_LIMIT = 2
    for number in range(2):
        assert sign_up(client, email=f"n{number}@example.org", REMOTE_ADDR="203.0.113.9").status_code == 302
    refused = sign_up(client, email="n9@example.org", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert not User.objects.filter(email="n9@example.org").exists()
    assert sign_up(client, email="n9@example.org", REMOTE_ADDR="203.0.113.10").status_code == 302


def test_sign_in_and_out_by_email_address(client, member):
    response = client.post(reverse("accounts:sign-in"), {"username": "Lina@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")
    assert client.get(reverse("accounts:account")).status_code == 200
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("accounts:account")).status_code == 302


def test_a_wrong_password_is_explained_and_the_address_kept(client, member):
    response = client.post(reverse("accounts:sign-in"), {"username": "lina@example.org", "password": "fel"})
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("sv"):
        explained = _(
            "That e-mail address and password do not match an open account. Check both; a new account opens "
            "only after you follow the link we e-mailed."
        )
    assert explained in response.context["form"].non_field_errors()
    assert explained.split(";")[0] in html
    assert 'value="lina@example.org"' in html


def test_staff_sign_in_on_the_same_page_with_their_user_name(client, db):
    UserFactory(username="karin")
    response = client.post(
        reverse("accounts:sign-in"), {"username": "karin", "password": "secret-password", "next": "/sv/staff/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/sv/staff/"
    # The staff pages send whoever is signed out to this page.
    client.logout()
    assert client.get("/sv/staff/")["Location"].startswith(reverse("accounts:sign-in"))


def test_password_reset_sends_a_link_only_to_an_open_account_and_answers_the_same(client, member, jobs):
    for address in ["lina@example.org", "nobody@example.org"]:
        response = client.post(reverse("accounts:password-reset"), {"email": address})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    jobs.run()
    (message,) = mail.outbox
    assert message.to == ["lina@example.org"]
    assert [link for link in links(message) if "/reset/" in link]


def test_password_reset_is_limited_per_address(client, member, settings):
    settings.ACCOUNT_RATE_LIMIT = 1
    assert client.post(reverse("accounts:password-reset"), {"email": "lina@example.org"}).status_code == 302
    assert client.post(reverse("accounts:password-reset"), {"email": "lina@example.org"}).status_code == 429


def test_the_account_page_saves_settings_and_refuses_bad_values_with_a_message(client, member):
    client.force_login(member)
    url = reverse("accounts:account")
    bad = client.post(url, {"language": "xx", "frequency": "hourly"})
    assert bad.status_code == 200
    assert "frequency" in bad.context["form"].errors
    assert "language" in bad.context["form"].errors
    assert "Välj ett giltigt alternativ" in bad.content.decode()
    assert client.post(url, {"language": "nb", "frequency": "daily"}).status_code == 302
    account = Account.objects.get(user=member)
    assert (account.language, account.frequency) == ("nb", "daily")


def test_delete_my_account_asks_first_then_removes_the_person_and_their_follows(client, member):
    area = KnowledgeAreaFactory()
    Follow.objects.create(user=member, kind="area", target_id=area.pk)
    client.force_login(member)
    unconfirmed = client.post(reverse("accounts:delete"), {})
    assert unconfirmed.status_code == 200
    assert "confirm" in unconfirmed.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists()

    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response["Location"] == reverse("accounts:deleted")
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Follow.objects.filter(user_id=member.pk).exists()
    assert not Account.objects.filter(user_id=member.pk).exists()
    assert client.get(reverse("accounts:account")).status_code == 302  # signed out


def test_staff_cannot_delete_their_account_here(client, db):
    staff = UserFactory(username="karin")
    client.force_login(staff)
    client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert User.objects.filter(pk=staff.pk).exists()


def test_signing_up_again_before_verifying_sends_the_link_again_and_keeps_the_first_password(client, jobs):
    sign_up(client, email="nils@example.org")
    sign_up(client, email="nils@example.org", password="ett-helt-annat-lösen-3")
    jobs.run()
    assert len(mail.outbox) == 2
    (link,) = [link for link in links(mail.outbox[-1]) if "/verify/" in link]
    client.get(link.removeprefix("http://testserver"))
    user = User.objects.get(email="nils@example.org")
    assert user.is_active
    assert user.check_password(PASSWORD)
