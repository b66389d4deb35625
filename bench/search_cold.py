"""Cold search, measured: a mixed pool of distinct searches under gunicorn with no cache, and how broad searches rank.

Usage (what `make bench` runs): python bench/search_cold.py [--duration 20] [--connections 8] [--workers 4]
                                    [--queries 300] [--agreement 40] [--database NAME]
Three parts, in one run:

- load: gunicorn (4 workers) with CACHE_URL=dummy:// on loopback; wrk (8 connections) asks `/health/` for
  --duration seconds, then the resource search page for --duration seconds, every request the next of a pool of
  --queries distinct searches (topic words in sv/da/nb/en, knowledge-area names, typos, two-word phrases, some with
  a filter or another sort), so that nothing one request computes is of use to the next. Printed: req/s, p50, p95
  and p99 of both, and the search's throughput as a share of `/health/`'s; with the load average beside it (the
  machine may be shared).
- steps: in this process, the median time of each step of a search page over the pool (database: understanding,
  counting, ranking; the facet links; reading the cards' rows and snippets; rendering the template).
- ranking: for the broad searches of the pool (more hits than are counted exactly, up to --agreement of them, and
  *bibliotek* always), how many of the first page's 20 resources a ranking of every hit would also put on it.

The pool is built from general words, never from the judged sets (tests/search). The database is the one the
project uses, or `--database NAME` on the embedded server (README, "Speed").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from run import (  # noqa: E402
    PYTHON,
    embedded_database_url,
    fetch,
    run_wrk,
    server_environment,
    start_gunicorn,
    wait_until_up,
)

# Topic words a visitor types, in the four languages the catalogue is written in, and English.
TOPICS = [
    "bibliotek", "biblioteken", "bibliotekerne", "bibliotekene", "library", "libraries", "källkritik",
    "kildekritik", "kildekritikk", "source criticism", "släktforskning", "slægtsforskning", "slektsforskning",
    "genealogy", "programmering", "programming", "koding", "kodning", "jobbansökan", "jobansøgning", "jobbsøknad",
    "job applications", "privatekonomi", "privatøkonomi", "personal finance", "hälsa", "sundhed", "helse", "health",
    "klimatet", "klimaet", "climate", "valet", "valget", "elections", "demokrati", "democracy", "nyheter",
    "nyheder", "news", "e-böcker", "e-bøger", "e-bøker", "e-books", "lösenord", "adgangskoder", "passord",
    "passwords", "digitala tjänster", "digitale tjenester", "digital services", "läsning för barn",
    "læsning for børn", "lesing for barn", "reading for children", "bedrägerier", "svindel", "fraud",
    "e-legitimation", "mitid", "bankid", "digital id", "nybörjare", "begyndere", "nybegynnere", "beginners",
    "övningar", "øvelser", "exercises", "kurs", "kursus", "course", "guide", "veiledning", "tips", "steg för steg",
    "trin for trin", "step by step", "fördjupning", "fordybelse", "fordypning", "självstudier", "selvstudie",
    "lättläst", "letlæst", "lettlest", "easy reading", "vuxna", "voksne", "adults", "svenska", "dansk", "norsk",
    "english", "språk", "sprog", "language", "läsa", "læse", "lese", "reading", "skriva", "skrive", "writing",
    "dator", "computer", "internet", "nätet", "nettet", "online", "säkerhet", "sikkerhed", "sikkerhet", "safety",
    "ekonomi", "økonomi", "economy", "budget", "pension", "skatt", "skat", "tax", "miljö", "miljø", "environment",
    "hållbarhet", "bæredygtighed", "bærekraft", "sustainability", "samhälle", "samfund", "samfunn", "society",
    "historia", "historie", "history", "konst", "kunst", "art", "musik", "musikk", "music", "film", "spel", "spil",
    "games", "barn", "børn", "children", "unga", "unge", "young people", "skola", "skole", "school", "lärare",
    "lærer", "teacher", "arbete", "arbejde", "arbeid", "work", "hälsa och sjukvård", "mat", "mad", "food",
]  # fmt: skip
# Misspellings as typed: a letter missing, two swapped, a diacritic dropped.
TYPOS = [
    "progamering", "programering", "källkritk", "kallkritik", "kildekirtik", "släktforskninng", "slaktforskning",
    "bibliotk", "biblotek", "libary", "jobbansokan", "jobansogning", "privatekonmi", "demokarti", "nyhter",
    "losenord", "passwrod", "klimatt", "helth", "slegtsforskning", "digtala", "tjanster", "nybegyner", "ovningar",
    "lasning", "gealogy", "e-bocker", "sikkerhet", "baeredygtighed", "histroia",
]  # fmt: skip
FILTERS = [{}, {}, {}, {}, {"language": "sv"}, {"language": "da"}, {"kind": "video"}, {"sort": "newest"}]
AGREEMENT_PAGE = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds for /health/ and for the pool (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--queries", type=int, default=300, help="distinct searches in the pool (default 300)")
    parser.add_argument("--agreement", type=int, default=40, help="broad searches whose ranking is compared")
    parser.add_argument("--port", type=int, default=8785)
    parser.add_argument("--database", help="another database on the embedded server (e.g. delarum_million)")
    parser.add_argument("--skip-load", action="store_true", help="only the steps and the ranking (no gunicorn)")
    args = parser.parse_args()
    env = server_environment("dummy://")
    if args.database:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"] = embedded_database_url(args.database)
    os.environ.update(env)  # this process measures as the server runs: production settings, no cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connections

    from resources.models import KnowledgeArea, Resource

    areas = list(KnowledgeArea.objects.values_list("name", flat=True))
    pool = search_pool(args.queries, areas)
    count = Resource.objects.count()
    connections.close_all()
    print(
        f"Delarum cold search: {count} resources, a pool of {len(pool)} distinct searches, no cache, "
        f"{os.cpu_count()} cores, load average {load_average()}"
    )
    if not args.skip_load:
        measure_load(args, env, pool)
    measure_steps(pool)
    measure_ranking(pool, limit=args.agreement)


def search_pool(size: int, areas: list[str]) -> list[dict[str, str]]:
    """``size`` distinct searches: topic words, area names, typos and two-word phrases, a few with a filter."""
    random_ = random.Random(14)
    words = list(dict.fromkeys([*TOPICS, *(name.lower() for name in areas), *TYPOS]))
    phrases = [f"{first} {second}" for first, second in zip(words, random_.sample(words, len(words)), strict=True)]
    candidates = [*words, *phrases]
    pool: dict[str, dict[str, str]] = {}
    for n, text in enumerate(candidates * 4):
        params = {"q": text, **FILTERS[(n + n // len(candidates)) % len(FILTERS)]}
        pool.setdefault(urllib.parse.urlencode(sorted(params.items())), params)
        if len(pool) == size:
            break
    return list(pool.values())


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


# Load: /health/ and the pool, each for the same time, under the same server.


def measure_load(args: argparse.Namespace, env: dict[str, str], pool: list[dict[str, str]]) -> None:
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{args.port}"
    paths = [f"/sv/resources/?{urllib.parse.urlencode(params)}" for params in pool]
    with tempfile.TemporaryDirectory(prefix="delarum-cold-") as work:
        script = Path(work) / "pool.lua"
        script.write_text(pool_script(paths))
        server = start_gunicorn(env, port=args.port, workers=args.workers)
        try:
            wait_until_up(f"{base}/health/")
            for path in paths[: args.workers * 2]:
                fetch(base + path)  # the workers' connections open and their code is loaded
            health = run_wrk(f"{base}/health/", args.connections, args.duration)
            before = load_average()
            mixed = run_wrk(base + paths[0], args.connections, args.duration, script)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load average during the pool: {before} at its start, {load_average()} at its end")
    print(f"{'page':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'vs ref':>7}  errors")
    for name, result in [("reference (/health/)", health), (f"cold search, {len(pool)} queries", mixed)]:
        errors = result["errors"] + result["non2xx"]
        print(
            f"{name:<28} {result['rps']:>8.1f} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['p99']:>8.1f} "
            f"{result['rps'] / health['rps']:>6.1%}  {errors:>6}"
        )


def pool_script(paths: list[str]) -> str:
    """A wrk script that asks each path of the pool in turn (each thread from its own place) and reports as
    bench/report.lua does."""
    quoted = ",\n".join(f"  [[{path}]]" for path in paths)
    return f"""dofile([[{ROOT / "bench" / "report.lua"}]])
paths = {{
{quoted}
}}
counter = 0
setup = function(thread)
  thread:set("counter", math.random(#paths))
end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
"""


# Steps: where a cold search page's time goes, in this process.


@contextmanager
def timed(owner: Any, name: str, into: dict[str, list[float]], step: str) -> Iterator[None]:
    """Time every call of ``owner.name`` while inside, adding the milliseconds to ``into[step]``."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into.setdefault(step, []).append((time.perf_counter() - start) * 1000)

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def measure_steps(pool: list[dict[str, str]]) -> None:
    from contextlib import ExitStack

    from django.template.response import TemplateResponse
    from django.test import Client

    from resources import frontdoor, selectors, views

    client = Client(HTTP_HOST="127.0.0.1")
    steps: dict[str, list[float]] = {}
    totals: list[float] = []
    slowest: list[tuple[float, str]] = []
    sample = pool[:: max(1, len(pool) // 60)]
    for params in sample[:3]:
        client.get("/sv/resources/", params)  # imports, template loading, connections
    for params in sample:
        per_page: dict[str, list[float]] = {}
        with ExitStack() as stack:
            for owner, name, step in [
                (selectors, "understand", "database: understanding the words"),
                (selectors, "counted_with_facets", "database: count and facets"),
                (selectors, "_top_ids", "database: ranking (first pages' ids)"),
                (selectors, "did_you_mean", "database: did you mean"),
                (views, "facet_links", "facet links"),
                (frontdoor.SearchPages, "__getitem__", "cards: the page's resources"),
                (frontdoor, "snippets", "cards: snippets"),
                (TemplateResponse, "render", "template (with cards)"),
            ]:
                stack.enter_context(timed(owner, name, per_page, step))
            start = time.perf_counter()
            client.get("/sv/resources/", params)
            totals.append((time.perf_counter() - start) * 1000)
            slowest.append((totals[-1], urllib.parse.urlencode(params)))
        for step, figures in per_page.items():
            steps.setdefault(step, []).append(sum(figures))
    print(f"steps of a cold search page, in one process (median over {len(sample)} searches of the pool, ms):")
    for step, figures in steps.items():
        print(f"  {step:<40} {statistics.median(figures):>7.1f}")
    print(f"  {'the whole page':<40} {statistics.median(totals):>7.1f}   (p95 {quantile(totals, 0.95):.1f})")
    print("  slowest: " + ", ".join(f"{address} {ms:.0f}" for ms, address in sorted(slowest, reverse=True)[:5]))


def quantile(figures: list[float], share: float) -> float:
    return sorted(figures)[min(len(figures) - 1, int(share * len(figures)))]


# Ranking: the first page of a broad search against a ranking of every hit.


def measure_ranking(pool: list[dict[str, str]], *, limit: int) -> None:
    from resources.forms import ResourceSearchForm, Sort
    from resources.models import KnowledgeArea
    from resources.search import search
    from resources.selectors import ORDERINGS, _search, filtered_resources

    areas = list(KnowledgeArea.objects.order_by("name"))
    broad = [params for params in pool if params.get("sort") != "newest"]
    broad = [{"q": "bibliotek"}, *(params for params in broad if params != {"q": "bibliotek"})]
    agreements: list[tuple[str, int, int]] = []
    for params in broad:
        if len(agreements) == limit:
            break
        form = ResourceSearchForm(params, areas=areas)
        if not form.is_valid():
            continue
        found = _search(form.cleaned_data, areas=form.areas, sort=Sort.RELEVANCE, cross_language=True)
        if not found.estimated or not found.query:
            continue
        every_hit = search(filtered_resources(form.cleaned_data, areas=form.areas), found.query)
        full = list(every_hit.order_by(*ORDERINGS[Sort.RELEVANCE]).values_list("pk", flat=True)[:AGREEMENT_PAGE])
        shared = len(set(found.top_ids[:AGREEMENT_PAGE]) & set(full))
        agreements.append((urllib.parse.urlencode(params), found.total, shared))
    print(f"ranking: the first {AGREEMENT_PAGE} of each broad search, shared with a ranking of every hit:")
    for address, total, shared in agreements:
        print(f"  {shared:>2}/{AGREEMENT_PAGE}  about {total:>7} hits  {address}")
    if agreements:
        shares = [shared for _address, _total, shared in agreements]
        at_least = sum(1 for shared in shares if shared >= 15)
        possible = AGREEMENT_PAGE * len(shares)
        print(
            f"  overall: {sum(shares)}/{possible} ({sum(shares) / possible:.0%}), median "
            f"{statistics.median(shares):.0f}/{AGREEMENT_PAGE}, {at_least} of {len(shares)} searches at 15 or more"
        )


if __name__ == "__main__":
    main()
