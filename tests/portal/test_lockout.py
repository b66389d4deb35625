"""Sign-in lockout: five failures in a row lock the username and the address, on both sign-in pages."""

from __future__ import annotations

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-password"  # the factories' password
SIGN_IN_PAGES = ["/admin/login/", "/sv/accounts/login/"]


def lockout_heading() -> str:
    with translation.override("sv"):
        return translation.gettext("Too many failed sign-ins")


def sign_in(client, page: str, username: str, password: str, **extra: str):
    return client.post(page, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff(db):
    return UserFactory(username="karin", is_staff=True)


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_the_sixth_try_is_refused_even_with_the_right_password(client, staff, page):
    answers = [sign_in(client, page, "karin", "wrong").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 200]  # the form again, with its error

    fifth = sign_in(client, page, "karin", "wrong")
    sixth = sign_in(client, page, "karin", PASSWORD)

    assert (fifth.status_code, sixth.status_code) == (429, 429)
    assert lockout_heading() in sixth.content.decode()
    assert "Delarum" in sixth.content.decode()  # the site's look
    assert not signed_in(client)


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_a_success_before_the_fifth_failure_starts_the_count_again(client, staff, page):
    for _ in range(4):
        sign_in(client, page, "karin", "wrong")
    assert sign_in(client, page, "karin", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, page, "karin", "wrong")

    assert sign_in(client, page, "karin", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_locked_username_is_refused_from_another_address(client, staff):
    for number in range(5):
        sign_in(client, "/admin/login/", "karin", "wrong", REMOTE_ADDR=f"203.0.113.{number}")
    assert sign_in(client, "/sv/accounts/login/", "karin", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 429


def test_a_locked_address_is_refused_for_another_username(client, staff):
    UserFactory(username="anna", is_staff=True)
    for number in range(5):
        sign_in(client, "/admin/login/", f"guess-{number}", "wrong", REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, "/admin/login/", "anna", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert sign_in(client, "/admin/login/", "anna", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_address_lockout(client, staff):
    for number in range(5):
        sign_in(client, "/admin/login/", f"guess-{number}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert sign_in(client, "/admin/login/", "karin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_trusted_proxy_the_visitors_address_is_locked(client, staff, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(5):
        sign_in(client, "/admin/login/", f"guess-{number}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    assert {attempt.ip_address for attempt in AccessAttempt.objects.all()} == {"203.0.113.5"}
    assert (
        sign_in(client, "/admin/login/", "karin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code
        == 429
    )
    assert (
        sign_in(client, "/admin/login/", "karin", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code
        == 302
    )


def test_coordinators_see_lockouts_and_lift_one(client, staff, coordinator):
    for _ in range(5):
        sign_in(client, "/admin/login/", "karin", "wrong")
    client.force_login(coordinator)

    changelist = client.get(reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"})
    (attempt,) = changelist.context["cl"].result_list
    assert attempt.username == "karin"
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()

    assert sign_in(client, "/admin/login/", "karin", PASSWORD).status_code == 302
