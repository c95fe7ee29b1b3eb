from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danhgia.core.anchors import anchor_dir, read_anchors
from danhgia.core.audit import ChainReport, chain_pending, check_chain


def describe(report: ChainReport) -> str:
    """The verdict for people: what is wrong, and from which row the history is untrusted."""
    where = f" at row id={report.broken.pk} ({report.broken.action})" if report.broken else ""
    return (
        f"Audit log broken{where}: {report.why}. The chain up to row id="
        f"{report.trusted_until} can be trusted ({report.anchors_matched} anchors matched); "
        f"from row id="
        f"{report.untrusted_from} on, the history can no longer be trusted."
    )


class Command(BaseCommand):
    help = (
        "Check the audit log hash chain against the signed anchors of AUDIT_ANCHOR_DIR; exit "
        "non-zero naming the first untrusted row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Anchor directory.")

    def handle(self, *args: Any, **options: Any) -> None:
        files = read_anchors(options["dir"])
        chain_pending()  # rows committed but not chained yet (a crash after a commit)
        report = check_chain(files.anchors)
        if files.refused:
            raise CommandError(
                "Anchor lines refused (the anchor files were tampered with): "
                + "; ".join(files.refused)
                + ("" if report.intact else ". " + describe(report))
            )
        if not report.intact:
            raise CommandError(describe(report))
        if not files.anchors:
            self.stderr.write(
                f"No anchors in {options['dir'] or anchor_dir()}: only the chain's own links "
                "were checked; a recomputed chain cannot be detected without them."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {report.checked} rows verified, "
                f"{report.anchors_matched} anchors matched."
            )
        )
