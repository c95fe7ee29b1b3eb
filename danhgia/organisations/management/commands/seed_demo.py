"""`python manage.py seed_demo`: build the demo province once, then print its logins.

Safe to run again: when the demo province exists it only prints the logins. It refuses to
mix the demo with other data (units, people or clashing usernames already present). When the
work app is installed it then runs `seed_demo_work` (by name: organisations never imports
work), which adds the demo month of work once, and when the evaluations app is installed
`seed_demo_evaluations`, which adds the demo months of evaluation once; then the demos of
the apps above it (`LATER_DEMOS`), each idempotent.
"""

import time
from argparse import ArgumentParser

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from danhgia.organisations.demo.build import build_province, demo_exists, obstacles
from danhgia.organisations.demo.province import (
    PASSWORD,
    PROVINCE_CODE,
    UNITS_BY_CODE,
    demo_logins,
    plan_people,
)

# (app, command) run after the evaluations demo, in this order: the annual classification reads
# the months, publication and dashboards read decided months, recognition reads annual results.
# `--stop-after` builds the demo up to a stage (tests of one stage need no more).
STAGES = ["province", "work", "evaluations", "all"]
LATER_DEMOS = [
    ("danhgia.annual", "seed_demo_annual"),
    ("danhgia.reports.publication", "seed_demo_publication"),
    ("danhgia.reports.dashboards", "seed_demo_dashboards"),
    ("danhgia.reports.recognition", "seed_demo_recognition"),
]


class Command(BaseCommand):
    help = "Tạo tỉnh mô phỏng (dữ liệu demo cố định) và in các tài khoản demo."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="In mọi tài khoản demo, không chỉ các tài khoản tiêu biểu.",
        )
        parser.add_argument(
            "--stop-after",
            choices=STAGES,
            default="all",
            help="Dừng sau phần này (province: chỉ tỉnh; work: thêm công việc; evaluations: "
            "thêm đánh giá tháng); mặc định tạo tất cả.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if demo_exists():
            self.stdout.write(f"Tỉnh mô phỏng (mã {PROVINCE_CODE}) đã có sẵn: không thay đổi gì.")
        else:
            self._build()
        stages = STAGES[: STAGES.index(str(options["stop_after"])) + 1]
        if "work" in stages and apps.is_installed("danhgia.work"):
            call_command("seed_demo_work", stdout=self.stdout, stderr=self.stderr)
        if "evaluations" in stages and apps.is_installed("danhgia.evaluations"):
            call_command("seed_demo_evaluations", stdout=self.stdout, stderr=self.stderr)
        for app, command in LATER_DEMOS if "all" in stages else []:
            if apps.is_installed(app):
                call_command(command, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("")
        self._print_logins(show_all=bool(options["all"]))

    def _build(self) -> None:
        problems = obstacles()
        if problems:
            raise CommandError(
                "Không tạo tỉnh mô phỏng vì " + "; ".join(problems) + ". Hãy dùng một CSDL trống."
            )
        validate_password(PASSWORD)
        started = time.monotonic()
        with transaction.atomic():
            result = build_province()
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo tỉnh mô phỏng: {result.units} đơn vị, {result.job_positions} vị trí "
                f"việc làm, {result.people} người, {result.logins} tài khoản, "
                f"{result.roles} vai trò ({seconds} giây)."
            )
        )

    def _print_logins(self, *, show_all: bool) -> None:
        rows = demo_logins()
        if show_all:
            rows = [
                (f"{person.title} – {UNITS_BY_CODE[person.unit].name}", username, person.full_name)
                for person in plan_people()
                if (username := person.username)
            ]
        label_width = max(len(label) for label, _username, _name in rows)
        name_width = max(len(username) for _label, username, _name in rows)
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {PASSWORD})")
        for label, username, full_name in rows:
            self.stdout.write(f"  {label:<{label_width}}  {username:<{name_width}}  {full_name}")
        if not show_all:
            self.stdout.write(
                "Mọi trưởng phòng, giám đốc, chủ tịch khác cũng có tài khoản: "
                "xem `python manage.py seed_demo --all`."
            )
