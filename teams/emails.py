"""The e-mails staff get: reminders to write a reflection, and the link to choose a new password.

Each is a job (``teams.jobs.mail_task``) enqueued where the decision is made, sent by the worker and tried
again while the mail server is away. A job holds ids, never a message: the reminder is written in the
participant's language when it goes, and the password link's token is made only then, so no secret waits
in the queue.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from teams.jobs import mail_task
from teams.models import Participation, User
from teams.text import render_email


@mail_task
def reflection_reminder(*, participation_id: int, base_url: str) -> None:
    """Remind a participant to write their reflection, unless they have written it since the reminder was due."""
    participation = (
        Participation.objects.without_reflection()
        .select_related("activity", "activity__team", "user", "user__library")
        .filter(pk=participation_id)
        .first()
    )
    if participation is None or not participation.user.email:
        return
    user = participation.user
    with translation.override(user.library.language if user.library else settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "activity": participation.activity,
            "write_url": base_url + participation.activity.get_absolute_url() + "#reflection",
        }
        subject, body = render_email("staff/email/reflection_reminder", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


@mail_task
def password_reset_email(
    *,
    user_id: int,
    subject_template: str,
    body_template: str,
    domain: str,
    site_name: str,
    protocol: str,
    language: str,
) -> None:
    """Django's password-reset e-mail, its one-time link made now (it is valid for PASSWORD_RESET_TIMEOUT)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return
    with translation.override(language):
        context = {
            "email": user.email,
            "domain": domain,
            "site_name": site_name,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": protocol,
        }
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
