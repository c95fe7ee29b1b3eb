from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.core.anchors import read_anchors
from danhgia.core.audit import chain_pending, check_chain
from danhgia.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE (made by backup_database), then "
        "verify the audit chain of what was restored against the anchors, and the restored "
        "state against its audit log (verify_state). Everything written since is lost."
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
        self.stdout.write(f"Restored {source}. Checking the audit chain and its anchors...")
        chain_pending()  # rows the backup holds committed but not chained yet
        files = read_anchors()
        report = check_chain(files.anchors)
        if files.refused:
            raise CommandError(
                "Restored, but anchor lines are refused (the anchor files were tampered with): "
                + "; ".join(files.refused)
            )
        if report.kind == "truncated":
            # Sound up to its end and matching every anchor it reaches: an older backup.
            newest = max(files.anchors, key=lambda anchor: anchor.audit_id)
            self.stderr.write(
                f"Restored an older backup: rows after {report.ends_at} are not in it "
                f"(the newest anchor, {newest.at}, records row {newest.audit_id}, "
                f"{newest.row_count} rows). Everything written after this backup is lost; "
                "the anchors written after it describe that lost history: move those anchor "
                "files out of AUDIT_ANCHOR_DIR (keep them) before the next anchor_audit_log."
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit log of the backup intact: {report.checked} rows verified, "
                    f"{report.anchors_matched} anchors matched."
                )
            )
            self._check_state()
            return
        if not report.intact:
            where = (
                f"at row id={report.broken.pk} ({report.broken.action})" if report.broken else ""
            )
            raise CommandError(
                f"Restored, but the audit log of this backup is broken {where}: {report.why}. "
                f"Rows up to id={report.trusted_until} can be trusted. Do not trust this "
                "backup: restore an older one."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {report.checked} rows verified, "
                f"{report.anchors_matched} anchors matched."
            )
        )
        self._check_state()

    def _check_state(self) -> None:
        """The restored sheets, periods and publications against the restored audit log
        (`verify_state`, which also records the run and notifies the administrators)."""
        self.stdout.write("Checking the restored state against its audit log...")
        out, err = StringIO(), StringIO()
        try:
            call_command("verify_state", stdout=out, stderr=err)
        except CommandError as error:
            self.stderr.write(err.getvalue().rstrip())
            raise CommandError(
                f"Restored, but its state does not match its audit log: {error} The values "
                "above were changed outside the application in this backup: correct them from "
                "the audit log, or restore an older backup."
            ) from error
        self.stdout.write(self.style.SUCCESS(out.getvalue().strip()))
