"""Search that understands the Scandinavian languages, on PostgreSQL full-text search.

Every searchable table keeps a ``search_vector`` column, maintained by database triggers and stemmed
in each record's own language (see migration ``resources.0003``). A query is *understood* once:

- each word is stemmed with the Swedish, Danish, Norwegian, English and simple configurations, so
  *biblioteken*, *bibliotekerne* and *bibliotekene* all reach the lexeme ``bibliotek``;
- with cross-language matching on, each word (or pair of words) found in the curated term table
  brings its equivalents in the other languages (*källkritik* → *kildekritik*, *kildekritikk*);
- a word the indexed vocabulary does not know is corrected from it, compared without diacritics (*kallkritik*
  → *källkritik*) and counted in edits, two in long words, a swap as one (*progamering* → *programmering*,
  *budegt* → *budget*);
- words typed apart are joined when the vocabulary knows the compound, with or without a linking letter
  (*släkt forskning* → *släktforskning*, *slægt forskning* → *slægtsforskning*), and so is a compound written
  as a phrase (*lyst til at læse* → *læselyst*);
- a compound whose first half the vocabulary knows is also split, at a linking *s* or *e* too
  (*klimaendringer* → *klima*, *endringer*; *børnebibliotek* → *børn*, *bibliotek*): its halves find
  resources on the same subject, ranked after those with the whole word.

Each word with its alternatives is a *concept*. A record matches when it matches any concept, so a
long natural question does not need every word to be present; records matching more concepts, and
matching them in their title, tags and knowledge areas rather than the description, rank first.
The vocabulary remembers the languages each word occurs in; with the spelling of unknown words
(*ä*, *-erne*) that tells the language a query is written in, and records in it rank a little higher
(the fewer the concepts, the more: a single word's form says more than one word of a question). A query that
names a Scandinavian language (*learn Swedish*) ranks records in it first.

The same understood query filters, ranks, counts facets and highlights snippets on any queryset
whose model has a ``search_vector`` column (resources, school offers, exchange-bank entries).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import pairwise
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, IntegerField, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from resources import indexing
from resources.models.search import TermLanguage

# The configurations every word is stemmed with, and the weights of the vector's sections D, C, B, A: as the
# indexes are declared (resources/indexing.py).
CONFIGS = indexing.CONFIGS
WEIGHTS = indexing.WEIGHTS
MAX_WORDS = 12
MAX_QUERY_LENGTH = 200
TYPO_SIMILARITY = 0.5
TYPO_MIN_LENGTH = 5
TYPO_ALTERNATIVES = 2
COGNATE_SIMILARITY = 0.5
# How much more the words as typed count in the rank than their alternatives.
TYPED_BOOST = 0.5
# Records in the query's own language rank this much higher; a word seen in more languages than
# TELLING_LANGUAGES does not tell which one the query is written in.
LANGUAGE_BOOST = 0.6
# Records in a language the query names ("learn Swedish") rank this much higher, however many its concepts: they
# are what is asked for, more than records that use the query's words as typed.
NAMED_LANGUAGE_BOOST = 1.0
TELLING_LANGUAGES = 2
# Letters and endings that only some of the languages write: "ä", "-erne", "-arna".
SPELLINGS = [
    (re.compile(r"[äö]"), {"sv"}),
    (re.compile(r"[æø]"), {"da", "nb", "nn"}),
    (re.compile(r"(?:arna|orna|erna)$"), {"sv"}),
    (re.compile(r"erne$"), {"da"}),
    (re.compile(r"(?:ane|ene)$"), {"nb", "nn", "da"}),
]
# Typed words this long may be two edits from what was meant (shorter ones one); a swap of neighbours is one edit.
TWO_EDITS_LENGTH = 8
# Letters that join the halves of a compound: "slægt|s|forskning", "læs|e|lyst", "hushåll|s|budget".
LINKING_LETTERS = ("s", "e")
# Small words between the head and the modifier of a compound written as a phrase ("lyst til at læse", "lust att
# läsa", "lyst til å lese", "bedrägerier på nätet"), at most PHRASE_LINKS of them.
LINK_WORDS = frozenset({"til", "till", "at", "att", "å", "for", "för", "af", "av", "om", "på", "i", "med", "mot"})
PHRASE_LINKS = 2
# Names of the Scandinavian languages in them and in English, and the record languages they name.
NAMED_LANGUAGES = {
    **dict.fromkeys(("swedish", "svenska", "svensk", "svenske", "svenskan"), frozenset({"sv"})),
    **dict.fromkeys(("danish", "danska", "dansk", "danske", "danskan"), frozenset({"da"})),
    **dict.fromkeys(("norwegian", "norska", "norsk", "norske", "norskan"), frozenset({"nb", "nn"})),
    **dict.fromkeys(("bokmål", "bokmal"), frozenset({"nb"})),
    "nynorsk": frozenset({"nn"}),
}
PART_MIN_LENGTH = 5
SPLIT_MIN_LENGTH = 4
HALF_WEIGHT = 0.2
PARTS_PER_WORD = 6
# Highlight markers: control characters that cannot occur in stored text, replaced after escaping.
MARK_START, MARK_END = "\x02", "\x03"
WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
# A single lexeme of six letters or more, in tsquery text.
PREFIXABLE = re.compile(r"'([^'\s]{6,})'")


@dataclass(frozen=True)
class Findings:
    """What the database knows about the typed words (see ``_look_up``)."""

    known: set[str]
    similar: dict[str, list[str]]
    # Phrase (see ``Phrase``) -> the compounds it may stand for.
    compounds: dict[str, list[str]]
    parts: dict[str, list[str]]
    halves: dict[str, list[str]]
    # Compound -> its two halves as one phrase ("læse lyst"), both to be found: as good as the compound.
    both_halves: dict[str, list[str]]
    equivalents: dict[str, list[str]]
    lexemes: dict[str, str]
    # Typed word -> the languages of the records it (or, when unknown, its closest spelling) occurs in.
    languages: dict[str, set[str]]


@dataclass(frozen=True)
class Concept:
    """One idea of the query: the word(s) typed, what else they may be written as, and the halves of a
    compound (*klimaendringer*: *klima*, *endringer*), which find more but count for less."""

    typed: str
    alternatives: tuple[str, ...] = ()
    # Spelling -> its stems in every indexed language, as tsquery text.
    lexemes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    halves: tuple[str, ...] = ()
    # The correction of a typed word the vocabulary does not know (*lasecirkel* → *läsecirkel*): it stands for
    # the typed word, so it matches as a prefix as the typed word would (*läsecirkeln*).
    corrected: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.typed, *self.alternatives)

    def expression(self, *, typed_only: bool = False, halves: bool = True) -> str:
        """Any spelling, stemmed in any of the indexed languages, as tsquery text.

        Long stems of the typed words (and of their corrections) also match as prefixes, so *bibliotek* finds
        *bibliotekskortet* and *lasecirkel* finds *läsecirkeln*.
        """
        typed = prefixed(self.lexemes.get(self.typed, ""))
        spellings = [] if typed_only else [*self.alternatives, *(self.halves if halves else ())]
        others = [
            prefixed(stems) if spelling in self.corrected else stems
            for spelling in spellings
            for stems in [self.lexemes.get(spelling, "")]
        ]
        # Each spelling's stems are "(a) | (b & c)"; the same stem from several spellings is listed once.
        parts = (part for expression in [typed, *others] for part in expression.split(" | ") if part)
        return " | ".join(dict.fromkeys(parts))

    def tsquery(self, *, typed_only: bool = False, halves: bool = True) -> SearchQuery:
        return SearchQuery(
            self.expression(typed_only=typed_only, halves=halves) or "''", config="simple", search_type="raw"
        )


@dataclass(frozen=True)
class UnderstoodQuery:
    text: str
    concepts: tuple[Concept, ...]
    corrections: dict[str, str] = field(default_factory=dict)
    # The languages the query seems written in, or names; records in them rank higher. Empty: no preference.
    languages: tuple[str, ...] = ()
    # How much higher records in ``languages`` rank.
    language_boost: float = 0.0
    # Every spelling looked at (typed words, corrections, alternatives) -> its stems, as tsquery text.
    lexemes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.concepts)

    def expression(self, *, typed_only: bool = False, halves: bool = True) -> str:
        expressions = [concept.expression(typed_only=typed_only, halves=halves) for concept in self.concepts]
        return " | ".join(f"({e})" for e in expressions if e) or "''"

    def tsquery(self, *, typed_only: bool = False, halves: bool = True) -> SearchQuery:
        return SearchQuery(self.expression(typed_only=typed_only, halves=halves), config="simple", search_type="raw")

    def suggestion(self) -> str:
        """The query with its words corrected, for "did you mean"; empty when nothing was corrected."""
        if not self.corrections:
            return ""
        return " ".join(self.corrections.get(word, word) for word in words_of(self.text))


def prefixed(stems: str) -> str:
    """Stems (tsquery text) with each single long lexeme also matching as a prefix."""
    return PREFIXABLE.sub(r"'\1':*", stems)


def words_of(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text[:MAX_QUERY_LENGTH])][:MAX_WORDS]


def understand(text: str, *, cross_language: bool = True, similarity: float = TYPO_SIMILARITY) -> UnderstoodQuery:
    """Turn what a person typed into concepts, with one round trip to the database."""
    words = words_of(text)
    if not words:
        return UnderstoodQuery(text=text, concepts=())
    pairs = [f"{first} {second}" for first, second in pairwise(words)]
    phrases = _phrases_of(words)
    found = _look_up(words, phrases, cross_language=cross_language, similarity=similarity)
    known, similar, compounds, parts, equivalents = (
        found.known,
        found.similar,
        found.compounds,
        found.parts,
        found.equivalents,
    )
    # A compound written as a phrase ("lyst til at læse": "læselyst") stands for both its head and its modifier.
    written_as_phrase: dict[int, list[str]] = {}
    for phrase in phrases:
        for position in (phrase.head, phrase.modifier):
            written_as_phrase.setdefault(position, []).extend(compounds.get(phrase.text, []))

    concepts: list[Concept] = []
    corrections: dict[str, str] = {}
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        pair = pairs[index] if index < len(pairs) else None
        if pair and (pair in compounds or pair in equivalents):
            # Two words that mean one thing: "släkt forskning", "source criticism".
            alternatives = [*compounds.get(pair, []), *equivalents.get(pair, [])]
            alternatives += [other for compound in compounds.get(pair, []) for other in equivalents.get(compound, [])]
            concepts.append(Concept(pair, tuple(dict.fromkeys(alternatives)), found.lexemes))
            skip_next = True
            continue
        alternatives = [*equivalents.get(word, []), *parts.get(word, [])]
        for compound in written_as_phrase.get(index, []):
            alternatives += [compound, *equivalents.get(compound, [])]
        corrected: tuple[str, ...] = ()
        if word not in known and similar.get(word):
            corrections[word] = similar[word][0]
            corrected = (similar[word][0],)
        for neighbour in similar.get(word, []):
            alternatives += [neighbour, *equivalents.get(neighbour, [])]
        halves = [spelling for half in found.halves.get(word, []) for spelling in [half, *equivalents.get(half, [])]]
        halves += found.both_halves.get(word, [])
        concepts.append(
            Concept(
                word,
                tuple(dict.fromkeys(a for a in alternatives if a != word)),
                found.lexemes,
                halves=tuple(dict.fromkeys(h for h in halves if h != word and h not in alternatives)),
                corrected=corrected,
            )
        )
    # A concept of stop words only ("på", "the") has nothing to match.
    meaningful = tuple(concept for concept in concepts if concept.expression())
    named = [NAMED_LANGUAGES[word] for word in words if word in NAMED_LANGUAGES]
    if named:
        # "learn Swedish", "dansk for begyndere": the records in that language are what is asked for.
        languages, boost = tuple(sorted(frozenset().union(*named))), NAMED_LANGUAGE_BOOST
    else:
        languages, boost = _languages_of(words, found), LANGUAGE_BOOST / max(len(meaningful), 1)
    return UnderstoodQuery(
        text=text,
        concepts=meaningful,
        corrections=corrections,
        languages=languages,
        language_boost=boost,
        lexemes=found.lexemes,
    )


def _languages_of(words: list[str], found: Findings) -> tuple[str, ...]:
    """The languages most of the telling words are written in.

    A word seen in records of one or two languages tells (*bibliotekerne*: Danish); a word seen in
    most of them (*bibliotek*) does not. A word the records do not have is judged by its spelling
    (*ansökningar*: Swedish), or else by the closest word they have.
    """
    votes: Counter[str] = Counter()
    for word in words:
        seen = found.languages.get(word, set())
        if word not in found.known and _tells(spelled := _spelled_in(word)):
            seen = spelled
        if _tells(seen):
            votes.update(seen)
    if not votes:
        return ()
    most = max(votes.values())
    return tuple(sorted(language for language, count in votes.items() if count == most))


def _tells(languages: set[str]) -> bool:
    return 0 < len(languages) <= TELLING_LANGUAGES


def _spelled_in(word: str) -> set[str]:
    """The languages whose spelling the word's letters and ending fit, if they tell; else empty."""
    fits = [languages for pattern, languages in SPELLINGS if pattern.search(word)]
    return set.intersection(*fits) if fits else set()


@dataclass(frozen=True)
class Phrase:
    """Words of the query that a compound may stand for: its head and its modifier (positions in the query).

    Two words in a row ("slægt forskning": modifier, head) or a head, small words and a modifier ("lyst til at
    læse", "bedrägerier på nätet"), which the records may write as one word ("slægtsforskning", "læselyst",
    "nätbedrägerier").
    """

    text: str
    head: int
    modifier: int


def _phrases_of(words: list[str]) -> list[Phrase]:
    phrases = [Phrase(f"{first} {second}", index + 1, index) for index, (first, second) in enumerate(pairwise(words))]
    for start in range(len(words)):
        for end in range(start + 2, min(start + 2 + PHRASE_LINKS, len(words))):
            inner, ends = words[start + 1 : end], (words[start], words[end])
            if all(word in LINK_WORDS for word in inner) and not any(word in LINK_WORDS for word in ends):
                phrases.append(Phrase(" ".join(words[start : end + 1]), start, end))
    return phrases


def _look_up(words: list[str], compounds: list[Phrase], *, cross_language: bool, similarity: float) -> Findings:
    """Which words the vocabulary knows, close spellings of those it does not, compounds the phrases stand for,
    the known halves of compounds, and term-table equivalents, all in one query."""
    sql = r"""
        WITH typed(word) AS (SELECT unnest(%(words)s::text[])),
        known_words AS (
            SELECT word FROM resources_searchword WHERE word = ANY(%(words)s)
        ),
        split_pairs AS (
            -- A compound whose first half the vocabulary knows: "klimaendringer" -> "klima", "endringer"; with
            -- a linking s or e when the second half begins a known word too: "hushållsbudget" -> "hushåll",
            -- "budget"; "læselyst" -> "læs", "lyst".
            SELECT DISTINCT typed.word, first.word AS first, substr(typed.word, cut + 1) AS second,
                   EXISTS (SELECT 1 FROM resources_searchword second
                            WHERE second.word LIKE replace(substr(typed.word, cut + 1), '_', '\_') || '%%') AS whole
              FROM typed
              CROSS JOIN generate_series(%(split_min_length)s, length(typed.word) - %(split_min_length)s) AS cut
              JOIN resources_searchword first
                ON first.word = left(typed.word, cut)
                OR (right(left(typed.word, cut), 1) = ANY(%(links)s) AND first.word = left(typed.word, cut - 1)
                    AND EXISTS (SELECT 1 FROM resources_searchword second
                                 WHERE second.word LIKE replace(substr(typed.word, cut + 1), '_', '\_') || '%%'))
             WHERE length(typed.word) >= 2 * %(split_min_length)s
        ),
        close_words AS (
            -- Unknown words: likely typos, compared without diacritics ("kallkritik", "slaegt") and counted in
            -- edits (a swap of neighbours is one; two in long words). Known words: near-identical neighbours
            -- ("kodning", "koding").
            SELECT typed.word, candidate.word AS correction
              FROM typed
              CROSS JOIN LATERAL (
                  SELECT folded, resources_search_swaps(folded) AS swaps
                    FROM resources_search_fold(typed.word) AS folded
              ) AS t
              CROSS JOIN LATERAL (
                  SELECT sw.word FROM resources_searchword sw,
                         LATERAL (SELECT resources_search_fold(sw.word) AS folded) AS f,
                         -- Edits, a swap of neighbours counted as one.
                         LATERAL (SELECT CASE WHEN f.folded = t.folded THEN 0 WHEN f.folded = ANY(t.swaps) THEN 1
                                              ELSE levenshtein(t.folded, f.folded) END AS edits) AS e
                   WHERE (resources_search_fold(sw.word) %% t.folded OR resources_search_fold(sw.word) = ANY(t.swaps))
                     AND sw.word <> typed.word
                     AND (e.edits <= CASE WHEN length(typed.word) >= %(two_edits_length)s THEN 2 ELSE 1 END
                          OR similarity(f.folded, t.folded) >= %(similarity)s)
                   ORDER BY e.edits, similarity(sw.word, typed.word) DESC, sw.word
                   LIMIT %(alternatives)s
              ) AS candidate
             WHERE length(typed.word) >= %(min_length)s
               AND typed.word NOT IN (SELECT word FROM known_words)
               -- A compound of two known words is no typo: "digitalpost".
               AND NOT EXISTS (SELECT 1 FROM split_pairs WHERE split_pairs.word = typed.word AND split_pairs.whole)
            UNION ALL
            SELECT typed.word, candidate.word AS correction
              FROM typed
              CROSS JOIN LATERAL (
                  SELECT sw.word FROM resources_searchword sw
                   WHERE sw.word %% typed.word AND sw.word <> typed.word
                     AND similarity(sw.word, typed.word) >= %(cognate_similarity)s
                   ORDER BY similarity(sw.word, typed.word) DESC, sw.word
                   LIMIT %(alternatives)s
              ) AS candidate
             WHERE length(typed.word) >= %(min_length)s
               AND typed.word IN (SELECT word FROM known_words)
        ),
        stems AS (
            SELECT DISTINCT typed.word, stem
              FROM typed,
                   unnest(%(stemming)s::regconfig[]) AS config,
                   unnest(tsvector_to_array(to_tsvector(config, typed.word))) AS stem
             WHERE length(stem) >= %(part_min_length)s
        ),
        part_words AS (
            -- Compounds containing the word's stem: "bibliotekskort" for "bibliotek" (stems under 5 letters: no).
            SELECT DISTINCT stems.word, candidate.word AS part
              FROM stems
              CROSS JOIN LATERAL (
                  SELECT sw.word FROM resources_searchword sw
                   WHERE sw.word LIKE '%%' || replace(stems.stem, '_', '\_') || '%%' AND sw.word <> stems.word
                   ORDER BY length(sw.word), sw.word
                   LIMIT %(parts)s
              ) AS candidate
        ),
        split_words AS (
            SELECT DISTINCT word, unnest(ARRAY[first, second]) AS part FROM split_pairs
        ),
        compound_candidates AS (
            -- Words typed apart that the records write as one, the modifier first, as typed or stemmed, with or
            -- without a linking letter: "slægt forskning" -> "slægtsforskning", "lyst til at læse" -> "læselyst",
            -- "bedrägerier på nätet" -> "nätbedrägerier".
            SELECT DISTINCT spans.phrase, stem || link || spans.head AS compound
              FROM unnest(%(spans)s::text[], %(heads)s::text[], %(modifiers)s::text[]) AS spans(phrase, head, modifier),
                   LATERAL (
                       SELECT spans.modifier
                       UNION SELECT unnest(tsvector_to_array(to_tsvector(config, spans.modifier)))
                         FROM unnest(ARRAY['swedish', 'danish', 'norwegian']::regconfig[]) AS config
                   ) AS stems(stem),
                   unnest(ARRAY['', 's', 'e']) AS link
        ),
        compound_words AS (
            SELECT DISTINCT compound_candidates.phrase, compound_candidates.compound
              FROM compound_candidates JOIN resources_searchword sw ON sw.word = compound_candidates.compound
        ),
        phrases(phrase) AS (
            -- Typed words and pairs, the neighbours and halves found above: "kildekrittik" reaches "källkritik".
            SELECT unnest(%(phrases)s::text[])
            UNION SELECT correction FROM close_words
            UNION SELECT part FROM split_words
            UNION SELECT compound FROM compound_words
        ),
        phrase_forms AS (
            -- Each phrase as a term of each language would be indexed: one join, not one per term.
            SELECT phrase, language, strip(to_tsvector(resources_search_config(language), phrase)) AS form
              FROM phrases, unnest(%(term_languages)s::text[]) AS language
             WHERE %(cross_language)s
        ),
        matching_groups AS (
            -- Looked up one phrase at a time in the index of migration 0015 (a merge join would stem every term).
            SELECT DISTINCT phrase_forms.phrase, term.group_id
              FROM phrase_forms
              CROSS JOIN LATERAL (
                  SELECT group_id FROM resources_term
                   WHERE language = phrase_forms.language
                     AND strip(to_tsvector(resources_search_config(language), text)) = phrase_forms.form
                  OFFSET 0  -- keeps the planner from flattening this into a merge join
              ) AS term
        ),
        candidates(spelling) AS (
            SELECT phrase FROM phrases
            UNION SELECT part FROM part_words
            UNION SELECT first || ' ' || second FROM split_pairs
            UNION SELECT lower(other.text)
                    FROM matching_groups JOIN resources_term other ON other.group_id = matching_groups.group_id
        ),
        lexemes AS (
            -- Each spelling stemmed in every indexed language, as one compact tsquery: 'bibliotek' | 'bibliotekern'.
            SELECT spelling, string_agg(DISTINCT '(' || stemmed || ')', ' | ') AS tsquery
              FROM candidates,
                   unnest(%(configs)s::regconfig[]) AS config,
                   LATERAL (SELECT plainto_tsquery(config, spelling)::text AS stemmed) AS query
             WHERE stemmed <> ''
             GROUP BY spelling
        )
        SELECT 'known', word, NULL FROM known_words
        UNION ALL SELECT 'similar', word, correction FROM close_words
        UNION ALL SELECT 'compound', phrase, compound FROM compound_words
        UNION ALL SELECT 'part', word, part FROM part_words
        UNION ALL SELECT 'split', word, part FROM split_words
        UNION ALL SELECT 'both halves', word, first || ' ' || second FROM split_pairs
        UNION ALL SELECT 'lexemes', spelling, tsquery FROM lexemes
        UNION ALL
        SELECT 'language', typed.word, unnest(sw.languages)
          FROM typed JOIN resources_searchword sw ON sw.word = typed.word
        UNION ALL
        SELECT 'language', close_words.word, unnest(sw.languages)
          FROM close_words JOIN resources_searchword sw ON sw.word = close_words.correction
         WHERE close_words.word NOT IN (SELECT word FROM known_words)
        UNION ALL
        SELECT 'equivalent', matching_groups.phrase, lower(other.text)
          FROM matching_groups
          JOIN resources_term other ON other.group_id = matching_groups.group_id
    """
    params: dict[str, Any] = {
        "words": words,
        "phrases": [*words, *dict.fromkeys(phrase.text for phrase in compounds)],
        "spans": [phrase.text for phrase in compounds],
        "heads": [words[phrase.head] for phrase in compounds],
        "modifiers": [words[phrase.modifier] for phrase in compounds],
        "links": list(LINKING_LETTERS),
        "two_edits_length": TWO_EDITS_LENGTH,
        "similarity": similarity,
        "alternatives": TYPO_ALTERNATIVES,
        "min_length": TYPO_MIN_LENGTH,
        "cognate_similarity": COGNATE_SIMILARITY,
        "part_min_length": PART_MIN_LENGTH,
        "parts": PARTS_PER_WORD,
        "split_min_length": SPLIT_MIN_LENGTH,
        "cross_language": cross_language,
        "term_languages": list(TermLanguage.values),
        "configs": list(CONFIGS),
        "stemming": list(indexing.STEMMING),
    }
    known: set[str] = set()
    similar: dict[str, list[str]] = {}
    compound_words: dict[str, list[str]] = {}
    both_halves: dict[str, list[str]] = {}
    parts: dict[str, list[str]] = {}
    halves: dict[str, list[str]] = {}
    equivalents: dict[str, list[str]] = {}
    lexemes: dict[str, str] = {}
    languages: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, word, other in rows:
        if kind == "known":
            known.add(word)
        elif kind == "similar":
            similar.setdefault(word, []).append(other)
        elif kind == "compound":
            compound_words.setdefault(word, []).append(other)
        elif kind == "both halves":
            both_halves.setdefault(word, []).append(other)
        elif kind == "part":
            parts.setdefault(word, []).append(other)
        elif kind == "split":
            halves.setdefault(word, []).append(other)
        elif kind == "lexemes":
            lexemes[word] = other
        elif kind == "language":
            languages.setdefault(word, set()).add(other)
        elif other != word:
            equivalents.setdefault(word, []).append(other)
    return Findings(known, similar, compound_words, parts, halves, both_halves, equivalents, lexemes, languages)


def search(queryset: QuerySet[Any], query: UnderstoodQuery) -> QuerySet[Any]:
    """Records matching any concept, annotated with ``rank`` (highest first when ordered by it)."""
    tsquery = query.tsquery()
    rank: Any = SearchRank(F("search_vector"), query.tsquery(halves=False), weights=WEIGHTS, normalization=Value(1))
    if query.expression(typed_only=True) != query.expression(halves=False):
        # The words as typed count for more than their alternatives.
        typed = query.tsquery(typed_only=True)
        rank += SearchRank(F("search_vector"), typed, weights=WEIGHTS, normalization=Value(1)) * Value(TYPED_BOOST)
    if query.expression(halves=False) != query.expression():
        # Halves of compounds count for less than whole words.
        rank += SearchRank(F("search_vector"), tsquery, weights=WEIGHTS, normalization=Value(1)) * Value(HALF_WEIGHT)
    if len(query.concepts) > 1:
        # Matching more of the concepts counts for more than matching one concept often.
        coverage = reduce(
            lambda total, matched: total + matched,  # type: ignore[arg-type,return-value]
            (
                Func(
                    F("search_vector"),
                    concept.tsquery(),
                    template="(%(expressions)s)::int",
                    arg_joiner=" @@ ",
                    output_field=IntegerField(),
                )
                for concept in query.concepts
            ),
        )
        rank = Func(rank, coverage, template="%(expressions)s", arg_joiner=" * ", output_field=FloatField())
    if query.languages:
        rank = rank * Case(
            When(language__in=query.languages, then=Value(1 + query.language_boost)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    return queryset.filter(search_vector=tsquery).annotate(rank=rank)


# How close a spelling must be to a word the vocabulary knows to be suggested when the words found nothing.
LOOSE_SIMILARITY = 0.3


def did_you_mean(
    queryset: QuerySet[Any], text: str, query: UnderstoodQuery, *, found: bool, cross_language: bool = True
) -> str:
    """The corrected ``text`` to suggest, if each corrected word occurs in a record of ``queryset``; else empty.

    The corrections come from the vocabulary, which holds the words of every record, drafts too: a word is
    suggested only when a record of ``queryset`` (the public ones) has it itself, not merely its halves or a
    word like it. When ``query`` (``text`` understood) ``found`` nothing, the words are understood again with
    looser spelling, to look further afield for one that finds something.
    """
    if not found:
        query = understand(text, cross_language=cross_language, similarity=LOOSE_SIMILARITY)
    suggestion = query.suggestion()
    return suggestion if suggestion and all_occur(queryset, query, set(query.corrections.values())) else ""


def all_occur(queryset: QuerySet[Any], query: UnderstoodQuery, spellings: Iterable[str]) -> bool:
    """Whether each spelling (one of ``query``'s), in any of its stems, occurs in some record of ``queryset``;
    in one query."""
    checks = []
    for spelling in spellings:
        tsquery = SearchQuery(query.lexemes.get(spelling) or "''", config="simple", search_type="raw")
        checks.append(queryset.filter(search_vector=tsquery).values("pk")[:1].query.sql_with_params())
    if not checks:
        return True
    sql = " AND ".join(f"EXISTS ({check_sql})" for check_sql, _params in checks)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [param for _sql, params in checks for param in params])
        (found,) = cursor.fetchone()
    return bool(found)


def snippets(model: type[Any], ids: Iterable[int], query: UnderstoodQuery, *, field_name: str) -> dict[int, SafeString]:
    """Highlighted excerpts of ``field_name`` for the given records, safe to put on a page.

    The text is escaped first; only our own <mark> elements are markup.
    """
    rows = (
        model.objects.filter(pk__in=list(ids))
        .annotate(
            snippet=SearchHeadline(
                field_name,
                query.tsquery(),
                config=Func(F("language"), function="resources_search_config"),
                start_sel=MARK_START,
                stop_sel=MARK_END,
                # Summaries are short: show all of it, with the matches marked.
                highlight_all=True,
            )
        )
        .values_list("pk", "snippet")
    )
    return {pk: highlight(snippet) for pk, snippet in rows}


def highlight(snippet: str) -> SafeString:
    marked = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(marked)


@dataclass(frozen=True)
class Facet:
    """A count of matching records per value. ``sql`` selects (value, label, count) from ``hits``."""

    name: str
    sql: str

    @classmethod
    def of_column(cls, name: str) -> Facet:
        """The plain case: one count per value of the ``hits`` column of that name."""
        return cls(name, f"SELECT {name}::text AS value, NULL::text AS label, count(*) AS count FROM hits GROUP BY 1")


@dataclass(frozen=True)
class Counted:
    """How many records a search found, and its facet counts: exact, or estimated from a sample. ``population``:
    about how many records the table holds (the planner's statistics)."""

    total: int
    facets: dict[str, list[tuple[str, str, int]]]
    estimated: bool = False
    population: int = 0
    # The ids of every hit, when they were counted exactly (not estimated).
    ids: list[int] | None = None


def counted(queryset: QuerySet[Any], facets: Sequence[Facet], columns: Sequence[str]) -> Counted:
    """The number of records of ``queryset`` and their count per value of each facet, every hit counted, in one
    query (for the smaller tables; the catalogue's resources use ``counted_with_facets``).

    ``columns`` are the fields the facets' SQL reads from ``hits`` (``id`` is always there).
    """
    hits_sql, hits_params = queryset.order_by().values("id", *columns).query.sql_with_params()
    parts = [f"(SELECT %s, value, label, count FROM ({facet.sql}) AS {facet.name})" for facet in facets]
    sql = f"""
        WITH hits AS MATERIALIZED ({hits_sql})
        SELECT NULL::text, NULL::text, NULL::text, count(*) FROM hits
        UNION ALL {" UNION ALL ".join(parts)}
    """
    params = [*hits_params, *(facet.name for facet in facets)]
    total = 0
    counts: dict[str, list[tuple[str, str, int]]] = {facet.name: [] for facet in facets}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, label, count in cursor.fetchall():
            if name is None:
                total = count
            else:
                counts[name].append((str(value), label or "", count))
    return Counted(total=total, facets=counts)


# Above this many times what is counted exactly, the planner's guess of a search's hits makes the sample come first
# (on the generated catalogues it guessed 1.5 to 2.3 times the true number).
BROAD_GUESS = 4


def counted_with_facets(
    queryset: QuerySet[Any],
    facets: Sequence[Facet],
    columns: Sequence[str],
    *,
    exact_up_to: int,
    sample_rows: int,
) -> Counted:
    """The number of records of ``queryset`` and their facet counts, in one query whatever the number of hits.

    Up to ``exact_up_to`` hits everything is counted. Beyond, the same conditions are applied to a sample of the
    table's pages (TABLESAMPLE SYSTEM, about ``sample_rows`` rows, the same pages on every call) and every
    figure is scaled up from it: the work stays the same however many records match, and the counts are
    estimates (never fewer than ``exact_up_to`` + 1 in total). Values rare among the hits may be missing.
    Counted exactly, the hits' ids come back too, so that the caller can order them without matching again.

    Finding the first ``exact_up_to`` + 1 hits of a word in a third of the catalogue costs more than the sample
    itself. So when the planner expects many times that number, the sample is looked at first, and its hits
    are counted exactly only if the sample does not bear the planner out (it guesses, and can be far off when
    the words and filters go together less often than their shares suggest).
    """
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    hits_sql, hits_params = queryset.order_by().values("id", *columns).query.sql_with_params()
    sampled_sql = hits_sql.replace(
        f"FROM {table}", f"FROM {table} TABLESAMPLE SYSTEM ((SELECT percent FROM sample)) REPEATABLE (0)", 1
    )
    parts = [
        f"(SELECT %s::text, value, label, count, NULL::bigint[] FROM ({facet.sql}) AS {facet.name})" for facet in facets
    ]
    limit = int(exact_up_to) + 1
    likely_broad = planned_rows(hits_sql, hits_params) > BROAD_GUESS * limit
    # Evaluated in order: with a likely broad search, ``first`` is only read when the sample finds too few hits.
    overflow = f"""
        CASE WHEN {likely_broad} AND (SELECT count(*) FROM sampled) * 100 / (SELECT percent FROM sample) > 2 * {limit}
             THEN true
             ELSE (SELECT count(*) = {limit} FROM first)
        END"""
    sql = f"""
        WITH first AS MATERIALIZED ({hits_sql} LIMIT {limit}),
        sample AS (
            SELECT least(100, 100 * %s / greatest(reltuples, 1))::float8 AS percent, greatest(reltuples, 0) AS rows
              FROM pg_class WHERE oid = %s::regclass
        ),
        sampled AS MATERIALIZED ({sampled_sql}),
        overflow AS (SELECT {overflow} AS sampled),
        hits AS MATERIALIZED (
            SELECT * FROM first WHERE NOT (SELECT sampled FROM overflow)
            UNION ALL
            SELECT * FROM sampled WHERE (SELECT sampled FROM overflow)
        )
        SELECT (SELECT rows FROM sample)::bigint::text, (SELECT percent FROM sample)::text,
               (SELECT sampled FROM overflow)::text, count(*),
               CASE WHEN NOT (SELECT sampled FROM overflow) THEN array_agg(id)::bigint[] END
          FROM hits
        UNION ALL {" UNION ALL ".join(parts)}
    """
    params = [*hits_params, sample_rows, queryset.model._meta.db_table, *hits_params]
    params += [facet.name for facet in facets]
    counts: dict[str, list[tuple[str, str, int]]] = {facet.name: [] for facet in facets}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    (population, percent, sampled, hits, ids), *facet_rows = rows
    if sampled != "true":
        for name, value, label, count, _ids in facet_rows:
            counts[name].append((str(value), label or "", count))
        return Counted(total=hits, facets=counts, population=int(population), ids=ids or [])
    scale = 100 / float(percent)
    for name, value, label, count, _ids in facet_rows:
        counts[name].append((str(value), label or "", about(count * scale)))
    return Counted(total=max(about(hits * scale), limit), facets=counts, estimated=True, population=int(population))


def planned_rows(sql: str, params: Sequence[Any]) -> int:
    """How many rows the planner expects ``sql`` to return: a guess from its statistics, but almost free."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    return int(plan[0]["Plan"]["Plan Rows"])


def about(number: float) -> int:
    """A number rounded to two significant figures, as an estimate is shown: 12345 -> 12000, 987 -> 990."""
    rounded = round(number)
    if rounded < 100:
        return max(rounded, 1)
    magnitude = 10 ** (len(str(rounded)) - 2)
    return round(rounded / magnitude) * magnitude
