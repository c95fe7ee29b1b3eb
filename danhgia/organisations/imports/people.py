"""Check and write person rows: a few lookups by code for the whole file, then bulk writes."""

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.organisations import queries, services
from danhgia.organisations.imports.bulk import in_chunks, update_rows
from danhgia.organisations.imports.columns import PEOPLE_COLUMNS
from danhgia.organisations.imports.rows import (
    CheckResult,
    ParsedRow,
    Table,
    add_preview,
    check_dates,
    flag_repeats,
    parse_rows,
    require_for_new,
)
from danhgia.organisations.models import ImportKind, JobPosition, Person, TransferSource, Unit

COLUMN = {column.key: column for column in PEOPLE_COLUMNS}
# A person as the file sees them: the unit and job position by code.
FIELDS = (
    "employee_code",
    "full_name",
    "unit",
    "staff_category",
    "title",
    "is_leader",
    "job_position",
    "email",
    "phone",
    "active_from",
    "active_to",
)
NEW_PERSON = {
    "title": "",
    "is_leader": False,
    "job_position": "",
    "email": "",
    "phone": "",
    "active_from": None,
    "active_to": None,
}
NEW_PERSON_NEEDS = gettext_noop(
    "A new person needs the first working day here (dd/mm/yyyy); nothing is assumed."
)
UPDATED_FIELDS = [
    "full_name",
    "unit",
    "staff_category",
    "title",
    "is_leader",
    "job_position",
    "email",
    "phone",
    "active_from",
    "active_to",
    "search_text",
    "sort_key",
]


def _codes(rows: list[ParsedRow], key: str) -> set[str]:
    return {row.values[key] for row in rows if row.values.get(key)}


def _unit_ids(codes: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in in_chunks(codes):
        found.update(Unit.objects.filter(code__in=chunk).values_list("code", "id"))
    return found


def _job_position_ids(codes: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in in_chunks(codes):
        found.update(JobPosition.objects.filter(code__in=chunk).values_list("code", "id"))
    return found


def _existing_people(codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The people with these employee codes, as the file would write them, plus id, unit_id."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in in_chunks(codes):
        people = Person.objects.filter(employee_code__in=chunk).values(
            "id",
            "unit_id",
            *[name for name in FIELDS if name not in ("unit", "job_position")],
            unit_code=F("unit__code"),
            job_position_code=F("job_position__code"),
        )
        for person in people:
            person["unit"] = person.pop("unit_code")
            person["job_position"] = person.pop("job_position_code") or ""
            found[person["employee_code"]] = person
    return found


def check_people(table: Table, user: User) -> CheckResult:
    """Check every person row against the file, the database and the user's scope.

    Reads only. The result's `new`, `changed` and `new_job_positions` hold what
    `write_people` would write. A new person needs a first working day: nothing is assumed.
    """
    result = CheckResult(kind=ImportKind.PEOPLE)
    rows = parse_rows(table, result)
    in_file = {column.key for column in table.columns}
    flag_repeats(
        rows,
        COLUMN["employee_code"],
        result,
        _("Employee code %(code)s is already on row %(row)s."),
    )
    scope = set(queries.units_visible_to(user).values_list("id", flat=True))
    units = _unit_ids(_codes(rows, "unit"))
    job_positions = _job_position_ids(_codes(rows, "job_position"))
    existing = _existing_people(_codes(rows, "employee_code"))
    for row in rows:  # a new job position may be named on any row using its code
        code, name = row.values.get("job_position"), row.values.get("job_position_name")
        if code and name and code not in job_positions:
            result.new_job_positions.setdefault(code, name)
    for row in rows:
        current = existing.get(row.values.get("employee_code", ""))
        if current is not None and current["unit_id"] not in scope:
            result.add(
                row.number,
                COLUMN["employee_code"],
                _("Employee code %(code)s belongs to a person outside your scope.")
                % {"code": current["employee_code"]},
            )
            row.failed = True
        _check_unit(row, units, scope, result)
        _check_job_position(row, job_positions, result)
        if current is None:
            require_for_new(row, COLUMN["active_from"], in_file, result, NEW_PERSON_NEEDS)
        start = current["active_from"] if current else None
        check_dates(row, COLUMN["active_from"], COLUMN["active_to"], result, start)
        if not row.failed:
            _plan(row, current, units, result)
    return result


def _check_unit(
    row: ParsedRow, units: dict[str, int], scope: set[int], result: CheckResult
) -> None:
    code = row.values.get("unit")
    if not code:
        return
    if code not in units:
        message = _("Unit code %(code)s does not exist.") % {"code": code}
    elif units[code] not in scope:
        message = _("Unit %(code)s is outside your scope.") % {"code": code}
    else:
        return
    result.add(row.number, COLUMN["unit"], message)
    row.failed = True


def _check_job_position(row: ParsedRow, known: dict[str, int], result: CheckResult) -> None:
    code, name = row.values.get("job_position"), row.values.get("job_position_name")
    if code and code not in known and code not in result.new_job_positions:
        result.add(
            row.number,
            COLUMN["job_position"],
            _("Job position %(code)s does not exist. To create it, also fill in “%(column)s”.")
            % {"code": code, "column": COLUMN["job_position_name"].header},
        )
        row.failed = True
    elif name and not code:
        result.add(
            row.number,
            COLUMN["job_position"],
            _("Fill in the job position code as well as its name."),
        )
        row.failed = True


def _plan(
    row: ParsedRow, current: dict[str, Any] | None, units: dict[str, int], result: CheckResult
) -> None:
    values = dict(current or NEW_PERSON)
    values.update({key: row.values[key] for key in FIELDS if key in row.values})
    if values["active_from"] is None and current is not None:
        values["active_from"] = current["active_from"]  # empty: unchanged
    values["unit_id"] = units[values["unit"]]
    if current is None:
        result.new.append(values)
        result.created.append(values["employee_code"])
        action = "new"
    elif values != current:
        result.changed.append(values)
        result.updated.append(values["employee_code"])
        action = "updated"
    else:
        result.unchanged += 1
        action = "unchanged"
    shown = dict(values, job_position_name=row.values.get("job_position_name", ""))
    add_preview(result, PEOPLE_COLUMNS, row, action, shown)


def _person(values: dict[str, Any], job_positions: dict[str, int]) -> Person:
    person = Person(
        id=values.get("id"),
        employee_code=values["employee_code"],
        full_name=values["full_name"],
        unit_id=values["unit_id"],
        staff_category=values["staff_category"],
        title=values["title"],
        is_leader=values["is_leader"],
        job_position_id=job_positions.get(values["job_position"]),
        email=values["email"],
        phone=values["phone"],
        active_from=values["active_from"],
        active_to=values["active_to"],
    )
    services.fill_person_derived(person)
    return person


def write_people(result: CheckResult, *, by: User) -> list[str]:
    """Create missing job positions, then create and update people in batches; a person
    whose unit changes is moved from today (`services.record_transfers`, source import).

    Runs in the caller's transaction; logins (`Person.user`) are never touched. Returns the
    employee codes of the people moved to another unit.
    """
    JobPosition.objects.bulk_create(
        [JobPosition(code=code, name=name) for code, name in result.new_job_positions.items()]
    )
    needed = {values["job_position"] for values in (*result.new, *result.changed)}
    job_positions = _job_position_ids(code for code in needed if code)
    for chunk in in_chunks(result.new):
        Person.objects.bulk_create([_person(values, job_positions) for values in chunk])
    moved: list[str] = []
    today = clock.today()
    for chunk in in_chunks(result.changed):
        stored = dict(
            Person.objects.filter(pk__in=[values["id"] for values in chunk]).values_list(
                "pk", "unit_id"
            )
        )
        moves = [
            (values["id"], stored[values["id"]], values["unit_id"])
            for values in chunk
            if stored[values["id"]] != values["unit_id"]
        ]
        update_rows(Person, [_person(values, job_positions) for values in chunk], UPDATED_FIELDS)
        services.record_transfers(moves, on=today, by=by, source=TransferSource.IMPORT)
        moved_ids = {person_id for person_id, _from, _to in moves}
        moved.extend(values["employee_code"] for values in chunk if values["id"] in moved_ids)
    return moved
