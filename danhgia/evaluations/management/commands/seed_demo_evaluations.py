"""`python manage.py seed_demo_evaluations`: four months of demo evaluation, once, then a
reopened sheet and an appeal (danhgia/evaluations/demo_appeals.py).

`seed_demo` calls it after the demo work. Safe to run again: when Sở Nội vụ has any period
it changes nothing. Dates follow today: three months decided and closed, this month open.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danhgia.core import clock
from danhgia.evaluations.demo import build_evaluations, evaluations_exist, organisation
from danhgia.evaluations.demo_appeals import seed_demo_appeals


class Command(BaseCommand):
    help = "Tạo đánh giá mô phỏng của Sở Nội vụ: ba tháng đã quyết định và tháng này đang mở."

    def handle(self, *args: Any, **options: Any) -> None:
        if organisation() is None:
            raise CommandError("Chưa có tỉnh mô phỏng: hãy chạy `python manage.py seed_demo`.")
        if evaluations_exist():
            self.stdout.write("Đánh giá mô phỏng đã có sẵn: không thay đổi gì.")
        else:
            started = time.monotonic()
            with transaction.atomic():
                result = build_evaluations(clock.today())
            seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
            self.stdout.write(self.style.SUCCESS(result.summary(seconds)))
        # A reopened month and sheet, and an appeal (once: a second call changes nothing).
        seed_demo_appeals(clock.today())
