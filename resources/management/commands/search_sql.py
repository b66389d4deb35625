"""Write the search SQL generated from the index declarations into resources/sql/."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from resources.indexes import generated
from resources.indexing import SQL_DIR


class Command(BaseCommand):
    help = (
        "Write the functions and triggers that keep search vectors right, generated from the declarations in "
        "resources/indexes.py, into resources/sql/ (one file per index, one shared, one for the naming tables). "
        "--check only says whether the files are current. After a change, add a migration that loads them "
        "(README, 'Adding a searchable model')."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Fail when a file differs from the declarations.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        stale = []
        for name, text in generated().items():
            path = SQL_DIR / name
            if path.exists() and path.read_text() == text:
                continue
            stale.append(name)
            if not check:
                path.write_text(text)
        if check and stale:
            raise CommandError(f"Not generated from the declarations: {', '.join(stale)}. Run manage.py search_sql.")
        verb = "differ" if check else "written"
        self.stdout.write(f"{len(stale)} of {len(generated())} files {verb} in {SQL_DIR}.")
