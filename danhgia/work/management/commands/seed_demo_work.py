"""`python manage.py seed_demo_work`: two months of demo work for the demo province, once.

`seed_demo` calls it after building the province. Safe to run again: when the demo work
exists it changes nothing. Dates follow today: last month closed, this month in progress.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danhgia.core import clock
from danhgia.work.demo import build_work, province, work_exists


class Command(BaseCommand):
    help = "Tạo công việc mô phỏng của tháng trước và tháng này cho tỉnh mô phỏng."

    def handle(self, *args: Any, **options: Any) -> None:
        if province() is None:
            raise CommandError("Chưa có tỉnh mô phỏng: hãy chạy `python manage.py seed_demo`.")
        if work_exists():
            self.stdout.write("Công việc mô phỏng đã có sẵn: không thay đổi gì.")
            return
        started = time.monotonic()
        with transaction.atomic():
            result = build_work(clock.today())
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(result.summary(seconds)))
