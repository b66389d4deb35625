from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from resources.evaluation import CUTOFF, RELEVANCE_DIR, evaluate


class Command(BaseCommand):
    help = (
        "Measure search quality on the judged relevance set in tests/search/relevance: loads its resources "
        "inside a transaction that is rolled back (nothing is left behind), runs every judged query and prints "
        f"recall@{CUTOFF}, nDCG@{CUTOFF} and MRR per kind of query and overall. "
        "Targets: recall@10 at least 0.85 overall and 0.75 for every kind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", type=Path, default=RELEVANCE_DIR / "corpus.json")
        parser.add_argument("--queries", type=Path, default=RELEVANCE_DIR / "queries.json")
        parser.add_argument("--no-cross-language", action="store_true", help="Switch the term table off.")
        parser.add_argument("--misses", action="store_true", help="List the relevant resources each query missed.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = evaluate(options["corpus"], options["queries"], cross_language=not options["no_cross_language"])
        header = f"{'kind':<22} {'queries':>7} {'recall@10':>10} {'nDCG@10':>8} {'MRR':>6}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        rows = [*report["kinds"].items(), ("overall", report["overall"])]
        for kind, scores in rows:
            self.stdout.write(
                f"{kind:<22} {scores.queries:>7} {scores.recall:>10.3f} {scores.ndcg:>8.3f} {scores.mrr:>6.3f}"
            )
        if options["misses"]:
            for query, missing in report["misses"]:
                self.stdout.write(f"{query!r} missed {', '.join(missing)}")
