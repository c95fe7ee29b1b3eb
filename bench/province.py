"""THE generated province: a year of work and evaluations, what `make bench` measures on.

    .venv/bin/python bench/province.py                  # PostgreSQL danhgia_bench_province
    .venv/bin/python bench/province.py --people 2000    # danhgia_bench_province_2000
    .venv/bin/python bench/province.py --rebuild        # empty the database and build again

Reproducible from `--seed` (default 2026: Python's random for the tree and the people, then
PostgreSQL's `setseed` before every set-based INSERT). Sizes follow `--people` (default
50,000); units = people / 10. Contents:
- the tree of bench/province_work.py: the province, ~100 departments (1 top-level unit in 5;
  the others communes) and their divisions; 60 job positions with 5 catalogue products each
  (coefficients 0.5–3);
- people with a job position: the board division ("Văn phòng - Sở Nội vụ") holds exactly 200
  (its head is person 1, its manager person 2, both with a login); one other top-level unit,
  the "decision department" (the sixth top-level unit, a department; the second at small
  sizes), holds exactly 300 spread over its divisions; the rest are drawn at random over the
  other divisions;
- logins and roles: a head for every top-level unit and for the province, an HR officer on
  the province, the board's head and manager; a login for every person (username = the
  employee code, unusable password), as everyone self-evaluates;
- tasks: 20 per person and month for the 12 months of 2025 (12,000,000 at full size), in
  creation order month after month, each month set-based (`INSERT … SELECT` over
  `generate_series`). December 2025 is as on its benchmark day, Thursday 18 December, with the
  shares of province_work.py: 60 % done (15 % of those late), 30 % in progress, 5 % not started,
  5 % cancelled, open deadlines mostly from that day on and 15 % before it (overdue); 70 % of
  the tasks done before the day assessed (95 % meeting quality). January–November are over:
  93 % done (15 % late), 2 % left in progress (overdue ever since), 5 % cancelled. 5 % of all
  tasks have an extended deadline; 80 % name a catalogue product (its coefficient);
- evaluation: the 12 monthly periods of 2025 would use the shipped rulebook in force then
  (Quảng Nam 2022; Nghị định 335 applies from 2026). January–November are closed, with one
  decided sheet per person and month (levels drawn with shares 12/60/24/4 %, the total within
  the level's band, proposals equal to the decision 90 % of the time; decider the head above
  the person). Their task lines are omitted: these historical sheets carry totals, not the
  tasks they were computed from. December 2025 has no period: bench/suite.py opens it;
- the dashboards' summaries of January–November (`refresh_all`), and the province's
  November 2025 published publicly (a Publication row written directly, as
  bench_publication.py does: fixture data).

While loading the tasks, the table's secondary indexes are dropped and created again after,
and foreign-key triggers are off for the session (`session_replication_role = replica`):
every key is drawn from rows inserted just before. The check constraints stay on.
Nothing is rebuilt when the marker (province code BP-<seed>-<people>) and the expected counts
are there; `--rebuild` or another seed empties every application table first. Refuses a
database whose name does not contain "bench"; only PostgreSQL.
"""

import argparse
import calendar
import datetime
import os
import random
import sys
import time
from dataclasses import dataclass
from typing import Any

from common import setup_django

DEFAULT_PEOPLE = 50_000
DEFAULT_SEED = 2026
YEAR = 2025
DECEMBER = datetime.date(YEAR, 12, 1)
DECEMBER_DAY = datetime.date(YEAR, 12, 18)
TASKS_PER_PERSON = 20
BOARD_PEOPLE = 200
DECISION_PEOPLE = 300
LEVEL_WEIGHTS = (0.12, 0.6, 0.24, 0.04)  # excellent, good, completed, not completed


def database_name(people: int) -> str:
    """The full province has its own database; smaller ones a suffixed one."""
    base = "danhgia_bench_province"
    return base if people == DEFAULT_PEOPLE else f"{base}_{people}"


def marker(seed: int, people: int) -> str:
    return f"BP-{seed}-{people}"


def setup(people: int) -> None:
    """Django on this size's database (DATABASE_URL in the environment wins)."""
    if "DATABASE_URL" not in os.environ:
        setup_django(database_name(people))
    else:
        setup_django("unused")


@dataclass
class Province:
    """What the suite needs to find again (looked up by code and username)."""

    root: Any
    board: Any
    decision_unit: Any
    people: int
    seed: int


def _month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _execute(sql: str, params: Any = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def _scalar(sql: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
    return row[0] if row else None


def _empty_database() -> None:
    """TRUNCATE every table of the application (the database is the benchmark's alone)."""
    from django.apps import apps

    tables = [
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("danhgia.")
        for model in config.get_models(include_auto_created=True)
    ]
    _execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _decision_top(tops: list[Any]) -> Any:
    return tops[5] if len(tops) > 5 else tops[1]


def _build_organisation(rng: random.Random, people: int, seed: int) -> tuple[Any, Any, Any]:
    """Units (province_work's tree), catalogue, people, logins and roles; return the root,
    the board division and the decision department."""
    from province_work import _catalogue, _units
    from province_xlsx import DEM, HO, TEN

    from danhgia.accounts.models import User
    from danhgia.core.text import fold, name_sort_key
    from danhgia.organisations.models import Person, Role, Unit, UnitRole

    units, leaves, board = _units(rng, people, seed, 1)
    root = units[0]
    root.code = marker(seed, people)
    Unit.objects.bulk_create(units, batch_size=1000)
    tops = [unit for unit in units if unit.depth == 1]
    decision = _decision_top(tops)
    products = _catalogue(root)
    job_ids = sorted(products)

    head_users = User.objects.bulk_create(
        [User(username=f"bp-head-{unit.code.lower()}", password="!") for unit in tops]
    )
    extra = {
        name: User.objects.create(username=f"bp-{name}", password="!")
        for name in ("province-head", "hr", "board-head", "board-manager")
    }
    roles = [
        UnitRole(user=user, unit=unit, role=Role.HEAD)
        for user, unit in zip(head_users, tops, strict=True)
    ]
    roles += [
        UnitRole(user=extra["province-head"], unit=root, role=Role.HEAD),
        UnitRole(user=extra["hr"], unit=root, role=Role.HR_OFFICER),
        UnitRole(user=extra["board-head"], unit=board, role=Role.HEAD),
        UnitRole(user=extra["board-manager"], unit=board, role=Role.MANAGER),
    ]
    UnitRole.objects.bulk_create(roles)

    decision_leaves = [unit for unit in leaves if unit.parent_id == decision.pk]
    others = [unit for unit in leaves if unit.pk != board.pk and unit.parent_id != decision.pk]
    logins = {1: extra["board-head"].pk, 2: extra["board-manager"].pk}
    keys: dict[str, tuple[str, str]] = {}
    rows = []
    start = datetime.date(2020, 1, 1)
    for n in range(1, people + 1):
        if n <= BOARD_PEOPLE:
            unit_id = board.pk
        elif n <= BOARD_PEOPLE + DECISION_PEOPLE:
            unit_id = decision_leaves[n % len(decision_leaves)].pk
        else:
            unit_id = rng.choice(others).pk
        name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
        code = f"BP{n:06d}"
        if name not in keys:
            keys[name] = (name_sort_key(name), fold(name))
        leader = n <= 2 or rng.random() < 0.1
        title = {1: "Chánh Văn phòng", 2: "Phó Chánh Văn phòng"}.get(
            n, "Phó trưởng phòng" if leader else "Chuyên viên"
        )
        sort_key, folded = keys[name]
        rows.append(
            (
                name,
                code,
                rng.choice(["cong_chuc"] * 5 + ["vien_chuc"] * 3 + ["can_bo", "nguoi_lao_dong"]),
                title,
                leader,
                rng.choice(job_ids),
                unit_id,
                f"bp{n:06d}@example.gov.vn" if rng.random() < 0.8 else "",
                f"09{rng.randrange(10**8):08d}",
                start,
                logins.get(n),
                f"{folded} {code.lower()}",
                sort_key,
            )
        )
    columns = (
        "full_name, employee_code, staff_category, title, is_leader, job_position_id, unit_id, "
        "email, phone, active_from, user_id, search_text, sort_key"
    )
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {Person._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    return root, board, decision


def _ensure_logins() -> int:
    """A login (unusable password, username = the employee code) for everyone without one:
    people self-evaluate and receive reminders. Returns the number added."""
    added = _execute(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined)
        SELECT '!', false, lower(employee_code), '', '', email, false, true, now()
        FROM organisations_person WHERE user_id IS NULL ORDER BY id
        """
    )
    if added:
        _execute(
            """
            UPDATE organisations_person p SET user_id = u.id FROM accounts_user u
            WHERE p.user_id IS NULL AND u.username = lower(p.employee_code)
            """
        )
        from django.db import connection

        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        _execute(f"{command} organisations_person")
        _execute(f"{command} accounts_user")
    return added


def _people_table(root: Any, board: Any) -> None:
    """A temporary table of who each person is for the set-based inserts: unit, job, the
    user who assigns their tasks and decides for them (the board's head for the board's
    staff, else the head of their top-level unit; the province head for the board's head)."""
    _execute("DROP TABLE IF EXISTS bench_people")
    _execute(
        """
        CREATE TEMP TABLE bench_people AS
        SELECT p.id, p.unit_id, p.job_position_id AS job_id, p.title, p.is_leader,
               CASE WHEN p.unit_id = %(board)s AND p.user_id IS DISTINCT FROM bh.user_id
                    THEN bh.user_id ELSE th.user_id END AS head_id
        FROM organisations_person p
        JOIN organisations_unit u ON u.id = p.unit_id
        JOIN organisations_unitrole th
          ON th.unit_id = NULLIF(split_part(u.path, '/', 3), '')::bigint AND th.role = 'head'
        JOIN organisations_unitrole bh ON bh.unit_id = %(board)s AND bh.role = 'head'
        """,
        {"board": board.pk},
    )
    _execute("ALTER TABLE bench_people ADD PRIMARY KEY (id)")
    _execute("DROP TABLE IF EXISTS bench_products")
    _execute(
        """
        CREATE TEMP TABLE bench_products AS
        SELECT job_position_id AS job_id, id, coefficient,
               row_number() OVER (PARTITION BY job_position_id ORDER BY id) - 1 AS k,
               split_part(name, ' (', 1) AS prefix
        FROM work_producttype
        """
    )
    _execute("ANALYZE bench_people")
    _execute("ANALYZE bench_products")


def _pick(array: str, draw: str) -> str:
    """SQL: an element of the date[] parameter `array` chosen by the random column `draw`."""
    return f"(%({array})s::date[])[1 + floor({draw} * cardinality(%({array})s::date[]))::int]"


# One month of tasks: each step adds columns computed from the random draws of the step
# before (PostgreSQL evaluates random() once per row and call).
TASK_SQL = f"""
WITH draws AS (
    SELECT p.id AS owner_id, p.unit_id, p.job_id, p.head_id,
           random() AS r_status, random() AS r_late, random() AS r_where, random() AS r_ext,
           random() AS r_prod, random() AS r_assess, random() AS r_meet, random() AS r_hour,
           random() AS r_minute, random() AS r_progress, random() AS r_source,
           random() AS r_topic, random() AS r_quantity, floor(random() * 5)::int AS k,
           random() AS r_d1, random() AS r_d2, random() AS r_d3, random() AS r_d4,
           random() AS r_doc
    FROM bench_people p CROSS JOIN generate_series(1, %(per_person)s) AS n
), statuses AS (
    SELECT d.*,
           CASE WHEN %(historic)s THEN
                     CASE WHEN r_status < 0.93 THEN 'done'
                          WHEN r_status < 0.95 THEN 'in_progress' ELSE 'cancelled' END
                WHEN r_status < 0.60 THEN 'done'
                WHEN r_status < 0.90 THEN 'in_progress'
                WHEN r_status < 0.95 THEN 'not_started'
                ELSE 'cancelled' END AS status
    FROM draws d
), deadlines AS (
    SELECT s.*, s.status = 'done' AND s.r_late < 0.15 AS late,
           CASE WHEN s.status = 'cancelled' OR %(historic)s THEN {_pick("work", "r_d1")}
                WHEN s.status = 'done' AND s.r_late < 0.15 THEN {_pick("before", "r_d1")}
                WHEN s.status = 'done' AND s.r_where < 0.1 THEN {_pick("after", "r_d1")}
                WHEN s.status = 'done' THEN {_pick("upto", "r_d1")}
                WHEN s.r_where < 0.15 THEN {_pick("before", "r_d1")}
                ELSE {_pick("after", "r_d1")} END AS deadline
    FROM statuses s
), completions AS (
    SELECT t.*,
           CASE WHEN r_ext < 0.05 THEN deadline - 2 - floor(r_d3 * 6)::int
                ELSE deadline END AS due_date,
           CASE WHEN status <> 'done' THEN NULL
                WHEN late THEN deadline + 1
                     + floor(r_d2 * LEAST(6, GREATEST(%(day)s::date - deadline, 1)))::int
                ELSE LEAST(deadline, %(day)s::date) - floor(r_d2 * 4)::int END AS completed_on
    FROM deadlines t
), dated AS (
    SELECT c.*,
           LEAST(c.due_date - 2 - floor(c.r_d4 * 19)::int, c.completed_on) AS start_date,
           c.status = 'done' AND c.completed_on < %(day)s::date AND c.r_assess < 0.7
               AS assessed,
           (%(sources)s::text[])[1 + floor(c.r_source * cardinality(%(sources)s::text[]))::int]
               AS source,
           (%(topics)s::text[])[1 + floor(c.r_topic * cardinality(%(topics)s::text[]))::int]
               AS topic
    FROM completions c
)
INSERT INTO work_task (title, description, unit_id, owner_id, assigned_by_id, source,
    document_number, document_date, external_id, product_type_id, quantity, coefficient,
    start_date, due_date, deadline, status, progress, completed_on, cancelled_reason,
    assessed_at, assessed_by_id, meets_quality, major_errors, objective_cause,
    objective_cause_note, created_at)
SELECT
    COALESCE(jp.prefix, 'Thực hiện nhiệm vụ') || ' về ' || f.topic, '', f.unit_id,
    f.owner_id, f.head_id, f.source,
    CASE WHEN f.source = 'document' THEN (1 + floor(f.r_doc * 999))::int || '/UBND-VP'
         ELSE '' END,
    CASE WHEN f.source = 'document' THEN f.start_date END,
    '', jp.id,
    CASE WHEN f.r_quantity < 0.6 THEN 1 WHEN f.r_quantity < 0.9 THEN 2 ELSE 3 END,
    COALESCE(jp.coefficient, 1.00),
    f.start_date, f.due_date, f.deadline, f.status,
    CASE f.status WHEN 'done' THEN 100
                  WHEN 'in_progress' THEN 10 * (1 + floor(f.r_progress * 9))::int
                  ELSE 0 END,
    f.completed_on,
    CASE WHEN f.status = 'cancelled' THEN 'Thay đổi kế hoạch công tác' ELSE '' END,
    CASE WHEN f.assessed THEN (f.completed_on + 1 + TIME '09:30') AT TIME ZONE %(zone)s END,
    CASE WHEN f.assessed THEN f.head_id END,
    CASE WHEN f.assessed THEN f.r_meet < 0.95 END,
    0, false, '',
    (f.start_date + make_time(7 + floor(f.r_hour * 10)::int, floor(f.r_minute * 60)::int, 0))
        AT TIME ZONE %(zone)s AS created_at
FROM dated f
LEFT JOIN bench_products jp ON jp.job_id = f.job_id AND jp.k = f.k AND f.r_prod < 0.8
ORDER BY created_at
"""


def _workdays(first: datetime.date) -> list[datetime.date]:
    days = (first + datetime.timedelta(days=n) for n in range(_month_end(first).day))
    return [day for day in days if day.weekday() < 5]


def _task_params(first: datetime.date, seed: int) -> dict[str, Any]:
    from province_work import SOURCES, TOPICS

    historic = first < DECEMBER
    # The day the month's statuses describe: long after a past month, the 18th in December.
    day = _month_end(first) + datetime.timedelta(days=11) if historic else DECEMBER_DAY
    work = _workdays(first)
    return {
        "per_person": TASKS_PER_PERSON,
        "historic": historic,
        "day": day,
        "work": work,
        "before": [d for d in work if d < day] or work,
        "after": [d for d in work if d >= day] or work,
        "upto": [d for d in work if d <= day],
        "sources": SOURCES,
        "topics": TOPICS,
        "zone": "Asia/Ho_Chi_Minh",
    }


def _load_tasks(seed: int, verbose: bool) -> int:
    """12 months of tasks, month by month, secondary indexes rebuilt once at the end."""
    indexes = [
        (name, definition)
        for name, definition in _rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'work_task' "
            "AND indexname <> 'work_task_pkey'"
        )
    ]
    for name, _definition in indexes:
        _execute(f'DROP INDEX "{name}"')
    _execute("SET session_replication_role = replica")
    total = 0
    try:
        for month in range(1, 13):
            started = time.perf_counter()
            first = datetime.date(YEAR, month, 1)
            _execute("SELECT setseed(%s)", [((seed * 100 + month) % 10_000) / 10_000])
            total += _execute(TASK_SQL, _task_params(first, seed))
            if verbose:
                print(f"  tasks {first:%m/%Y}: {time.perf_counter() - started:.1f} s",
                      file=sys.stderr)  # fmt: skip
    finally:
        _execute("SET session_replication_role = DEFAULT")
    started = time.perf_counter()
    for _name, definition in indexes:
        _execute(definition)
    if verbose:
        print(f"  task indexes: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return total


def _rows(sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


PERIODS_SQL = """
INSERT INTO evaluations_period (kind, start, "end", state, self_evaluation_due, review_due,
    decision_due, opened_at, closed_at, organisation_id, rulebook_id)
SELECT 'month', m, (m + INTERVAL '1 month - 1 day')::date, 'closed',
       (m + INTERVAL '1 month 4 days')::date, (m + INTERVAL '1 month 6 days')::date,
       (m + INTERVAL '1 month 9 days')::date,
       (m + INTERVAL '1 month') AT TIME ZONE 'Asia/Ho_Chi_Minh',
       (m + INTERVAL '1 month 14 days') AT TIME ZONE 'Asia/Ho_Chi_Minh', %s, %s
FROM generate_series(DATE '2025-01-01', DATE '2025-11-01', INTERVAL '1 month') AS m
"""

SHEETS_SQL = """
INSERT INTO evaluations_sheet (title, is_leader, task_group, status, quantity_pct,
    quality_pct, timeliness_pct, task_points, self_scores, manager_scores, total, band,
    strengths, shortcomings, proposals, manager_comment, return_reason, self_level,
    manager_level, decided_level, decision_reason, veto, veto_reason, quota_exception,
    period_id, person_id, unit_id, version, decider_id, decided_by_id, decided_at, no_tasks,
    unit_result_staff)
SELECT title, is_leader, '', 'decided', 0, 0, 0, 0, '{}', '{}',
       CASE level WHEN 'excellent' THEN 90 + round((r_total * 10)::numeric, 2)
                  WHEN 'good' THEN 70 + round((r_total * 19.99)::numeric, 2)
                  WHEN 'completed' THEN 50 + round((r_total * 19.99)::numeric, 2)
                  ELSE 30 + round((r_total * 19.99)::numeric, 2) END,
       level, '', '', '', '', '', proposal, proposal, level, '', '', '', false,
       period_id, person_id, unit_id, 1, head_id, head_id, decided_at, false, '[]'
FROM (
    SELECT d.*,
           CASE WHEN r_proposal < 0.9 THEN level
                ELSE (ARRAY['excellent', 'good', 'completed', 'not_completed'])
                     [1 + floor(r_other * 4)::int] END AS proposal
    FROM (
        SELECT p.title, p.is_leader, per.id AS period_id, p.id AS person_id, p.unit_id,
               p.head_id, per.closed_at - INTERVAL '2 days' AS decided_at,
               random() AS r_total, random() AS r_proposal, random() AS r_other,
               CASE WHEN r < %(excellent)s THEN 'excellent'
                    WHEN r < %(good)s THEN 'good'
                    WHEN r < %(completed)s THEN 'completed'
                    ELSE 'not_completed' END AS level
        FROM evaluations_period per
        CROSS JOIN bench_people p
        CROSS JOIN LATERAL (SELECT random() AS r WHERE p.id IS NOT NULL) AS drawn
        WHERE per.organisation_id = %(root)s
        ORDER BY per.start, p.id
    ) AS d
) AS s
"""


def _load_evaluations(root: Any, seed: int) -> tuple[int, int]:
    """January–November closed, with a decided sheet per person and month."""
    from danhgia.evaluations.models import Rulebook

    rulebook = Rulebook.objects.get(code="QNAM-2022", version=1)
    periods = _execute(PERIODS_SQL, [root.pk, rulebook.pk])
    _execute("SELECT setseed(%s)", [(seed % 10_000) / 20_000])
    cumulative = [sum(LEVEL_WEIGHTS[: n + 1]) for n in range(3)]
    sheets = _execute(
        SHEETS_SQL,
        {
            "root": root.pk,
            "excellent": cumulative[0],
            "good": cumulative[1],
            "completed": cumulative[2],
        },
    )
    return periods, sheets


def _publish(root: Any) -> None:
    from django.utils import timezone

    from danhgia.evaluations.models import Period
    from danhgia.reports.publication.models import Privacy, Publication

    november = Period.objects.get(organisation=root, start=datetime.date(YEAR, 11, 1))
    Publication.objects.create(
        period=november,
        audience=Publication.Audience.PUBLIC,
        privacy=Privacy.NAMES_WITHOUT_SCORES,
        published_at=timezone.now(),
    )


def _find(seed: int, people: int) -> Province | None:
    from danhgia.evaluations.models import Period
    from danhgia.organisations.models import Unit

    root = Unit.objects.filter(code=marker(seed, people)).first()
    if root is None:
        return None
    expected = people * TASKS_PER_PERSON * 12
    if _scalar("SELECT count(*) FROM work_task") != expected:
        return None
    if Period.objects.filter(organisation=root).count() != 11:
        return None
    tops = list(Unit.objects.filter(parent=root).order_by("pk"))
    return Province(
        root=root,
        board=Unit.objects.get(code="BW-001-01"),
        decision_unit=_decision_top(tops),
        people=people,
        seed=seed,
    )


def counts() -> list[tuple[str, int]]:
    tables = [
        ("units", "organisations_unit"),
        ("people", "organisations_person"),
        ("logins", "accounts_user"),
        ("roles", "organisations_unitrole"),
        ("job positions", "organisations_jobposition"),
        ("catalogue products", "work_producttype"),
        ("tasks", "work_task"),
        ("periods", "evaluations_period"),
        ("sheets", "evaluations_sheet"),
        ("dashboard summary rows", "reports_dashboards_unitmonth"),
        ("publications", "reports_publication_publication"),
    ]
    return [(label, _scalar(f"SELECT count(*) FROM {table}")) for label, table in tables]


def ensure_province(
    people: int = DEFAULT_PEOPLE,
    *,
    seed: int = DEFAULT_SEED,
    rebuild: bool = False,
    verbose: bool = True,
) -> Province:
    """Return the province for (seed, people), building it first unless it is there.
    Django must be set up on the right database first (`setup`)."""
    from django.db import connection, transaction

    from danhgia.evaluations.shipped import ensure_shipped_rulebooks
    from danhgia.reports.dashboards.summaries import refresh_all

    if people < 1000:
        raise SystemExit("--people must be at least 1,000 (a board of 200, a department of 300).")
    if not rebuild:
        found = _find(seed, people)
        if found is not None:
            _ensure_logins()  # provinces built before logins were part of the build
            return found
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name or connection.vendor != "postgresql":
        raise SystemExit(f"{name}: the province is built on PostgreSQL, in a 'bench' database.")

    clock = started = time.perf_counter()

    def step(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        if verbose:
            print(f"  {label}: {now - clock:.1f} s", file=sys.stderr)
        clock = now

    if verbose:
        print(f"Building the province: {people:,} people, seed {seed}, in {name}", file=sys.stderr)
    _empty_database()
    ensure_shipped_rulebooks()
    _execute("SET max_parallel_workers_per_gather = 0")  # random() draws in one order
    _execute("SET work_mem = '256MB'")
    _execute("SET maintenance_work_mem = '1GB'")
    rng = random.Random(seed)
    with transaction.atomic():
        root, board, decision = _build_organisation(rng, people, seed)
        _ensure_logins()
        _people_table(root, board)
    step("units, catalogue, people, logins")
    _load_tasks(seed, verbose)
    step("tasks")
    with transaction.atomic():
        _load_evaluations(root, seed)
    step("periods and sheets")
    _execute("VACUUM ANALYZE")
    step("vacuum analyze")
    with transaction.atomic():
        refresh_all()
        _publish(root)
    step("dashboards' summaries, publication")
    _execute("ANALYZE")
    if verbose:
        print(f"Built in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    found = _find(seed, people)
    assert found is not None, "the province is not complete after building it"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    setup(args.people)
    from django.db import connection

    started = time.perf_counter()
    province = ensure_province(args.people, seed=args.seed, rebuild=args.rebuild)
    print(
        f"{connection.settings_dict['NAME']}: province {province.root.code}, board unit "
        f"{province.board.pk}, decision department {province.decision_unit.pk} "
        f"({province.decision_unit.name}); {time.perf_counter() - started:.1f} s"
    )
    for label, count in counts():
        print(f"  {label:24} {count:>12,}")


if __name__ == "__main__":
    main()
