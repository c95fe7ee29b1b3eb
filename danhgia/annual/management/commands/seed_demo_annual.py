"""`python manage.py seed_demo_annual`: last year's completed annual classification of Sở Nội
vụ, once (after `seed_demo_evaluations`). Safe to run again: it changes nothing then."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danhgia.annual.demo import annual_exists, organisation, seed_demo_annual
from danhgia.core import clock


class Command(BaseCommand):
    help = "Tạo xếp loại năm trước của Sở Nội vụ (đã quyết định và khóa)."

    def handle(self, *args: Any, **options: Any) -> None:
        if organisation() is None:
            raise CommandError("Chưa có tỉnh mô phỏng: hãy chạy `python manage.py seed_demo`.")
        today = clock.today()
        if annual_exists(today):
            self.stdout.write("Xếp loại năm mô phỏng đã có sẵn: không thay đổi gì.")
            return
        started = time.monotonic()
        with transaction.atomic():
            result = seed_demo_annual(today)
        assert result is not None
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(result.summary(seconds)))
