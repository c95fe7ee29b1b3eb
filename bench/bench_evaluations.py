"""Opening a month for a province, and the head's decision page for a unit of 300 people.

    .venv/bin/python bench/bench_evaluations.py            # PostgreSQL danhgia_bench_work

Data: bench/province_work.py (built on first use: 50,000 people and 1,000,000 tasks of
November 2026). Everything this script writes happens inside one transaction rolled back at
the end, so it can be run again on the same data (the shipped rulebooks, created on first use
by `ensure_shipped_rulebooks`, are the only rows that stay).

Measurements:
- (a) `open_period` for the province, November 2026: a sheet for each of the 50,000 people
  (plus the 100 added below), every sheet's task results computed from its tasks, task lines
  written. Printed with seconds, queries, the peak resident memory of the process
  (getrusage) and beside a floor measured in the same run: one SQL aggregate computing the
  per-owner sums the scoring starts from (converted assigned, converted done, done late,
  assessed meeting quality, major errors) over the tasks of the month.
- (b) the decision page (evaluations:decision_page) of the board unit as its head sees it,
  through Django's test Client. province_work's board unit holds 200 people; 100 more are
  added to it (inside the transaction, before opening) to reach 300. Every sheet of the unit
  is then set REVIEWED with the board head as decider (a queryset update: fixture data for
  the worst case, where each row carries a decision form; never done outside a benchmark).
  The query count is taken again with 3 sheets in the unit (the others moved to the parent
  unit inside a savepoint rolled back afterwards): it must not change. Median of 5.
Target: (a) within 60 s. Exit status 1 when it is missed or the page's query count changes
with the number of rows.
"""

import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from common import best_of, print_table
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from province_work import MONTH_FIRST, MONTH_LAST, Province, ensure_province  # sets Django up

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person

TARGET_SECONDS = 60.0
BOARD_TARGET = 300
FEW = 3
HEADER = ("measurement", "seconds", "queries", "floor s (1 SQL aggregate)", "ratio")

FLOOR_SQL = """
SELECT owner_id,
       SUM(quantity * coefficient),
       SUM(quantity * coefficient) FILTER (WHERE status = 'done'),
       COUNT(*) FILTER (WHERE status = 'done' AND completed_on > deadline),
       COUNT(*) FILTER (WHERE assessed_at IS NOT NULL AND meets_quality),
       SUM(major_errors)
FROM work_task
WHERE deadline BETWEEN %s AND %s AND status <> 'cancelled'
GROUP BY owner_id
"""


class _Rollback(Exception):
    """Raised to leave the benchmark's transaction without keeping anything."""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def floor_aggregate() -> tuple[float, int]:
    """Median time of the one-query floor, and the number of owners it returned."""
    owners = 0

    def run() -> None:
        nonlocal owners
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [MONTH_FIRST, MONTH_LAST])
            owners = len(cursor.fetchall())

    return best_of(run, repeat=3), owners


def counted(function: Callable[[], Any]) -> tuple[float, int, Any]:
    """Wall time and query count of one call (a counter, not CaptureQueriesContext: the
    batched INSERTs of 50,000 sheets would be kept as text)."""
    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return seconds, queries, result


def add_board_people(province: Province) -> int:
    """Bring the board unit to BOARD_TARGET people, copies of one of its people (no login)."""
    have = Person.objects.filter(unit=province.board).count()
    model = Person.objects.filter(unit=province.board, user__isnull=True).order_by("pk").first()
    assert model is not None
    extra = []
    for number in range(BOARD_TARGET - have):
        person = Person.objects.get(pk=model.pk)
        person.pk = None
        person.employee_code = f"BW-EVAL-{number:04d}"
        person.full_name = f"{model.full_name} {number + 1}"
        extra.append(person)
    Person.objects.bulk_create(extra)
    return len(extra)


def page_measure(client: Client, url: str) -> tuple[float, int, int]:
    """Median server time of GET `url`, its query count, and the rows on the page."""
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # read now: captured_queries is lazy
    rows = response.content.decode().count('class="decision card')
    seconds = best_of(lambda: client.get(url))
    return seconds, queries, rows


def main() -> int:
    province = ensure_province()
    ensure_shipped_rulebooks()
    assert not Period.objects.filter(start=MONTH_FIRST).exists(), "a November period exists"
    client = Client()
    client.force_login(province.board_head)
    failures: list[str] = []
    rows: list[tuple[str, ...]] = []
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            added = add_board_people(province)
            memory_before = peak_mb()
            seconds, queries, period = counted(
                lambda: open_period(province.root, MONTH_FIRST, by=None)
            )
            figures["peak"] = peak_mb()
            figures["memory_before"] = memory_before
            sheets = Sheet.objects.filter(period=period).count()
            opened = AuditLog.objects.get(action="period.opened", object_id=str(period.pk))
            lines = opened.data["task_lines"]
            floor_seconds, owners = floor_aggregate()
            rows.append(
                (
                    f"(a) open_period: {sheets:,} sheets, {lines:,} task lines",
                    f"{seconds:.1f}",
                    str(queries),
                    f"{floor_seconds:.2f} ({owners:,} owners)",
                    f"{seconds / floor_seconds:.0f}×",
                )
            )
            figures["added"] = added
            if seconds > TARGET_SECONDS:
                failures.append(f"(a) {seconds:.1f} s > {TARGET_SECONDS:.0f} s")

            board_sheets = Sheet.objects.filter(period=period, unit=province.board)
            board_sheets.update(
                status=Sheet.Status.REVIEWED, decider=province.board_head, reviewer=None
            )
            url = reverse("evaluations:decision_page", args=[period.pk, province.board.pk])
            many = page_measure(client, url)
            with transaction.atomic():
                keep = list(board_sheets.order_by("pk").values_list("pk", flat=True)[:FEW])
                parent = province.board.parent
                board_sheets.exclude(pk__in=keep).update(unit=parent)
                few = page_measure(client, url)
                transaction.set_rollback(True)
            for label, (page_seconds, page_queries, page_rows) in (
                (f"(b) decision page, {BOARD_TARGET} people", many),
                (f"(b) decision page, {FEW} people", few),
            ):
                rows.append(
                    (
                        f"{label} ({page_rows} rows)",
                        f"{page_seconds:.3f}",
                        str(page_queries),
                        "",
                        "",
                    )
                )
            if many[1] != few[1]:
                failures.append(f"(b) queries {many[1]} with {BOARD_TARGET}, {few[1]} with {FEW}")
            raise _Rollback
    except _Rollback:
        pass
    print_table(
        f"Evaluations on {connection.settings_dict['NAME']} ({province.people:,} people, "
        f"{province.tasks:,} tasks; {figures['added']} people added to the board unit)",
        rows,
        HEADER,
    )
    print(
        f"\npeak memory of the process: {figures['memory_before']:.0f} MB before opening, "
        f"{figures['peak']:.0f} MB after"
    )
    verdict = "PASS" if not failures else "FAIL: " + "; ".join(failures)
    print(f"target (a) ≤ {TARGET_SECONDS:.0f} s, (b) constant queries: {verdict}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
