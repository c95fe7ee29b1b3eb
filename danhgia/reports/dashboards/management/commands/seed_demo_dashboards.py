"""`python manage.py seed_demo_dashboards`: the lenient demo month of Sở Tài chính, once."""

from typing import Any

from django.core.management.base import BaseCommand

from danhgia.core import clock
from danhgia.reports.dashboards.demo import seed_demo_dashboards


class Command(BaseCommand):
    help = "Tạo tháng đánh giá dễ dãi của Sở Tài chính (để trang giám sát gắn cờ)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_demo_dashboards(clock.today())
        if result.period is None:
            self.stdout.write("Tháng mô phỏng đã có hoặc chưa có tỉnh mô phỏng: không thêm gì.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.period}: {result.decided} phiếu quyết định “tốt”; "
                    f"{result.periods_refreshed} kỳ được tổng hợp lại."
                )
            )
