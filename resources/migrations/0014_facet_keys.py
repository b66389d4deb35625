"""Keep each resource's knowledge-area and tag ids on its row, so that search filters and counts facets without joins.

Triggers on the link tables (knowledge areas, tags) rewrite the arrays of the resources whose links changed,
whether the change comes from the admin, an import, a bulk action or raw SQL; the rewrite is an UPDATE of
resources_resource, so the catalogue version (migration 0006) moves as before. They are separate from the
search-vector triggers of 0003/0012 so that either can be redefined without the other.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


FORWARD = r"""
ALTER TABLE resources_resource ALTER COLUMN area_ids SET DEFAULT '{}', ALTER COLUMN tag_ids SET DEFAULT '{}';

CREATE FUNCTION resources_refresh_facet_keys(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE resources_resource AS resource
     SET area_ids = keys.area_ids, tag_ids = keys.tag_ids
    FROM (
      SELECT resource.id,
             ARRAY(SELECT link.knowledgearea_id FROM resources_resource_areas link
                    WHERE link.resource_id = resource.id ORDER BY 1) AS area_ids,
             ARRAY(SELECT item.tag_id FROM taggit_taggeditem item
                    WHERE item.object_id = resource.id AND item.content_type_id = resources_resource_content_type()
                    ORDER BY 1) AS tag_ids
        FROM resources_resource resource
       WHERE resource.id = ANY(ids)
    ) AS keys
   WHERE resource.id = keys.id
     AND (resource.area_ids IS DISTINCT FROM keys.area_ids OR resource.tag_ids IS DISTINCT FROM keys.tag_ids)
$$;

CREATE FUNCTION resources_area_links_changed() RETURNS trigger
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
CREATE TRIGGER resources_area_links_inserted
  AFTER INSERT ON resources_resource_areas REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_area_links_changed();
CREATE TRIGGER resources_area_links_updated
  AFTER UPDATE ON resources_resource_areas REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_area_links_changed();
CREATE TRIGGER resources_area_links_deleted
  AFTER DELETE ON resources_resource_areas REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_area_links_changed();

CREATE FUNCTION resources_tag_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM resources_refresh_facet_keys(ARRAY(
      SELECT DISTINCT object_id FROM new_rows WHERE content_type_id = resources_resource_content_type()
    ));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM resources_refresh_facet_keys(ARRAY(
      SELECT DISTINCT object_id FROM old_rows WHERE content_type_id = resources_resource_content_type()
    ));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER resources_tag_links_inserted
  AFTER INSERT ON taggit_taggeditem REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tag_links_changed();
CREATE TRIGGER resources_tag_links_updated
  AFTER UPDATE ON taggit_taggeditem REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tag_links_changed();
CREATE TRIGGER resources_tag_links_deleted
  AFTER DELETE ON taggit_taggeditem REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_tag_links_changed();

-- Resources that existed before these triggers.
UPDATE resources_resource AS resource
   SET area_ids = coalesce(areas.ids, '{}'), tag_ids = coalesce(tags.ids, '{}')
  FROM resources_resource base
  LEFT JOIN (SELECT resource_id, array_agg(knowledgearea_id ORDER BY knowledgearea_id) AS ids
               FROM resources_resource_areas GROUP BY resource_id) AS areas ON areas.resource_id = base.id
  LEFT JOIN (SELECT object_id, array_agg(tag_id ORDER BY tag_id) AS ids
               FROM taggit_taggeditem WHERE content_type_id = resources_resource_content_type()
              GROUP BY object_id) AS tags ON tags.object_id = base.id
 WHERE resource.id = base.id AND (areas.ids IS NOT NULL OR tags.ids IS NOT NULL);
"""

BACKWARD = r"""
DROP TRIGGER resources_tag_links_deleted ON taggit_taggeditem;
DROP TRIGGER resources_tag_links_updated ON taggit_taggeditem;
DROP TRIGGER resources_tag_links_inserted ON taggit_taggeditem;
DROP TRIGGER resources_area_links_deleted ON resources_resource_areas;
DROP TRIGGER resources_area_links_updated ON resources_resource_areas;
DROP TRIGGER resources_area_links_inserted ON resources_resource_areas;
DROP FUNCTION resources_tag_links_changed();
DROP FUNCTION resources_area_links_changed();
DROP FUNCTION resources_refresh_facet_keys(bigint[]);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0013_search_word_languages'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('teams', '0002_staff_sharing'),
    ]

    operations = [
        migrations.AddField(
            model_name='resource',
            name='area_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, editable=False, size=None, verbose_name='knowledge area ids'),
        ),
        migrations.AddField(
            model_name='resource',
            name='tag_ids',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, editable=False, size=None, verbose_name='tag ids'),
        ),
        # Filled before the indexes are built.
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name='resource',
            index=django.contrib.postgres.indexes.GinIndex(fields=['area_ids'], name='resources_area_ids_gin'),
        ),
        migrations.AddIndex(
            model_name='resource',
            index=django.contrib.postgres.indexes.GinIndex(fields=['tag_ids'], name='resources_tag_ids_gin'),
        ),
    ]
