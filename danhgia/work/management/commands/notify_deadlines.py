"""Daily deadline notices for task owners. The huey worker runs them every morning
(`danhgia.work.tasks.notify_daily_deadlines`); this command runs them by hand, or from cron
where no worker runs."""

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand

from danhgia.core import clock
from danhgia.work.services.deadlines import DAYS_BEFORE_REMINDER, notify_deadlines


def _day(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected dd/mm/yyyy, got {text!r}") from error


class Command(BaseCommand):
    help = (
        f"Notify owners of open tasks due in {DAYS_BEFORE_REMINDER} days and of tasks now "
        "overdue. Each notice is sent once, however often this runs."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--today", type=_day, help="the day to run for, dd/mm/yyyy")

    def handle(self, *args: Any, today: datetime.date | None = None, **options: Any) -> None:
        reminders, overdue = notify_deadlines(today or clock.today())
        self.stdout.write(f"{reminders} reminder(s) and {overdue} overdue notice(s) sent.")
