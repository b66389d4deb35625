"""`manage.py backup` and `manage.py restore`: a backup restored into a new database holds everything it held."""

from __future__ import annotations

import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from portal.backup import Target
from tests.factories import (
    ActivityFactory,
    BookingRequestFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    OfferSessionFactory,
    ParticipationFactory,
    ReflectionFactory,
    ResourceFactory,
    SchoolOfferFactory,
    SubjectFactory,
    UserFactory,
)

TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"
)
TRIGGERS = (
    "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled FROM pg_trigger t "
    "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1, 2"
)
FUNCTIONS = (
    "SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(pg_get_functiondef(p.oid)) FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p') "
    "ORDER BY 1, 2"
)


def demo_sized_data() -> None:
    """Two libraries' worth of everything the triggers and the history tables keep track of."""
    libraries = [LibraryFactory(), LibraryFactory(country="DK")]
    areas = KnowledgeAreaFactory.create_batch(4)
    teams = [LearningTeamFactory(libraries=[library]) for library in libraries]
    for number in range(60):
        ResourceFactory(
            library=libraries[number % 2],
            areas=areas[number % 4 : number % 4 + 2],
            tags=[f"tagg {number % 7}", f"ämne {number % 5}"],
            status="published" if number % 5 else "draft",
        )
    subjects = SubjectFactory.create_batch(3)
    for number in range(12):
        offer = SchoolOfferFactory(library=libraries[number % 2], team=teams[number % 2], subjects=subjects[:2],
                                   areas=areas[:1])  # fmt: skip
        for session in OfferSessionFactory.create_batch(2, offer=offer, capacity=3):
            BookingRequestFactory.create_batch(2, offer=offer, session=session)
    staff = [UserFactory(library=libraries[number % 2]) for number in range(6)]
    for number, user in enumerate(staff):
        activity = ActivityFactory(team=teams[number % 2], past=True, host_library=libraries[(number + 1) % 2])
        ParticipationFactory(activity=activity, user=user)
        ReflectionFactory(activity=activity, author=user)
        ExperienceFactory(library=libraries[number % 2], areas=areas[:2])


def catalogue(target: Target) -> dict[str, object]:
    """What must survive: each table's row count, and the triggers and functions of the public schema."""
    with target.connect() as database, database.cursor() as cursor:
        cursor.execute(TABLES)
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        cursor.execute(TRIGGERS)
        triggers = cursor.fetchall()
        cursor.execute(FUNCTIONS)
        functions = cursor.fetchall()
    database.close()
    return {"counts": counts, "triggers": triggers, "functions": functions}


@pytest.fixture
def restored_name():
    """A database name on the test server that does not exist before the test and is dropped after it."""
    source = Target(dict(connection.settings_dict))
    name = f"{source.name}_restored"

    def drop() -> None:
        maintenance = source.connect(database="postgres")
        maintenance.autocommit = True
        with maintenance.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        maintenance.close()

    drop()
    yield name
    drop()


@pytest.mark.django_db(transaction=True)  # pg_dump reads the database from another connection
def test_a_backup_restored_into_a_new_database_holds_every_row_trigger_and_file(tmp_path, settings, restored_name):
    demo_sized_data()
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "resources" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "resources" / "2026" / "handledning.pdf").write_bytes(b"%PDF-1.7 handledning")
    archive = tmp_path / "nightly.tar"

    call_command("backup", output=archive)

    with tarfile.open(archive) as contents:
        assert {"manifest.json", "database.dump", "media/resources/2026/handledning.pdf"} <= set(contents.getnames())
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(archive), database=restored_name, media_root=restored_media)

    source = Target(dict(connection.settings_dict))
    before, after = catalogue(source), catalogue(source.with_name(restored_name))
    assert before["counts"]["resources_resource"] == 60
    assert before["counts"]["resources_bookingrequest"] == 48
    assert after["counts"] == before["counts"]
    assert after["triggers"] == before["triggers"]
    assert len(before["triggers"]) > 5
    assert after["functions"] == before["functions"]
    assert (restored_media / "resources" / "2026" / "handledning.pdf").read_bytes() == b"%PDF-1.7 handledning"


@pytest.mark.django_db(transaction=True)
def test_the_triggers_of_the_restored_copy_keep_its_derived_data_right(tmp_path, settings, restored_name):
    settings.MEDIA_ROOT = tmp_path / "media"
    ResourceFactory(title="Släktforskning för nybörjare", areas=[KnowledgeAreaFactory()], tags=["släkt"])
    call_command("backup", output=tmp_path / "backup.tar")
    call_command("restore", str(tmp_path / "backup.tar"), database=restored_name, media_root=tmp_path / "out")

    restored = Target(dict(connection.settings_dict)).with_name(restored_name).connect()
    with restored, restored.cursor() as cursor:
        cursor.execute("SELECT search_vector::text, cardinality(area_ids) FROM resources_resource")
        vector_before, areas_before = cursor.fetchone()
        cursor.execute("UPDATE resources_resource SET title = 'Programmering med micro:bit'")
        cursor.execute("DELETE FROM resources_resource_areas")
        cursor.execute("SELECT search_vector::text, area_ids FROM resources_resource")
        vector, area_ids = cursor.fetchone()
    restored.close()
    assert "'släktforskning'" in vector_before
    assert areas_before == 1
    assert "programmering" in vector
    assert "'släktforskning'" not in vector
    assert area_ids == []


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", output=tmp_path / "backup.tar")

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(tmp_path / "backup.tar"), media_root=tmp_path / "out")


def test_backup_never_overwrites_a_file(tmp_path):
    (tmp_path / "backup.tar").write_text("yesterday's backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=tmp_path / "backup.tar")
    assert (tmp_path / "backup.tar").read_text() == "yesterday's backup"


@pytest.mark.django_db
def test_restore_names_a_file_that_is_not_a_backup(tmp_path):
    (tmp_path / "notes.txt").write_text("not a tar file")

    with pytest.raises(CommandError, match="not a readable tar file"):
        call_command("restore", str(tmp_path / "notes.txt"), database="never_created")
