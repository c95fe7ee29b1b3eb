"""The province dashboard for 50,000 people over 12 months, and rebuilding its figures.

    .venv/bin/python bench/bench_dashboards.py            # PostgreSQL danhgia_bench_dashboards

Data (built on first use, reproducible from SEED, bulk inserts): a province of 50 departments
× 20 divisions, 50,000 people, two tasks each, and 12 monthly periods of the province
(December 2025 – November 2026) with a decided sheet per person and month (600,000 sheets,
levels drawn at random, proposals equal to the decision 90 % of the time) and two task lines
per sheet (1,200,000 lines; the lines of every month point at the person's two tasks).

Design measured: the dashboard reads precomputed `UnitMonth` rows (one per period and unit,
rolled up the tree), rebuilt per period when the audit log shows a change
(danhgia/reports/dashboards/summaries.py).

Measurements, each beside a floor measured in the same run:
- (a) the province dashboard page (dashboards:unit of the province, through the test Client,
  as a system administrator; summaries fresh): median of 5. Floor: the two summary reads the
  page makes (12 months of the province, the month of its 50 departments) as raw SQL.
  Target ≤ 1 s.
- (b) a department's dashboard page, same floor for the department.
- (c) rebuilding one month's figures (what the first viewer after a decision pays). Floor: the
  GROUP BY over that month's sheets alone, as raw SQL.
- (d) rebuilding all 12 months (`refresh_dashboards --all`). Floor: the same GROUP BY over all
  600,000 sheets.
- for comparison, the live aggregate the precomputation avoids: levels per month over the
  province's 600,000 sheets (GROUP BY period, decided level).
Exit status 1 when (a) misses its target.
"""

import datetime
import random
import sys
import time
from decimal import Decimal

from common import best_of, print_table, setup_django

setup_django("danhgia_bench_dashboards")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from danhgia.accounts.models import User  # noqa: E402
from danhgia.evaluations.models import Period, Rulebook, Sheet  # noqa: E402
from danhgia.evaluations.rules.codes import LEVEL_CODES  # noqa: E402
from danhgia.evaluations.services.sheets import insert_task_lines  # noqa: E402
from danhgia.evaluations.shipped import ensure_shipped_rulebooks  # noqa: E402
from danhgia.organisations.models import Person, Role, Unit, UnitKind, UnitRole  # noqa: E402
from danhgia.reports.dashboards.models import UnitMonth  # noqa: E402
from danhgia.reports.dashboards.summaries import refresh_all, refresh_period  # noqa: E402
from danhgia.work.models import Task  # noqa: E402

SEED = 2026
DEPARTMENTS, DIVISIONS, PEOPLE = 50, 20, 50_000
MONTHS = [datetime.date(2025, 12, 1)] + [datetime.date(2026, m, 1) for m in range(1, 12)]
TARGET_SECONDS = 1.0
LEVEL_WEIGHTS = (0.12, 0.6, 0.24, 0.04)
HEADER = ("measurement", "seconds", "floor s", "floor", "ratio")


def _month_end(first: datetime.date) -> datetime.date:
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def build() -> None:
    """Bulk-insert the province (skipped when its 12 periods exist)."""
    if Period.objects.filter(organisation__code="BENCH").count() == len(MONTHS):
        return
    started = time.perf_counter()
    rng = random.Random(SEED)
    ensure_shipped_rulebooks()
    rulebook = Rulebook.objects.get(code="ND335-2025", version=1)
    province = Unit.objects.create(code="BENCH", name="Tỉnh Đo lường", kind=UnitKind.PROVINCE)
    province.path = f"/{province.pk}/"
    province.save(update_fields=["path"])
    departments = []
    for number in range(DEPARTMENTS):
        dept = Unit.objects.create(
            code=f"B-S{number:02}", name=f"Sở {number:02}", parent=province, depth=1
        )
        dept.path = f"{province.path}{dept.pk}/"
        dept.sort_key = dept.name
        dept.save(update_fields=["path", "sort_key"])
        departments.append(dept)
    divisions = []
    for dept in departments:
        for number in range(DIVISIONS):
            division = Unit.objects.create(
                code=f"{dept.code}-P{number:02}",
                name=f"Phòng {number:02}",
                kind=UnitKind.DIVISION,
                parent=dept,
                depth=2,
                sort_key=f"Phòng {number:02}",
            )
            division.path = f"{dept.path}{division.pk}/"
            division.save(update_fields=["path"])
            divisions.append(division)
    admin = User.objects.create(username="bench-admin")
    UnitRole.objects.create(user=admin, unit=province, role=Role.SYSTEM_ADMIN)
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Người {index:05}",
                employee_code=f"B{index:05}",
                staff_category="cong_chuc",
                title="Chuyên viên",
                unit=divisions[index % len(divisions)],
                sort_key=f"{index:05}",
            )
            for index in range(PEOPLE)
        ],
        batch_size=5000,
    )
    print(f"  units and people: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    first = MONTHS[0]
    tasks = Task.objects.bulk_create(
        [
            Task(
                title=f"Việc {number} của {person.employee_code}",
                unit_id=person.unit_id,
                owner=person,
                assigned_by=admin,
                source=Task.Source.ASSIGNMENT,
                quantity=1,
                coefficient=1,
                start_date=first,
                due_date=first + datetime.timedelta(days=20),
                deadline=first + datetime.timedelta(days=20),
            )
            for person in people
            for number in range(2)
        ],
        batch_size=5000,
    )
    task_ids = {}
    for task in tasks:
        task_ids.setdefault(task.owner_id, []).append(task.pk)
    print(f"  tasks: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    now = timezone.now()
    for month in MONTHS:
        with transaction.atomic():
            period = Period.objects.create(
                organisation=province,
                start=month,
                end=_month_end(month),
                rulebook=rulebook,
                state=Period.State.CLOSED,
                self_evaluation_due=_month_end(month) + datetime.timedelta(days=5),
                review_due=_month_end(month) + datetime.timedelta(days=10),
                decision_due=_month_end(month) + datetime.timedelta(days=15),
                opened_at=now,
                closed_at=now,
            )
            sheets = []
            for person in people:
                level = rng.choices(LEVEL_CODES, LEVEL_WEIGHTS)[0]
                proposal = level if rng.random() < 0.9 else rng.choice(LEVEL_CODES)
                total = Decimal(rng.randint(40, 100))
                sheets.append(
                    Sheet(
                        period=period,
                        person=person,
                        unit_id=person.unit_id,
                        title=person.title,
                        status=Sheet.Status.DECIDED,
                        total=total,
                        task_points=Decimal(60),
                        band=level,
                        self_level=proposal,
                        manager_level=proposal,
                        decided_level=level,
                        decided_at=now,
                    )
                )
            Sheet.objects.bulk_create(sheets, batch_size=5000)
            rows = (
                (
                    sheet.pk,
                    task_id,
                    "Việc",
                    Decimal(1),
                    Decimal(1),
                    Decimal(1),
                    Decimal(1) if rng.random() < 0.8 else Decimal("0.75"),
                    "",
                )
                for sheet in sheets
                for task_id in task_ids[sheet.person_id]
            )
            insert_task_lines(rows)
        print(f"  month {month:%m/%Y}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def raw(sql: str, params: list[object]) -> float:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return best_of(run, repeat=5)


SUMMARY_SQL = (
    "SELECT month, SUM(sheets), SUM(decided), SUM(excellent), SUM(good), SUM(completed), "
    "SUM(not_completed), SUM(tasks), SUM(tasks_on_time) FROM reports_dashboards_unitmonth "
    "WHERE unit_id = %s GROUP BY month"
)
CHILDREN_SQL = (
    "SELECT m.unit_id, SUM(m.decided), SUM(m.good), SUM(m.tasks_on_time) "
    "FROM reports_dashboards_unitmonth m JOIN organisations_unit u ON u.id = m.unit_id "
    "WHERE u.parent_id = %s AND m.month = %s GROUP BY m.unit_id"
)
GROUP_SQL = (
    "SELECT unit_id, decided_level, self_level, manager_level, COUNT(*), SUM(total) "
    "FROM evaluations_sheet WHERE period_id = ANY(%s) GROUP BY 1, 2, 3, 4"
)
LIVE_SQL = (
    "SELECT s.period_id, s.decided_level, COUNT(*) FROM evaluations_sheet s "
    "JOIN organisations_unit u ON u.id = s.unit_id WHERE u.path LIKE %s GROUP BY 1, 2"
)


def main() -> int:
    build()
    province = Unit.objects.get(code="BENCH")
    dept = Unit.objects.get(code="B-S07")
    periods = list(Period.objects.filter(organisation=province).order_by("start"))
    sheets = Sheet.objects.filter(period__in=periods).count()
    print(f"{sheets:,} sheets, {len(periods)} periods, {Person.objects.count():,} people")

    started = time.perf_counter()
    refresh_all()
    rebuild_all = time.perf_counter() - started
    floor_all = raw(GROUP_SQL, [[period.pk for period in periods]])
    rebuild_one = best_of(lambda: transaction.atomic()(refresh_period)(periods[-1]), repeat=3)
    floor_one = raw(GROUP_SQL, [[periods[-1].pk]])

    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    rows = []
    page_seconds = 0.0
    for label, unit in (("(a) province dashboard", province), ("(b) department dashboard", dept)):
        url = reverse("dashboards:unit", args=[unit.pk])
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        seconds = best_of(lambda url=url: client.get(url))
        floor = raw(SUMMARY_SQL, [unit.pk]) + raw(CHILDREN_SQL, [unit.pk, periods[-1].start])
        rows.append(
            (label, f"{seconds:.3f}", f"{floor:.4f}", "2 summary reads", f"{seconds / floor:.0f}×")
        )
        if unit == province:
            page_seconds = seconds
    rows.append(
        (
            "(c) rebuild one month",
            f"{rebuild_one:.2f}",
            f"{floor_one:.3f}",
            "GROUP BY 1 month's sheets",
            f"{rebuild_one / floor_one:.1f}×",
        )
    )
    rows.append(
        (
            "(d) rebuild 12 months",
            f"{rebuild_all:.2f}",
            f"{floor_all:.3f}",
            "GROUP BY 12 months' sheets",
            f"{rebuild_all / floor_all:.1f}×",
        )
    )
    live = raw(LIVE_SQL, [f"{province.path}%"])
    rows.append(("live aggregate (not used)", f"{live:.3f}", "", "levels per month, 600k", ""))
    print_table(
        f"Dashboards: {sheets:,} sheets, {UnitMonth.objects.count():,} summary rows "
        f"(target (a) ≤ {TARGET_SECONDS} s)",
        rows,
        HEADER,
    )
    return 0 if page_seconds <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
