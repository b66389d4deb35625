from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from teams.services import reflection_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each participant of an activity that is over, and who has not written their reflection, one "
        "reminder. Each sign-up is reminded once ever (recorded on it), so the command is safe to run daily. The "
        "e-mails are jobs that the worker sends (the worker also runs this every morning by itself)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The site's address, for the link in the e-mail (SITE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        due = reflection_reminders_send(base_url=options["base_url"].rstrip("/"))
        self.stdout.write(self.style.SUCCESS(f"Reflection reminders queued for the worker to send: {due}."))
