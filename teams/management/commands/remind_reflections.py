from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from teams.services import reflection_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each participant of an activity that is over, and who has not written their reflection, one "
        "reminder. Each sign-up is reminded once ever (recorded on it), so the command is safe to run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="The site's address, for the link in the e-mail."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reflection_reminders_send(base_url=options["base_url"].rstrip("/"))
        self.stdout.write(self.style.SUCCESS(f"Reflection reminders sent: {sent}."))
