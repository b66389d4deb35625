"""Remember which languages each vocabulary word is written in, so search can tell a query's language.

"bibliotekerne" occurs in Danish records only, "biblioteken" in Swedish ones: a person who types them
most likely reads that language, and records in it rank a little higher. The word triggers of migrations
0003, 0008 and 0011 are redefined to record the language of the text each word came from (knowledge-area
and subject names in each of theirs; tag names have no language of their own).
"""

import django.contrib.postgres.fields
from django.db import migrations, models

REMEMBER = r"""
ALTER TABLE resources_searchword ALTER COLUMN languages SET DEFAULT '{}';

-- Words of several texts, each in its language: added to the vocabulary, or their language added to it.
CREATE FUNCTION resources_remember_words(texts text[], languages text[]) RETURNS void
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

CREATE OR REPLACE FUNCTION resources_resource_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(concat_ws(' ', title, summary, description)), array_agg(language))
     FROM changed_rows;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION resources_resource_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(ARRAY[concat_ws(' ', NEW.title, NEW.summary, NEW.description)], ARRAY[NEW.language]);
  RETURN NULL;
END
$$;
DROP TRIGGER resources_resource_words_updated ON resources_resource;
CREATE TRIGGER resources_resource_words_updated
  AFTER UPDATE OF title, summary, description, language ON resources_resource
  FOR EACH ROW EXECUTE FUNCTION resources_resource_words_updated();

CREATE OR REPLACE FUNCTION resources_tag_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT object_id FROM taggit_taggeditem
     WHERE tag_id = NEW.id AND content_type_id = resources_resource_content_type()
  ));
  PERFORM resources_remember_words(ARRAY[NEW.name], ARRAY['']);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION resources_tags_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(name), array_agg(''::text)) FROM changed_rows;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION resources_area_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT resource_id FROM resources_resource_areas WHERE knowledgearea_id = NEW.id
  ));
  PERFORM resources_remember_words(
    ARRAY[NEW.name, NEW.name_da, NEW.name_nb, NEW.name_en], ARRAY['sv', 'da', 'nb', 'en']
  );
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION resources_offer_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(concat_ws(' ', title, summary, description)), array_agg(language))
     FROM changed_rows;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION resources_offer_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(ARRAY[concat_ws(' ', NEW.title, NEW.summary, NEW.description)], ARRAY[NEW.language]);
  RETURN NULL;
END
$$;
DROP TRIGGER resources_offer_words_updated ON resources_schooloffer;
CREATE TRIGGER resources_offer_words_updated
  AFTER UPDATE OF title, summary, description, language ON resources_schooloffer
  FOR EACH ROW EXECUTE FUNCTION resources_offer_words_updated();

CREATE OR REPLACE FUNCTION resources_subject_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(
    SELECT schooloffer_id FROM resources_schooloffer_subjects WHERE subject_id = NEW.id
  ));
  PERFORM resources_remember_words(
    ARRAY[NEW.name, NEW.name_da, NEW.name_nb, NEW.name_en], ARRAY['sv', 'da', 'nb', 'en']
  );
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION resources_experience_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(
    array_agg(concat_ws(' ', title, summary, what_we_did, result, array_to_string(tags, ' '))), array_agg(language)
  ) FROM changed_rows;
  RETURN NULL;
END
$$;

-- The words already known: their languages, from the texts they came from.
SELECT resources_remember_words(array_agg(concat_ws(' ', title, summary, description)), array_agg(language))
  FROM resources_resource;
SELECT resources_remember_words(array_agg(concat_ws(' ', title, summary, description)), array_agg(language))
  FROM resources_schooloffer;
SELECT resources_remember_words(
  array_agg(concat_ws(' ', title, summary, what_we_did, result, array_to_string(tags, ' '))), array_agg(language)
) FROM teams_experience;
SELECT resources_remember_words(names.texts, names.languages)
  FROM (
    SELECT array_agg(name ORDER BY language) AS texts, array_agg(language ORDER BY language) AS languages
      FROM (
        SELECT unnest(ARRAY[name, name_da, name_nb, name_en]) AS name, unnest(ARRAY['sv', 'da', 'nb', 'en']) AS language
          FROM resources_knowledgearea
        UNION ALL
        SELECT unnest(ARRAY[name, name_da, name_nb, name_en]), unnest(ARRAY['sv', 'da', 'nb', 'en'])
          FROM resources_subject
      ) AS named
  ) AS names;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0012_resource_tags_in_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="languages",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=20), blank=True, default=list, size=None
            ),
        ),
        # Not reversible: the triggers of 0003, 0008 and 0011 now write the new column.
        migrations.RunSQL(REMEMBER),
    ]
