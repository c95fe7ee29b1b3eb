"""Check every audited sheet, period and publication against the audit log (issue 15)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danhgia.reports.dashboards.integrity import record_state_check


class Command(BaseCommand):
    help = (
        "Replay the audit log of decisions, reopenings, appeals, periods and publications and "
        "check that the current state matches it; the result is stored and a failure notifies "
        "the system administrators."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run, report = record_state_check()
        summary = (
            f"{report.objects} objects, {report.checked} values checked, "
            f"{report.not_checkable} not checkable, {len(report.mismatches)} mismatches"
        )
        if report.ok:
            self.stdout.write(f"State matches the audit log: {summary}.")
            return
        for mismatch in report.mismatches:
            self.stderr.write(str(mismatch))
        raise CommandError(f"State differs from the audit log: {summary}.")
