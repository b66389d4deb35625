"""Writes of accounts and follows: keyword-only, each in one transaction; e-mails are jobs enqueued in it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from portal.accounts.models import Account, Follow, Frequency
from teams.models import User


def account_sign_up(*, email: str, password: str, language: str, base_url: str) -> None:
    """Make an inactive account and send the link that verifies the address; if the address already has an
    account, tell its owner by e-mail instead. The visitor is told the same either way (no enumeration)."""
    from portal.accounts import emails

    email = get_user_model().objects.normalize_email(email).lower()
    try:
        with transaction.atomic():
            if (
                User.objects.filter(username__iexact=email).exists()
                or User.objects.filter(email__iexact=email).exists()
            ):
                raise IntegrityError
            user = User(username=email, email=email, is_active=False, is_staff=False)
            user.set_password(password)
            user.save()
            Account.objects.create(user=user, language=language)
            emails.verification_email.defer(user_id=user.pk, base_url=base_url)
    except IntegrityError:  # already there, or made at the same moment by a second sign-up
        waiting = User.objects.filter(username__iexact=email, is_active=False, is_staff=False).first()
        if waiting is not None:
            # Not verified yet: the link again, for the password first chosen (a second sign-up changes nothing,
            # so nobody can set the password of an address that is not theirs); it can be reset once open.
            emails.verification_email.defer(user_id=waiting.pk, base_url=base_url)
        else:
            emails.already_registered_email.defer(email=email, language=language, base_url=base_url)


def account_verify(*, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def account_for(user: User) -> Account:
    """The person's account settings; staff get theirs the first time they follow or open the account page."""
    account, _created = Account.objects.get_or_create(user=user)
    return account


def account_update(*, account: Account, language: str, frequency: str) -> None:
    account.language, account.frequency = language, frequency
    account.save(update_fields=["language", "frequency"])


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete a patron's account and everything that is theirs: follows, settings, and through CASCADE whatever
    else the person owns."""
    Follow.objects.filter(user=user).delete()
    user.delete()


def follow_create(*, user: User, kind: str, target_id: int | None = None, query: str = "") -> Follow:
    with transaction.atomic():
        account_for(user)
        follow, _created = Follow.objects.get_or_create(user=user, kind=kind, target_id=target_id, query=query)
    return follow


def follow_delete(*, user_id: int, follow_id: int | None) -> int:
    """Stop one follow (or, with ``follow_id=None``, every follow of the person); the number stopped."""
    follows = Follow.objects.filter(user_id=user_id)
    if follow_id is not None:
        follows = follows.filter(pk=follow_id)
    deleted, _by_model = follows.delete()
    return deleted


def digest_sent(*, account: Account, until: datetime) -> None:
    Account.objects.filter(pk=account.pk).update(digest_sent_at=until)


# How long after the last digest each frequency's next one is due; a little under a day or a week, so that a
# digest job starting a few minutes late does not skip a day.
DUE_AFTER: dict[str, timedelta] = {Frequency.DAILY: timedelta(hours=20), Frequency.WEEKLY: timedelta(days=6, hours=20)}
