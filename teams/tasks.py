"""The staff side's jobs, as the worker finds them: the e-mails of ``teams.emails`` and the daily reminders."""

from __future__ import annotations

import logging

from django.conf import settings

from teams import emails  # noqa: F401  (its e-mail jobs are registered on import)
from teams.jobs import daily_task
from teams.services import reflection_reminders_send

logger = logging.getLogger(__name__)


@daily_task(at="07:00")
def remind_reflections(timestamp: int) -> None:
    """``manage.py remind_reflections`` every morning, with links to SITE_URL."""
    due = reflection_reminders_send(base_url=settings.SITE_URL)
    logger.info("Reflection reminders queued: %s.", due)
