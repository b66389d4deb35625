"""Signed links in e-mails: the address verification (one use: it stops working once the account is active) and
the unfollow links (no expiry: a digest from last year still unfollows)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

UNFOLLOW_SALT = "delarum.accounts.unfollow"


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, salted for verification and made of the account's active flag too, so a
    link works once, for PASSWORD_RESET_TIMEOUT (three days)."""

    key_salt = "delarum.accounts.VerificationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


verification_token = VerificationTokenGenerator()


def unfollow_token(*, user_id: int, follow_id: int | None) -> str:
    """A follow's unfollow link; ``follow_id=None``: every follow of the person (List-Unsubscribe)."""
    return signing.dumps([user_id, follow_id], salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> tuple[int, int | None] | None:
    try:
        user_id, follow_id = signing.loads(token, salt=UNFOLLOW_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(user_id), (int(follow_id) if follow_id is not None else None)
