"""Typos with two edits, missing or other diacritics, and swapped letters (see ``resources.search``).

- ``fuzzystrmatch`` gives ``levenshtein``, the edits between two words;
- ``resources_search_fold(word)`` spells a word without diacritics, as typed on a keyboard without them
  (*källkritik*, *kaellkritik* and *kallkritik* all fold to *kallkritik*; Danish *aa* is *å*);
- ``resources_search_swaps(word)`` is the word with each pair of neighbours swapped: a short word with a swap
  shares too few trigrams with the word meant to be found by similarity ("budegt", "budget"), and a swap
  counts as one edit, not two;
- a trigram index on the folded vocabulary finds the candidates in one index scan.

Also seeds the term groups added to ``resources/data/search_terms.json`` since migration 0004 (words of language
learning: beginner, course), adding only groups whose concept is not there.
"""

import importlib

from django.db import migrations

seed_terms = importlib.import_module("resources.migrations.0004_seed_search_terms")

FUNCTIONS = r"""
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE FUNCTION resources_search_fold(word text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT translate(replace(replace(replace(lower(word), 'aa', 'a'), 'ae', 'a'), 'oe', 'o'),
                   'åäæøöéèüáà', 'aaaooeeuaa')
$$;

CREATE FUNCTION resources_search_swaps(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(left(word, i - 1) || substr(word, i + 1, 1) || substr(word, i, 1) || substr(word, i + 2)),
                  '{}')
    FROM generate_series(1, length(word) - 1) AS i
$$;

CREATE INDEX resources_searchword_fold_trgm ON resources_searchword
 USING gin (resources_search_fold(word) gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS resources_searchword_fold_trgm;
DROP FUNCTION IF EXISTS resources_search_swaps(text);
DROP FUNCTION IF EXISTS resources_search_fold(text);
"""


class Migration(migrations.Migration):
    dependencies = [("resources", "0024_search_declared")]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP),
        migrations.RunPython(seed_terms.seed, migrations.RunPython.noop),
    ]
