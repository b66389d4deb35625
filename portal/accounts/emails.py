"""The accounts' e-mails: the verification link, "you already have an account", and the digest of what is new.

Each is a job (``teams.jobs.mail_task``) holding ids, never a token: the links are signed when the job runs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts.models import Account
from portal.accounts.selectors import digest
from portal.accounts.services import digest_sent
from portal.accounts.tokens import unfollow_token, verification_token
from teams.jobs import mail_task
from teams.models import User
from teams.text import render_email

TEMPLATES = "accounts/email"


@mail_task
def verification_email(*, user_id: int, base_url: str) -> None:
    """The link that verifies a new account's address and opens the account (valid PASSWORD_RESET_TIMEOUT)."""
    user = User.objects.filter(pk=user_id, is_active=False).select_related("account").first()
    if user is None:
        return  # verified already, or deleted
    with translation.override(user.account.language):
        path = reverse(
            "accounts:verify",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": verification_token.make_token(user),
            },
        )
        subject, body = render_email(f"{TEMPLATES}/verify", {"user": user, "verify_url": base_url + path})
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


@mail_task
def already_registered_email(*, email: str, language: str, base_url: str) -> None:
    """To an address that signed up again: it has an account; here is how to sign in or choose a new password."""
    with translation.override(language):
        context = {
            "sign_in_url": base_url + reverse("accounts:sign-in"),
            "reset_url": base_url + reverse("password_reset"),
        }
        subject, body = render_email(f"{TEMPLATES}/already_registered", context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()


@mail_task
def digest_email(*, user_id: int, base_url: str) -> None:
    """What is new in everything the person follows, in their language; nothing is sent when nothing is new."""
    account = Account.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()
    if account is None or not account.user.email:
        return
    until = timezone.now()
    sections = digest(account, until=until)
    if sections:
        stop_all = base_url + reverse(
            "accounts:unfollow", kwargs={"token": unfollow_token(user_id=user_id, follow_id=None)}
        )
        with translation.override(account.language):
            context = {
                "account": account,
                "sections": sections,
                "base_url": base_url,
                "account_url": base_url + reverse("accounts:account"),
                "stop_all_url": stop_all,
            }
            subject, body = render_email(f"{TEMPLATES}/digest", context)
            html = render_to_string(f"{TEMPLATES}/digest.html", context)
        message = EmailMultiAlternatives(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [account.user.email],
            # RFC 2369 and RFC 8058: the mail program's own "unsubscribe" stops every follow, in one POST.
            headers={"List-Unsubscribe": f"<{stop_all}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        message.attach_alternative(html, "text/html")
        message.send()
    digest_sent(account=account, until=until)
