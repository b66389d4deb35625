from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resources.harvest import HarvestError, HarvestSummary, Page, harvest
from resources.management.owners import library_and_team
from resources.management.progress import progress_bar
from resources.models import HarvestSource


class Command(BaseCommand):
    help = (
        "Harvest an OAI-PMH repository at URL (its base address) into the catalogue for --library (and --team), "
        "or with --all every harvest source kept in the admin. Records are read as Dublin Core: dc:title, "
        "dc:description, dc:language (BCP 47), dc:subject as tags, dc:rights (a Creative Commons URI) as the licence, "
        "dc:type as the kind, dc:creator; the address is the first http(s) dc:identifier, else the first http(s) "
        "address anywhere in the record. They go through import_resources' checks: an address already in the "
        "catalogue (ignoring http/https, host case, a trailing slash and tracking parameters) updates that resource. "
        "New resources are sent for review, or published with --publish. Every record that cannot be read is named "
        "with why. Each page is written in one transaction: a harvest stopped by an error keeps the pages written and "
        "the next run goes on after them. A complete run remembers the repository's date, and the next asks only for "
        "what changed since (from). A deleted record archives the resource its harvest created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", nargs="?", help="The repository's OAI-PMH base URL.")
        parser.add_argument("--library", help="Slug of the library new resources belong to.")
        parser.add_argument(
            "--set", dest="set_spec", default="", metavar="SPEC", help="Harvest only this set (setSpec)."
        )
        parser.add_argument("--metadata-prefix", default="oai_dc", help="The record format (default oai_dc).")
        parser.add_argument("--team", help="Slug of the learning team new resources belong to.")
        parser.add_argument("--publish", action="store_true", help="Publish new resources instead of review.")
        parser.add_argument("--dry-run", action="store_true", help="Harvest and report; write nothing.")
        parser.add_argument("--all", action="store_true", help="Harvest every source kept in the admin.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            if options["url"]:
                raise CommandError("Give either a URL or --all, not both.")
            sources = list(HarvestSource.objects.select_related("library", "team"))
            if not sources:
                self.stdout.write("No harvest sources are kept in the admin.")
            failed = [source for source in sources if not self._harvest(source, dry_run=options["dry_run"])]
            if failed:
                raise CommandError(f"{len(failed)} of {len(sources)} sources stopped on an error: see above.")
            return
        if not options["url"] or not options["library"]:
            raise CommandError("Give the repository's URL and --library (or --all).")
        source = self._source(options)
        if not self._harvest(source, dry_run=options["dry_run"]):
            raise CommandError("The harvest stopped on an error (above); run it again to go on from there.")

    def _source(self, options: dict[str, Any]) -> HarvestSource:
        """The source kept for the URL, set and format (its dates and resumption point), or a new one."""
        library, team = library_and_team(options["library"], options["team"])
        source = HarvestSource.objects.filter(
            url=options["url"], set_spec=options["set_spec"], metadata_prefix=options["metadata_prefix"]
        ).first()
        if source is None:
            source = HarvestSource(
                url=options["url"], set_spec=options["set_spec"], metadata_prefix=options["metadata_prefix"]
            )
        elif source.library_id != library.pk:
            raise CommandError(f"{source} is harvested for the library {source.library.slug!r}, not {library.slug!r}.")
        source.library, source.team, source.publish = library, team, options["publish"]
        return source

    def _harvest(self, source: HarvestSource, *, dry_run: bool) -> bool:
        """Harvests one source and reports; False when it stopped on an error."""
        started = time.monotonic()
        resuming = ", going on where the last run stopped" if source.resumption_token else ""
        self.stdout.write(f"Harvesting {source}{resuming}")
        done = 0
        bar: Any = None

        def on_page(page: Page, summary: HarvestSummary, total: int | None) -> None:
            nonlocal done, bar
            done += page.size
            if not self.stdout.isatty():
                return
            if bar is None:
                bar = progress_bar(self.stdout, total or done, label="Records")
            bar(done)

        try:
            summary = harvest(source, dry_run=dry_run, on_page=on_page)
        except HarvestError as error:
            if bar is not None:
                self.stdout.write("")
            self.stderr.write(self.style.ERROR(f"{source}: stopped: {error}"))
            if source.last_summary:
                self.stderr.write(source.last_summary)
            return False
        if bar is not None:
            self.stdout.write("")
        for bad in summary.bad:
            self.stderr.write(str(bad))
        if summary.not_sent:
            self.stderr.write(self.style.WARNING(f"New resources stay drafts: {summary.not_sent}"))
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"{source}: {summary.line(dry_run=dry_run)} ({seconds:.1f} s)"))
        return True
