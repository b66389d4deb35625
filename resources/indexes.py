"""What each searchable model is searched by: one declaration each, from which ``resources/sql/`` is generated.

Exchange-bank entries live in ``teams`` but are declared here: their index reads knowledge areas (a ``resources``
table) and only ``resources.search`` reads their vectors, so ``teams`` never needs to know about indexing.
Adding a model: README, "Adding a searchable model".
"""

from __future__ import annotations

from resources.indexing import ArrayTags, Named, NamedTable, Place, SearchIndex, Tagged, Text, sql_files
from resources.models import Resource, SchoolOffer
from teams.models import Experience

RESOURCE_TAGS = Tagged(
    "B",
    text_field="tags_text",
    facet_key="tag_ids",
    triggers="resources_tagged_items",
    facet_triggers="resources_tag_links",
)

RESOURCE = SearchIndex(
    model=Resource,
    name="resource",
    alias="resource",
    parts=(
        Text("A", ("title",)),
        RESOURCE_TAGS,
        Named("B", ("areas",), facet_key="area_ids", facet_triggers="resources_area_links"),
        Text("C", ("summary",)),
        Text("D", ("description", "creator"), vocabulary=("description",)),
    ),
    # The names the first migrations gave them.
    document_function="resources_search_document",
    refresh_function="resources_refresh_search",
    facet_function="resources_refresh_facet_keys",
)

OFFER = SearchIndex(
    model=SchoolOffer,
    name="offer",
    alias="offer",
    parts=(
        Text("A", ("title",)),
        Named("B", ("subjects", "areas")),
        Text("C", ("summary",)),
        Text("D", ("description",)),
        Place("D"),
    ),
)

EXPERIENCE = SearchIndex(
    model=Experience,
    name="experience",
    alias="entry",
    parts=(
        Text("A", ("title",)),
        ArrayTags("B", "tags"),
        Named("B", ("knowledge_areas",), triggers=("resources_experience_areas",)),
        Text("C", ("summary",)),
        Text(
            "D",
            ("what_we_did", "why", "result", "differently", "partners", "goals", "funding", "funder"),
            vocabulary=("what_we_did", "result"),
        ),
        Place("D"),
    ),
)

INDEXES = (RESOURCE, OFFER, EXPERIENCE)

NAMES = ("name", "name_da", "name_nb", "name_en")
NAMED_TABLES = (
    NamedTable("resources_knowledgearea", "resources_area_renamed", NAMES, remember="row"),
    NamedTable("resources_subject", "resources_subject_renamed", NAMES, remember="row"),
    NamedTable("taggit_tag", "resources_tag_renamed", ("name",), remember="statement"),
    NamedTable("teams_library", "resources_library_changed", ("name", "municipality", "city")),
)


def generated() -> dict[str, str]:
    """The files of ``resources/sql/`` as the declarations make them."""
    return sql_files(INDEXES, NAMED_TABLES)
