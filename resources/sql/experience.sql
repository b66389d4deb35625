-- Generated from the declaration of Experience's search index (resources/indexes.py) by
-- `manage.py search_sql`: change the declaration, not this file.

-- Each experience's search vector: title A, tags B, knowledge_areas (names in four languages) B, summary C, what_we_did and why and result and differently and partners and goals and funding and funder D, the library's place D.
CREATE OR REPLACE FUNCTION resources_experience_search_document(entry teams_experience) RETURNS tsvector
LANGUAGE plpgsql STABLE AS $$
DECLARE
  config regconfig := resources_search_config(entry.language);
  knowledge_areas_sv text;
  knowledge_areas_da text;
  knowledge_areas_nb text;
  knowledge_areas_en text;
  place text;
BEGIN
  SELECT string_agg(named.name, ' '), string_agg(named.name_da, ' '), string_agg(named.name_nb, ' '), string_agg(named.name_en, ' ')
    INTO knowledge_areas_sv, knowledge_areas_da, knowledge_areas_nb, knowledge_areas_en
    FROM resources_knowledgearea_experiences link
    JOIN resources_knowledgearea named ON named.id = link.knowledgearea_id
   WHERE link.experience_id = entry.id;
  SELECT concat_ws(' ', library.name, library.municipality, library.city) INTO place
    FROM teams_library library
   WHERE library.id = entry.library_id;
  RETURN setweight(to_tsvector(config, coalesce(entry.title, '')), 'A')
      || setweight(to_tsvector(config, array_to_string(entry.tags, ' ')), 'B')
      || setweight(to_tsvector('pg_catalog.swedish', concat_ws(' ', knowledge_areas_sv)), 'B')
      || setweight(to_tsvector('pg_catalog.danish', concat_ws(' ', knowledge_areas_da)), 'B')
      || setweight(to_tsvector('pg_catalog.norwegian', concat_ws(' ', knowledge_areas_nb)), 'B')
      || setweight(to_tsvector('pg_catalog.english', concat_ws(' ', knowledge_areas_en)), 'B')
      || setweight(to_tsvector(config, coalesce(entry.summary, '')), 'C')
      || setweight(to_tsvector(config, concat_ws(' ', entry.what_we_did, entry.why, entry.result, entry.differently, entry.partners, entry.goals, entry.funding, entry.funder)), 'D')
      || setweight(to_tsvector('pg_catalog.simple', coalesce(place, '')), 'D');
END
$$;

CREATE OR REPLACE FUNCTION resources_refresh_experience_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE teams_experience AS entry
     SET search_vector = resources_experience_search_document(entry)
   WHERE entry.id = ANY(ids)
$$;

-- Each experience's own text, language and place.
CREATE OR REPLACE FUNCTION resources_experience_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := resources_experience_search_document(NEW);
  RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER resources_experience_search
  BEFORE INSERT OR UPDATE OF title, summary, what_we_did, why, result, differently, partners, goals, funding, funder, tags, language, library_id ON teams_experience
  FOR EACH ROW EXECUTE FUNCTION resources_experience_search_row();

-- Its words, in its language, into the search vocabulary.
CREATE OR REPLACE FUNCTION resources_experience_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(concat_ws(' ', title, summary, what_we_did, result, array_to_string(tags, ' '))), array_agg(language))
     FROM changed_rows;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_experience_words_inserted
  AFTER INSERT ON teams_experience REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_words_inserted();
CREATE OR REPLACE FUNCTION resources_experience_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(ARRAY[concat_ws(' ', NEW.title, NEW.summary, NEW.what_we_did, NEW.result, array_to_string(NEW.tags, ' '))], ARRAY[NEW.language]);
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_experience_words_updated
  AFTER UPDATE OF title, summary, what_we_did, result, tags, language ON teams_experience
  FOR EACH ROW EXECUTE FUNCTION resources_experience_words_updated();

-- knowledge_areas linked to or unlinked from the records.
CREATE OR REPLACE FUNCTION resources_experience_areas_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_experience_search(ARRAY(SELECT DISTINCT experience_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_experience_areas_inserted
  AFTER INSERT ON resources_knowledgearea_experiences REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_areas_changed();
CREATE OR REPLACE TRIGGER resources_experience_areas_deleted
  AFTER DELETE ON resources_knowledgearea_experiences REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_areas_changed();
