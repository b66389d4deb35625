"""Search indexes declared once, and the SQL that keeps them right generated from the declarations.

A searchable model says what it is searched by (``resources/indexes.py``), the way Wagtail's ``search_fields`` do:
its own text fields with their weight (A counts most, D least), the column naming each record's language, the
related rows whose names it is found by (tags, knowledge areas, subjects, its library's place), and the ids it
keeps on its row for facets. From that, ``sql_files`` writes the PL/pgSQL functions and triggers that keep each
record's ``search_vector``, the search vocabulary and the facet keys right whatever changes them (the admin, an
import, raw SQL). The files are committed under ``resources/sql/`` (``manage.py search_sql`` writes them, a test
checks they are current) and loaded by migrations with ``LoadDeclaredSearch``; another test checks that the
functions and triggers in the database are the generated ones.

The engine's Python side reads the same declarations: ``WEIGHTS`` (ranking), ``CONFIGS`` (stemming a query) and
``Tagged.as_text`` (a resource's tags as its ``tags_text`` column holds them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from django.db import migrations, models

SQL_DIR = Path(__file__).resolve().parent / "sql"
COMMON = "search_common"

# How much a match in each section of the vector counts (ts_rank's weights, given D, C, B, A).
WEIGHT_OF = {"A": 1.0, "B": 0.7, "C": 0.3, "D": 0.1}
WEIGHTS = [WEIGHT_OF[section] for section in "DCBA"]
# A record's language (its first subtag) -> the text-search configuration it is stemmed with; others: simple.
CONFIG_OF_LANGUAGE = {
    "sv": "swedish",
    "da": "danish",
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "en": "english",
}
# Names kept in each language (NamedInEachLanguage): the column, its language's configuration, its language.
NAME_COLUMNS = (
    ("name", "swedish", "sv"),
    ("name_da", "danish", "da"),
    ("name_nb", "norwegian", "nb"),
    ("name_en", "english", "en"),
)
# The configurations a query's words are stemmed with: every one records are indexed in.
STEMMING = tuple(dict.fromkeys(CONFIG_OF_LANGUAGE.values()))
CONFIGS = (*STEMMING, "simple")
Weight = Literal["A", "B", "C", "D"]


@dataclass(frozen=True)
class Text:
    """Fields of the record itself, stemmed together in the record's language. ``vocabulary``: those of them whose
    words are remembered for typo corrections and compounds (all unless given)."""

    weight: Weight
    fields: tuple[str, ...]
    vocabulary: tuple[str, ...] | None = None

    @property
    def remembered(self) -> tuple[str, ...]:
        return self.fields if self.vocabulary is None else self.vocabulary


@dataclass(frozen=True)
class ArrayTags:
    """An array of tag strings on the record (``ArrayField``), stemmed in the record's language."""

    weight: Weight
    field: str


@dataclass(frozen=True)
class Tagged:
    """django-taggit tags. ``text_field``: a column that keeps the names as text, as ``as_text`` writes them.
    ``facet_key``: a column keeping the tag ids, for facets and filters without joins."""

    weight: Weight
    text_field: str = ""
    facet_key: str = ""
    triggers: str = ""
    facet_triggers: str = ""
    SEPARATOR = ", "

    @classmethod
    def as_text(cls, names: Iterable[str]) -> str:
        """Tag names as the database writes them into ``text_field``: once each, sorted ignoring case."""
        return cls.SEPARATOR.join(sorted(dict.fromkeys(names), key=str.lower))


@dataclass(frozen=True)
class Named:
    """Names of related rows in Swedish, Danish, Norwegian and English, each stemmed in its own language.

    ``relations``: many-to-many fields (or reverse accessors) to models named in each language
    (``NamedInEachLanguage``); several in one section are stemmed together. ``facet_key``: a column keeping the
    first relation's ids.
    """

    weight: Weight
    relations: tuple[str, ...]
    triggers: tuple[str, ...] = ()
    facet_key: str = ""
    facet_triggers: str = ""


@dataclass(frozen=True)
class Place:
    """Where the record is: its library's name, municipality and city (not stemmed)."""

    weight: Weight
    library: str = "library"


Part = Text | ArrayTags | Tagged | Named | Place


@dataclass(frozen=True)
class Link:
    """A many-to-many link table as SQL sees it."""

    table: str
    record: str  # the searchable record's id column
    other: str  # the related row's id column
    other_table: str


@dataclass(frozen=True)
class SearchIndex:
    """One searchable model: ``parts`` in the order they make its vector, and the names of its functions."""

    model: type[models.Model]
    name: str  # resources_<name>_search, resources_<name>_search_row, ...
    alias: str  # the document function's parameter
    parts: tuple[Part, ...]
    language: str = "language"
    document_function: str = ""
    refresh_function: str = ""
    facet_function: str = ""
    facets: tuple[str, ...] = field(default=())

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def document(self) -> str:
        return self.document_function or f"resources_{self.name}_search_document"

    @property
    def refresh(self) -> str:
        return self.refresh_function or f"resources_refresh_{self.name}_search"

    @property
    def content_type_function(self) -> str:
        return f"resources_{self.name}_content_type"

    def link(self, relation: str) -> Link:
        """The link table of a many-to-many field declared on the model or on the other side."""
        found: Any = self.model._meta.get_field(relation)
        if isinstance(found, models.ManyToManyField):
            found = cast(Any, found)
            through = found.remote_field.through._meta
            return Link(
                through.db_table, found.m2m_column_name(), found.m2m_reverse_name(), found.related_model._meta.db_table
            )
        forward = found.field
        through = forward.remote_field.through._meta
        return Link(
            through.db_table, forward.m2m_reverse_name(), forward.m2m_column_name(), forward.model._meta.db_table
        )

    def row_fields(self) -> list[str]:
        """The columns whose change rewrites the record's vector."""
        columns = [name for part in self.parts if isinstance(part, Text) for name in part.fields]
        columns += [part.field for part in self.parts if isinstance(part, ArrayTags)]
        columns.append(self.language)
        columns += [self._column(part.library) for part in self.parts if isinstance(part, Place)]
        return columns

    def tagged(self) -> Tagged | None:
        return next((part for part in self.parts if isinstance(part, Tagged)), None)

    def _column(self, name: str) -> str:
        field: Any = self.model._meta.get_field(name)
        return str(field.column)


def _words(alias: str, fields: Sequence[str], *, array_fields: Sequence[str] = ()) -> str:
    texts = [f"{alias}{name}" for name in fields] + [f"array_to_string({alias}{name}, ' ')" for name in array_fields]
    return f"concat_ws(' ', {', '.join(texts)})"


def _document(index: SearchIndex) -> str:
    record = index.alias
    declare = [f"  config regconfig := resources_search_config({record}.{index.language});"]
    selects: list[str] = []
    vector: list[str] = []
    for part in index.parts:
        if isinstance(part, Text):
            columns = [f"{record}.{name}" for name in part.fields]
            text = f"coalesce({columns[0]}, '')" if len(columns) == 1 else f"concat_ws(' ', {', '.join(columns)})"
            vector.append(f"setweight(to_tsvector(config, {text}), '{part.weight}')")
        elif isinstance(part, ArrayTags):
            vector.append(
                f"setweight(to_tsvector(config, array_to_string({record}.{part.field}, ' ')), '{part.weight}')"
            )
        elif isinstance(part, Tagged):
            declare.append("  tags text;")
            selects.append(
                "  SELECT string_agg(tag.name, ' ') INTO tags\n"
                "    FROM taggit_taggeditem item\n"
                "    JOIN taggit_tag tag ON tag.id = item.tag_id\n"
                f"   WHERE item.object_id = {record}.id AND item.content_type_id = {index.content_type_function}();"
            )
            vector.append(f"setweight(to_tsvector(config, coalesce(tags, '')), '{part.weight}')")
        elif isinstance(part, Named):
            names = []
            for relation in part.relations:
                link = index.link(relation)
                variables = [f"{relation}_{language}" for _column, _config, language in NAME_COLUMNS]
                declare += [f"  {variable} text;" for variable in variables]
                aggregates = ", ".join(
                    f"string_agg(named.{column}, ' ')" for column, _config, _language in NAME_COLUMNS
                )
                selects.append(
                    f"  SELECT {aggregates}\n"
                    f"    INTO {', '.join(variables)}\n"
                    f"    FROM {link.table} link\n"
                    f"    JOIN {link.other_table} named ON named.id = link.{link.other}\n"
                    f"   WHERE link.{link.record} = {record}.id;"
                )
                names.append(variables)
            for position, (_column, config, _language) in enumerate(NAME_COLUMNS):
                texts = ", ".join(variables[position] for variables in names)
                vector.append(
                    f"setweight(to_tsvector('pg_catalog.{config}', concat_ws(' ', {texts})), '{part.weight}')"
                )
        elif isinstance(part, Place):
            variable = "place"
            declare.append(f"  {variable} text;")
            selects.append(
                f"  SELECT concat_ws(' ', library.name, library.municipality, library.city) INTO {variable}\n"
                "    FROM teams_library library\n"
                f"   WHERE library.id = {record}.{index._column(part.library)};"
            )
            vector.append(f"setweight(to_tsvector('pg_catalog.simple', coalesce({variable}, '')), '{part.weight}')")
    body = "\n".join(selects)
    returned = "\n      || ".join(vector)
    return (
        f"-- Each {index.name}'s search vector: {', '.join(_describe(part) for part in index.parts)}.\n"
        f"CREATE OR REPLACE FUNCTION {index.document}({record} {index.table}) RETURNS tsvector\n"
        "LANGUAGE plpgsql STABLE AS $$\n"
        "DECLARE\n"
        + "\n".join(declare)
        + "\nBEGIN\n"
        + (body + "\n" if body else "")
        + f"  RETURN {returned};\nEND\n$$;\n"
    )


def _describe(part: Part) -> str:
    if isinstance(part, Text):
        what = " and ".join(part.fields)
    elif isinstance(part, ArrayTags):
        what = part.field
    elif isinstance(part, Tagged):
        what = "tags"
    elif isinstance(part, Named):
        what = " and ".join(part.relations) + " (names in four languages)"
    else:
        what = "the library's place"
    return f"{what} {part.weight}"


def _refresh(index: SearchIndex) -> str:
    sets = [f"search_vector = {index.document}({index.alias})"]
    tagged = index.tagged()
    if tagged and tagged.text_field:
        sets.append(
            f"{tagged.text_field} = coalesce((\n"
            f"             SELECT string_agg(tag.name, '{Tagged.SEPARATOR}' ORDER BY lower(tag.name))\n"
            "               FROM taggit_taggeditem item\n"
            "               JOIN taggit_tag tag ON tag.id = item.tag_id\n"
            f"              WHERE item.object_id = {index.alias}.id\n"
            f"                AND item.content_type_id = {index.content_type_function}()\n"
            "         ), '')"
        )
    return (
        f"CREATE OR REPLACE FUNCTION {index.refresh}(ids bigint[]) RETURNS void\n"
        "LANGUAGE sql AS $$\n"
        f"  UPDATE {index.table} AS {index.alias}\n"
        f"     SET {(',' + chr(10) + '         ').join(sets)}\n"
        f"   WHERE {index.alias}.id = ANY(ids)\n"
        "$$;\n"
    )


def _function(name: str, body: str) -> str:
    header = f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n"
    return f"{header}{body}  RETURN NULL;\nEND\n$$;\n"


def _trigger(
    name: str, when: str, table: str, function: str, *, each: str = "STATEMENT", extra: str = "", condition: str = ""
) -> str:
    """``extra``: a REFERENCING clause; ``condition``: a WHEN condition."""
    if condition:
        return (
            f"CREATE OR REPLACE TRIGGER {name}\n  {when} ON {table}{extra}\n"
            f"  FOR EACH {each} WHEN ({condition})\n  EXECUTE FUNCTION {function}();\n"
        )
    return (
        f"CREATE OR REPLACE TRIGGER {name}\n  {when} ON {table}{extra}\n"
        f"  FOR EACH {each} EXECUTE FUNCTION {function}();\n"
    )


def _row_and_words(index: SearchIndex) -> str:
    row_function = f"resources_{index.name}_search_row"
    text = [name for part in index.parts if isinstance(part, Text) for name in part.remembered]
    arrays = [part.field for part in index.parts if isinstance(part, ArrayTags)]
    inserted = f"resources_{index.name}_words_inserted"
    updated = f"resources_{index.name}_words_updated"
    return (
        f"-- Each {index.name}'s own text, language and place.\n"
        f"CREATE OR REPLACE FUNCTION {row_function}() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  NEW.search_vector := {index.document}(NEW);\n  RETURN NEW;\nEND\n$$;\n"
        + _trigger(
            f"resources_{index.name}_search",
            f"BEFORE INSERT OR UPDATE OF {', '.join(index.row_fields())}",
            index.table,
            row_function,
            each="ROW",
        )
        + "\n-- Its words, in its language, into the search vocabulary.\n"
        + _function(
            inserted,
            f"  PERFORM resources_remember_words(array_agg({_words('', text, array_fields=arrays)}), "
            f"array_agg({index.language}))\n     FROM changed_rows;\n",
        )
        + _trigger(inserted, "AFTER INSERT", index.table, inserted, extra=" REFERENCING NEW TABLE AS changed_rows")
        + _function(
            updated,
            f"  PERFORM resources_remember_words(ARRAY[{_words('NEW.', text, array_fields=arrays)}], "
            f"ARRAY[NEW.{index.language}]);\n",
        )
        + _trigger(
            updated,
            f"AFTER UPDATE OF {', '.join([*text, *arrays, index.language])}",
            index.table,
            updated,
            each="ROW",
        )
    )


def _links(index: SearchIndex) -> str:
    sql = ""
    tagged = index.tagged()
    if tagged:
        sql += (
            f"\nCREATE OR REPLACE FUNCTION {index.content_type_function}() RETURNS integer\n"
            "LANGUAGE sql STABLE PARALLEL SAFE AS $$\n"
            f"  SELECT id FROM django_content_type WHERE app_label = '{index.model._meta.app_label}' "
            f"AND model = '{index.model._meta.model_name}'\n$$;\n"
        )
        base = tagged.triggers or f"resources_{index.name}_tagged_items"
        sql += "\n-- Tags added to or taken from the records.\n" + _function(
            f"{base}_changed",
            f"  PERFORM {index.refresh}(ARRAY(\n"
            f"    SELECT DISTINCT object_id FROM changed_rows WHERE content_type_id = {index.content_type_function}()\n"
            "  ));\n",
        )
        for event, rows in (("inserted", "NEW"), ("deleted", "OLD")):
            sql += _trigger(
                f"{base}_{event}",
                f"AFTER {'INSERT' if event == 'inserted' else 'DELETE'}",
                "taggit_taggeditem",
                f"{base}_changed",
                extra=f" REFERENCING {rows} TABLE AS changed_rows",
            )
    for part in index.parts:
        if not isinstance(part, Named):
            continue
        for position, relation in enumerate(part.relations):
            link = index.link(relation)
            base = part.triggers[position] if part.triggers else f"resources_{index.name}_{relation}"
            sql += f"\n-- {relation} linked to or unlinked from the records.\n" + _function(
                f"{base}_changed",
                f"  PERFORM {index.refresh}(ARRAY(SELECT DISTINCT {link.record} FROM changed_rows));\n",
            )
            for event, rows in (("inserted", "NEW"), ("deleted", "OLD")):
                sql += _trigger(
                    f"{base}_{event}",
                    f"AFTER {'INSERT' if event == 'inserted' else 'DELETE'}",
                    link.table,
                    f"{base}_changed",
                    extra=f" REFERENCING {rows} TABLE AS changed_rows",
                )
    return sql


def _facet_keys(index: SearchIndex) -> str:
    """Ids of related rows kept on the record (``area_ids``, ``tag_ids``), so facets count without joins."""
    keyed = [part for part in index.parts if isinstance(part, (Named, Tagged)) and part.facet_key]
    if not keyed:
        return ""
    function = index.facet_function or f"resources_refresh_{index.name}_facet_keys"
    arrays: list[str] = []
    sources: list[tuple[Named | Tagged, str, str, str]] = []  # part, link table, record column, filter
    for part in keyed:
        if isinstance(part, Tagged):
            condition = f" AND item.content_type_id = {index.content_type_function}()"
            sources.append((part, "taggit_taggeditem", "object_id", condition))
            arrays.append(
                f"             ARRAY(SELECT item.tag_id FROM taggit_taggeditem item\n"
                f"                    WHERE item.object_id = {index.alias}.id{condition}\n"
                f"                    ORDER BY 1) AS {part.facet_key}"
            )
        else:
            link = index.link(part.relations[0])
            sources.append((part, link.table, link.record, ""))
            arrays.append(
                f"             ARRAY(SELECT link.{link.other} FROM {link.table} link\n"
                f"                    WHERE link.{link.record} = {index.alias}.id ORDER BY 1) AS {part.facet_key}"
            )
    keys = [part.facet_key for part in keyed]
    sql = (
        f"\n-- The ids of the records' {' and '.join(keys)}, kept on their rows for facets and filters.\n"
        f"CREATE OR REPLACE FUNCTION {function}(ids bigint[]) RETURNS void\n"
        "LANGUAGE sql AS $$\n"
        f"  UPDATE {index.table} AS {index.alias}\n"
        f"     SET {', '.join(f'{key} = keys.{key}' for key in keys)}\n"
        "    FROM (\n"
        f"      SELECT {index.alias}.id,\n" + ",\n".join(arrays) + "\n"
        f"        FROM {index.table} {index.alias}\n"
        f"       WHERE {index.alias}.id = ANY(ids)\n"
        "    ) AS keys\n"
        f"   WHERE {index.alias}.id = keys.id\n"
        f"     AND ({' OR '.join(f'{index.alias}.{key} IS DISTINCT FROM keys.{key}' for key in keys)})\n"
        "$$;\n"
    )
    for part, table, column, condition in sources:
        base = part.facet_triggers or f"resources_{index.name}_{part.facet_key}"
        condition = condition.replace("item.", "")
        body = ""
        for operations, rows in (("'INSERT', 'UPDATE'", "new_rows"), ("'DELETE', 'UPDATE'", "old_rows")):
            body += (
                f"  IF TG_OP IN ({operations}) THEN\n"
                f"    PERFORM {function}(ARRAY(SELECT DISTINCT {column} FROM {rows}"
                f"{' WHERE ' + condition.removeprefix(' AND ') if condition else ''}));\n"
                "  END IF;\n"
            )
        sql += _function(f"{base}_changed", body)
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            name = {"INSERT": "inserted", "UPDATE": "updated", "DELETE": "deleted"}[event]
            sql += _trigger(
                f"{base}_{name}", f"AFTER {event}", table, f"{base}_changed", extra=f" REFERENCING {referencing}"
            )
    return sql


def index_sql(index: SearchIndex) -> str:
    """Everything that keeps one model's search vector (and facet keys) right, as one readable script."""
    return (
        f"-- Generated from the declaration of {index.model.__name__}'s search index (resources/indexes.py) by\n"
        "-- `manage.py search_sql`: change the declaration, not this file.\n\n"
        + _document(index)
        + "\n"
        + _refresh(index)
        + "\n"
        + _row_and_words(index)
        + _links(index)
        + _facet_keys(index)
    )


@dataclass(frozen=True)
class NamedTable:
    """Rows whose names records are found by (knowledge areas, subjects, tags, libraries): renaming one refreshes
    every record that reads its names. ``remember``: its names go into the search vocabulary, on each row
    (``row``: named in each language) or per statement (``statement``: tags, which have no language)."""

    table: str
    trigger: str
    columns: tuple[str, ...]
    remember: Literal["row", "statement", ""] = ""


def _readers(index: SearchIndex, table: str) -> list[str]:
    """SQL selecting the ids of the records of ``index`` that read the names of the row NEW of ``table``."""
    selects = []
    for part in index.parts:
        if isinstance(part, Named):
            for relation in part.relations:
                link = index.link(relation)
                if link.other_table == table:
                    selects.append(f"SELECT {link.record} FROM {link.table} WHERE {link.other} = NEW.id")
        elif isinstance(part, Tagged) and table == "taggit_tag":
            selects.append(
                "SELECT object_id FROM taggit_taggeditem\n"
                f"     WHERE tag_id = NEW.id AND content_type_id = {index.content_type_function}()"
            )
        elif isinstance(part, Place) and table == "teams_library":
            selects.append(f"SELECT id FROM {index.table} WHERE {index._column(part.library)} = NEW.id")
    return selects


def named_sql(tables: Sequence[NamedTable], indexes: Sequence[SearchIndex]) -> str:
    """The triggers on the tables that name records: one per table, refreshing every index that reads it."""
    sql = (
        "-- Generated from the search index declarations (resources/indexes.py) by `manage.py search_sql`:\n"
        "-- change the declarations, not this file.\n"
    )
    for named in tables:
        body = ""
        for index in indexes:
            for select in dict.fromkeys(_readers(index, named.table)):
                body += f"  PERFORM {index.refresh}(ARRAY(\n    {select}\n  ));\n"
        columns = ", ".join(named.columns)
        if named.remember == "row" and named.columns == tuple(column for column, _config, _language in NAME_COLUMNS):
            texts = ", ".join(f"NEW.{column}" for column, _config, _language in NAME_COLUMNS)
            languages = ", ".join(f"'{language}'" for _column, _config, language in NAME_COLUMNS)
            body += f"  PERFORM resources_remember_words(\n    ARRAY[{texts}], ARRAY[{languages}]\n  );\n"
        elif named.remember:
            texts = _words("NEW.", named.columns) if len(named.columns) > 1 else f"NEW.{named.columns[0]}"
            body += f"  PERFORM resources_remember_words(ARRAY[{texts}], ARRAY['']);\n"
        sql += f"\n-- A row of {named.table} added or renamed: the records that read its names.\n" + _function(
            named.trigger, body
        )
        if named.remember == "row":
            sql += _trigger(
                named.trigger, f"AFTER INSERT OR UPDATE OF {columns}", named.table, named.trigger, each="ROW"
            )
        else:
            differs = "\n    OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in named.columns)
            sql += _trigger(
                named.trigger, f"AFTER UPDATE OF {columns}", named.table, named.trigger, each="ROW", condition=differs
            )
        if named.remember == "statement":
            inserted = named.trigger.replace("_renamed", "s_inserted")
            texts = f"concat_ws(' ', {', '.join(named.columns)})" if len(named.columns) > 1 else named.columns[0]
            sql += _function(
                inserted,
                f"  PERFORM resources_remember_words(array_agg({texts}), array_agg(''::text)) FROM changed_rows;\n",
            )
            sql += _trigger(
                inserted, "AFTER INSERT", named.table, inserted, extra=" REFERENCING NEW TABLE AS changed_rows"
            )
    return sql


def common_sql() -> str:
    """The functions every index shares: a language's configuration, a text's words, remembering them."""
    cases = "\n".join(
        f"    WHEN '{language}' THEN 'pg_catalog.{config}'" for language, config in CONFIG_OF_LANGUAGE.items()
    )
    return f"""-- Generated from resources/indexing.py by `manage.py search_sql`: change it, not this file.

-- The text-search configuration a record is stemmed with, by its language (its first subtag).
CREATE OR REPLACE FUNCTION resources_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE split_part(lower(coalesce(language, '')), '-', 1)
{cases}
    ELSE 'pg_catalog.simple' END)::regconfig
$$;

-- The words of a text the vocabulary keeps: three to a hundred letters, not starting with a digit.
CREATE OR REPLACE FUNCTION resources_words(content text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT word
    FROM unnest(tsvector_to_array(to_tsvector('pg_catalog.simple', coalesce(content, '')))) AS word
   WHERE length(word) BETWEEN 3 AND 100 AND word !~ '^[0-9]'
$$;

-- Words of several texts, each in its language: added to the vocabulary, or their language added to it. Only
-- words new to the vocabulary, or new in a language, are written, in word order: no locks on the rows that
-- already know them (see migration 0016).
CREATE OR REPLACE FUNCTION resources_remember_words(texts text[], languages text[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO resources_searchword AS known (word, languages)
  SELECT found.word, found.languages
    FROM (
      SELECT word, coalesce(array_agg(DISTINCT record.language ORDER BY record.language)
                            FILTER (WHERE record.language <> ''), '{{}}') AS languages
        FROM unnest(texts, languages) AS record(content, language),
             resources_words(record.content) AS word
       GROUP BY word
    ) AS found
   WHERE NOT EXISTS (
     SELECT 1 FROM resources_searchword already
      WHERE already.word = found.word AND already.languages::text[] @> found.languages
   )
   ORDER BY found.word
  ON CONFLICT (word) DO UPDATE
     SET languages = ARRAY(SELECT DISTINCT unnest(known.languages || EXCLUDED.languages) ORDER BY 1)
   WHERE NOT known.languages @> EXCLUDED.languages
$$;
"""


def sql_files(indexes: Sequence[SearchIndex], tables: Sequence[NamedTable]) -> dict[str, str]:
    """File name -> contents, as ``resources/sql/`` holds them."""
    return {
        f"{COMMON}.sql": common_sql(),
        **{f"{index.name}.sql": index_sql(index) for index in indexes},
        "search_names.sql": named_sql(tables, indexes),
    }


class LoadDeclaredSearch(migrations.RunSQL):
    """(Re)create the generated functions and triggers of ``files`` (names in ``resources/sql/`` without ``.sql``;
    CREATE OR REPLACE, so safe to run again), then run ``then`` (dropping what they replace). ``refresh``: indexes
    whose existing rows to index now (a new index)."""

    def __init__(self, *files: str, then: Sequence[str] = (), refresh: Sequence[SearchIndex] = ()) -> None:
        sql: list[Any] = [(SQL_DIR / f"{name}.sql").read_text() for name in files]
        sql += [f"SELECT {index.refresh}(ARRAY(SELECT id FROM {index.table}))" for index in refresh]
        sql += list(then)
        super().__init__(sql, migrations.RunSQL.noop)
