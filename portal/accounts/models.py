"""Patrons' and teachers' accounts (on the one User model) and what anyone with an account follows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class Account(models.Model):
    """What a person with an account chooses for their e-mails; made at sign-up, or at a staff member's first
    follow. Deleted with the user (CASCADE)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account",
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the digest and every other e-mail is written in."),
    )
    frequency = models.CharField(
        _("digest"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        help_text=_("How often the e-mail of what is new in what you follow comes."),
    )
    digest_sent_at = models.DateTimeField(
        _("digest counted up to"),
        default=timezone.now,
        help_text=_("The next digest tells of what was published after this moment."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="accounts_account_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("accounts:account")


class Follow(models.Model):
    """One thing a person follows: a kind from ``portal.accounts.kinds`` and the thing's id, or a saved search's
    normalised query string. The kinds know how to name the thing and find what is new in it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(_("kind"), max_length=30)
    target_id = models.PositiveBigIntegerField(_("followed thing"), null=True, blank=True)
    query = models.CharField(
        _("search"), max_length=1000, blank=True, help_text=_("A saved search: the search page's query string.")
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["kind", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "target_id", "query"], nulls_distinct=False, name="accounts_follow_once"
            ),
            models.CheckConstraint(
                condition=Q(target_id__isnull=False) | ~Q(query=""), name="accounts_follow_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.query or self.target_id}"
