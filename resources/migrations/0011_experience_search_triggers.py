"""Keep exchange-bank entries' search vectors and the search vocabulary right, inside the database.

The same engine as resources (migration 0003) and school offers (0008): each entry is stemmed in its own
language's configuration; the title weighs most, then tags and knowledge areas (names in all four languages),
then the summary, then the texts, partners, goals and the library's name and place. Triggers rebuild an entry's
vector when its text, areas, an area's names or its library change; new words go into the search vocabulary.
The table lives in teams (``teams_experience``); the triggers read knowledge areas, so they live here.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION resources_experience_search_document(entry teams_experience) RETURNS tsvector
LANGUAGE plpgsql STABLE AS $$
DECLARE
  config regconfig := resources_search_config(entry.language);
  areas_sv text;
  areas_da text;
  areas_nb text;
  areas_en text;
  place text;
BEGIN
  SELECT string_agg(area.name, ' '), string_agg(area.name_da, ' '),
         string_agg(area.name_nb, ' '), string_agg(area.name_en, ' ')
    INTO areas_sv, areas_da, areas_nb, areas_en
    FROM resources_knowledgearea_experiences link
    JOIN resources_knowledgearea area ON area.id = link.knowledgearea_id
   WHERE link.experience_id = entry.id;
  SELECT concat_ws(' ', library.name, library.municipality, library.city) INTO place
    FROM teams_library library
   WHERE library.id = entry.library_id;
  RETURN setweight(to_tsvector(config, coalesce(entry.title, '')), 'A')
      || setweight(to_tsvector(config, array_to_string(entry.tags, ' ')), 'B')
      || setweight(to_tsvector('pg_catalog.swedish', coalesce(areas_sv, ''))
                   || to_tsvector('pg_catalog.danish', coalesce(areas_da, ''))
                   || to_tsvector('pg_catalog.norwegian', coalesce(areas_nb, ''))
                   || to_tsvector('pg_catalog.english', coalesce(areas_en, '')), 'B')
      || setweight(to_tsvector(config, coalesce(entry.summary, '')), 'C')
      || setweight(to_tsvector(config, concat_ws(' ', entry.what_we_did, entry.why, entry.result, entry.differently,
                                                 entry.partners, entry.goals, entry.funding, entry.funder))
                   || to_tsvector('pg_catalog.simple', coalesce(place, '')), 'D');
END
$$;

CREATE FUNCTION resources_refresh_experience_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE teams_experience AS entry
     SET search_vector = resources_experience_search_document(entry)
   WHERE entry.id = ANY(ids)
$$;

CREATE FUNCTION resources_experience_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := resources_experience_search_document(NEW);
  RETURN NEW;
END
$$;
CREATE TRIGGER resources_experience_search
  BEFORE INSERT OR UPDATE OF title, summary, what_we_did, why, result, differently, partners, goals, funding,
                             funder, tags, language, library_id ON teams_experience
  FOR EACH ROW EXECUTE FUNCTION resources_experience_search_row();

CREATE FUNCTION resources_experience_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resources_searchword (word)
  SELECT DISTINCT resources_words(concat_ws(' ', title, summary, what_we_did, result, array_to_string(tags, ' ')))
    FROM changed_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_experience_words_inserted
  AFTER INSERT ON teams_experience REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_words();
CREATE TRIGGER resources_experience_words_updated
  AFTER UPDATE ON teams_experience REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_words();

CREATE FUNCTION resources_experience_areas_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_experience_search(ARRAY(SELECT DISTINCT experience_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_experience_areas_inserted
  AFTER INSERT ON resources_knowledgearea_experiences REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_areas_changed();
CREATE TRIGGER resources_experience_areas_deleted
  AFTER DELETE ON resources_knowledgearea_experiences REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_experience_areas_changed();

CREATE FUNCTION resources_area_renamed_for_experiences() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_experience_search(ARRAY(
    SELECT experience_id FROM resources_knowledgearea_experiences WHERE knowledgearea_id = NEW.id
  ));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_area_renamed_for_experiences
  AFTER UPDATE OF name, name_da, name_nb, name_en ON resources_knowledgearea
  FOR EACH ROW EXECUTE FUNCTION resources_area_renamed_for_experiences();

CREATE FUNCTION resources_library_changed_for_experiences() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_experience_search(ARRAY(SELECT id FROM teams_experience WHERE library_id = NEW.id));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_library_changed_for_experiences
  AFTER UPDATE OF name, municipality, city ON teams_library
  FOR EACH ROW WHEN (
    OLD.name IS DISTINCT FROM NEW.name
    OR OLD.municipality IS DISTINCT FROM NEW.municipality
    OR OLD.city IS DISTINCT FROM NEW.city
  )
  EXECUTE FUNCTION resources_library_changed_for_experiences();
"""

BACKWARD = r"""
DROP TRIGGER resources_library_changed_for_experiences ON teams_library;
DROP TRIGGER resources_area_renamed_for_experiences ON resources_knowledgearea;
DROP TRIGGER resources_experience_areas_deleted ON resources_knowledgearea_experiences;
DROP TRIGGER resources_experience_areas_inserted ON resources_knowledgearea_experiences;
DROP TRIGGER resources_experience_words_updated ON teams_experience;
DROP TRIGGER resources_experience_words_inserted ON teams_experience;
DROP TRIGGER resources_experience_search ON teams_experience;
DROP FUNCTION resources_library_changed_for_experiences();
DROP FUNCTION resources_area_renamed_for_experiences();
DROP FUNCTION resources_experience_areas_changed();
DROP FUNCTION resources_experience_words();
DROP FUNCTION resources_experience_search_row();
DROP FUNCTION resources_refresh_experience_search(bigint[]);
DROP FUNCTION resources_experience_search_document(teams_experience);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0010_knowledge_area_links"),
        ("teams", "0002_staff_sharing"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
