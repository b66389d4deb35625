"""manage.py restore FILE: a backup made by `manage.py backup`, into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from portal.backup import BackupError, Target, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database into an EMPTY database (a database that holds "
        "tables is refused, so nothing is ever overwritten) and the uploaded files into MEDIA_ROOT (files of the "
        "same name are replaced). The target is the site's own database unless --database NAME (another database on "
        "the same server, created when missing) or --database-url URL says otherwise. Afterwards every table's row "
        "count is compared with the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup archive (.tar).")
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--database", help="Another database on the site's server; created when it is missing.")
        where.add_argument("--database-url", help="postgres://user:password@host:5432/name (must exist and be empty).")
        parser.add_argument("--media-root", type=Path, help="Where the files go (default: MEDIA_ROOT).")

    def handle(self, *args: Any, **options: Any) -> None:
        own = Target(dict(connections[DEFAULT_DB_ALIAS].settings_dict))
        if options["database_url"]:
            target = Target(dict(dj_database_url.parse(options["database_url"])))
        elif options["database"]:
            target = own.with_name(options["database"])
        else:
            target = own
        media_root = options["media_root"] or Path(settings.MEDIA_ROOT)
        try:
            manifest = read_manifest(options["file"])
            restored = restore_backup(
                archive_path=options["file"], target=target, media_root=media_root, create=bool(options["database"])
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest.created_at} into {target.name}: {len(restored)} tables, "
                f"{sum(restored.values())} rows (as in the manifest), {manifest.media_files} media files -> "
                f"{media_root}."
            )
        )
        in_code = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        missing = in_code - {(app, name) for app, name in manifest.migrations}
        if missing:
            self.stdout.write(
                f"The backup predates {len(missing)} of this code's migrations: run `manage.py migrate` against it."
            )
