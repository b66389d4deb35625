"""Keep resources' search vectors and the search vocabulary right, inside the database.

Triggers rebuild a resource's vector when its text, tags, knowledge areas, a tag's name or an area's
names change, whether the change comes from the admin, a bulk import or raw SQL, so nobody has to run
a command. Each record is stemmed in its own language; knowledge-area names in each of theirs.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION resources_search_config(language text) RETURNS regconfig
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

CREATE FUNCTION resources_resource_content_type() RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT id FROM django_content_type WHERE app_label = 'resources' AND model = 'resource'
$$;

CREATE FUNCTION resources_search_document(resource resources_resource) RETURNS tsvector
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
  SELECT string_agg(area.name, ' '), string_agg(area.name_da, ' '),
         string_agg(area.name_nb, ' '), string_agg(area.name_en, ' ')
    INTO areas_sv, areas_da, areas_nb, areas_en
    FROM resources_resource_areas link
    JOIN resources_knowledgearea area ON area.id = link.knowledgearea_id
   WHERE link.resource_id = resource.id;
  RETURN setweight(to_tsvector(config, coalesce(resource.title, '')), 'A')
      || setweight(to_tsvector(config, coalesce(tags, '')), 'B')
      || setweight(to_tsvector('pg_catalog.swedish', coalesce(areas_sv, ''))
                   || to_tsvector('pg_catalog.danish', coalesce(areas_da, ''))
                   || to_tsvector('pg_catalog.norwegian', coalesce(areas_nb, ''))
                   || to_tsvector('pg_catalog.english', coalesce(areas_en, '')), 'B')
      || setweight(to_tsvector(config, coalesce(resource.summary, '')), 'C')
      || setweight(to_tsvector(config, coalesce(resource.description, '') || ' ' || coalesce(resource.creator, '')), 'D');
END
$$;

CREATE FUNCTION resources_refresh_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE resources_resource AS resource
     SET search_vector = resources_search_document(resource)
   WHERE resource.id = ANY(ids)
$$;

CREATE FUNCTION resources_words(content text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT word
    FROM unnest(tsvector_to_array(to_tsvector('pg_catalog.simple', coalesce(content, '')))) AS word
   WHERE length(word) BETWEEN 3 AND 100 AND word !~ '^[0-9]'
$$;

-- A resource's own text.
CREATE FUNCTION resources_resource_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := resources_search_document(NEW);
  RETURN NEW;
END
$$;
CREATE TRIGGER resources_resource_search
  BEFORE INSERT OR UPDATE OF title, summary, description, creator, language ON resources_resource
  FOR EACH ROW EXECUTE FUNCTION resources_resource_search_row();

CREATE FUNCTION resources_resource_words_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resources_searchword (word)
  SELECT DISTINCT resources_words(concat_ws(' ', title, summary, description)) FROM changed_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_resource_words_inserted
  AFTER INSERT ON resources_resource REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_words_inserted();

CREATE FUNCTION resources_resource_words_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resources_searchword (word)
  SELECT resources_words(concat_ws(' ', NEW.title, NEW.summary, NEW.description))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_resource_words_updated
  AFTER UPDATE OF title, summary, description ON resources_resource
  FOR EACH ROW EXECUTE FUNCTION resources_resource_words_updated();

-- Tags added to or taken from resources.
CREATE FUNCTION resources_tagged_items_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT DISTINCT object_id FROM changed_rows WHERE content_type_id = resources_resource_content_type()
  ));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_tagged_items_inserted
  AFTER INSERT ON taggit_taggeditem REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tagged_items_changed();
CREATE TRIGGER resources_tagged_items_deleted
  AFTER DELETE ON taggit_taggeditem REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tagged_items_changed();

-- A tag renamed.
CREATE FUNCTION resources_tag_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT object_id FROM taggit_taggeditem
     WHERE tag_id = NEW.id AND content_type_id = resources_resource_content_type()
  ));
  INSERT INTO resources_searchword (word) SELECT resources_words(NEW.name) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_tag_renamed
  AFTER UPDATE OF name ON taggit_tag
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION resources_tag_renamed();

CREATE FUNCTION resources_tags_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO resources_searchword (word)
  SELECT DISTINCT resources_words(name) FROM changed_rows
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_tags_inserted
  AFTER INSERT ON taggit_tag REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tags_inserted();

-- Knowledge areas linked to or unlinked from resources.
CREATE FUNCTION resources_resource_areas_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(SELECT DISTINCT resource_id FROM changed_rows));
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_resource_areas_inserted
  AFTER INSERT ON resources_resource_areas REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_areas_changed();
CREATE TRIGGER resources_resource_areas_deleted
  AFTER DELETE ON resources_resource_areas REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_areas_changed();

-- A knowledge area renamed, in any language.
CREATE FUNCTION resources_area_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM resources_refresh_search(ARRAY(
    SELECT resource_id FROM resources_resource_areas WHERE knowledgearea_id = NEW.id
  ));
  INSERT INTO resources_searchword (word)
  SELECT resources_words(concat_ws(' ', NEW.name, NEW.name_da, NEW.name_nb, NEW.name_en))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_area_renamed
  AFTER INSERT OR UPDATE OF name, name_da, name_nb, name_en ON resources_knowledgearea
  FOR EACH ROW EXECUTE FUNCTION resources_area_renamed();

-- Resources that existed before these triggers.
SELECT resources_refresh_search(ARRAY(SELECT id FROM resources_resource));
INSERT INTO resources_searchword (word)
SELECT resources_words(concat_ws(' ', title, summary, description)) FROM resources_resource
UNION SELECT resources_words(name) FROM taggit_tag
UNION SELECT resources_words(concat_ws(' ', name, name_da, name_nb, name_en)) FROM resources_knowledgearea
ON CONFLICT DO NOTHING;
"""

BACKWARD = r"""
DROP TRIGGER resources_area_renamed ON resources_knowledgearea;
DROP TRIGGER resources_resource_areas_deleted ON resources_resource_areas;
DROP TRIGGER resources_resource_areas_inserted ON resources_resource_areas;
DROP TRIGGER resources_tags_inserted ON taggit_tag;
DROP TRIGGER resources_tag_renamed ON taggit_tag;
DROP TRIGGER resources_tagged_items_deleted ON taggit_taggeditem;
DROP TRIGGER resources_tagged_items_inserted ON taggit_taggeditem;
DROP TRIGGER resources_resource_words_updated ON resources_resource;
DROP TRIGGER resources_resource_words_inserted ON resources_resource;
DROP TRIGGER resources_resource_search ON resources_resource;
DROP FUNCTION resources_area_renamed();
DROP FUNCTION resources_resource_areas_changed();
DROP FUNCTION resources_tags_inserted();
DROP FUNCTION resources_tag_renamed();
DROP FUNCTION resources_tagged_items_changed();
DROP FUNCTION resources_resource_words_updated();
DROP FUNCTION resources_resource_words_inserted();
DROP FUNCTION resources_resource_search_row();
DROP FUNCTION resources_words(text);
DROP FUNCTION resources_refresh_search(bigint[]);
DROP FUNCTION resources_search_document(resources_resource);
DROP FUNCTION resources_resource_content_type();
DROP FUNCTION resources_search_config(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_search"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
