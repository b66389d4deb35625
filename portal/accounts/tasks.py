"""The accounts' jobs, as the worker finds them: the e-mails of ``portal.accounts.emails`` and the daily digests."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from portal.accounts import emails
from portal.accounts.models import Account, Follow, Frequency
from portal.accounts.services import DUE_AFTER
from teams.jobs import daily_task

logger = logging.getLogger(__name__)


@daily_task(at="05:00")
def send_digests(timestamp: int) -> None:
    """Every morning: one digest job for each account with follows whose daily or weekly digest is due."""
    now = timezone.now()
    due = Q()
    for frequency in Frequency.values:
        due |= Q(frequency=frequency, digest_sent_at__lte=now - DUE_AFTER[frequency])
    accounts = (
        Account.objects.filter(due, user__is_active=True)
        .filter(Exists(Follow.objects.filter(user=OuterRef("user"))))
        .values_list("user_id", flat=True)
    )
    count = 0
    for user_id in accounts.iterator():
        emails.digest_email.defer(user_id=user_id, base_url=settings.SITE_URL)
        count += 1
    logger.info("Digests queued: %s.", count)
