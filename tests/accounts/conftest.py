from __future__ import annotations

import re

import pytest
from django.core import mail

from portal.accounts.models import Account
from tests.factories import UserFactory

PASSWORD = "lånekort-vid-havet-7"


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


@pytest.fixture
def member(db):
    """A verified patron with an account."""
    user = UserFactory(username="lina@example.org", email="lina@example.org", is_staff=False, library=None)
    user.set_password(PASSWORD)
    user.save()
    Account.objects.create(user=user, language="sv")
    return user


@pytest.fixture(autouse=True)
def _empty_outbox():
    mail.outbox.clear()
