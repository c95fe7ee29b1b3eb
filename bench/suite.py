"""`make bench`: every figure of the earlier issues, measured on the generated province.

    .venv/bin/python bench/suite.py                 # the province of bench/province.py
    .venv/bin/python bench/suite.py --people 2000   # the small one (development)

Builds the province first if it is not there (bench/province.py; ~15 minutes at full size).
Prints ONE table, `figure | measured | floor | ratio | target | ok | queries | peak MB`,
each figure beside a floor measured in the same run, and exits 1 when a target is missed.

The month-end flow runs inside ONE transaction rolled back at the end, so the suite can run
again on the same data:
  (a) `open_period` for the province, December 2025 (floor: bench_evaluations' per-owner SQL
      aggregate over December's tasks; peak MB is this process's so far);
  (b) the decision page of the 300-person department as its head sees it, every sheet of it
      set REVIEWED by a queryset update (fixture data); its query count again with 3 sheets in
      the department (the others moved to the province inside a savepoint): it must not
      change (floor: one SQL fetching the page's rows);
  (c) the reminder job two days before the self-evaluation deadline (floor: bench_reminders'
      one SQL selecting the recipients); its e-mails then built by one worker, reported apart;
  (d) every December sheet decided by one SQL UPDATE (fixture), the period closed, and the
      annual roll-up `open_annual` of 2025 (floor: bench_annual's per-person average).
Outside it:
  - the task board of the 200-person board division as its head sees it, page 1 and the last
    page (query count again with 1 task a person: constant), and due soon / overdue for the
    province on 18 December 2025 (floors and queries of bench_tasks);
  - the province dashboard page as the provincial head, and rebuilding November's summaries
    (floors of bench_dashboards);
  - the public page of the 300-person department for November 2025 (anonymous; floor of
    bench_publication);
  - the Excel workbook of the province's November 2025, in a child process for its own peak
    memory (floor: the same rows by one SQL written with csv, as bench_exports);
  - the people export of the province (50,000 people) and its re-import with every title
    changed (upload = store + parse + check; commit), each in a child process, the import
    rolled back (floor: openpyxl read-only read + one COPY into a temporary table, as
    bench_import); the target (60 s, 1 GB) is issue 2's, on the commit;
  - the unit tree (5,000 units) and the board division's page, as the HR officer (floors of
    bench_lists).
Times are one run for jobs, the median of 5 (30 for the public page) for pages and queries.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SITE_URL", "https://danhgia.example.vn")
os.environ.setdefault("DANHGIA_VAR_DIR", str(Path(tempfile.gettempdir()) / "danhgia-bench-var"))

from common import ROOT, best_of  # noqa: E402
from province import (  # noqa: E402
    DECEMBER,
    DECEMBER_DAY,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    YEAR,
    Province,
    ensure_province,
    setup,
)

NOVEMBER = datetime.date(YEAR, 11, 1)
FILES = Path(os.environ["DANHGIA_VAR_DIR"]) / "suite"


@dataclass
class Figure:
    name: str
    seconds: float
    floor: float | None = None
    target: float | None = None
    queries: int | None = None
    peak_mb: float | None = None
    target_mb: float | None = None
    checked: bool | None = None  # a condition other than time (constant query count)
    ms: bool = False

    def ok(self) -> bool | None:
        checks = []
        if self.target is not None:
            checks.append(self.seconds <= self.target)
        if self.target_mb is not None and self.peak_mb is not None:
            checks.append(self.peak_mb <= self.target_mb)
        if self.checked is not None:
            checks.append(self.checked)
        return all(checks) if checks else None

    def row(self) -> tuple[str, ...]:
        def amount(seconds: float | None) -> str:
            if seconds is None:
                return "-"
            return f"{seconds * 1000:.1f} ms" if self.ms else f"{seconds:.2f} s"

        target = ""
        if self.target is not None:
            target = f"{self.target * 1000:g} ms" if self.ms else f"{self.target:g} s"
        if self.target_mb is not None:
            target += f" / {self.target_mb:.0f} MB"
        if self.checked is not None:
            target += (" + " if target else "") + "constant queries"
        ok = self.ok()
        return (
            self.name,
            amount(self.seconds),
            amount(self.floor),
            f"{self.seconds / self.floor:.1f}×" if self.floor else "-",
            target or "-",
            "-" if ok is None else ("yes" if ok else "NO"),
            "-" if self.queries is None else str(self.queries),
            "-" if self.peak_mb is None else f"{self.peak_mb:.0f}",
        )


HEADER = ("figure", "measured", "floor", "ratio", "target", "ok", "queries", "peak MB")


def sql_seconds(sql: str, params: Any, repeat: int = 5) -> tuple[float, int]:
    """Median time of one raw query, and the number of rows it returned."""
    from django.db import connection

    rows = 0

    def run() -> None:
        nonlocal rows
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = len(cursor.fetchall())

    return best_of(run, repeat=repeat), rows


def counted(function: Callable[[], Any]) -> tuple[float, int, Any]:
    """Wall time and query count of one call (a counter: the batched INSERTs of 50,000
    sheets would be kept as text by CaptureQueriesContext)."""
    from django.db import connection

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


def page(client: Any, url: str, repeat: int = 5) -> tuple[float, int, Any]:
    """Median server time of GET `url` (after a warm-up), its query count and a response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # captured_queries is lazy: read it now
    return best_of(lambda: client.get(url), repeat=repeat), queries, response


def process_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


class _Rollback(Exception):
    """Leaves the month-end transaction without keeping anything."""


DECISION_FLOOR_SQL = """
SELECT s.id, p.full_name, s.title, u.name, s.total, s.band, s.self_level, s.manager_level
FROM evaluations_sheet s
JOIN organisations_person p ON p.id = s.person_id
JOIN organisations_unit u ON u.id = s.unit_id
WHERE s.period_id = %s AND u.path LIKE %s
ORDER BY u.path, p.sort_key, s.id
"""


def month_end(province: Province) -> list[Figure]:
    """(a)–(d) in one transaction, rolled back."""
    from bench_annual import FLOOR_SQL as ANNUAL_FLOOR_SQL
    from bench_evaluations import FLOOR_SQL as OPEN_FLOOR_SQL
    from bench_reminders import FLOOR_SQL as REMINDER_FLOOR_SQL
    from bench_reminders import drain_queue
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from danhgia.accounts.models import User
    from danhgia.annual.services import open_annual
    from danhgia.evaluations.models import Sheet
    from danhgia.evaluations.services.periods import close_period, open_period
    from danhgia.reminders.services import send_reminders

    root, unit = province.root, province.decision_unit
    figures: list[Figure] = []
    try:
        with transaction.atomic():
            seconds, queries, period = counted(lambda: open_period(root, DECEMBER, by=None))
            sheets = Sheet.objects.filter(period=period).count()
            december_end = period.end
            floor, owners = sql_seconds(OPEN_FLOOR_SQL, [DECEMBER, december_end], repeat=3)
            figures.append(
                Figure(
                    f"(a) open December 2025: {sheets:,} sheets ({owners:,} task owners)",
                    seconds,
                    floor,
                    target=60.0,
                    queries=queries,
                    peak_mb=process_peak_mb(),
                )
            )

            head = User.objects.get(username=f"bp-head-{unit.code.lower()}")
            in_unit = Sheet.objects.filter(period=period, unit__path__startswith=unit.path)
            in_unit.update(status=Sheet.Status.REVIEWED, decider=head, reviewer=None)
            client = Client()
            client.force_login(head)
            url = reverse("evaluations:decision_page", args=[period.pk, unit.pk])
            many_s, many_q, response = page(client, url)
            rows = response.content.decode().count('class="decision card')
            floor, floor_rows = sql_seconds(DECISION_FLOOR_SQL, [period.pk, f"{unit.path}%"])
            with transaction.atomic():
                keep = list(in_unit.order_by("pk").values_list("pk", flat=True)[:3])
                in_unit.exclude(pk__in=keep).update(unit=root)
                few_s, few_q, _response = page(client, url)
                transaction.set_rollback(True)
            figures.append(
                Figure(
                    f"(b) decision page, {rows} people ({few_q} queries with 3)",
                    many_s,
                    floor,
                    target=1.0,
                    queries=many_q,
                    checked=many_q == few_q,
                )
            )

            day = period.self_evaluation_due - datetime.timedelta(days=2)
            floor, recipients = sql_seconds(REMINDER_FLOOR_SQL, {"period": period.pk}, repeat=3)
            seconds, queries, summary = counted(lambda: send_reminders(day))
            figures.append(
                Figure(
                    f"(c) reminders on {day:%d/%m/%Y}: {summary.reminders:,} reminders "
                    f"({recipients:,} recipients by SQL)",
                    seconds,
                    floor,
                    target=30.0,
                    queries=queries,
                )
            )
            seconds, queries, batches = counted(drain_queue)
            figures.append(
                Figure(
                    f"(c′) their {summary.emails:,} e-mails, one worker", seconds, queries=queries
                )  # fmt: skip
            )

            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    UPDATE evaluations_sheet
                    SET status = 'decided', decided_level = COALESCE(NULLIF(band, ''), 'good'),
                        decided_by_id = decider_id, decided_at = now()
                    WHERE period_id = %s AND status <> 'decided'
                    """,
                    [period.pk],
                )
            close_period(period, by=None)
            floor, people = sql_seconds(
                ANNUAL_FLOOR_SQL,
                [datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)],
                repeat=3,
            )
            due = timezone.localdate() + datetime.timedelta(days=10)
            seconds, queries, annual = counted(
                lambda: open_annual(root, YEAR, by=None, decision_due=due)
            )
            figures.append(
                Figure(
                    f"(d) annual roll-up 2025: {annual.sheets.count():,} people, 12 months",
                    seconds,
                    floor,
                    target=60.0,
                    queries=queries,
                    peak_mb=process_peak_mb(),
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return figures


def tasks(province: Province) -> list[Figure]:
    """The board division's task board and the province's due soon / overdue."""
    from bench_tasks import (
        DUE_COUNTS_SQL,
        OPEN,
        OVERDUE_PAGE_SQL,
        PAGE_SIZE,
        board_floor,
        board_request,
        due_counts,
        measure_orm,
        overdue_page,
    )
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from province_work import Province as WorkProvince

    from danhgia.accounts.models import User
    from danhgia.work.models import Task

    work = WorkProvince(
        root=province.root,
        board=province.board,
        board_head=User.objects.get(username="bp-board-head"),
        province_head=User.objects.get(username="bp-province-head"),
        day=DECEMBER_DAY,
        people=province.people,
        tasks=0,
    )
    client = Client(raise_request_exception=False)
    client.force_login(work.board_head)
    url = reverse("work:task_board", args=[province.board.pk])
    on_board = Task.objects.filter(unit=province.board)
    total = on_board.count()
    last = -(-total // PAGE_SIZE)
    measured = {}
    for number in (1, last):
        seconds, queries, status = board_request(client, f"{url}?page={number}")
        assert status == 200, status
        measured[number] = (seconds, queries, board_floor(work, number, False))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM work_task WHERE unit_id = %s AND id NOT IN "
            "(SELECT MIN(id) FROM work_task WHERE unit_id = %s GROUP BY owner_id)",
            [province.board.pk, province.board.pk],
        )
        _seconds, few_queries, _status = board_request(client, f"{url}?page=1")
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM work_task")  # the rolled-back delete cleared visibility bits
    figures = [
        Figure(
            f"task board, {total:,} tasks of 200 people, page {number}",
            seconds,
            floor,
            queries=queries,
            checked=queries == few_queries,
            ms=True,
        )
        for number, (seconds, queries, floor) in measured.items()
    ]

    day, soon = DECEMBER_DAY, DECEMBER_DAY + datetime.timedelta(days=2)
    a_s, a_q, a_rows = measure_orm(lambda: list(due_counts(Task.objects.all(), day, soon)))
    a_floor, _rows = sql_seconds(DUE_COUNTS_SQL, [day, day, *OPEN, soon])
    b_s, b_q, _b_rows = measure_orm(lambda: list(overdue_page(day)))
    b_floor, _rows = sql_seconds(OVERDUE_PAGE_SQL, [*OPEN, day])
    overdue = sum(row["overdue"] for row in a_rows)
    figures.append(
        Figure(
            f"due soon / overdue, province ({overdue:,} overdue): counts + first 50",
            a_s + b_s,
            a_floor + b_floor,
            target=2.0,
            queries=a_q + b_q,
            ms=True,
        )
    )
    return figures


def dashboards(province: Province) -> list[Figure]:
    from bench_dashboards import CHILDREN_SQL, GROUP_SQL, SUMMARY_SQL
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from danhgia.accounts.models import User
    from danhgia.evaluations.models import Period
    from danhgia.reports.dashboards.summaries import refresh_period

    november = Period.objects.get(organisation=province.root, start=NOVEMBER)
    client = Client()
    client.force_login(User.objects.get(username="bp-province-head"))
    seconds, queries, _response = page(client, reverse("dashboards:unit", args=[province.root.pk]))
    floor = (
        sql_seconds(SUMMARY_SQL, [province.root.pk])[0]
        + sql_seconds(CHILDREN_SQL, [province.root.pk, NOVEMBER])[0]
    )
    rebuild = best_of(lambda: transaction.atomic()(refresh_period)(november), repeat=3)
    group_floor, _rows = sql_seconds(GROUP_SQL, [[november.pk]], repeat=3)
    return [
        Figure(
            "province dashboard page (11 months)",
            seconds,
            floor,
            target=1.0,
            queries=queries,
            ms=True,
        ),
        Figure("rebuild November's summaries", rebuild, group_floor),
    ]


def publication(province: Province) -> list[Figure]:
    from bench_publication import FLOOR_SQL
    from django.test import Client
    from django.urls import reverse

    from danhgia.evaluations.models import Period

    unit = province.decision_unit
    november = Period.objects.get(organisation=province.root, start=NOVEMBER)
    url = reverse("publication:public_month", args=[unit.code, NOVEMBER])
    seconds, queries, response = page(Client(), url, repeat=30)
    floor, rows = sql_seconds(FLOOR_SQL, [november.pk, f"{unit.path}%"], repeat=30)
    return [
        Figure(
            f"public unit page, November, {rows} people",
            seconds,
            floor,
            target=0.05,
            queries=queries,
            ms=True,
        )
    ]


def lists(province: Province) -> list[Figure]:
    from django.test import Client
    from django.urls import reverse

    from danhgia.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bp-hr"))
    tree_s, tree_q, _response = page(client, reverse("organisations:unit_tree"))
    tree_floor, units = sql_seconds(
        "SELECT u.id, u.name, u.kind, u.path, u.depth, COUNT(p.id) FROM organisations_unit u "
        "LEFT JOIN organisations_person p ON p.unit_id = u.id GROUP BY u.id ORDER BY u.path",
        [],
    )
    url = reverse("organisations:unit_detail", args=[province.board.pk])
    unit_s, unit_q, _response = page(client, f"{url}?page=1")
    unit_floor, _rows = sql_seconds(
        "SELECT p.id, p.full_name, p.title, p.employee_code, u.name "
        "FROM organisations_person p JOIN organisations_unit u ON u.id = p.unit_id "
        "WHERE p.unit_id = %s ORDER BY p.sort_key, p.id LIMIT 50",
        [province.board.pk],
    )
    return [
        Figure(f"unit tree, {units:,} units", tree_s, tree_floor, queries=tree_q, ms=True),
        Figure("unit page, 200 people, page 1", unit_s, unit_floor, queries=unit_q, ms=True),
    ]


# Child processes: each prints one JSON line {"seconds", "peak_mb", ...} as its last line.


def vm_hwm_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's
    peak for a forked child)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child_xlsx(province: Province) -> dict[str, Any]:
    from danhgia.reports.exports.documents import write_month_workbook

    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        rows = write_month_workbook(province.root, NOVEMBER, handle)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows}


def child_csv(province: Province) -> dict[str, Any]:
    """bench_exports' floor for November: the same rows by one SQL, written with csv."""
    import csv
    import io

    from django.db import connection, transaction

    from danhgia.reports.exports.documents import MONTH_FIELDS, month_sheets

    query = month_sheets(province.root, NOVEMBER).values_list(*MONTH_FIELDS)
    sql, params = query.query.sql_with_params()
    rows = 0
    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(text)
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(2000):
                writer.writerows(batch)
                rows += len(batch)
        text.flush()
        seconds = time.perf_counter() - started
        text.detach()
    return {"seconds": seconds, "rows": rows}


def child_export(province: Province) -> dict[str, Any]:
    """The people export as the HR officer; then (not timed) the changed file to import."""
    from openpyxl import Workbook, load_workbook

    from danhgia.accounts.models import User
    from danhgia.organisations.exports import export_workbook

    started = time.perf_counter()
    exported = export_workbook("people", User.objects.get(username="bp-hr"))
    seconds = time.perf_counter() - started
    peak = vm_hwm_mb()
    FILES.mkdir(parents=True, exist_ok=True)
    source = load_workbook(exported, read_only=True)
    changed = Workbook(write_only=True)
    sheet = changed.create_sheet(source.worksheets[0].title)
    rows = source.worksheets[0].iter_rows(values_only=True)
    header = list(next(rows))
    sheet.append(header)
    title = header.index("Chức vụ")
    people = 0
    for row in rows:
        values = list(row)
        values[title] = f"{values[title] or 'Chuyên viên'} (2026)"
        sheet.append(values)
        people += 1
    changed.save(FILES / "people-changed.xlsx")
    return {"seconds": seconds, "peak_mb": peak, "rows": people}


def child_import(province: Province) -> dict[str, Any]:
    """Upload (store + parse + check) and commit the changed file, rolled back."""
    from django.core.files import File
    from django.db import transaction

    from danhgia.accounts.models import User
    from danhgia.organisations.imports.services import commit_import, upload_import

    hr = User.objects.get(username="bp-hr")
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            with open(FILES / "people-changed.xlsx", "rb") as handle:
                batch = upload_import("people", File(handle, name="nhan-su.xlsx"), by=hr)
            result["upload"] = time.perf_counter() - started
            assert batch.status == "previewed", batch.errors[:5]
            started = time.perf_counter()
            batch = commit_import(batch, by=hr)
            result["commit"] = time.perf_counter() - started
            assert batch.status == "committed", batch.errors[:5]
            result["updated"] = batch.updated_count
            raise _Rollback
    except _Rollback:
        pass
    result["seconds"] = result["upload"] + result["commit"]
    return result


def child_import_floor(province: Province) -> dict[str, Any]:
    """bench_import's floor: openpyxl read-only read, then one COPY of the rows into a
    temporary copy of the person table."""
    from django.db import connection, transaction
    from openpyxl import load_workbook

    from danhgia.organisations.models import Unit

    started = time.perf_counter()
    workbook = load_workbook(FILES / "people-changed.xlsx", read_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = list(next(rows))
    data = list(rows)
    workbook.close()
    units = dict(Unit.objects.values_list("code", "id"))
    at = {name: header.index(name) for name in ("Mã cán bộ", "Họ và tên", "Đơn vị")}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE floor_person (LIKE organisations_person INCLUDING ALL) "
            "ON COMMIT DROP"
        )
        columns = "employee_code, full_name, unit_id, staff_category, title, is_leader, email, "
        columns += "phone, active_from, search_text, sort_key"
        with cursor.copy(f"COPY floor_person ({columns}) FROM STDIN") as copy:
            for row in data:
                name = row[at["Họ và tên"]]
                copy.write_row(
                    (row[at["Mã cán bộ"]], name, units[row[at["Đơn vị"]]], "cong_chuc",
                     "Chuyên viên", False, "", "", datetime.date(2020, 1, 1), name.lower(), name)
                )  # fmt: skip
    return {"seconds": time.perf_counter() - started, "rows": len(data)}


CHILDREN: dict[str, Callable[[Province], dict[str, Any]]] = {
    "xlsx": child_xlsx,
    "csv": child_csv,
    "export": child_export,
    "import": child_import,
    "import_floor": child_import_floor,
}


def run_child(kind: str, province: Province) -> None:
    result = CHILDREN[kind](province)
    result.setdefault("peak_mb", vm_hwm_mb())
    print(json.dumps(result))


def child(kind: str, people: int, seed: int) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", kind, "--people", str(people), "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    if done.returncode:
        raise SystemExit(f"child {kind} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def files(province: Province) -> list[Figure]:
    people, seed = province.people, province.seed
    csv_floor = child("csv", people, seed)
    xlsx = child("xlsx", people, seed)
    export = child("export", people, seed)
    floor = child("import_floor", people, seed)
    imported = child("import", people, seed)
    return [
        Figure(
            f"Excel workbook, province, November ({xlsx['rows']:,} rows)",
            xlsx["seconds"],
            csv_floor["seconds"],
            target=30.0,
            peak_mb=xlsx["peak_mb"],
            target_mb=500.0,
        ),
        Figure(
            f"people export ({export['rows']:,} people, .xlsx)",
            export["seconds"],
            peak_mb=export["peak_mb"],
        ),  # fmt: skip
        # Issue 2's target is on the commit (bench/bench_import.py): the upload is the user
        # waiting for the check report, shown on its own row.
        Figure(
            f"people re-import, {imported['updated']:,} changed: upload and check",
            imported["upload"],
        ),
        Figure(
            f"people re-import, {imported['updated']:,} changed: commit",
            imported["commit"],
            floor["seconds"],
            target=60.0,
            peak_mb=imported["peak_mb"],
            target_mb=1024.0,
        ),
    ]


def print_table(title: str, figures: list[Figure]) -> None:
    rows = [figure.row() for figure in figures]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    print(title)
    print(" | ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument(
        "--only",
        help="comma-separated parts to run (month_end, tasks, dashboards, publication, files, "
        "lists); all by default",
    )
    args = parser.parse_args()
    setup(args.people)
    province = ensure_province(args.people, seed=args.seed, verbose=not args.child)
    if args.child:
        run_child(args.child, province)
        return 0
    from django.db import connection

    started = time.perf_counter()
    figures: list[Figure] = []
    parts = (month_end, tasks, dashboards, publication, files, lists)
    if args.only:
        wanted = set(args.only.split(","))
        parts = tuple(part for part in parts if part.__name__ in wanted)
    for part in parts:
        part_started = time.perf_counter()
        figures += part(province)
        print(f"  {part.__name__}: {time.perf_counter() - part_started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM work_task")
        (task_count,) = cursor.fetchone()
    print()
    print_table(
        f"make bench on {connection.settings_dict['NAME']}: {province.people:,} people, "
        f"{task_count:,} tasks, seed {province.seed}; {os.cpu_count()} cores; "
        f"suite {time.perf_counter() - started:.0f} s",
        figures,
    )
    print(
        "peak MB: a child process's own peak (VmHWM) for the files; for (a) and (d) the suite "
        "process's peak so far (ru_maxrss). Times: one run for jobs, the median of 5 for pages "
        "and queries (30 for the public page)."
    )
    missed = [figure.name for figure in figures if figure.ok() is False]
    print()
    print("all targets met" if not missed else "MISSED: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
