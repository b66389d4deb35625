from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resources.imports import COLUMNS, REQUIRED, ImportFileError, apply_import, plan_import, read_rows
from resources.management.owners import library_and_team
from resources.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Import resources from FILE: CSV (UTF-8, a header row) or JSON (a list of objects with the same keys). "
        f"Columns: {', '.join(REQUIRED)} (required); {', '.join(c for c in COLUMNS if c not in REQUIRED)}. "
        "tags, audiences and areas hold several values separated by semicolons; license is an SPDX id or a Creative "
        "Commons URI; language a BCP 47 tag (nb-NO is read as nb); kind and audiences may be HCRT or LRMI terms "
        "or common synonyms (lesson plan, app, game, teens), and the report says what each was read as; areas are "
        "knowledge-area slugs. Unknown columns are ignored with a warning. Every row is checked first and each bad "
        "row and field is named; nothing is written unless all rows are valid (or --skip-invalid writes the good "
        "ones). A web address already in the catalogue (ignoring http/https, host case, a trailing slash and "
        "tracking parameters) updates that resource: the fields the row fills in are replaced, areas and tags are "
        "added. New resources belong to --library (and --team) and are drafts unless --publish."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or JSON file.")
        parser.add_argument("--library", required=True, help="Slug of the library new resources belong to.")
        parser.add_argument("--team", help="Slug of the learning team new resources belong to.")
        parser.add_argument("--publish", action="store_true", help="Publish new and updated resources.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--skip-invalid", action="store_true", help="Write the valid rows even if some are not.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        library, team = library_and_team(options["library"], options["team"])
        path = Path(options["file"])
        try:
            rows, warnings = read_rows(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))

        plan = plan_import(
            rows, publish=options["publish"], first_row=2, progress=self._progress("Checking", len(rows))
        )
        self._end_progress(len(rows))
        for mapping in plan.mappings:
            self.stdout.write(str(mapping))
        for row_error in plan.errors:
            self.stderr.write(str(row_error))
        summary = (
            f"{plan.total} rows: {plan.new} new, {plan.updates} updates of resources already in the catalogue, "
            f"{plan.invalid_rows} invalid."
        )
        if options["dry_run"]:
            self.stdout.write(f"{summary} Dry run: nothing was written.")
            return
        if plan.errors and not options["skip_invalid"]:
            raise CommandError(
                f"{summary} Nothing was imported: fix the rows above, or use --skip-invalid to import the valid ones."
            )
        outcome = apply_import(
            plan,
            library=library,
            team=team,
            publish=options["publish"],
            progress=self._progress("Writing", plan.new),
        )
        self._end_progress(plan.new)
        seconds = time.monotonic() - started
        skipped = f", {plan.invalid_rows} invalid rows skipped" if plan.errors else ""
        state = "published" if options["publish"] else "drafts"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {plan.total} rows in {seconds:.1f} s: {outcome.created} new resources ({state}), "
                f"{outcome.updated} updated{skipped}."
            )
        )

    def _progress(self, label: str, total: int) -> Callable[[int], None] | None:
        # Small files are done before a bar would say anything.
        return progress_bar(self.stdout, total, label=label) if total >= 1000 else None

    def _end_progress(self, total: int) -> None:
        if total >= 1000:
            self.stdout.write("")
