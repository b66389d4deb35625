"""Sign up, verify, follow a search and receive the digest, in real Chromium on a 360 px phone: the e-mails come
from the task queue run for real (Django's locmem outbox), and their links are followed in the browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect

from portal.accounts import tasks
from portal.accounts.models import Account, Follow
from teams.models import User
from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import findings
from tests.browser.test_phone import overflow
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "lånekort-vid-havet-7"


def link_in(message, part: str) -> str:
    (link,) = [link for link in re.findall(r"https?://\S+", message.body) if part in link]
    return link


def test_sign_up_verify_follow_a_search_and_receive_the_digest(live_server, browser: Browser, jobs, settings):
    settings.SITE_URL = live_server.url  # the digest job's links, as production's SITE_URL makes them
    ResourceFactory(title="Klimatet förr", tags=["klimat"], published_at=timezone.now() - timedelta(days=60))
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    checked: dict[str, list[str]] = {}

    def check(name: str) -> None:
        assert overflow(page) <= 0, f"{name} scrolls sideways"
        if problems := findings(page):
            checked[name] = problems

    # The header's "Sign in" leads to the sign-in page, and from there to sign up.
    page.goto(f"{live_server.url}/en/")
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check("sign-in")
    page.get_by_role("link", name="Create an account").click()

    # A mistake is told beside its field, and what was typed stays.
    page.get_by_label("E-mail address", exact=True).fill("maja@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill("something else entirely 9")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#id_password2_error")).to_have_text("The two passwords differ. Type the same password twice.")
    expect(page.get_by_label("E-mail address", exact=True)).to_have_value("maja@example.org")
    check("sign-up with an error")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_label("Language of e-mails").select_option("en")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check("sign-up sent")
    assert not User.objects.get(email="maja@example.org").is_active

    # The verification e-mail's link opens the account and signs in.
    jobs.run()
    (verification,) = mail.outbox
    page.goto(link_in(verification, "/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("status").first).to_contain_text("Your e-mail address is verified")

    # Follow a search from the search page.
    page.goto(f"{live_server.url}/en/resources/?q=klimat&sort=title")
    page.get_by_role("button", name="Follow this search").click()
    expect(page.get_by_text("You follow this: what is new comes in your digest e-mail.")).to_be_visible()
    page.goto(f"{live_server.url}/en/account/")
    expect(page.get_by_role("link", name="Search for “klimat”", exact=True)).to_be_visible()
    check("account")

    # Something new is published; the morning's digest tells of it, and nothing older.
    user = User.objects.get(email="maja@example.org")
    Account.objects.filter(user=user).update(digest_sent_at=timezone.now() - timedelta(days=8))
    Follow.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=8))
    ResourceFactory(title="Klimatet förändras", slug="klimatet-forandras", tags=["klimat"], published_at=timezone.now())
    mail.outbox.clear()
    tasks.send_digests.defer(timestamp=0)
    jobs.run()
    (digest,) = mail.outbox
    assert digest.to == ["maja@example.org"]
    assert digest.subject == "What is new in what you follow – Delarum"
    assert "Klimatet förändras" in digest.body
    assert "Klimatet förr" not in digest.body
    page.goto(link_in(digest, "/resources/klimatet-forandras/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Klimatet förändras")

    # The digest's own link unfollows, signed out too.
    page.context.clear_cookies()
    page.goto(link_in(digest, "/unfollow/"))
    check("unfollow")
    page.get_by_role("button", name="Stop following").click()
    expect(page.get_by_role("main")).to_contain_text("Done: you no longer follow this")
    assert not Follow.objects.filter(user=user).exists()
    context.close()
    assert checked == {}, "\n".join(f"{name}: {problem}" for name, problems in checked.items() for problem in problems)
