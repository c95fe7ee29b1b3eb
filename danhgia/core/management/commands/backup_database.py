from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.core.backup import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to FILE: pg_dump custom format on PostgreSQL, "
        "an SQLite database file on SQLite. Restore it with restore_database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            target = backup_database(options["file"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        size = target.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written: {target} ({size} bytes)."))
