"""The search functions and triggers, now generated from one declaration per searchable model.

``resources/indexes.py`` declares what resources, school offers and exchange-bank entries are searched by;
``manage.py search_sql`` writes the SQL into ``resources/sql/``, loaded here (CREATE OR REPLACE, the names
of migrations 0003–0016). Every vector stays as it was, so nothing is re-indexed. Three things are now one
trigger where they were one per index: renaming a knowledge area or a library refreshes every index that reads
it (``resources_area_renamed``, ``resources_library_changed``), and an offer's subject and area links each have
their own function; the superseded ones are dropped.
"""

from django.db import migrations

from resources.indexing import LoadDeclaredSearch

SUPERSEDED = [
    "DROP TRIGGER IF EXISTS resources_area_renamed_for_offers ON resources_knowledgearea",
    "DROP TRIGGER IF EXISTS resources_area_renamed_for_experiences ON resources_knowledgearea",
    "DROP TRIGGER IF EXISTS resources_library_changed_for_offers ON teams_library",
    "DROP TRIGGER IF EXISTS resources_library_changed_for_experiences ON teams_library",
    "DROP FUNCTION IF EXISTS resources_area_renamed_for_offers()",
    "DROP FUNCTION IF EXISTS resources_area_renamed_for_experiences()",
    "DROP FUNCTION IF EXISTS resources_library_changed_for_offers()",
    "DROP FUNCTION IF EXISTS resources_library_changed_for_experiences()",
    "DROP FUNCTION IF EXISTS resources_offer_links_changed()",
    "DROP FUNCTION IF EXISTS resources_experience_words()",
]


class Migration(migrations.Migration):
    dependencies = [("resources", "0023_harvest_sources")]

    operations = [
        LoadDeclaredSearch("search_common", "resource", "offer", "experience", "search_names", then=SUPERSEDED),
    ]
