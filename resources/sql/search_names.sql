-- Generated from the search index declarations (resources/indexes.py) by `manage.py search_sql`:
-- change the declarations, not this file.

-- A row of resources_knowledgearea added or renamed: the records that read its names.
CREATE OR REPLACE FUNCTION resources_area_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT resource_id FROM resources_resource_areas WHERE knowledgearea_id = NEW.id
  ));
  PERFORM resources_refresh_offer_search(ARRAY(
    SELECT schooloffer_id FROM resources_schooloffer_areas WHERE knowledgearea_id = NEW.id
  ));
  PERFORM resources_refresh_experience_search(ARRAY(
    SELECT experience_id FROM resources_knowledgearea_experiences WHERE knowledgearea_id = NEW.id
  ));
  PERFORM resources_remember_words(
    ARRAY[NEW.name, NEW.name_da, NEW.name_nb, NEW.name_en], ARRAY['sv', 'da', 'nb', 'en']
  );
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_area_renamed
  AFTER INSERT OR UPDATE OF name, name_da, name_nb, name_en ON resources_knowledgearea
  FOR EACH ROW EXECUTE FUNCTION resources_area_renamed();

-- A row of resources_subject added or renamed: the records that read its names.
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
CREATE OR REPLACE TRIGGER resources_subject_renamed
  AFTER INSERT OR UPDATE OF name, name_da, name_nb, name_en ON resources_subject
  FOR EACH ROW EXECUTE FUNCTION resources_subject_renamed();

-- A row of taggit_tag added or renamed: the records that read its names.
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
CREATE OR REPLACE TRIGGER resources_tag_renamed
  AFTER UPDATE OF name ON taggit_tag
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION resources_tag_renamed();
CREATE OR REPLACE FUNCTION resources_tags_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(name), array_agg(''::text)) FROM changed_rows;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_tags_inserted
  AFTER INSERT ON taggit_tag REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tags_inserted();

-- A row of teams_library added or renamed: the records that read its names.
CREATE OR REPLACE FUNCTION resources_library_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_offer_search(ARRAY(
    SELECT id FROM resources_schooloffer WHERE library_id = NEW.id
  ));
  PERFORM resources_refresh_experience_search(ARRAY(
    SELECT id FROM teams_experience WHERE library_id = NEW.id
  ));
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_library_changed
  AFTER UPDATE OF name, municipality, city ON teams_library
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name
    OR OLD.municipality IS DISTINCT FROM NEW.municipality
    OR OLD.city IS DISTINCT FROM NEW.city)
  EXECUTE FUNCTION resources_library_changed();
