from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resources.evaluation import CUTOFF, JUDGED_SETS, Scores, evaluate


class Command(BaseCommand):
    help = (
        "Measure search quality on judged sets: for each, load its resources inside a transaction that is rolled "
        "back (nothing is left behind), run every judged query and print "
        f"recall@{CUTOFF}, nDCG@{CUTOFF} and MRR per kind of query and overall. By default the set search is tuned "
        "on (tests/search/relevance) and the held-out set nobody tuned on (tests/search/heldout), side by side "
        "with the difference. Targets: recall@10 at least 0.85 overall and 0.75 for every kind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set",
            dest="sets",
            action="append",
            type=Path,
            metavar="FOLDER",
            help="A judged set (a folder with corpus.json and queries.json) instead of the two built-in ones; "
            "repeat to compare several.",
        )
        parser.add_argument("--no-cross-language", action="store_true", help="Switch the term table off.")
        parser.add_argument("--misses", action="store_true", help="List the relevant resources each query missed.")

    def handle(self, *args: Any, **options: Any) -> None:
        sets = {str(path): path for path in options["sets"]} if options["sets"] else JUDGED_SETS
        for path in sets.values():
            if not (path / "corpus.json").is_file() or not (path / "queries.json").is_file():
                raise CommandError(f"{path} has no corpus.json and queries.json.")
        reports = {name: evaluate(path, cross_language=not options["no_cross_language"]) for name, path in sets.items()}
        self._table(reports)
        if options["misses"]:
            for name, report in reports.items():
                self.stdout.write(f"\n{name}:")
                for query, missing in report["misses"]:
                    self.stdout.write(f"  {query!r} missed {', '.join(missing)}")

    def _table(self, reports: dict[str, dict[str, Any]]) -> None:
        names = list(reports)
        kinds = sorted({kind for report in reports.values() for kind in report["kinds"]})
        header = f"{'kind':<20}" + "".join(f" | {name[:27]:^27}" for name in names)
        if len(names) == 2:
            header += f" | {'difference':^10}"
        columns = f"{'':<20}" + f" | {'queries':>7} {'recall':>6} {'nDCG':>5} {'MRR':>5}" * len(names)
        if len(names) == 2:
            columns += f" | {'recall':>10}"
        self.stdout.write(header)
        self.stdout.write(columns)
        self.stdout.write("-" * len(columns))
        for kind in [*kinds, "overall"]:
            scores: list[Scores | None] = [
                report["overall"] if kind == "overall" else report["kinds"].get(kind) for report in reports.values()
            ]
            line = f"{kind:<20}"
            for s in scores:
                line += f" | {s.queries:>7} {s.recall:>6.3f} {s.ndcg:>5.3f} {s.mrr:>5.3f}" if s else f" | {'-':>27}"
            if len(names) == 2:
                first, second = scores
                line += f" | {second.recall - first.recall:>+10.3f}" if first and second else f" | {'-':>10}"
            self.stdout.write(line)
