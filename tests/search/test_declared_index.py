"""The search SQL is generated from one declaration per searchable model, and the database runs exactly that."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from resources import imports, indexing, search
from resources.indexes import INDEXES, RESOURCE, RESOURCE_TAGS, generated
from resources.indexing import SQL_DIR
from tests.factories import ExperienceFactory, KnowledgeAreaFactory, ResourceFactory, SchoolOfferFactory

pytestmark = pytest.mark.django_db

FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(")
TRIGGER = re.compile(r"CREATE OR REPLACE TRIGGER (\w+)\s+[^;]*? ON (\w+)", re.S)
# The order migration 0024 loads them in.
FILES = ["search_common", "resource", "offer", "experience", "search_names"]


def generated_sql() -> str:
    files = generated()
    return "\n".join(files[f"{name}.sql"] for name in FILES)


def definitions(functions: list[str]) -> dict[str, object]:
    """Every named function's definition, and every trigger that runs one of them, as PostgreSQL prints them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public' WHERE p.proname = ANY(%s)",
            [functions],
        )
        found_functions = dict(cursor.fetchall())
        cursor.execute(
            "SELECT c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND p.proname = ANY(%s)",
            [functions],
        )
        found_triggers = dict(cursor.fetchall())
    return {"functions": found_functions, "triggers": found_triggers}


def test_the_committed_sql_files_are_the_generated_ones():
    files = generated()
    assert sorted(files) == sorted(path.name for path in SQL_DIR.glob("*.sql"))
    for name, text in files.items():
        assert (SQL_DIR / name).read_text() == text, f"{name} is stale: run manage.py search_sql"
    call_command("search_sql", "--check")


def test_the_functions_and_triggers_in_the_database_are_the_generated_ones():
    sql = generated_sql()
    functions = sorted(set(FUNCTION.findall(sql)))
    triggers = sorted(f"{table}.{name}" for name, table in TRIGGER.findall(sql))
    assert len(functions) > 25
    assert len(triggers) > 25
    before = definitions(functions)
    # Created again from the declarations, the definitions PostgreSQL prints (its own normal form) do not change.
    with connection.cursor() as cursor:
        cursor.execute(sql)
    after = definitions(functions)
    assert sorted(before["functions"]) == functions
    assert before["functions"] == after["functions"]
    # No trigger runs a generated function but the generated ones (an earlier migration's left behind would).
    assert sorted(before["triggers"]) == triggers
    assert before["triggers"] == after["triggers"]


def test_what_the_generated_functions_replaced_is_gone():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE proname = ANY(%s)",
            [
                [
                    "resources_area_renamed_for_offers",
                    "resources_library_changed_for_experiences",
                    "resources_experience_words",
                ]
            ],
        )
        assert cursor.fetchall() == []


def test_every_declared_field_and_relation_finds_its_record():
    """The declarations reach the database: a word in each declared part finds the record."""
    area = KnowledgeAreaFactory(
        name="Fågelskådning", name_da="Fuglekiggeri", name_nb="Fugletitting", name_en="Birdwatching"
    )
    resource = ResourceFactory(title="Titelord", summary="Sammanfattningsord", description="Beskrivningsord",
                               creator="Skaparnamn", tags=["taggord"], language="sv")  # fmt: skip
    resource.areas.add(area)
    offer = SchoolOfferFactory(title="Erbjudandeord")
    offer.areas.add(area)
    entry = ExperienceFactory(title="Erfarenhetsord", tags=["byttebank"], partners="Partnerord")
    entry.knowledge_areas.add(area)
    for model, record, words in [
        (type(resource), resource, ["titelord", "sammanfattningsord", "beskrivningsord", "skaparnamn", "taggord",
                                    "fuglekiggeri", "birdwatching"]),
        (type(offer), offer, ["erbjudandeord", "fugletitting", offer.library.name.split()[0].lower()]),
        (type(entry), entry, ["erfarenhetsord", "byttebank", "partnerord", "fågelskådning"]),
    ]:  # fmt: skip
        for word in words:
            query = search.understand(word, cross_language=False)
            assert search.search(model.objects.filter(pk=record.pk), query).exists(), (model.__name__, word)


def test_the_python_side_reads_the_same_declaration():
    # Ranking weighs the vector's sections as declared, and stems queries in every declared configuration.
    assert [indexing.WEIGHT_OF[section] for section in "DCBA"] == search.WEIGHTS
    assert set(search.CONFIGS) == {*indexing.CONFIG_OF_LANGUAGE.values(), "simple"}
    with connection.cursor() as cursor:
        for language, config in [*indexing.CONFIG_OF_LANGUAGE.items(), ("de", "simple")]:
            cursor.execute("SELECT resources_search_config(%s)::text", [language])
            assert cursor.fetchone()[0] == config
    # The import writes a resource's tags as text as the database does, from the same declaration.
    assert imports.RESOURCE_TAGS is RESOURCE_TAGS
    assert RESOURCE.tagged() is RESOURCE_TAGS
    names = ["Öland", "arkiv", "Bakning", "ärlighet"]
    resource = ResourceFactory(tags=names)
    resource.refresh_from_db()
    assert resource.tags_text == RESOURCE_TAGS.as_text(names)


def test_a_declaration_names_real_fields():
    for index in INDEXES:
        for column in index.row_fields():
            assert column in {field.column for field in index.model._meta.concrete_fields}, (index.name, column)
