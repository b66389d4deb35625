"""Record a word's language without locking the vocabulary rows that already know it.

``INSERT ... ON CONFLICT DO UPDATE`` locks every conflicting row, even those its ``WHERE`` leaves alone, so
two transactions saving resources with common words waited for each other and, taking the rows in different
orders, could deadlock. Only words new to the vocabulary, or new in a language, are written now, in word
order.
"""

from django.db import migrations

REMEMBER = r"""
CREATE OR REPLACE FUNCTION resources_remember_words(texts text[], languages text[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO resources_searchword AS known (word, languages)
  SELECT found.word, found.languages
    FROM (
      SELECT word, coalesce(array_agg(DISTINCT record.language ORDER BY record.language)
                            FILTER (WHERE record.language <> ''), '{}') AS languages
        FROM unnest(texts, languages) AS record(content, language),
             resources_words(record.content) AS word
       GROUP BY word
    ) AS found
   WHERE NOT EXISTS (
     SELECT 1 FROM resources_searchword already
      WHERE already.word = found.word AND already.languages::text[] @> found.languages
   )
   ORDER BY found.word
  ON CONFLICT (word) DO UPDATE
     SET languages = ARRAY(SELECT DISTINCT unnest(known.languages || EXCLUDED.languages) ORDER BY 1)
   WHERE NOT known.languages @> EXCLUDED.languages
$$;
"""

FORMER = r"""
CREATE OR REPLACE FUNCTION resources_remember_words(texts text[], languages text[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO resources_searchword AS known (word, languages)
  SELECT word, coalesce(array_agg(DISTINCT record.language ORDER BY record.language)
                        FILTER (WHERE record.language <> ''), '{}')
    FROM unnest(texts, languages) AS record(content, language),
         resources_words(record.content) AS word
   GROUP BY word
  ON CONFLICT (word) DO UPDATE
     SET languages = ARRAY(SELECT DISTINCT unnest(known.languages || EXCLUDED.languages) ORDER BY 1)
   WHERE NOT known.languages @> EXCLUDED.languages
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("resources", "0015_filter_indexes")]

    operations = [migrations.RunSQL(REMEMBER, FORMER)]
