-- Generated from resources/indexing.py by `manage.py search_sql`: change it, not this file.

-- The text-search configuration a record is stemmed with, by its language (its first subtag).
CREATE OR REPLACE FUNCTION resources_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE split_part(lower(coalesce(language, '')), '-', 1)
    WHEN 'sv' THEN 'pg_catalog.swedish'
    WHEN 'da' THEN 'pg_catalog.danish'
    WHEN 'nb' THEN 'pg_catalog.norwegian'
    WHEN 'nn' THEN 'pg_catalog.norwegian'
    WHEN 'no' THEN 'pg_catalog.norwegian'
    WHEN 'en' THEN 'pg_catalog.english'
    ELSE 'pg_catalog.simple' END)::regconfig
$$;

-- The words of a text the vocabulary keeps: three to a hundred letters, not starting with a digit.
CREATE OR REPLACE FUNCTION resources_words(content text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT word
    FROM unnest(tsvector_to_array(to_tsvector('pg_catalog.simple', coalesce(content, '')))) AS word
   WHERE length(word) BETWEEN 3 AND 100 AND word !~ '^[0-9]'
$$;

-- Words of several texts, each in its language: added to the vocabulary, or their language added to it. Only
-- words new to the vocabulary, or new in a language, are written, in word order: no locks on the rows that
-- already know them (see migration 0016).
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
