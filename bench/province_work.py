"""One month of work for a whole province, reproducible from a seed: the task benchmarks' data.

    .venv/bin/python bench/province_work.py               # PostgreSQL danhgia_bench_work
    .venv/bin/python bench/province_work.py --rebuild     # delete its data and build it again
    DATABASE_URL=sqlite:////tmp/bench-work.sqlite3 .venv/bin/python bench/province_work.py

Builds, for November 2026 (the benchmark day is Wednesday 18 November):
- units = people / 10 (5,000 for 50,000 people): the province, ~100 departments (1 in 5) and
  communes under it, and their divisions; one division, the board unit, holds exactly 200
  people, the others share the rest at random;
- 60 job positions with 5 catalogue products each; a head user and role per top-level unit,
  a provincial head, and the board unit's head (User + Person + UnitRole);
- 20 tasks per person (1,000,000): 60 % done (15 % of those late), 30 % in progress, 5 % not
  started, 5 % cancelled; deadlines on the month's working days, open ones mostly from the
  benchmark day on, 15 % of them before it (overdue); 5 % with an extended deadline.
Tasks are written in creation order, so a unit's tasks are spread over the table as in
production. People and tasks go in with COPY on PostgreSQL (executemany on SQLite), then
VACUUM ANALYZE. The default size is 50,000 people on PostgreSQL and 2,000 on SQLite.

Nothing is rebuilt when the marker unit (code BW-<seed>-<people>-<day>: another size, seed or
day rebuilds) and the expected number of tasks are there. Building first deletes what an
earlier run built (units, users and job positions named BW-/bw-, and their rows) and leaves
the other benchmarks' rows alone, so one SQLite file serves `make bench`. It refuses a
database whose name does not contain "bench". Importing this module sets Django up on the
database (common.setup_django).
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from common import setup_django

setup_django("danhgia_bench_work")

from django.apps import apps  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from province_xlsx import DEM, HO, JOBS, TEN  # noqa: E402

from danhgia.accounts.models import User  # noqa: E402
from danhgia.core.text import collation_key, fold, name_sort_key  # noqa: E402
from danhgia.organisations.models import (  # noqa: E402
    JobPosition,
    Person,
    Role,
    Unit,
    UnitKind,
    UnitRole,
)
from danhgia.work.models import ProductType, Task  # noqa: E402

MONTH_FIRST = datetime.date(2026, 11, 1)
MONTH_LAST = datetime.date(2026, 11, 30)
DAY = datetime.date(2026, 11, 18)
TASKS_PER_PERSON = 20
BOARD_PEOPLE = 200
SEED = 2026
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime.date(2020, 1, 1)

DEPARTMENTS = [
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
    "Ban Quản lý các Khu kinh tế",
]
DIVISIONS = [
    "Văn phòng",
    "Thanh tra",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Tổ chức cán bộ",
    "Phòng Pháp chế",
    "Phòng Quản lý chuyên ngành",
    "Phòng Tổng hợp",
    "Bộ phận Một cửa",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
]
PLACES = ["Tam", "Điện", "Duy", "Thăng", "Quế", "Đại", "Hòa", "Bình", "Phước", "Tiên"]
PLACES_2 = ["An", "Kỳ", "Xuyên", "Bàn", "Sơn", "Lộc", "Phú", "Thạnh", "Hiệp", "Trà"]
PRODUCTS = [
    ("Báo cáo định kỳ", "báo cáo"),
    ("Văn bản tham mưu", "văn bản"),
    ("Hồ sơ thẩm định", "hồ sơ"),
    ("Tờ trình", "tờ trình"),
    ("Kế hoạch triển khai", "kế hoạch"),
]
COEFFICIENTS = [Decimal("0.50"), Decimal("1.00"), Decimal("1.50"), Decimal("2.00"), Decimal("3.00")]
TOPICS = [
    "cải cách hành chính",
    "chuyển đổi số",
    "công tác cán bộ",
    "thi đua khen thưởng",
    "dự toán ngân sách",
    "giải quyết khiếu nại",
    "an toàn thông tin",
    "đầu tư công",
    "phòng chống thiên tai",
    "quản lý đất đai",
    "văn hóa cơ sở",
    "y tế dự phòng",
]
SOURCES = ["plan"] * 10 + ["weekly"] * 2 + ["assignment"] * 5 + ["document"] * 2 + ["regular"]
QUANTITIES = [Decimal(1)] * 6 + [Decimal(2)] * 3 + [Decimal(3)]
TASK_COLUMNS = (
    "id",
    "title",
    "description",
    "unit_id",
    "owner_id",
    "assigned_by_id",
    "source",
    "document_number",
    "document_date",
    "external_id",
    "product_type_id",
    "quantity",
    "coefficient",
    "start_date",
    "due_date",
    "deadline",
    "status",
    "progress",
    "completed_on",
    "cancelled_reason",
    "assessed_at",
    "assessed_by_id",
    "meets_quality",
    "major_errors",
    "objective_cause",
    "objective_cause_note",
    "created_at",
)
PERSON_COLUMNS = (
    "id",
    "full_name",
    "employee_code",
    "staff_category",
    "title",
    "is_leader",
    "job_position_id",
    "unit_id",
    "email",
    "phone",
    "active_from",
    "active_to",
    "user_id",
    "search_text",
    "sort_key",
)


@dataclass
class Province:
    root: Unit
    board: Unit
    board_head: User
    province_head: User
    day: datetime.date
    people: int
    tasks: int


def default_people() -> int:
    return 2000 if connection.vendor == "sqlite" else 50_000


def _marker(seed: int, people: int) -> str:
    return f"BW-{seed}-{people}-{DAY:%Y%m%d}"


def _load(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """COPY `rows` into `table` on PostgreSQL; executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        ops = connection.ops

        def adapt(value: Any) -> Any:
            if isinstance(value, datetime.datetime):
                return ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.date):
                return ops.adapt_datefield_value(value)
            if isinstance(value, Decimal):
                return str(value)
            return value

        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        cursor.executemany(sql, [tuple(adapt(v) for v in row) for row in rows])


def _check_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        raise SystemExit(f"{name}: the database's name must contain 'bench' (see the docstring).")


def _delete_own_data() -> None:
    """Delete what an earlier run built: BW units, users and job positions, and their rows.

    The other benchmarks may share the database (SQLite): their rows stay. When everything
    is ours, PostgreSQL truncates instead, which is faster and leaves no dead rows behind.
    """
    unit_ids = "SELECT id FROM organisations_unit WHERE code LIKE 'BW-%'"
    statements = [
        f"DELETE FROM work_task WHERE unit_id IN ({unit_ids})",
        f"DELETE FROM work_producttype WHERE unit_id IN ({unit_ids})",
        f"DELETE FROM organisations_unitrole WHERE unit_id IN ({unit_ids})",
        f"DELETE FROM organisations_person WHERE unit_id IN ({unit_ids})",
        "DELETE FROM organisations_jobposition WHERE code LIKE 'BW-%'",
        "DELETE FROM organisations_unit WHERE code LIKE 'BW-%'",
        "DELETE FROM accounts_user WHERE username LIKE 'bw-%'",
    ]
    only_ours = not (
        Unit.objects.exclude(code__startswith="BW-").exists()
        or User.objects.exclude(username__startswith="bw-").exists()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and only_ours:
            tables = [
                model._meta.db_table
                for label in ("core", "accounts", "organisations", "work")
                for model in apps.get_app_config(label).get_models(include_auto_created=True)
            ]
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            return
        with transaction.atomic():
            for sql in statements:
                cursor.execute(sql)


def _next_id(model: type[Unit] | type[Person] | type[Task]) -> int:
    return (model.objects.aggregate(last=Max("id"))["last"] or 0) + 1


def _units(
    rng: random.Random, people: int, seed: int, first_id: int
) -> tuple[list[Unit], list[Unit], Unit]:
    """Province, top-level units and their divisions with paths; return (all, leaves, board)."""
    count = max(people // 10, 20)
    tops = max(count // 50, 2)
    root = Unit(id=first_id, code=_marker(seed, people), name="Tỉnh Thử nghiệm")
    root.kind, root.path, root.depth = UnitKind.PROVINCE, f"/{first_id}/", 0
    units, leaves = [root], []
    next_id = first_id + 1 + tops
    children_left = count - 1 - tops
    for t in range(tops):
        is_department = t % 5 == 0
        if is_department:
            number = t // 5
            name = DEPARTMENTS[number % len(DEPARTMENTS)]
            name += f" ({number // len(DEPARTMENTS) + 1})" if number >= len(DEPARTMENTS) else ""
        else:
            name = f"Xã {PLACES[t % 10]} {PLACES_2[(t // 10) % 10]}"
            name += f" {t // 100 + 1}" if t >= 100 else ""
        top = Unit(
            id=first_id + 1 + t,
            code=f"BW-{t + 1:03d}",
            name=name,
            kind=UnitKind.DEPARTMENT if is_department else UnitKind.COMMUNE,
            parent_id=root.id,
            path=f"{root.path}{first_id + 1 + t}/",
            depth=1,
        )
        units.append(top)
        share = children_left // (tops - t)
        children_left -= share
        for c in range(share):
            division = DIVISIONS[c] if c < len(DIVISIONS) else f"Đơn vị trực thuộc số {c + 1}"
            child = Unit(
                id=next_id,
                code=f"BW-{t + 1:03d}-{c + 1:02d}",
                name=f"{division} - {name}",
                kind=UnitKind.DIVISION if c < len(DIVISIONS) else UnitKind.PUBLIC_SERVICE,
                parent_id=top.id,
                path=f"{top.path}{next_id}/",
                depth=2,
            )
            next_id += 1
            units.append(child)
            leaves.append(child)
    for unit in units:
        unit.valid_from = START
        unit.search_text = fold(unit.name)
        unit.sort_key = collation_key(unit.name)
    board = leaves[0]  # Văn phòng - Sở Nội vụ
    return units, leaves, board


def _users(units: list[Unit], board: Unit) -> tuple[dict[int, User], User, User]:
    """A head (user + role) per top-level unit, the provincial head and the board's head."""
    tops = [unit for unit in units if unit.depth == 1]
    heads = User.objects.bulk_create(
        [User(username=f"bw-head-{unit.code.lower()}", password="!") for unit in tops]
    )
    province_head = User.objects.create(username="bw-province-head", password="!")
    board_head = User.objects.create(username="bw-board-head", password="!")
    roles = [
        UnitRole(user=user, unit=unit, role=Role.HEAD)
        for user, unit in zip(heads, tops, strict=True)
    ]
    roles.append(UnitRole(user=province_head, unit=units[0], role=Role.HEAD))
    roles.append(UnitRole(user=board_head, unit=board, role=Role.HEAD))
    UnitRole.objects.bulk_create(roles)
    return (
        {unit.id: user for unit, user in zip(tops, heads, strict=True)},
        province_head,
        board_head,
    )


def _catalogue(root: Unit) -> dict[int, list[ProductType]]:
    """60 job positions with 5 products each; return products by job position id."""
    jobs = JobPosition.objects.bulk_create(
        [JobPosition(code=f"BW-{code}", name=name) for code, name in JOBS]
    )
    products = ProductType.objects.bulk_create(
        [
            ProductType(
                code=f"{job.code}-SP{k + 1}",
                name=f"{name} ({job.name.lower()})",
                job_position=job,
                unit=root,
                unit_of_measure=measure,
                coefficient=COEFFICIENTS[(k + n) % len(COEFFICIENTS)],
                valid_from=datetime.date(2026, 1, 1),
            )
            for n, job in enumerate(jobs)
            for k, (name, measure) in enumerate(PRODUCTS)
        ]
    )
    by_job: dict[int, list[ProductType]] = {}
    for product in products:
        by_job.setdefault(product.job_position_id or 0, []).append(product)
    return by_job


def _people(
    rng: random.Random,
    count: int,
    leaves: list[Unit],
    board: Unit,
    board_head: User,
    job_ids: list[int],
    first_id: int,
) -> list[tuple[Any, ...]]:
    """One row per person (see PERSON_COLUMNS); the first is the board's head."""
    others = [unit for unit in leaves if unit.id != board.id]
    keys: dict[str, tuple[str, str]] = {}
    rows = []
    for n in range(1, count + 1):
        unit_id = board.id if n <= BOARD_PEOPLE else rng.choice(others).id
        name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
        if name not in keys:
            keys[name] = (fold(name), name_sort_key(name))
        leader = rng.random() < 0.1 or n == 1
        rows.append(
            (
                first_id + n - 1,
                name,
                f"BW{n:06d}",
                rng.choice(["cong_chuc"] * 5 + ["vien_chuc"] * 3 + ["can_bo", "nguoi_lao_dong"]),
                "Trưởng phòng" if n == 1 else ("Phó trưởng phòng" if leader else "Chuyên viên"),
                leader,
                rng.choice(job_ids),
                unit_id,
                f"bw{n:06d}@example.gov.vn",
                f"09{rng.randrange(10**8):08d}",
                START,
                None,
                board_head.pk if n == 1 else None,
                *keys[name],
            )
        )
    return rows


def _tasks(
    rng: random.Random,
    people: list[tuple[Any, ...]],
    units: list[Unit],
    heads: dict[int, User],
    board: Unit,
    board_head: User,
    products: dict[int, list[ProductType]],
) -> list[tuple[Any, ...]]:
    """TASKS_PER_PERSON rows per person in creation order (TASK_COLUMNS without the id)."""
    top_of = {unit.id: int(unit.path.split("/")[2]) for unit in units if unit.depth >= 1}
    board_head_person = people[0][0]
    # Shared date objects: one per calendar day around the month.
    base = MONTH_FIRST - datetime.timedelta(days=40)
    days = [base + datetime.timedelta(days=i) for i in range(120)]
    at = {d: i for i, d in enumerate(days)}
    workdays = [d for d in days if MONTH_FIRST <= d <= MONTH_LAST and d.weekday() < 5]
    before = [d for d in workdays if d < DAY]
    from_day = [d for d in workdays if d >= DAY]
    up_to_day = [d for d in workdays if d <= DAY]
    titles = {
        product.id: [f"{product.name.split(' (')[0]} về {topic}" for topic in TOPICS]
        for group in products.values()
        for product in group
    }
    plain_titles = [f"Thực hiện nhiệm vụ về {topic}" for topic in TOPICS]
    rows: list[tuple[Any, ...]] = []
    for person in people:
        person_id, unit_id, job_id = person[0], person[7], person[6]
        own_head = heads[top_of[unit_id]]
        assigner = (
            board_head if unit_id == board.id and person_id != board_head_person else own_head
        )
        catalogue = products[job_id]
        for _ in range(TASKS_PER_PERSON):
            draw = rng.random()
            completed = assessed_at = assessed_by = meets = None
            progress, reason = 0, ""
            if draw < 0.60:
                status = "done"
                if rng.random() < 0.15:  # late
                    deadline = rng.choice(before)
                    late = rng.randint(1, min(6, (DAY - deadline).days))
                    completed = days[at[deadline] + late]
                else:
                    deadline = rng.choice(from_day if rng.random() < 0.1 else up_to_day)
                    completed = days[at[min(deadline, DAY)] - rng.randint(0, 3)]
                progress = 100
                if completed < DAY and rng.random() < 0.7:
                    assessed_by = assigner.pk
                    assessed_at = datetime.datetime.combine(
                        days[at[completed] + 1], datetime.time(9, 30), ZONE
                    )
                    meets = rng.random() < 0.95
            elif draw < 0.95:
                status = "in_progress" if draw < 0.90 else "not_started"
                deadline = rng.choice(before if rng.random() < 0.15 else from_day)
                progress = rng.randrange(10, 100, 10) if status == "in_progress" else 0
            else:
                status, reason = "cancelled", "Thay đổi kế hoạch công tác"
                deadline = rng.choice(workdays)
            due = days[at[deadline] - rng.randint(2, 7)] if rng.random() < 0.05 else deadline
            start = days[at[due] - rng.randint(2, 20)]
            if completed is not None and completed < start:
                start = completed
            source = rng.choice(SOURCES)
            product = rng.choice(catalogue) if rng.random() < 0.8 else None
            created = datetime.datetime.combine(
                start, datetime.time(rng.randint(7, 16), rng.randint(0, 59)), ZONE
            )
            rows.append(
                (
                    rng.choice(titles[product.id] if product else plain_titles),
                    "",
                    unit_id,
                    person_id,
                    assigner.pk,
                    source,
                    f"{rng.randint(1, 999)}/UBND-VP" if source == "document" else "",
                    start if source == "document" else None,
                    "",
                    product.id if product else None,
                    rng.choice(QUANTITIES),
                    product.coefficient if product else Decimal("1.00"),
                    start,
                    due,
                    deadline,
                    status,
                    progress,
                    completed,
                    reason,
                    assessed_at,
                    assessed_by,
                    meets,
                    0,
                    False,
                    "",
                    created,
                )
            )
    rows.sort(key=lambda row: row[-1])
    return rows


def _reset_sequences() -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Unit, Person, Task]):
            cursor.execute(sql)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _existing(seed: int, people: int) -> Province | None:
    root = Unit.objects.filter(code=_marker(seed, people)).first()
    if root is None or Task.objects.count() != people * TASKS_PER_PERSON:
        return None
    board = Unit.objects.get(code="BW-001-01")
    return Province(
        root=root,
        board=board,
        board_head=User.objects.get(username="bw-board-head"),
        province_head=User.objects.get(username="bw-province-head"),
        day=DAY,
        people=people,
        tasks=people * TASKS_PER_PERSON,
    )


def ensure_province(
    people: int | None = None, *, seed: int = SEED, rebuild: bool = False, verbose: bool = True
) -> Province:
    """Return the province for (seed, people), building it first unless it is already there."""
    people = people or default_people()
    if people <= BOARD_PEOPLE:
        raise SystemExit(f"--people must be more than the board's {BOARD_PEOPLE}.")
    if not rebuild:
        existing = _existing(seed, people)
        if existing is not None:
            return existing

    def step(label: str, started: float) -> float:
        now = time.perf_counter()
        if verbose:
            print(f"  {label}: {now - started:.1f} s", file=sys.stderr)
        return now

    if verbose:
        print(
            f"Building {people:,} people and {people * TASKS_PER_PERSON:,} tasks "
            f"(seed {seed}) in {connection.settings_dict['NAME']}",
            file=sys.stderr,
        )
    _check_database()
    rng = random.Random(seed)
    clock = time.perf_counter()
    _delete_own_data()
    clock = step("earlier data deleted", clock)
    units, leaves, board = _units(rng, people, seed, _next_id(Unit))
    Unit.objects.bulk_create(units, batch_size=1000)
    heads, province_head, board_head = _users(units, board)
    products = _catalogue(units[0])
    clock = step(f"{len(units):,} units, users, catalogue", clock)
    person_rows = _people(
        rng, people, leaves, board, board_head, sorted(products), _next_id(Person)
    )
    _load(Person._meta.db_table, PERSON_COLUMNS, person_rows)
    clock = step(f"{len(person_rows):,} people", clock)
    task_rows = _tasks(rng, person_rows, units, heads, board, board_head, products)
    clock = step(f"{len(task_rows):,} tasks generated", clock)
    _load(
        Task._meta.db_table,
        TASK_COLUMNS,
        ((number, *row) for number, row in enumerate(task_rows, start=_next_id(Task))),
    )
    del task_rows
    clock = step("tasks loaded", clock)
    _reset_sequences()
    _analyze()
    step("vacuum analyze", clock)
    return Province(
        root=units[0],
        board=board,
        board_head=board_head,
        province_head=province_head,
        day=DAY,
        people=people,
        tasks=people * TASKS_PER_PERSON,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    province = ensure_province(args.people, seed=args.seed, rebuild=args.rebuild)
    print(
        f"{os.path.basename(connection.settings_dict['NAME'])}: {province.people:,} people, "
        f"{province.tasks:,} tasks, board unit {province.board.pk} "
        f"({province.board.name}); {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
