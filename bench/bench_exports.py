"""Benchmark: the Excel workbook of a province's month, 50,000 sheets (issue 6).

    .venv/bin/python bench/bench_exports.py             # PostgreSQL danhgia_bench_exports
    .venv/bin/python bench/bench_exports.py --people 5000

Builds once (reproducible from SEED, bulk inserts): a province with 100 departments of 4
divisions each, 50,000 people spread over the divisions, and one decided month (October
2026, Nghị định 335) with a full sheet per person (criteria, a–e, totals, levels, words,
dates). Then, each in a fresh subprocess so that peak memory (VmHWM) is the export's own:
- the export: `documents.write_month_workbook(province, October)` into a temporary file,
  exactly what the background job runs;
- the floor: the same rows fetched by one SQL query and written with the csv module.
Targets: ≤ 30 s and ≤ 500 MB peak for the export. Never part of the test suite.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal

from common import ROOT, print_table, setup_django

SEED = 2026
OCTOBER = datetime.date(2026, 10, 1)
TARGET_SECONDS = 30.0
TARGET_MB = 500.0
DATABASE = "danhgia_bench_exports"
HO = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ")
DEM = ("Văn", "Thị", "Minh", "Thu", "Quốc", "Hữu", "Ngọc", "Đức", "Thanh", "Xuân")
TEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Hạnh", "Khánh", "Lộc", "Phúc", "Quỳnh", "Tâm")
LEVELS = ("excellent", "good", "good", "good", "completed", "not_completed")
WORDS = (
    "Chấp hành tốt nội quy, quy chế; hoàn thành nhiệm vụ đúng tiến độ.",
    "Đôi lúc còn chậm trong việc tổng hợp, báo cáo.",
    '=HYPERLINK("http://example.invalid","x")',
)


def build(people: int) -> None:
    """Create the province and its month unless the marker unit says it is there."""
    from django.db import transaction
    from django.utils import timezone

    from danhgia.core.text import collation_key, fold, name_sort_key
    from danhgia.evaluations.models import Period, Rulebook, Sheet
    from danhgia.evaluations.shipped import ensure_shipped_rulebooks
    from danhgia.organisations.models import Person, Unit, UnitKind

    marker = f"BX-{SEED}-{people}"
    if Unit.objects.filter(code=marker).exists():
        return
    print(f"Building {people} people and their sheets …", flush=True)
    started = time.perf_counter()
    rng = random.Random(SEED)
    ensure_shipped_rulebooks()
    rulebook = Rulebook.objects.get(code="ND335-2025", version=1)
    with transaction.atomic():
        old = Unit.objects.filter(code__startswith="BX-")
        Sheet.objects.filter(unit__in=old).delete()
        Period.objects.filter(organisation__in=old).delete()
        Person.objects.filter(unit__in=old).delete()
        for depth in (2, 1, 0):
            old.filter(depth=depth).delete()
        province = Unit.objects.create(
            code=marker, name="Tỉnh Thử tải", kind=UnitKind.PROVINCE, depth=0
        )
        province.path = f"/{province.pk}/"
        province.save(update_fields=["path"])
        departments = Unit.objects.bulk_create(
            Unit(
                code=f"BX-S{number:03}",
                name=f"Sở số {number}",
                kind=UnitKind.DEPARTMENT,
                parent=province,
                depth=1,
                search_text=fold(f"Sở số {number}"),
                sort_key=collation_key(f"Sở số {number}"),
            )
            for number in range(100)
        )
        for unit in departments:
            unit.path = f"{province.path}{unit.pk}/"
        Unit.objects.bulk_update(departments, ["path"])
        divisions = Unit.objects.bulk_create(
            Unit(
                code=f"{department.code}-P{number}",
                name=f"Phòng {number} {department.name}",
                kind=UnitKind.DIVISION,
                parent=department,
                depth=2,
            )
            for department in departments
            for number in range(4)
        )
        parents = {department.pk: department.path for department in departments}
        for unit in divisions:
            unit.path = f"{parents[unit.parent_id]}{unit.pk}/"  # type: ignore[index]
        Unit.objects.bulk_update(divisions, ["path"], batch_size=1000)
        persons = []
        for number in range(people):
            name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
            persons.append(
                Person(
                    full_name=name,
                    employee_code=f"BX{number:06}",
                    title="Chuyên viên",
                    unit=divisions[number % len(divisions)],
                    search_text=fold(name),
                    sort_key=name_sort_key(name),
                )
            )
        Person.objects.bulk_create(persons, batch_size=5000)
        period = Period.objects.create(
            organisation=province,
            start=OCTOBER,
            end=datetime.date(2026, 10, 31),
            rulebook=rulebook,
            state=Period.State.CLOSED,
            self_evaluation_due=datetime.date(2026, 11, 5),
            review_due=datetime.date(2026, 11, 10),
            decision_due=datetime.date(2026, 11, 15),
            opened_at=timezone.now(),
        )
        decided_at = timezone.now()
        sheets = []
        for person in persons:
            scores = {key: rng.randint(6, 10) for key in ("ethics", "competence", "innovation")}
            general = Decimal(sum(scores.values()))
            task_points = Decimal(rng.randint(4000, 7000)) / 100
            level = rng.choice(LEVELS)
            sheets.append(
                Sheet(
                    period=period,
                    person=person,
                    unit=person.unit,
                    title=person.title,
                    status=Sheet.Status.DECIDED,
                    quantity_pct=Decimal(rng.randint(60000, 100000)) / 1000,
                    quality_pct=Decimal(rng.randint(60000, 100000)) / 1000,
                    timeliness_pct=Decimal(rng.randint(60000, 100000)) / 1000,
                    task_points=task_points,
                    self_scores=scores,
                    manager_scores=scores,
                    self_general=general,
                    manager_general=general,
                    total=min(Decimal(100), general + task_points),
                    band=level,
                    strengths=WORDS[0],
                    shortcomings=rng.choice(WORDS),
                    manager_comment=WORDS[0],
                    self_level=level,
                    manager_level=level,
                    decided_level=level,
                    decided_at=decided_at,
                    reviewed_at=decided_at,
                    self_submitted_at=decided_at,
                )
            )
        Sheet.objects.bulk_create(sheets, batch_size=5000)
    print(f"… built in {time.perf_counter() - started:.1f} s", flush=True)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: a child keeps the peak
    of the parent it was forked from (here the one that built 50,000 rows)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(kind: str, people: int) -> None:
    """In a fresh process: run one measurement, print JSON {seconds, peak_mb, rows}."""
    import tempfile

    import django

    django.setup()
    from danhgia.organisations.models import Unit

    province = Unit.objects.get(code=f"BX-{SEED}-{people}")
    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        if kind == "xlsx":
            from danhgia.reports.exports.documents import write_month_workbook

            rows = write_month_workbook(province, OCTOBER, handle)
        else:
            rows = csv_floor(province, handle)
        seconds = time.perf_counter() - started
        size = handle.tell()
    peak = peak_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": rows, "bytes": size}))


def csv_floor(province: object, handle: object) -> int:
    """The same rows from one SQL fetch (server-side cursor), written with csv."""
    import csv
    import io

    from django.db import connection, transaction

    from danhgia.reports.exports.documents import MONTH_FIELDS, month_sheets

    query = month_sheets(province, OCTOBER).values_list(*MONTH_FIELDS)  # type: ignore[arg-type]
    sql, params = query.query.sql_with_params()
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")  # type: ignore[arg-type]
    writer = csv.writer(text)
    rows = 0
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2000):
            writer.writerows(batch)
            rows += len(batch)
    text.flush()
    text.detach()
    return rows


def measure(kind: str, people: int) -> dict[str, float]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", kind, "--people", str(people)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--child", choices=["xlsx", "csv"])
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.people)
        return 0
    setup_django(DATABASE)
    build(arguments.people)
    floor = measure("csv", arguments.people)
    export = measure("xlsx", arguments.people)
    rows = [
        (
            f"province month workbook ({int(export['rows'])} rows)",
            f"{export['seconds']:.1f}",
            f"{export['peak_mb']:.0f}",
            f"{floor['seconds']:.1f}",
            f"{floor['peak_mb']:.0f}",
            f"{export['seconds'] / floor['seconds']:.1f}",
            f"{export['bytes'] / 1e6:.1f}",
        )
    ]
    print_table(
        f"Exports (target ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_MB:.0f} MB peak)",
        rows,
        ("measurement", "seconds", "peak MB", "floor s (SQL+csv)", "floor MB", "ratio", "MB file"),
    )
    ok = export["seconds"] <= TARGET_SECONDS and export["peak_mb"] <= TARGET_MB
    print("\nwithin target" if ok else "\nOVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
