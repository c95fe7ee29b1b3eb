"""The reminder job for cron users (huey users run `run_huey` instead): run it once a day."""

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand

from danhgia.core import clock
from danhgia.reminders.services import send_reminders


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from error


class Command(BaseCommand):
    help = (
        "Send the reminders due today before each evaluation deadline, and the escalations "
        "after it. Each reminder is sent once, however often this runs."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--date", type=_day, help="the day to run for, YYYY-MM-DD")

    def handle(self, *args: Any, date: datetime.date | None = None, **options: Any) -> None:
        summary = send_reminders(date or clock.today())
        self.stdout.write(
            f"{summary.reminders} reminder(s) sent; {summary.emails} e-mail(s) queued."
        )
