"""Open the annual classification of a year for an organisation (by hand or from a timer).

Safe to repeat: when it is already open it says so and exits with success.
"""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danhgia.annual.models import AnnualPeriod
from danhgia.annual.services import AnnualError, open_annual
from danhgia.organisations.models import Unit


class Command(BaseCommand):
    help = (
        "Open the annual classification of a year for an organisation and its sub-units: an "
        "annual result computed for everyone from the decided periods of the year."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="the unit code, e.g. SNV")
        parser.add_argument("--year", required=True, type=int, help="e.g. 2025")

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["organisation"]
        year: int = options["year"]
        organisation = Unit.objects.filter(code=code).first()
        if organisation is None:
            raise CommandError(f"No unit has the code {code!r}.")
        existing = AnnualPeriod.objects.filter(organisation=organisation, year=year).first()
        if existing is not None:
            self.stdout.write(f"The classification of {existing} is already open.")
            return
        try:
            period = open_annual(organisation, year, by=None)
        except AnnualError as error:
            raise CommandError(str(error)) from error
        sheets = period.sheets
        self.stdout.write(
            self.style.SUCCESS(
                f"Opened the classification of {period}: {sheets.count()} people, "
                f"{sheets.filter(not_classified=True).count()} not classified; decision due "
                f"{period.decision_due:%Y-%m-%d}."
            )
        )
