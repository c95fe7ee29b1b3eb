"""`python manage.py seed_demo_recognition`: demo initiatives and emulation proposals."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.organisations.models import Unit
from danhgia.reports.recognition.demo import HR_USERNAME, ORGANISATION, seed_demo_recognition


class Command(BaseCommand):
    help = "Tạo sáng kiến mô phỏng của Sở Nội vụ (một đã công nhận, một chờ hội đồng)."

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            not Unit.objects.filter(code=ORGANISATION).exists()
            or not User.objects.filter(username=HR_USERNAME).exists()
        ):
            raise CommandError("Chưa có tỉnh mô phỏng: hãy chạy `python manage.py seed_demo`.")
        with transaction.atomic():
            result = seed_demo_recognition(clock.today())
        self.stdout.write(self.style.SUCCESS(result.summary()))
