"""The annual classification of a province: 50,000 people over the 12 months of 2025.

    .venv/bin/python bench/bench_annual.py              # PostgreSQL danhgia_bench_annual
    .venv/bin/python bench/bench_annual.py --rebuild    # build the data again

Data (built on first use, reproducible from SEED, in SQL: `INSERT … SELECT generate_series`
after `setseed`): a province with 100 departments of 4 divisions each; a head (user, person,
role) for the province and each department; 50,000 people spread over the divisions — 3 %
joined during 2025, 2 % left during it; 12 closed monthly periods of 2025 with the Quảng Nam
2022 rulebook and a decided sheet for every month each person was active (about 590,000),
totals drawn between 40 and 100; sick leave for 5 % of people (1 to 120 days), maternity
leave of 6 months for 1 %, a reprimand for 0.5 %.

Measurement: `open_annual` for the province and 2025 — an annual sheet computed for each of
the 50,000 people (periods counted, time worked and absent, vetoes, deciders as in December)
— inside a transaction rolled back at the end, so the script can run again on the same data.
Printed with seconds, queries and the peak resident memory, beside a floor measured in the
same run: one SQL aggregate computing each person's average of the decided totals of the
year. Target: within 60 s (exit status 1 when missed). Not part of the test suite.
"""

import argparse
import datetime
import resource
import sys
import time
from typing import Any

from common import best_of, print_table, setup_django

setup_django("danhgia_bench_annual")

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from danhgia.annual.services import open_annual  # noqa: E402
from danhgia.evaluations.models import Rulebook  # noqa: E402
from danhgia.evaluations.shipped import ensure_shipped_rulebooks  # noqa: E402
from danhgia.organisations.models import Person, Unit  # noqa: E402

SEED = 2025
YEAR = 2025
PEOPLE = 50_000
DEPARTMENTS = 100
DIVISIONS_PER_DEPARTMENT = 4
TARGET_SECONDS = 60.0
HEADER = ("measurement", "seconds", "queries", "floor s (1 SQL aggregate)", "ratio")

FLOOR_SQL = """
SELECT s.person_id, AVG(s.total)
FROM evaluations_sheet s JOIN evaluations_period p ON p.id = s.period_id
WHERE s.status = 'decided' AND p.start >= %s AND p."end" <= %s
GROUP BY s.person_id
"""


class _Rollback(Exception):
    """Leaves the benchmark's transaction without keeping anything."""


def marker() -> str:
    return f"BA-{SEED}-{PEOPLE}"


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def delete_own_data() -> None:
    """What an earlier build wrote (units BA-…, users ba-…, and their rows)."""
    units = "SELECT id FROM organisations_unit WHERE code LIKE 'BA-%%'"
    people = f"SELECT id FROM organisations_person WHERE unit_id IN ({units})"
    periods = f"SELECT id FROM evaluations_period WHERE organisation_id IN ({units})"
    for sql in (
        f"DELETE FROM evaluations_sheet WHERE period_id IN ({periods})",
        f"DELETE FROM evaluations_period WHERE id IN ({periods})",
        f"DELETE FROM evaluations_leave WHERE person_id IN ({people})",
        f"DELETE FROM evaluations_discipline WHERE person_id IN ({people})",
        f"DELETE FROM organisations_unitrole WHERE unit_id IN ({units})",
        f"DELETE FROM organisations_person WHERE unit_id IN ({units})",
        "DELETE FROM accounts_user WHERE username LIKE 'ba-%%'",
        "UPDATE organisations_unit SET parent_id = NULL WHERE code LIKE 'BA-%%'",
        "DELETE FROM organisations_unit WHERE code LIKE 'BA-%%'",
    ):
        execute(sql)


def build_units() -> Unit:
    """The province, its departments and their divisions, with their paths (SQL)."""
    since = datetime.date(2020, 1, 1)
    root = Unit.objects.create(
        code=marker(), name="Tỉnh Đo năm", kind="province", valid_from=since, path="", depth=0
    )
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    execute(
        """
        INSERT INTO organisations_unit
            (code, name, kind, path, depth, valid_from, search_text, sort_key, parent_id)
        SELECT 'BA-D' || d, 'Sở ' || d, 'department', '', 1, %s, 'so ' || d, 'so ' || d, %s
        FROM generate_series(1, %s) AS d
        """,
        [since, root.pk, DEPARTMENTS],
    )
    execute(
        """
        INSERT INTO organisations_unit
            (code, name, kind, path, depth, valid_from, search_text, sort_key, parent_id)
        SELECT 'BA-V' || u.id || '-' || v, 'Phòng ' || v || ' ' || u.name, 'division', '', 2,
               %s, 'phong', 'phong', u.id
        FROM organisations_unit u, generate_series(1, %s) AS v
        WHERE u.parent_id = %s
        """,
        [since, DIVISIONS_PER_DEPARTMENT, root.pk],
    )
    for depth in (1, 2):
        execute(
            """
            UPDATE organisations_unit AS u SET path = p.path || u.id || '/'
            FROM organisations_unit AS p
            WHERE u.parent_id = p.id AND u.depth = %s AND u.code LIKE 'BA-%%'
            """,
            [depth],
        )
    return root


def build_heads(root: Unit) -> None:
    """A head (login, person, role) for the province and for each department."""
    execute(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined)
        SELECT '!', false, 'ba-head-' || u.id, '', '', '', false, true, now()
        FROM organisations_unit u WHERE u.path LIKE %s AND u.depth <= 1
        """,
        [root.path + "%"],
    )
    execute(
        """
        INSERT INTO organisations_person (full_name, employee_code, staff_category, title,
            is_leader, email, phone, active_from, search_text, sort_key, unit_id, user_id)
        SELECT 'Thủ trưởng ' || u.name, 'BA-H' || u.id, 'civil_servant', 'Giám đốc', true, '',
               '', '2020-01-01', 'thu truong', 'thu truong', u.id, a.id
        FROM organisations_unit u JOIN accounts_user a ON a.username = 'ba-head-' || u.id
        """
    )
    execute(
        """
        INSERT INTO organisations_unitrole (role, include_subunits, acting, valid_from,
                                            unit_id, user_id)
        SELECT 'head', true, false, '2020-01-01', u.id, a.id
        FROM organisations_unit u JOIN accounts_user a ON a.username = 'ba-head-' || u.id
        """
    )


def build_people(root: Unit) -> None:
    """50,000 people over the divisions; 3 % joined and 2 % left during the year."""
    execute("SELECT setseed(%s)", [SEED / 10_000])
    execute(
        """
        WITH divisions AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total
            FROM organisations_unit WHERE path LIKE %s AND depth = 2
        ), drawn AS (
            SELECT i, random() AS r, (random() * 300)::int AS shift FROM generate_series(1, %s) i
        )
        INSERT INTO organisations_person (full_name, employee_code, staff_category, title,
            is_leader, email, phone, active_from, active_to, search_text, sort_key, unit_id)
        SELECT 'Người ' || i, 'BA-P' || i, 'civil_servant', 'Chuyên viên', false, '', '',
               CASE WHEN r < 0.03 THEN DATE '2025-01-15' + shift ELSE DATE '2020-01-01' END,
               CASE WHEN r > 0.98 THEN DATE '2025-01-31' + shift END,
               'nguoi ' || i, 'nguoi ' || i, d.id
        FROM drawn JOIN divisions d ON d.n = i %% d.total
        """,
        [root.path + "%", PEOPLE],
    )


def build_months(root: Unit, rulebook: Rulebook) -> None:
    """12 closed months and a decided sheet for each month each person was active."""
    execute(
        """
        INSERT INTO evaluations_period (kind, start, "end", state, self_evaluation_due,
            review_due, decision_due, opened_at, organisation_id, rulebook_id)
        SELECT 'month', m, (m + INTERVAL '1 month - 1 day')::date, 'closed',
               (m + INTERVAL '1 month')::date, (m + INTERVAL '1 month')::date,
               (m + INTERVAL '1 month')::date, now(), %s, %s
        FROM generate_series(DATE '2025-01-01', DATE '2025-12-01', INTERVAL '1 month') AS m
        """,
        [root.pk, rulebook.pk],
    )
    execute("SELECT setseed(%s)", [SEED / 20_000])
    execute(
        """
        INSERT INTO evaluations_sheet (title, is_leader, task_group, status, quantity_pct,
            quality_pct, timeliness_pct, task_points, self_scores, manager_scores, total, band,
            strengths, shortcomings, proposals, manager_comment, return_reason, self_level,
            manager_level, decided_level, decision_reason, veto, veto_reason, quota_exception,
            period_id, person_id, unit_id, version)
        SELECT title, false, '', 'decided', 0, 0, 0, 0, '{}', '{}', total, band, '', '', '',
               '', '', '', '', band, '', '', '', false, period_id, person_id, unit_id, 1
        FROM (
            SELECT p.title, per.id AS period_id, p.id AS person_id, p.unit_id,
                   round((40 + random() * 60)::numeric, 2) AS total
            FROM organisations_person p
            JOIN evaluations_period per ON per.organisation_id = %s
            WHERE p.unit_id IN (SELECT id FROM organisations_unit WHERE path LIKE %s)
              AND p.active_from <= per."end" AND (p.active_to IS NULL OR p.active_to >= per.start)
            ORDER BY per.start, p.id
        ) AS s,
        LATERAL (SELECT CASE WHEN total >= 90 THEN 'excellent' WHEN total >= 70 THEN 'good'
                             WHEN total >= 50 THEN 'completed' ELSE 'not_completed' END AS band) b
        """,
        [root.pk, root.path + "%"],
    )


def build_records(root: Unit) -> None:
    """Sick leave (5 %), maternity leave (1 %), a reprimand (0.5 %)."""
    people = "SELECT id FROM organisations_person WHERE unit_id IN " + (
        "(SELECT id FROM organisations_unit WHERE path LIKE %s) AND employee_code LIKE 'BA-P%%'"
    )
    execute("SELECT setseed(%s)", [SEED / 30_000])
    execute(
        f"""
        INSERT INTO evaluations_leave (kind, start, "end", reference, note, person_id)
        SELECT CASE WHEN r < 0.01 THEN 'maternity' ELSE 'sick' END, DATE '2025-01-05' + shift,
               DATE '2025-01-05' + shift
                   + CASE WHEN r < 0.01 THEN 182 ELSE (random() * 119)::int END,
               '', '', id
        FROM (SELECT id, random() AS r, (random() * 170)::int AS shift FROM ({people}) x) y
        WHERE r < 0.06
        """,
        [root.path + "%"],
    )
    execute(
        f"""
        INSERT INTO evaluations_discipline (form, channel, public_duty, decision_number,
            decided_on, effective_from, note, person_id)
        SELECT 'reprimand', 'administrative', true, 'KL-' || id, DATE '2025-03-01' + shift,
               DATE '2025-03-01' + shift, '', id
        FROM (SELECT id, random() AS r, (random() * 300)::int AS shift FROM ({people}) x) y
        WHERE r < 0.005
        """,
        [root.path + "%"],
    )


def ensure_data(rebuild: bool) -> Unit:
    ensure_shipped_rulebooks()
    root = Unit.objects.filter(code=marker()).first()
    if root is not None and not rebuild:
        return root
    started = time.perf_counter()
    with transaction.atomic():
        delete_own_data()
        root = build_units()
        build_heads(root)
        build_people(root)
        build_months(root, Rulebook.objects.get(code="QNAM-2022", version=1))
        build_records(root)
    execute("VACUUM ANALYZE")
    print(f"Built the data in {time.perf_counter() - started:.1f} s.")
    return root


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    assert "bench" in connection.settings_dict["NAME"], "refusing a database without 'bench'"
    root = ensure_data(args.rebuild)
    people = Person.objects.filter(unit__path__startswith=root.path).count()
    first, last = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM evaluations_sheet s JOIN evaluations_period p ON "
            "p.id = s.period_id WHERE p.organisation_id = %s",
            [root.pk],
        )
        (monthly,) = cursor.fetchone()

    owners = 0

    def floor_query() -> None:
        nonlocal owners
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [first, last])
            owners = len(cursor.fetchall())

    floor_seconds = best_of(floor_query, repeat=3)
    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            due = timezone.localdate() + datetime.timedelta(days=10)
            with connection.execute_wrapper(count):
                started = time.perf_counter()
                period = open_annual(root, YEAR, by=None, decision_due=due)
                figures["seconds"] = time.perf_counter() - started
            sheets = period.sheets
            figures["sheets"] = sheets.count()
            figures["not_classified"] = sheets.filter(not_classified=True).count()
            figures["capped"] = sheets.exclude(cap_level="").count()
            figures["vetoed"] = sheets.exclude(veto="").count()
            raise _Rollback
    except _Rollback:
        pass
    seconds = figures["seconds"]
    rows = [
        (
            f"open_annual: {figures['sheets']:,} annual sheets from {monthly:,} monthly sheets",
            f"{seconds:.1f}",
            str(queries),
            f"{floor_seconds:.2f} ({owners:,} people)",
            f"{seconds / floor_seconds:.0f}×",
        )
    ]
    print_table(
        f"Annual classification on {connection.settings_dict['NAME']} ({people:,} people; "
        f"{figures['not_classified']:,} not classified, {figures['capped']:,} capped, "
        f"{figures['vetoed']:,} vetoed; peak memory {peak_mb():.0f} MB)",
        rows,
        HEADER,
    )
    if seconds > TARGET_SECONDS:
        print(f"FAILED: {seconds:.1f} s > {TARGET_SECONDS:.0f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
