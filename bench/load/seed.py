"""The month-end load test's starting point: a province whose month is open, in a template
database that every run copies (`createdb -T danhgia_load_template danhgia_load`).

    .venv/bin/python bench/load/seed.py                  # 600 staff
    .venv/bin/python bench/load/seed.py --users 40 --database danhgia_load_ci_template

Builds (after dropping the database and migrating it again):
- the province, departments under it and divisions under those, `--per-division` staff in
  each division (10 by default) and `--divisions` divisions per department (10);
- a login for everyone, with the same password (`PASSWORD`): it is hashed once with the
  production hasher and that hash is copied to every user, so building is fast and every
  login still pays the real password check (seed again when the hasher changes); staff
  `load-s0001`…, a manager per division `load-m001`…, a head per department `load-h01`…, one
  HR officer `load-hr`;
- a person record for every staff member (managers and heads have logins and roles only, so
  the decision pages list exactly the staff of the scenario);
- `--tasks` done and assessed tasks per staff member in the month (bulk inserted);
- the current month opened for the province with the real `open_period` service as the HR
  officer, on the shipped rulebook, with the deadlines weeks away.

The database's name must contain "load". The server is DATABASE_URL's when it is PostgreSQL,
else 127.0.0.1:5432.
"""

import argparse
import datetime
import math
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]

import database  # noqa: E402

PASSWORD = "Tai-thu-2026!"  # noqa: S105 (a known password of throwaway test users)
DEFAULT_DATABASE = "danhgia_load_template"
STAFF_PREFIX = "load-s"
MANAGER_PREFIX = "load-m"
HEAD_PREFIX = "load-h"
HR_USERNAME = "load-hr"


def _setup_django(name: str, server: database.Server) -> None:
    os.environ["DATABASE_URL"] = server.url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["AXES_ENABLED"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(staff: int, per_division: int, divisions_per_department: int, tasks: int) -> dict:
    """Build the province and open its month; return the counts."""
    import random

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from province_xlsx import DEM, HO, TEN

    from danhgia.accounts.models import User
    from danhgia.core.text import collation_key, fold, name_sort_key
    from danhgia.evaluations.services.periods import open_period
    from danhgia.organisations.models import JobPosition, Person, Role, Unit, UnitKind, UnitRole
    from danhgia.work.models import Task

    rng = random.Random(2026)  # noqa: S311
    today = timezone.localdate()
    first = today.replace(day=1)
    start = datetime.date(2020, 1, 1)
    division_count = math.ceil(staff / per_division)
    department_count = math.ceil(division_count / divisions_per_department)

    def unit(code: str, name: str, kind: str, parent: Unit | None) -> Unit:
        return Unit(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            valid_from=start,
            search_text=fold(name),
            sort_key=collation_key(name),
        )

    with transaction.atomic():
        root = unit("LOAD-P", "Tỉnh Thử tải", UnitKind.PROVINCE, None)
        root.save()
        root.path, root.depth = f"/{root.pk}/", 0
        root.save(update_fields=["path", "depth"])
        departments = Unit.objects.bulk_create(
            [
                unit(f"LOAD-D{d:02d}", f"Sở Thử tải số {d}", UnitKind.DEPARTMENT, root)
                for d in range(1, department_count + 1)
            ]
        )
        for department in departments:
            department.path, department.depth = f"{root.path}{department.pk}/", 1
        Unit.objects.bulk_update(departments, ["path", "depth"])
        divisions = Unit.objects.bulk_create(
            [
                unit(
                    f"LOAD-V{v:03d}",
                    f"Phòng số {v}",
                    UnitKind.DIVISION,
                    departments[(v - 1) // divisions_per_department],
                )
                for v in range(1, division_count + 1)
            ]
        )
        paths = {department.pk: department.path for department in departments}
        for division in divisions:
            division.path, division.depth = f"{paths[division.parent_id]}{division.pk}/", 2
        Unit.objects.bulk_update(divisions, ["path", "depth"])

        password = make_password(PASSWORD)  # once: the production hasher, copied to everyone
        staff_users = [
            User(username=f"{STAFF_PREFIX}{n:04d}", password=password) for n in range(1, staff + 1)
        ]
        manager_users = [
            User(username=f"{MANAGER_PREFIX}{v:03d}", password=password)
            for v in range(1, division_count + 1)
        ]
        head_users = [
            User(username=f"{HEAD_PREFIX}{d:02d}", password=password)
            for d in range(1, department_count + 1)
        ]
        hr = User(username=HR_USERNAME, password=password)
        User.objects.bulk_create([*staff_users, *manager_users, *head_users, hr])
        hr = User.objects.get(username=HR_USERNAME)
        users = {user.username: user for user in User.objects.filter(username__startswith="load-")}
        roles = [UnitRole(user=hr, unit=root, role=Role.HR_OFFICER)]
        roles += [
            UnitRole(user=users[f"{MANAGER_PREFIX}{v:03d}"], unit=division, role=Role.MANAGER)
            for v, division in enumerate(divisions, start=1)
        ]
        roles += [
            UnitRole(user=users[f"{HEAD_PREFIX}{d:02d}"], unit=department, role=Role.HEAD)
            for d, department in enumerate(departments, start=1)
        ]
        UnitRole.objects.bulk_create(roles)

        job = JobPosition.objects.create(code="LOAD-CV", name="Chuyên viên")
        people = []
        for n in range(1, staff + 1):
            name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
            people.append(
                Person(
                    full_name=name,
                    employee_code=f"LOAD{n:05d}",
                    staff_category="cong_chuc",
                    title="Chuyên viên",
                    job_position=job,
                    unit=divisions[(n - 1) // per_division],
                    active_from=start,
                    user=users[f"{STAFF_PREFIX}{n:04d}"],
                    search_text=fold(name),
                    sort_key=name_sort_key(name),
                )
            )
        people = Person.objects.bulk_create(people)

        month_days = [first + datetime.timedelta(days=k) for k in range(20)]
        managers_by_division = {
            division.pk: users[f"{MANAGER_PREFIX}{v:03d}"]
            for v, division in enumerate(divisions, start=1)
        }
        now = timezone.now()
        task_rows = []
        for person in people:
            manager = managers_by_division[person.unit_id]
            for k in range(tasks):
                begin = rng.choice(month_days[:10])
                due = begin + datetime.timedelta(days=rng.randint(3, 9))
                done = due - datetime.timedelta(days=rng.randint(0, 2))
                task_rows.append(
                    Task(
                        title=f"Nhiệm vụ {k + 1} tháng {first:%m/%Y}",
                        unit_id=person.unit_id,
                        owner=person,
                        assigned_by=manager,
                        source=Task.Source.ASSIGNMENT,
                        start_date=begin,
                        due_date=due,
                        deadline=due,
                        status=Task.Status.DONE,
                        progress=100,
                        completed_on=max(done, begin),
                        assessed_at=now,
                        assessed_by=manager,
                        meets_quality=True,
                    )
                )
        Task.objects.bulk_create(task_rows, batch_size=2000)

    due = max(today, first + datetime.timedelta(days=31))
    period = open_period(
        root,
        first,
        by=hr,
        deadlines={
            "self_evaluation_due": due + datetime.timedelta(days=20),
            "review_due": due + datetime.timedelta(days=25),
            "decision_due": due + datetime.timedelta(days=30),
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "staff": staff,
        "managers": division_count,
        "heads": department_count,
        "tasks": len(task_rows),
        "period": str(period),
        "sheets": period.sheets.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=600, help="staff members (default 600)")
    parser.add_argument("--per-division", type=int, default=10)
    parser.add_argument("--divisions", type=int, default=10, help="divisions per department")
    parser.add_argument("--tasks", type=int, default=3, help="tasks per staff member")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    args = parser.parse_args()
    database.check_name(args.database)
    server = database.server_from_environment()
    began = time.perf_counter()
    database.create(server, args.database)
    _setup_django(args.database, server)
    counts = build(args.users, args.per_division, args.divisions, args.tasks)
    from django.db import connections

    connections.close_all()  # a template must have no session left to be copied
    seconds = time.perf_counter() - began
    print(f"{args.database}: " + ", ".join(f"{k} {v}" for k, v in counts.items()), end="")
    print(f" ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
