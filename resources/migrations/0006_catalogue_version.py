"""A catalogue version that every change to what search reads moves forward.

Search results are cached under the version, so a cached answer is never served after the catalogue
changed. A sequence rather than a row: no lock, so writers never queue behind each other.
"""

from django.db import migrations

TABLES = [
    "resources_resource",
    "resources_resource_areas",
    "resources_knowledgearea",
    "resources_term",
    "resources_termgroup",
    "taggit_tag",
    "taggit_taggeditem",
]

FORWARD = [
    "CREATE SEQUENCE resources_catalogue_version",
    """
    CREATE FUNCTION resources_catalogue_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM nextval('resources_catalogue_version');
      RETURN NULL;
    END
    $$
    """,
    *(
        f"CREATE TRIGGER resources_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION resources_catalogue_changed()"
        for table in TABLES
    ),
]

BACKWARD = [
    *(f"DROP TRIGGER resources_catalogue_changed ON {table}" for table in TABLES),
    "DROP FUNCTION resources_catalogue_changed()",
    "DROP SEQUENCE resources_catalogue_version",
]


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_resource_ordering_nulls_last")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
