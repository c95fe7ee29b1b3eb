from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.core.audit import verify_chain
from danhgia.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE (made by backup_database), then "
        "verify the audit chain of what was restored. Everything written since is lost."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if options["interactive"]:
            answer = input(
                f"This replaces the whole database with {source}; everything written since "
                "that backup is lost. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled: nothing was changed.")
        try:
            restore_database(source)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {source}. Checking the audit chain...")
        checked, broken, why = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Restored, but the audit log of this backup is broken at row id={broken.pk} "
                f"({broken.action}): {why}. {checked} rows before it are intact. Do not trust "
                "this backup: restore an older one."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {checked} rows verified."))
