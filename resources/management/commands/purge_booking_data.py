"""Remove teachers' personal data from booking requests some months after the visit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from resources.models import BookingRequest
from resources.offers.services import booking_requests_anonymise

DEFAULT_MONTHS = 12
BATCH = 500


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day when it is shorter: 31 March -> 28 Feb)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class Command(BaseCommand):
    help = (
        "Anonymise booking requests whose visit was more than --months months ago (default 12): the teacher's "
        "name, e-mail, phone and message, and the library's reply, are removed. What statistics need stays: the "
        "offer, session, dates, school, school year, number of pupils and status. Requests whose visit is still "
        "to come, or less than the given months ago, are not touched. Safe to run any number of times (for "
        "example nightly): anonymised requests are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS,
            help=f"Keep personal data this many months after the visit (default {DEFAULT_MONTHS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count what would be anonymised; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"]
        if months < 1:
            raise CommandError("--months must be at least 1.")
        cutoff = months_before(timezone.localdate(), months)
        due = BookingRequest.objects.filter(visit_date__lt=cutoff, anonymised_at__isnull=True)
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        if options["dry_run"]:
            self.stdout.write(f"{len(ids)} booking requests with a visit before {cutoff} would be anonymised.")
            return
        done = 0
        for start in range(0, len(ids), BATCH):
            done += booking_requests_anonymise(ids=ids[start : start + BATCH])
            if options["verbosity"] > 1 or len(ids) > BATCH:
                self.stdout.write(f"  {done}/{len(ids)}", ending="\r")
        if len(ids) > BATCH:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {done} booking requests with a visit before {cutoff} (kept {months} months)."
            )
        )
