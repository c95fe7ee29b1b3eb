"""Benchmark: import ~5,000 units and 50,000 people, against a floor measured in the same run.

    .venv/bin/python bench/bench_import.py            # PostgreSQL danhgia_bench by default
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_import.py

Creates the database if missing, migrates it and EMPTIES its organisation, import and audit
tables first: point it at a benchmark database only. Each step runs in its own process so
"peak MB" is that step's peak resident memory (ru_maxrss, Django loaded included).

Steps: upload (store + parse + check) and commit (re-read + check + write in one transaction)
of the people file; a re-import where every person changed (row updates); an export of all
people. Floors: reading the same .xlsx with openpyxl read_only, and that read plus one COPY
of the same rows into a temporary copy of the person table.
Target: the commit of 50,000 people within 60 s and 1 GB.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/danhgia_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DANHGIA_VAR_DIR", str(Path(tempfile.gettempdir()) / "danhgia-bench-var"))
FILES = Path(os.environ["DANHGIA_VAR_DIR"]) / "files"
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "50000"))


def _setup() -> None:
    import django

    django.setup()


def _admin() -> Any:
    from danhgia.accounts.models import User

    return User.objects.get(username="bench-admin")


def _upload(name: str, kind: str) -> Any:
    from django.core.files import File

    from danhgia.organisations.imports.services import upload_import

    with open(FILES / name, "rb") as handle:
        batch = upload_import(kind, File(handle, name=name), by=_admin())
    assert batch.status == "previewed", batch.errors[:5]
    return batch


def _commit_latest(kind: str) -> None:
    from danhgia.organisations.imports.services import commit_import
    from danhgia.organisations.models import ImportBatch

    batch = ImportBatch.objects.filter(kind=kind, status="previewed").latest("id")
    assert commit_import(batch, by=_admin()).status == "committed"


def _read_rows(name: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(FILES / name, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    workbook.close()
    return rows


def _floor_copy() -> None:
    """openpyxl read + one COPY of every row into a temporary copy of the person table."""
    from django.db import connection, transaction

    from danhgia.organisations.models import Unit

    rows = _read_rows("nhan-su.xlsx")
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    columns = (
        "employee_code, full_name, unit_id, staff_category, title, is_leader, email, "
        "phone, active_from, search_text, sort_key"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE floor_person (LIKE organisations_person INCLUDING ALL) "
            "ON COMMIT DROP"
        )
        with cursor.connection.cursor().copy(f"COPY floor_person ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    (
                        row[0],
                        row[1],
                        unit_ids[row[2]],
                        row[3],
                        row[4],
                        row[5] == "có",
                        row[8],
                        row[9],
                        row[10].date(),
                        row[1].lower(),
                        row[1],
                    )
                )


def _units() -> None:
    _upload("don-vi.xlsx", "units")
    _commit_latest("units")


def _reimport() -> None:
    _upload("nhan-su-2.xlsx", "people")
    _commit_latest("people")


def _export() -> None:
    from danhgia.organisations.exports import export_workbook

    export_workbook("people", _admin()).close()


STEPS: dict[str, Callable[[], object]] = {
    "units": _units,
    "upload": lambda: _upload("nhan-su.xlsx", "people"),
    "commit": lambda: _commit_latest("people"),
    "reimport": _reimport,
    "export": _export,
    "floor_read": lambda: _read_rows("nhan-su.xlsx"),
    "floor_copy": _floor_copy,
}


def run_step(name: str) -> None:
    """Child process: time one step and print {"seconds", "peak_mb"} as the last line."""
    _setup()
    started = time.perf_counter()
    STEPS[name]()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _child(name: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--step", name], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"step {name} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare() -> None:
    """Create and migrate the database, empty it, write the files, add the admin and TINH."""
    import psycopg
    from django.conf import settings

    _setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname="postgres",
            autocommit=True,
        ) as server:
            if not server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone():
                server.execute(f'CREATE DATABASE "{db["NAME"]}"')
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    tables = [
        "organisations_importbatch",
        "organisations_person",
        "organisations_unitrole",
        "organisations_jobposition",
        "organisations_unit",
        "core_auditlog",
        "accounts_user",
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    from province_xlsx import write_province

    write_province(FILES, PEOPLE)
    write_province(FILES, PEOPLE, title_suffix=" (2)")
    _add_admin()


def _add_admin() -> None:
    import datetime

    from danhgia.accounts.models import User
    from danhgia.organisations import services
    from danhgia.organisations.models import Role, Unit, UnitKind

    admin = User.objects.create(username="bench-admin")
    province = services.save_unit(
        Unit(
            code="TINH",
            name="Tỉnh Thử nghiệm",
            kind=UnitKind.PROVINCE,
            valid_from=datetime.date(2020, 1, 1),
        ),
        by=admin,
    )
    services.assign_role(
        admin, province, Role.SYSTEM_ADMIN, by=admin, valid_from=datetime.date(2020, 1, 1)
    )


def main() -> None:
    prepare()
    from django.conf import settings
    from django.db import connection

    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
        f"{settings.DATABASES['default']['NAME']}, people: {PEOPLE:,}, "
        f"file: {(FILES / 'nhan-su.xlsx').stat().st_size / 1e6:.1f} MB"
    )
    connection.close()
    results = {name: _child(name) for name in STEPS}
    floor_read = results["floor_read"]["seconds"]
    floor_write = results["floor_copy"]["seconds"]
    upload, commit = results["upload"], results["commit"]
    table = [
        ("units: upload + commit 5,001", results["units"], None),
        ("people: upload (parse + check)", upload, floor_read),
        ("people: commit (re-read, check, write)", commit, floor_write),
        (
            "people: upload + commit",
            {
                "seconds": upload["seconds"] + commit["seconds"],
                "peak_mb": max(upload["peak_mb"], commit["peak_mb"]),
            },
            floor_read + floor_write,
        ),
        ("people: re-import, all 50,000 changed", results["reimport"], floor_read + floor_write),
        ("people: export 50,000 (.xlsx)", results["export"], None),
        ("floor: openpyxl read_only read", results["floor_read"], None),
        ("floor: read + COPY into a temp table", results["floor_copy"], None),
    ]
    print(f"{'step':42} {'seconds':>8} {'peak MB':>8} {'floor s':>8} {'ratio':>6}")
    for label, measured, floor in table:
        ratio = f"{measured['seconds'] / floor:6.1f}" if floor else "     -"
        floor_text = f"{floor:8.1f}" if floor else "       -"
        print(
            f"{label:42} {measured['seconds']:8.1f} {measured['peak_mb']:8.0f} {floor_text} {ratio}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--step":
        run_step(sys.argv[2])
    else:
        main()
