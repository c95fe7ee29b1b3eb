"""The reminder job over a province's 50,000 open sheets.

    .venv/bin/python bench/bench_reminders.py               # PostgreSQL danhgia_bench_reminders
    .venv/bin/python bench/bench_reminders.py --people 2000 # smaller

Data (built on first use with bulk inserts, reproducible from SEED; rebuilt when the marker
unit for another size is missing): a province, 50 departments with 4 divisions each, a head
per department, a manager per division, 3 HR officers on the province, and PEOPLE people
with a login (80 % with an e-mail address) spread over the divisions. One period, November
2026, with a sheet for everyone, inserted directly (opening a month through `open_period` is
bench_evaluations' subject): 65 % draft, 5 % returned, 20 % submitted, 10 % reviewed;
reviewer the division's manager, decider the department's head. Every deadline is two days
after the benchmark day, so every rule fires: a reminder per person with a draft or returned
sheet, one per reviewer and per decider with their count. E-mails go to Django's in-memory
backend (built and "sent", never delivered).

Measurements, each inside a transaction rolled back at the end (so the script can run again):
- (a) `send_reminders(DAY)`: seconds and queries, beside a floor measured in the same run:
  one SQL selecting the same recipients (the people with their e-mail, and the counts per
  reviewer and per decider), and the ratio. The job records the reminders, creates the
  in-app notifications and queues the e-mails (huey, batches of 500).
- (a′) those e-mails, run from the queue in this process as one huey worker would: every
  message built (MIME) and handed to Django's in-memory backend; and (a + a′).
- (b) the same day again: nothing new is sent (the unique key), seconds and queries.
- (c) escalation two days after the deadlines: the deciders and HR, with their counts.
Target: (a) within 30 s (the e-mails are the worker's, reported beside it). Exit status 1
when it is missed or (b) sends anything.
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SITE_URL", "https://danhgia.example.vn")

from common import print_table, setup_django  # noqa: E402

setup_django("danhgia_bench_reminders")

from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402
from huey.storage import MemoryStorage  # noqa: E402

from danhgia.accounts.models import User  # noqa: E402
from danhgia.core.text import fold, name_sort_key  # noqa: E402
from danhgia.evaluations.models import Period, Rulebook, Sheet  # noqa: E402
from danhgia.evaluations.shipped import ensure_shipped_rulebooks  # noqa: E402
from danhgia.organisations.models import Person, Role, Unit, UnitKind, UnitRole  # noqa: E402
from danhgia.reminders.models import Reminder  # noqa: E402
from danhgia.reminders.services import (  # noqa: E402
    ReminderSummary,
    deliver_emails,
    send_reminders,
)

# The job queues its e-mails; here the queue is in memory and drained by this process after
# the job, as one huey worker would (measured apart: (a) is the job, (a′) the e-mails).
HUEY.immediate = False
HUEY.storage = MemoryStorage(HUEY.name)


def drain_queue() -> int:
    """Run every queued e-mail batch here, like a single worker; return how many ran. (The
    task's body is called directly: huey's `db_task` wrapper closes the database connection
    outside immediate mode, which would end the benchmark's transaction.)"""
    tasks = 0
    while (task := HUEY.dequeue()) is not None:
        deliver_emails(*task.args)
        tasks += 1
    return tasks


SEED = 20261118
DAY = datetime.date(2026, 11, 18)
MONTH = datetime.date(2026, 11, 1)
DEPARTMENTS = 50
DIVISIONS_PER_DEPARTMENT = 4
TARGET_SECONDS = 30.0
HEADER = ("measurement", "seconds", "queries", "floor s (1 SQL)", "ratio")

FLOOR_SQL = """
SELECT s.id, p.user_id, COALESCE(NULLIF(p.email, ''), u.email), p.full_name, 1
FROM evaluations_sheet s
JOIN organisations_person p ON p.id = s.person_id
JOIN accounts_user u ON u.id = p.user_id
WHERE s.period_id = %(period)s AND s.status IN ('draft', 'returned')
UNION ALL
SELECT NULL, s.reviewer_id, COALESCE(NULLIF(p.email, ''), u.email), p.full_name, COUNT(*)
FROM evaluations_sheet s
JOIN accounts_user u ON u.id = s.reviewer_id
LEFT JOIN organisations_person p ON p.user_id = u.id
WHERE s.period_id = %(period)s AND s.status = 'submitted' AND s.reviewer_id <> s.decider_id
GROUP BY s.reviewer_id, p.email, u.email, p.full_name
UNION ALL
SELECT NULL, s.decider_id, COALESCE(NULLIF(p.email, ''), u.email), p.full_name, COUNT(*)
FROM evaluations_sheet s
JOIN accounts_user u ON u.id = s.decider_id
LEFT JOIN organisations_person p ON p.user_id = u.id
WHERE s.period_id = %(period)s AND (s.status = 'reviewed'
      OR (s.status = 'submitted' AND (s.reviewer_id IS NULL OR s.reviewer_id = s.decider_id)))
GROUP BY s.decider_id, p.email, u.email, p.full_name
"""


class _Rollback(Exception):
    """Raised to leave the benchmark's transaction without keeping anything."""


def _marker(people: int) -> str:
    return f"BR-{SEED}-{people}"


def _unit(code: str, name: str, kind: str, parent: Unit | None) -> Unit:
    unit = Unit.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        valid_from=datetime.date(2020, 1, 1),
        search_text=fold(name),
        sort_key=name_sort_key(name),
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


def _login(username: str) -> User:
    return User(username=username, password="!")  # unusable password: fixture logins


def build(people: int) -> Period:
    """Bulk-insert the province, its people and their November sheets (seeded)."""
    rng = random.Random(SEED)
    print(f"Building {people:,} people and sheets ...", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        ensure_shipped_rulebooks()
        root = _unit(_marker(people), "Tỉnh Nhắc việc", UnitKind.PROVINCE, None)
        departments, divisions = [], []
        for d in range(DEPARTMENTS):
            department = _unit(f"BR-D{d}", f"Sở {d + 1}", UnitKind.DEPARTMENT, root)
            departments.append(department)
            for v in range(DIVISIONS_PER_DEPARTMENT):
                divisions.append(
                    _unit(
                        f"BR-D{d}-{v}", f"Phòng {v + 1} Sở {d + 1}", UnitKind.DIVISION, department
                    )  # fmt: skip
                )
        leaders = User.objects.bulk_create(
            [_login(f"br-head-{d}") for d in range(DEPARTMENTS)]
            + [_login(f"br-manager-{v}") for v in range(len(divisions))]
            + [_login(f"br-hr-{h}") for h in range(3)]
        )
        heads = leaders[:DEPARTMENTS]
        managers = leaders[DEPARTMENTS : DEPARTMENTS + len(divisions)]
        hr = leaders[DEPARTMENTS + len(divisions) :]
        roles = [
            UnitRole(user=u, unit=dep, role=Role.HEAD)
            for u, dep in zip(heads, departments, strict=True)
        ]
        roles += [
            UnitRole(user=u, unit=div, role=Role.MANAGER)
            for u, div in zip(managers, divisions, strict=True)
        ]
        roles += [UnitRole(user=u, unit=root, role=Role.HR_OFFICER) for u in hr]
        UnitRole.objects.bulk_create(roles)
        leader_people = [
            Person(full_name=f"Lãnh đạo {n}", employee_code=f"BR-L{n}", staff_category="cong_chuc",
                   unit=departments[0], user=user, email=f"{user.username}@example.vn",
                   search_text=f"lanh dao {n}", sort_key=name_sort_key(f"Lãnh đạo {n}"))
            for n, user in enumerate(leaders)
        ]  # fmt: skip
        Person.objects.bulk_create(leader_people)
        users = User.objects.bulk_create(
            [_login(f"br-{n:06d}") for n in range(people)], batch_size=5000
        )
        staff = []
        for n, user in enumerate(users):
            name = f"Nguyễn Văn Nhắc {n}"
            staff.append(
                Person(full_name=name, employee_code=f"BR-{n:06d}", staff_category="cong_chuc",
                       unit=divisions[rng.randrange(len(divisions))], user=user,
                       email=f"br{n}@example.vn" if rng.random() < 0.8 else "",
                       search_text=fold(name), sort_key=name_sort_key(name))
            )  # fmt: skip
        Person.objects.bulk_create(staff, batch_size=5000)
        due = DAY + datetime.timedelta(days=2)
        period = Period.objects.create(
            organisation=root,
            start=MONTH,
            end=datetime.date(2026, 11, 30),
            rulebook=Rulebook.objects.get(code="ND335-2025", version=1),
            state=Period.State.OPEN,
            self_evaluation_due=due,
            review_due=due,
            decision_due=due,
            opened_at=timezone.now(),
        )
        manager_of = {div.pk: m for div, m in zip(divisions, managers, strict=True)}
        head_of = {dep.pk: h for dep, h in zip(departments, heads, strict=True)}
        statuses = (
            [Sheet.Status.DRAFT] * 65 + [Sheet.Status.RETURNED] * 5
            + [Sheet.Status.SUBMITTED] * 20 + [Sheet.Status.REVIEWED] * 10
        )  # fmt: skip
        division_parent = {div.pk: div.parent_id for div in divisions}
        Sheet.objects.bulk_create(
            [
                Sheet(period=period, person=person, unit_id=person.unit_id,
                      reviewer=manager_of[person.unit_id],
                      decider=head_of[division_parent[person.unit_id]],
                      status=rng.choice(statuses))
                for person in staff
            ],
            batch_size=5000,
        )  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(f"Built in {time.perf_counter() - started:.0f} s.", flush=True)
    return period


def ensure_data(people: int) -> Period:
    period = Period.objects.filter(organisation__code=_marker(people), start=MONTH).first()
    if period is not None and period.sheets.count() == people:
        return period
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Refusing to build benchmark data in a database without 'bench' in its name.")
    if Unit.objects.filter(code__startswith="BR-").exists():
        sys.exit("Another size was built here: drop the database (dropdb) and run again.")
    return build(people)


def counted(function: Callable[[], Any]) -> tuple[float, int, Any]:
    """Wall time and query count of one call (a counter, not CaptureQueriesContext)."""
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


def floor(period: Period) -> tuple[float, int]:
    """Median of 3 runs of the one-SQL floor, and the number of recipient rows it returned."""
    times, rows = [], 0
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, {"period": period.pk})
            rows = len(cursor.fetchall())
        times.append(time.perf_counter() - started)
    return sorted(times)[1], rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    people = parser.parse_args().people
    period = ensure_data(people)
    open_sheets = period.sheets.exclude(status=Sheet.Status.DECIDED).count()
    rows: list[tuple[str, ...]] = []
    failures: list[str] = []
    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            floor_seconds, recipients = floor(period)
            seconds, queries, summary = counted(lambda: send_reminders(DAY))
            assert isinstance(summary, ReminderSummary)
            figures["first"] = summary
            figures["rows"] = Reminder.objects.count()
            rows.append(
                (
                    f"(a) send_reminders: {open_sheets:,} open sheets → {summary.reminders:,} "
                    f"reminders, {summary.emails:,} e-mails queued",
                    f"{seconds:.1f}",
                    str(queries),
                    f"{floor_seconds:.2f} ({recipients:,} recipients)",
                    f"{seconds / floor_seconds:.0f}×",
                )
            )
            if seconds > TARGET_SECONDS:
                failures.append(f"(a) {seconds:.1f} s > {TARGET_SECONDS:.0f} s")
            job_seconds = seconds
            seconds, queries, batches = counted(drain_queue)
            figures["outbox"] = len(getattr(mail, "outbox", []))
            rows.append(
                (
                    f"(a′) its e-mails by one worker: {batches} batches, "
                    f"{figures['outbox']:,} messages built and sent to memory",
                    f"{seconds:.1f}",
                    str(queries),
                    "",
                    "",
                )
            )
            rows.append(("(a + a′) job and e-mails", f"{job_seconds + seconds:.1f}", "", "", ""))
            if summary.reminders != recipients:
                failures.append(f"(a) {summary.reminders} reminders, floor {recipients}")
            seconds, queries, again = counted(lambda: send_reminders(DAY))
            rows.append(("(b) the same day again: nothing new", f"{seconds:.1f}", str(queries),
                         "", ""))  # fmt: skip
            if again.reminders or again.emails:
                failures.append(f"(b) sent again: {again}")
            later = DAY + datetime.timedelta(days=3)
            seconds, queries, escalated = counted(lambda: send_reminders(later))
            drain_queue()
            rows.append(
                (
                    f"(c) escalation after the deadlines: {escalated.reminders} reminders",
                    f"{seconds:.1f}",
                    str(queries),
                    "",
                    "",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    print_table(
        f"Reminders on {connection.settings_dict['NAME']} ({connection.vendor}; "
        f"{figures['rows']:,} reminder rows written in (a), {figures['outbox']:,} e-mails "
        "built in memory)",
        rows,
        HEADER,
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
