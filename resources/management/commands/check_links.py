from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resources.links import CheckSettings, check_published_links
from resources.management.progress import progress_bar
from resources.models.catalogue import BROKEN_AFTER_FAILURES


class Command(BaseCommand):
    help = (
        "Check the web address of every published resource and keep its link health: the last HTTP status, "
        "when it was checked, where redirects led, and how many checks failed in a row; after "
        f"{BROKEN_AFTER_FAILURES} failures in a row the link is flagged broken (curators see it under "
        "'Broken links' in the admin; patrons see a note and an archived copy). Asks with HEAD, then GET when "
        "HEAD is refused; follows redirects; retries timeouts, refused connections, 429 and 5xx answers with a "
        "growing pause; asks at most --per-host questions of one host at a time, --delay seconds apart. Only "
        "public http(s) addresses are contacted (loopback too when LINK_CHECK_ALLOW_LOOPBACK is on). "
        "Defaults come from the LINK_CHECK_* settings. Each address is asked once however many resources use it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=16, help="Checks running at once, over all hosts (16).")
        parser.add_argument("--per-host", type=int, help="Checks running at once against one host.")
        parser.add_argument("--delay", type=float, help="Seconds between two checks starting against one host.")
        parser.add_argument("--timeout", type=float, help="Seconds to wait for a server to answer.")
        parser.add_argument("--retries", type=int, help="Further tries after a failure that may pass.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        config = CheckSettings.from_settings(
            per_host=options["per_host"],
            host_delay=options["delay"],
            timeout=options["timeout"],
            retries=options["retries"],
        )
        started = time.monotonic()
        summary = check_published_links(
            config=config, workers=options["workers"], progress=lambda total: progress_bar(self.stdout, total)
        )
        seconds = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked {summary.addresses} addresses of {summary.checked} published resources in {seconds:.1f} s: "
                f"{summary.ok} work ({summary.redirected} through redirects), {summary.failed} failed; "
                f"{summary.newly_broken} newly broken, {summary.broken} broken in all."
            )
        )
