from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.core.anchors import read_anchors, write_anchor
from danhgia.core.audit import chain_pending, check_chain


class Command(BaseCommand):
    help = (
        "Verify the audit chain against the existing anchors, then sign its head (HMAC with "
        "AUDIT_ANCHOR_KEY) and append it to today's file in AUDIT_ANCHOR_DIR. Runs daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Anchor directory.")

    def handle(self, *args: Any, **options: Any) -> None:
        files = read_anchors(options["dir"])
        if files.refused:
            raise CommandError("Anchor lines refused: " + "; ".join(files.refused))
        chain_pending()  # rows committed but not chained yet (a crash after a commit)
        report = check_chain(files.anchors)
        if not report.intact:
            # Anchoring a broken chain would vouch for it: stop, and let verify_audit_log say.
            raise CommandError(f"Not anchored: the audit log is broken: {report.why}.")
        anchor = write_anchor(options["dir"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Anchored row {anchor.audit_id} ({anchor.row_count} rows, "
                f"hash {anchor.hash[:12]}…)."
            )
        )
