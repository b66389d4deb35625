-- Generated from the declaration of SchoolOffer's search index (resources/indexes.py) by
-- `manage.py search_sql`: change the declaration, not this file.

-- Each offer's search vector: title A, subjects and areas (names in four languages) B, summary C, description D, the library's place D.
CREATE OR REPLACE FUNCTION resources_offer_search_document(offer resources_schooloffer) RETURNS tsvector
LANGUAGE plpgsql STABLE AS $$
DECLARE
  config regconfig := resources_search_config(offer.language);
  subjects_sv text;
  subjects_da text;
  subjects_nb text;
  subjects_en text;
  areas_sv text;
  areas_da text;
  areas_nb text;
  areas_en text;
  place text;
BEGIN
  SELECT string_agg(named.name, ' '), string_agg(named.name_da, ' '), string_agg(named.name_nb, ' '), string_agg(named.name_en, ' ')
    INTO subjects_sv, subjects_da, subjects_nb, subjects_en
    FROM resources_schooloffer_subjects link
    JOIN resources_subject named ON named.id = link.subject_id
   WHERE link.schooloffer_id = offer.id;
  SELECT string_agg(named.name, ' '), string_agg(named.name_da, ' '), string_agg(named.name_nb, ' '), string_agg(named.name_en, ' ')
    INTO areas_sv, areas_da, areas_nb, areas_en
    FROM resources_schooloffer_areas link
    JOIN resources_knowledgearea named ON named.id = link.knowledgearea_id
   WHERE link.schooloffer_id = offer.id;
  SELECT concat_ws(' ', library.name, library.municipality, library.city) INTO place
    FROM teams_library library
   WHERE library.id = offer.library_id;
  RETURN setweight(to_tsvector(config, coalesce(offer.title, '')), 'A')
      || setweight(to_tsvector('pg_catalog.swedish', concat_ws(' ', subjects_sv, areas_sv)), 'B')
      || setweight(to_tsvector('pg_catalog.danish', concat_ws(' ', subjects_da, areas_da)), 'B')
      || setweight(to_tsvector('pg_catalog.norwegian', concat_ws(' ', subjects_nb, areas_nb)), 'B')
      || setweight(to_tsvector('pg_catalog.english', concat_ws(' ', subjects_en, areas_en)), 'B')
      || setweight(to_tsvector(config, coalesce(offer.summary, '')), 'C')
      || setweight(to_tsvector(config, coalesce(offer.description, '')), 'D')
      || setweight(to_tsvector('pg_catalog.simple', coalesce(place, '')), 'D');
END
$$;

CREATE OR REPLACE FUNCTION resources_refresh_offer_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE resources_schooloffer AS offer
     SET search_vector = resources_offer_search_document(offer)
   WHERE offer.id = ANY(ids)
$$;

-- Each offer's own text, language and place.
CREATE OR REPLACE FUNCTION resources_offer_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := resources_offer_search_document(NEW);
  RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER resources_offer_search
  BEFORE INSERT OR UPDATE OF title, summary, description, language, library_id ON resources_schooloffer
  FOR EACH ROW EXECUTE FUNCTION resources_offer_search_row();

-- Its words, in its language, into the search vocabulary.
CREATE OR REPLACE FUNCTION resources_offer_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(concat_ws(' ', title, summary, description)), array_agg(language))
     FROM changed_rows;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_offer_words_inserted
  AFTER INSERT ON resources_schooloffer REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_words_inserted();
CREATE OR REPLACE FUNCTION resources_offer_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(ARRAY[concat_ws(' ', NEW.title, NEW.summary, NEW.description)], ARRAY[NEW.language]);
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_offer_words_updated
  AFTER UPDATE OF title, summary, description, language ON resources_schooloffer
  FOR EACH ROW EXECUTE FUNCTION resources_offer_words_updated();

-- subjects linked to or unlinked from the records.
CREATE OR REPLACE FUNCTION resources_offer_subjects_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(SELECT DISTINCT schooloffer_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_offer_subjects_inserted
  AFTER INSERT ON resources_schooloffer_subjects REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_subjects_changed();
CREATE OR REPLACE TRIGGER resources_offer_subjects_deleted
  AFTER DELETE ON resources_schooloffer_subjects REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_subjects_changed();

-- areas linked to or unlinked from the records.
CREATE OR REPLACE FUNCTION resources_offer_areas_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(SELECT DISTINCT schooloffer_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_offer_areas_inserted
  AFTER INSERT ON resources_schooloffer_areas REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_areas_changed();
CREATE OR REPLACE TRIGGER resources_offer_areas_deleted
  AFTER DELETE ON resources_schooloffer_areas REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_areas_changed();
