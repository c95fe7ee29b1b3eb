"""Open an evaluation period for an organisation; run it from a timer (cron, systemd) or by hand.

Safe to repeat, and meant to run daily: when the period is already open it adds the sheets of
people who joined since (and says how many), and exits with success.
"""

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danhgia.evaluations.models import Period
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.newcomers import add_missing_sheets
from danhgia.evaluations.services.periods import open_period, period_bounds
from danhgia.organisations.models import Unit


def _month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from error


class Command(BaseCommand):
    help = (
        "Open the evaluation period of a month (or of the quarter containing it) for an "
        "organisation and its sub-units, with the rulebook in force. When the period is already "
        "open, adds the sheets of people who joined since."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="the unit code, e.g. SNV")
        parser.add_argument("--month", required=True, type=_month, help="YYYY-MM")
        parser.add_argument(
            "--kind", choices=Period.Kind.values, default=Period.Kind.MONTH, help="month (default)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["organisation"]
        kind: str = options["kind"]
        organisation = Unit.objects.filter(code=code).first()
        if organisation is None:
            raise CommandError(f"No unit has the code {code!r}.")
        start, _end = period_bounds(options["month"], kind)
        existing = Period.objects.filter(organisation=organisation, kind=kind, start=start).first()
        if existing is not None:
            self.stdout.write(f"The period {existing} is already open ({existing.state}).")
            if existing.state in OPEN_PERIOD_STATES:
                added = add_missing_sheets(existing, by=None)
                self.stdout.write(f"Added {len(added)} sheet(s) for people who joined since.")
            return
        try:
            period = open_period(organisation, start, kind=kind, by=None)
        except EvaluationError as error:
            raise CommandError(str(error)) from error
        count = period.sheets.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Opened {period} ({start:%Y-%m-%d} to {period.end:%Y-%m-%d}): {count} sheet(s)."
            )
        )
