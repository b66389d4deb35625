"""Per lexeme, the published resources that rank best for it, so that a broad search ranks by relevance over all
its hits at a bounded cost (``resources.selectors``: ``_candidates``).

``resources_resourceterm`` holds one row per lexeme of each published resource's title (A), tags and knowledge
areas (B) and summary (C), with ``ts_rank`` of that lexeme alone against the resource's whole vector (the weights
of ``resources.search.WEIGHTS``, normalised by length as search ranks), and of the lexeme as a prefix (``'bibliotek':*``
ranks bibliotek, biblioteket and bibliotekarie together, as a query's long words match). Descriptions (D) are left out: a lexeme
found only there ranks below one in any other section. The resource's language is kept
beside it, as ranking prefers the language a query is written in. Statement triggers on ``resources_resource`` keep the rows:
written again when a resource's search vector, status, publication date or language changes (the search-vector triggers of
0003/0012 rewrite the vector when tags and areas change, so those reach it too), removed with the resource.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = r"""
CREATE FUNCTION resources_lexeme_query(lexeme text, prefix boolean) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''
          || CASE WHEN prefix THEN ':*' ELSE '' END)::tsquery
$$;

CREATE FUNCTION resources_rank_terms(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM resources_resourceterm WHERE resource_id = ANY(ids);
  INSERT INTO resources_resourceterm (lexeme, resource_id, weight, prefix_weight, published_at, language)
  SELECT entry.lexeme, resource.id,
         ts_rank('{0.1, 0.3, 0.7, 1.0}', resource.search_vector, resources_lexeme_query(entry.lexeme, false), 1),
         ts_rank('{0.1, 0.3, 0.7, 1.0}', resource.search_vector, resources_lexeme_query(entry.lexeme, true), 1),
         resource.published_at, resource.language
    FROM resources_resource resource,
         unnest(ts_filter(resource.search_vector, '{a,b,c}')) AS entry
   WHERE resource.id = ANY(ids) AND resource.status = 'published';
$$;

CREATE FUNCTION resources_resource_terms_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM resources_rank_terms(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM resources_rank_terms(ARRAY(
      SELECT new_rows.id FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id
       WHERE old_rows.search_vector IS DISTINCT FROM new_rows.search_vector
          OR old_rows.status IS DISTINCT FROM new_rows.status
          OR old_rows.published_at IS DISTINCT FROM new_rows.published_at
          OR old_rows.language IS DISTINCT FROM new_rows.language));
  ELSE
    DELETE FROM resources_resourceterm WHERE resource_id IN (SELECT id FROM old_rows);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER resources_resource_terms_inserted AFTER INSERT ON resources_resource
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_terms_changed();
CREATE TRIGGER resources_resource_terms_updated AFTER UPDATE ON resources_resource
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_terms_changed();
CREATE TRIGGER resources_resource_terms_deleted AFTER DELETE ON resources_resource
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION resources_resource_terms_changed();

SELECT resources_rank_terms(ARRAY(SELECT id FROM resources_resource WHERE status = 'published'));
ANALYZE resources_resourceterm;
"""

BACKWARD = r"""
DROP TRIGGER resources_resource_terms_inserted ON resources_resource;
DROP TRIGGER resources_resource_terms_updated ON resources_resource;
DROP TRIGGER resources_resource_terms_deleted ON resources_resource;
DROP FUNCTION resources_resource_terms_changed();
DROP FUNCTION resources_rank_terms(bigint[]);
DROP FUNCTION resources_lexeme_query(text, boolean);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0026_semantic_embeddings"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("lexeme", models.TextField(db_collation="C")),
                ("weight", models.FloatField()),
                ("prefix_weight", models.FloatField()),
                ("published_at", models.DateTimeField(null=True)),
                ("language", models.CharField(max_length=20)),
                (
                    "resource",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="resources.resource",
                    ),
                ),
            ],
            options={
                "ordering": ["lexeme", "-weight"],
                "indexes": [
                    models.Index(
                        fields=["lexeme", "-weight", "-published_at", "-resource"], name="resources_term_best_first"
                    ),
                    models.Index(
                        fields=["lexeme", "-prefix_weight", "-published_at", "-resource"],
                        name="resources_term_best_prefixed",
                    ),
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
