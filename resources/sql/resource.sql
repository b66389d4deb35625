-- Generated from the declaration of Resource's search index (resources/indexes.py) by
-- `manage.py search_sql`: change the declaration, not this file.

-- Each resource's search vector: title A, tags B, areas (names in four languages) B, summary C, description and creator D.
CREATE OR REPLACE FUNCTION resources_search_document(resource resources_resource) RETURNS tsvector
LANGUAGE plpgsql STABLE AS $$
DECLARE
  config regconfig := resources_search_config(resource.language);
  tags text;
  areas_sv text;
  areas_da text;
  areas_nb text;
  areas_en text;
BEGIN
  SELECT string_agg(tag.name, ' ') INTO tags
    FROM taggit_taggeditem item
    JOIN taggit_tag tag ON tag.id = item.tag_id
   WHERE item.object_id = resource.id AND item.content_type_id = resources_resource_content_type();
  SELECT string_agg(named.name, ' '), string_agg(named.name_da, ' '), string_agg(named.name_nb, ' '), string_agg(named.name_en, ' ')
    INTO areas_sv, areas_da, areas_nb, areas_en
    FROM resources_resource_areas link
    JOIN resources_knowledgearea named ON named.id = link.knowledgearea_id
   WHERE link.resource_id = resource.id;
  RETURN setweight(to_tsvector(config, coalesce(resource.title, '')), 'A')
      || setweight(to_tsvector(config, coalesce(tags, '')), 'B')
      || setweight(to_tsvector('pg_catalog.swedish', concat_ws(' ', areas_sv)), 'B')
      || setweight(to_tsvector('pg_catalog.danish', concat_ws(' ', areas_da)), 'B')
      || setweight(to_tsvector('pg_catalog.norwegian', concat_ws(' ', areas_nb)), 'B')
      || setweight(to_tsvector('pg_catalog.english', concat_ws(' ', areas_en)), 'B')
      || setweight(to_tsvector(config, coalesce(resource.summary, '')), 'C')
      || setweight(to_tsvector(config, concat_ws(' ', resource.description, resource.creator)), 'D');
END
$$;

CREATE OR REPLACE FUNCTION resources_refresh_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE resources_resource AS resource
     SET search_vector = resources_search_document(resource),
         tags_text = coalesce((
             SELECT string_agg(tag.name, ', ' ORDER BY lower(tag.name))
               FROM taggit_taggeditem item
               JOIN taggit_tag tag ON tag.id = item.tag_id
              WHERE item.object_id = resource.id
                AND item.content_type_id = resources_resource_content_type()
         ), '')
   WHERE resource.id = ANY(ids)
$$;

-- Each resource's own text, language and place.
CREATE OR REPLACE FUNCTION resources_resource_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := resources_search_document(NEW);
  RETURN NEW;
END
$$;
CREATE OR REPLACE TRIGGER resources_resource_search
  BEFORE INSERT OR UPDATE OF title, summary, description, creator, language ON resources_resource
  FOR EACH ROW EXECUTE FUNCTION resources_resource_search_row();

-- Its words, in its language, into the search vocabulary.
CREATE OR REPLACE FUNCTION resources_resource_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(array_agg(concat_ws(' ', title, summary, description)), array_agg(language))
     FROM changed_rows;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_resource_words_inserted
  AFTER INSERT ON resources_resource REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_words_inserted();
CREATE OR REPLACE FUNCTION resources_resource_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_remember_words(ARRAY[concat_ws(' ', NEW.title, NEW.summary, NEW.description)], ARRAY[NEW.language]);
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_resource_words_updated
  AFTER UPDATE OF title, summary, description, language ON resources_resource
  FOR EACH ROW EXECUTE FUNCTION resources_resource_words_updated();

CREATE OR REPLACE FUNCTION resources_resource_content_type() RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT id FROM django_content_type WHERE app_label = 'resources' AND model = 'resource'
$$;

-- Tags added to or taken from the records.
CREATE OR REPLACE FUNCTION resources_tagged_items_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT DISTINCT object_id FROM changed_rows WHERE content_type_id = resources_resource_content_type()
  ));
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_tagged_items_inserted
  AFTER INSERT ON taggit_taggeditem REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tagged_items_changed();
CREATE OR REPLACE TRIGGER resources_tagged_items_deleted
  AFTER DELETE ON taggit_taggeditem REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tagged_items_changed();

-- areas linked to or unlinked from the records.
CREATE OR REPLACE FUNCTION resources_resource_areas_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(SELECT DISTINCT resource_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_resource_areas_inserted
  AFTER INSERT ON resources_resource_areas REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_areas_changed();
CREATE OR REPLACE TRIGGER resources_resource_areas_deleted
  AFTER DELETE ON resources_resource_areas REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_areas_changed();

-- The ids of the records' tag_ids and area_ids, kept on their rows for facets and filters.
CREATE OR REPLACE FUNCTION resources_refresh_facet_keys(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE resources_resource AS resource
     SET tag_ids = keys.tag_ids, area_ids = keys.area_ids
    FROM (
      SELECT resource.id,
             ARRAY(SELECT item.tag_id FROM taggit_taggeditem item
                    WHERE item.object_id = resource.id AND item.content_type_id = resources_resource_content_type()
                    ORDER BY 1) AS tag_ids,
             ARRAY(SELECT link.knowledgearea_id FROM resources_resource_areas link
                    WHERE link.resource_id = resource.id ORDER BY 1) AS area_ids
        FROM resources_resource resource
       WHERE resource.id = ANY(ids)
    ) AS keys
   WHERE resource.id = keys.id
     AND (resource.tag_ids IS DISTINCT FROM keys.tag_ids OR resource.area_ids IS DISTINCT FROM keys.area_ids)
$$;
CREATE OR REPLACE FUNCTION resources_tag_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM resources_refresh_facet_keys(ARRAY(SELECT DISTINCT object_id FROM new_rows WHERE content_type_id = resources_resource_content_type()));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM resources_refresh_facet_keys(ARRAY(SELECT DISTINCT object_id FROM old_rows WHERE content_type_id = resources_resource_content_type()));
  END IF;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_tag_links_inserted
  AFTER INSERT ON taggit_taggeditem REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tag_links_changed();
CREATE OR REPLACE TRIGGER resources_tag_links_updated
  AFTER UPDATE ON taggit_taggeditem REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tag_links_changed();
CREATE OR REPLACE TRIGGER resources_tag_links_deleted
  AFTER DELETE ON taggit_taggeditem REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tag_links_changed();
CREATE OR REPLACE FUNCTION resources_area_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM resources_refresh_facet_keys(ARRAY(SELECT DISTINCT resource_id FROM new_rows));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM resources_refresh_facet_keys(ARRAY(SELECT DISTINCT resource_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER resources_area_links_inserted
  AFTER INSERT ON resources_resource_areas REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_area_links_changed();
CREATE OR REPLACE TRIGGER resources_area_links_updated
  AFTER UPDATE ON resources_resource_areas REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_area_links_changed();
CREATE OR REPLACE TRIGGER resources_area_links_deleted
  AFTER DELETE ON resources_resource_areas REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_area_links_changed();
