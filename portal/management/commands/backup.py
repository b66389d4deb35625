"""manage.py backup [--output PATH]: the database and the uploaded files in one archive."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from portal.backup import BackupError, Target, create_backup

BACKUP_DIR = settings.BASE_DIR / "var" / "backups"


class Command(BaseCommand):
    help = (
        "Back up the site's database (the embedded server's, or DATABASE_URL's) and its uploaded files (MEDIA_ROOT) "
        "into one tar file: database.dump (pg_dump's custom format), media/ and manifest.json (the date, every "
        "table's row count and the applied migrations). The dump and the counts come from one snapshot, so the "
        "backup is consistent while the site runs. Written to var/backups/delarum-<date>-<time>.tar unless "
        "--output says otherwise; an existing file is never overwritten. Restore with `manage.py restore FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="The archive to write (default: var/backups/delarum-….tar).")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        output: Path = options["output"] or BACKUP_DIR / f"delarum-{stamp}.tar"
        if output.exists():
            raise CommandError(f"{output} exists already; choose another --output.")
        source = Target(dict(connections[DEFAULT_DB_ALIAS].settings_dict))
        try:
            manifest = create_backup(source=source, media_root=Path(settings.MEDIA_ROOT), output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = output.stat().st_size / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest.database}: {len(manifest.row_counts)} tables, {manifest.total_rows} rows, "
                f"{len(manifest.migrations)} migrations, {manifest.media_files} media files"
                f" -> {output} ({size:.1f} MB)."
            )
        )
