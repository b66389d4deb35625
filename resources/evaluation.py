"""Measure search quality on a judged test set: recall@10, nDCG@10 and MRR per kind of query."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from resources import semantic
from resources.models import KnowledgeArea, Resource, SearchWord, Status
from resources.search import UnderstoodQuery, search, understand
from teams.models import Library

JUDGED = Path(__file__).resolve().parent.parent / "tests" / "search"
# Search is tuned on the first set; the second, written independently by someone who had not read the engine,
# is only ever measured, so the difference between them shows how far the engine fits its own set.
JUDGED_SETS = {"tuning": JUDGED / "relevance", "held-out": JUDGED / "heldout"}
CUTOFF = 10
# The search page fuses the semantic signal with its cached first pages (resources.selectors.CACHED_PAGES).
FUSED_FROM = 100


@dataclass(frozen=True)
class Scores:
    recall: float
    ndcg: float
    mrr: float
    queries: int


def score(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    top = ranked[:CUTOFF]
    recall = len(relevant.intersection(top)) / len(relevant)
    dcg = sum(1 / math.log2(position + 2) for position, key in enumerate(top) if key in relevant)
    ideal = sum(1 / math.log2(position + 2) for position in range(min(len(relevant), CUTOFF)))
    reciprocal = next((1 / (position + 1) for position, key in enumerate(top) if key in relevant), 0.0)
    return recall, dcg / ideal, reciprocal


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


class _Rollback(Exception):
    pass


def evaluate(judged_set: Path = JUDGED_SETS["tuning"], *, cross_language: bool = True) -> dict[str, Any]:
    """Load a judged set's corpus in a transaction that is rolled back, run every judged query, and score it.

    ``judged_set`` is a folder with ``corpus.json`` (areas and resources) and ``queries.json`` (queries with
    their kind and the keys of the relevant resources).

    The vocabulary search learns words and their languages from starts from the judged set alone, so the
    figures are the same on any database (and rows of it are locked until the rollback: run it on a copy
    of a production database, not on the live one).

    Returns {"kinds": {kind: Scores}, "overall": Scores, "misses": [(query, missing keys)]}.
    """
    corpus = json.loads((judged_set / "corpus.json").read_text())
    judged = json.loads((judged_set / "queries.json").read_text())
    report: dict[str, Any] = {}
    try:
        with transaction.atomic():
            SearchWord.objects.all().delete()
            ids = _load(corpus)
            if semantic.enabled():
                semantic.refresh(ids.values())
            keys_by_id = {pk: key for key, pk in ids.items()}
            per_kind: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
            misses = []
            for item in judged:
                query = understand(item["query"], cross_language=cross_language)
                collection = Resource.objects.filter(pk__in=ids.values())
                ranked = [keys_by_id[pk] for pk in _ranked(item["query"], query, collection)]
                relevant = set(item["relevant"])
                per_kind[item["kind"]].append(score(ranked, relevant))
                if missing := sorted(relevant - set(ranked)):
                    misses.append((item["query"], missing))
            all_scores = [scores for kind_scores in per_kind.values() for scores in kind_scores]
            report = {
                "kinds": {kind: _summarise(scores) for kind, scores in sorted(per_kind.items())},
                "overall": _summarise(all_scores),
                "misses": misses,
            }
            raise _Rollback
    except _Rollback:
        pass
    return report


def _ranked(text: str, query: UnderstoodQuery | None, collection: QuerySet[Resource]) -> list[int]:
    """The first CUTOFF ids, ranked as the search page ranks them: lexically, fused with the semantic signal."""
    if not query:
        return []
    hits = search(collection, query)
    lexical = list(hits.order_by("-rank", "pk").values_list("pk", flat=True)[:FUSED_FROM])
    fused, _total = semantic.with_neighbours(text, lexical, total=len(lexical), candidates=collection, hits=hits)
    return fused[:CUTOFF]


def _summarise(scores: list[tuple[float, float, float]]) -> Scores:
    return Scores(
        recall=mean([s[0] for s in scores]),
        ndcg=mean([s[1] for s in scores]),
        mrr=mean([s[2] for s in scores]),
        queries=len(scores),
    )


def _load(corpus: dict[str, Any]) -> dict[str, int]:
    library = Library.objects.create(
        name="Evaluation library", slug="evaluation-library", country="SE", region="-", municipality="-"
    )
    areas = {
        area["slug"]: KnowledgeArea.objects.create(
            slug=f"evaluation-{area['slug']}",
            name=area["sv"],
            name_da=area.get("da", ""),
            name_nb=area.get("nb", ""),
            name_en=area.get("en", ""),
        )
        for area in corpus["areas"]
    }
    published_at = datetime(2026, 1, 1, tzinfo=UTC)
    ids = {}
    for item in corpus["resources"]:
        resource = Resource.objects.create(
            title=item["title"],
            slug=f"evaluation-{item['key']}",
            summary=item["summary"][:400],
            description=item.get("description", ""),
            url=f"https://evaluation.example/{item['key']}",
            kind=item.get("kind", "website"),
            language=item["language"],
            license="CC-BY-4.0",
            library=library,
            status=Status.PUBLISHED,
            published_at=published_at,
        )
        resource.areas.set([areas[slug] for slug in item.get("areas", [])])
        resource.tags.set(item.get("tags", []))
        ids[item["key"]] = resource.pk
    return ids
