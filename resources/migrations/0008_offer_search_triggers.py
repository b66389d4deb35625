"""Keep school offers' search vectors and the search vocabulary right, inside the database.

The same engine as resources (migration 0003): each offer is stemmed in its own language's configuration;
title weighs most, then subjects and knowledge areas (names in all four languages), then the summary, then
the description and where the offer is held (the library's name, municipality and city). Triggers rebuild an
offer's vector when its text, subjects, areas, a subject's or area's names or its library's name or place
change; new words go into the vocabulary search uses for typos and compounds.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION resources_offer_search_document(offer resources_schooloffer) RETURNS tsvector
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
  SELECT string_agg(subject.name, ' '), string_agg(subject.name_da, ' '),
         string_agg(subject.name_nb, ' '), string_agg(subject.name_en, ' ')
    INTO subjects_sv, subjects_da, subjects_nb, subjects_en
    FROM resources_schooloffer_subjects link
    JOIN resources_subject subject ON subject.id = link.subject_id
   WHERE link.schooloffer_id = offer.id;
  SELECT string_agg(area.name, ' '), string_agg(area.name_da, ' '),
         string_agg(area.name_nb, ' '), string_agg(area.name_en, ' ')
    INTO areas_sv, areas_da, areas_nb, areas_en
    FROM resources_schooloffer_areas link
    JOIN resources_knowledgearea area ON area.id = link.knowledgearea_id
   WHERE link.schooloffer_id = offer.id;
  SELECT concat_ws(' ', library.name, library.municipality, library.city) INTO place
    FROM teams_library library
   WHERE library.id = offer.library_id;
  RETURN setweight(to_tsvector(config, coalesce(offer.title, '')), 'A')
      || setweight(to_tsvector('pg_catalog.swedish', concat_ws(' ', subjects_sv, areas_sv))
                   || to_tsvector('pg_catalog.danish', concat_ws(' ', subjects_da, areas_da))
                   || to_tsvector('pg_catalog.norwegian', concat_ws(' ', subjects_nb, areas_nb))
                   || to_tsvector('pg_catalog.english', concat_ws(' ', subjects_en, areas_en)), 'B')
      || setweight(to_tsvector(config, coalesce(offer.summary, '')), 'C')
      || setweight(to_tsvector(config, coalesce(offer.description, ''))
                   || to_tsvector('pg_catalog.simple', coalesce(place, '')), 'D');
END
$$;

CREATE FUNCTION resources_refresh_offer_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE resources_schooloffer AS offer
     SET search_vector = resources_offer_search_document(offer)
   WHERE offer.id = ANY(ids)
$$;

-- An offer's own text, language and library.
CREATE FUNCTION resources_offer_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := resources_offer_search_document(NEW);
  RETURN NEW;
END
$$;
CREATE TRIGGER resources_offer_search
  BEFORE INSERT OR UPDATE OF title, summary, description, language, library_id ON resources_schooloffer
  FOR EACH ROW EXECUTE FUNCTION resources_offer_search_row();

CREATE FUNCTION resources_offer_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resources_searchword (word)
  SELECT DISTINCT resources_words(concat_ws(' ', title, summary, description)) FROM changed_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_offer_words_inserted
  AFTER INSERT ON resources_schooloffer REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_words_inserted();

CREATE FUNCTION resources_offer_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resources_searchword (word)
  SELECT resources_words(concat_ws(' ', NEW.title, NEW.summary, NEW.description))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_offer_words_updated
  AFTER UPDATE OF title, summary, description ON resources_schooloffer
  FOR EACH ROW EXECUTE FUNCTION resources_offer_words_updated();

-- Subjects and knowledge areas linked to or unlinked from offers.
CREATE FUNCTION resources_offer_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(SELECT DISTINCT schooloffer_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_offer_subjects_inserted
  AFTER INSERT ON resources_schooloffer_subjects REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_links_changed();
CREATE TRIGGER resources_offer_subjects_deleted
  AFTER DELETE ON resources_schooloffer_subjects REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_links_changed();
CREATE TRIGGER resources_offer_areas_inserted
  AFTER INSERT ON resources_schooloffer_areas REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_links_changed();
CREATE TRIGGER resources_offer_areas_deleted
  AFTER DELETE ON resources_schooloffer_areas REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_offer_links_changed();

-- A subject added or renamed, in any language.
CREATE FUNCTION resources_subject_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(
    SELECT schooloffer_id FROM resources_schooloffer_subjects WHERE subject_id = NEW.id
  ));
  INSERT INTO resources_searchword (word)
  SELECT resources_words(concat_ws(' ', NEW.name, NEW.name_da, NEW.name_nb, NEW.name_en))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_subject_renamed
  AFTER INSERT OR UPDATE OF name, name_da, name_nb, name_en ON resources_subject
  FOR EACH ROW EXECUTE FUNCTION resources_subject_renamed();

-- A knowledge area renamed (resources' own trigger from 0003 refreshes the resources).
CREATE FUNCTION resources_area_renamed_for_offers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(
    SELECT schooloffer_id FROM resources_schooloffer_areas WHERE knowledgearea_id = NEW.id
  ));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_area_renamed_for_offers
  AFTER UPDATE OF name, name_da, name_nb, name_en ON resources_knowledgearea
  FOR EACH ROW EXECUTE FUNCTION resources_area_renamed_for_offers();

-- A library renamed or moved.
CREATE FUNCTION resources_library_changed_for_offers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(
    SELECT id FROM resources_schooloffer WHERE library_id = NEW.id
  ));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_library_changed_for_offers
  AFTER UPDATE OF name, municipality, city ON teams_library
  FOR EACH ROW WHEN (
    OLD.name IS DISTINCT FROM NEW.name
    OR OLD.municipality IS DISTINCT FROM NEW.municipality
    OR OLD.city IS DISTINCT FROM NEW.city
  )
  EXECUTE FUNCTION resources_library_changed_for_offers();
"""

BACKWARD = r"""
DROP TRIGGER resources_library_changed_for_offers ON teams_library;
DROP TRIGGER resources_area_renamed_for_offers ON resources_knowledgearea;
DROP TRIGGER resources_subject_renamed ON resources_subject;
DROP TRIGGER resources_offer_areas_deleted ON resources_schooloffer_areas;
DROP TRIGGER resources_offer_areas_inserted ON resources_schooloffer_areas;
DROP TRIGGER resources_offer_subjects_deleted ON resources_schooloffer_subjects;
DROP TRIGGER resources_offer_subjects_inserted ON resources_schooloffer_subjects;
DROP TRIGGER resources_offer_words_updated ON resources_schooloffer;
DROP TRIGGER resources_offer_words_inserted ON resources_schooloffer;
DROP TRIGGER resources_offer_search ON resources_schooloffer;
DROP FUNCTION resources_library_changed_for_offers();
DROP FUNCTION resources_area_renamed_for_offers();
DROP FUNCTION resources_subject_renamed();
DROP FUNCTION resources_offer_links_changed();
DROP FUNCTION resources_offer_words_updated();
DROP FUNCTION resources_offer_words_inserted();
DROP FUNCTION resources_offer_search_row();
DROP FUNCTION resources_refresh_offer_search(bigint[]);
DROP FUNCTION resources_offer_search_document(resources_schooloffer);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0007_school_offers"),
        ("teams", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
