"""`python manage.py refresh_dashboards [--all]`: bring the dashboards' figures up to date
(for a timer; the pages also do it when opened). `--all` rebuilds every period."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from danhgia.reports.dashboards.summaries import ensure_fresh, refresh_all


class Command(BaseCommand):
    help = "Tổng hợp lại số liệu của bảng thống kê."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="rebuild every period")

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_all() if options["all"] else ensure_fresh()
        self.stdout.write(f"{count}")
