"""Forms of the staff accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from teams.emails import password_reset_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with its e-mail as a job: the page answers at once whether or not the mail
    server is there, and the e-mail goes (in the language of the page) when it is."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        password_reset_email.defer(
            user_id=context["user"].pk,
            subject_template=subject_template_name,
            body_template=email_template_name,
            domain=context["domain"],
            site_name=context["site_name"],
            protocol=context["protocol"],
            language=translation.get_language() or "sv",
        )
