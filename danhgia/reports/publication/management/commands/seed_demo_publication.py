"""`python manage.py seed_demo_publication`: publish Sở Nội vụ's decided demo months.

Run after `seed_demo` (which decides and closes months M-3..M-1). Safe to run again: months
already published are left as they are.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from danhgia.core import clock
from danhgia.reports.publication.demo import seed_demo_publication


class Command(BaseCommand):
    help = "Công khai kết quả các tháng đã quyết định của Sở Nội vụ (dữ liệu mô phỏng)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            published = seed_demo_publication(clock.today())
        if not published:
            self.stdout.write("Không có tháng mới để công khai: không thay đổi gì.")
            return
        months = ", ".join(period.label for period in published)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã công khai kết quả tháng {months} của Sở Nội vụ: /cong-khai/SNV/"
            )
        )
