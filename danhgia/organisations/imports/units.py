"""Check and write unit rows. Units number in the thousands, so all of them are loaded once."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danhgia.accounts.models import User
from danhgia.organisations import permissions, queries, services
from danhgia.organisations.imports.bulk import in_chunks, update_rows
from danhgia.organisations.imports.columns import UNIT_COLUMNS
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
from danhgia.organisations.models import ImportKind, Role, Unit

COLUMN = {column.key: column for column in UNIT_COLUMNS}
NEW_UNIT_NEEDS = gettext_noop(
    "A new unit needs its first day here (dd/mm/yyyy); nothing is assumed."
)
UPDATED_FIELDS = ["name", "kind", "parent", "valid_from", "valid_to", "search_text", "sort_key"]


def _existing_units() -> dict[str, dict[str, Any]]:
    """Every unit by code, with its parent as a code (one query)."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Unit.objects.values(
            "id", "code", "name", "kind", "parent_id", "valid_from", "valid_to"
        )
    ]
    code_of = {row["id"]: row["code"] for row in rows}
    for row in rows:
        row["parent"] = code_of.get(row.pop("parent_id"), "")
    return {row["code"]: row for row in rows}


def check_units(table: Table, user: User) -> CheckResult:
    """Check every unit row against the file, the database and the user's scope.

    Reads only. The result's `new` and `changed` hold what `write_units` would write. A new
    unit needs a first day: nothing is assumed.
    """
    result = CheckResult(kind=ImportKind.UNITS)
    rows = parse_rows(table, result)
    in_file = {column.key for column in table.columns}
    flag_repeats(rows, COLUMN["code"], result, _("Unit code %(code)s is already on row %(row)s."))
    existing = _existing_units()
    scope = set(queries.units_visible_to(user).values_list("id", flat=True))
    may_add_top = permissions.has_role_over(user, {Role.SYSTEM_ADMIN})
    file_codes = {row.values["code"] for row in rows if row.values.get("code")}
    parents = {code: unit["parent"] for code, unit in existing.items()}
    for row in rows:
        if row.values.get("code") and "parent" in row.values:
            parents[row.values["code"]] = row.values["parent"]
    for row in rows:
        code = row.values.get("code")
        if not code:
            continue
        current = existing.get(code)
        if current is not None and current["id"] not in scope:
            result.add(
                row.number,
                COLUMN["code"],
                _("Unit %(code)s is outside your scope.") % {"code": code},
            )
            row.failed = True
        _check_parent(row, current, existing, scope, file_codes, may_add_top, result)
        if current is None:
            require_for_new(row, COLUMN["valid_from"], in_file, result, NEW_UNIT_NEEDS)
        start = current["valid_from"] if current else None
        check_dates(row, COLUMN["valid_from"], COLUMN["valid_to"], result, start)
    _check_cycles(rows, parents, result)
    for row in rows:
        if not row.failed:
            _plan(row, existing.get(row.values["code"]), result)
    return result


def _check_parent(
    row: ParsedRow,
    current: dict[str, Any] | None,
    existing: dict[str, dict[str, Any]],
    scope: set[int],
    file_codes: set[str],
    may_add_top: bool,
    result: CheckResult,
) -> None:
    code = row.values["code"]
    parent = row.values.get("parent", current["parent"] if current else "")
    unchanged = current is not None and current["parent"] == parent
    message = ""
    if parent == code:
        message = _("A unit cannot be its own parent.")
    elif parent and parent not in file_codes:
        if parent not in existing:
            message = _("Unit code %(code)s does not exist.") % {"code": parent}
        elif existing[parent]["id"] not in scope and not unchanged:
            message = _("Unit %(code)s is outside your scope.") % {"code": parent}
    elif not parent and not unchanged and not may_add_top:
        message = _(
            "Only a system administrator can add a top-level unit; fill in the code "
            "of the unit above."
        )
    if message:
        result.add(row.number, COLUMN["parent"], message)
        row.failed = True


def _check_cycles(rows: list[ParsedRow], parents: dict[str, str], result: CheckResult) -> None:
    """Flag every row whose unit would end up above itself (A → B → A)."""
    for row in rows:
        code = row.values.get("code")
        if not code or parents.get(code) == code:
            continue
        chain, seen = [code], {code}
        current = parents.get(code)
        while current and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parents.get(current)
        if current == code:
            result.add(
                row.number,
                COLUMN["parent"],
                _("The parent units form a cycle: %(chain)s.")
                % {"chain": " → ".join([*chain, code])},
            )
            row.failed = True


def _plan(row: ParsedRow, current: dict[str, Any] | None, result: CheckResult) -> None:
    values = dict(current or {"parent": "", "valid_to": None})
    values.update({key: value for key, value in row.values.items() if value is not None})
    if "valid_to" in row.values:
        values["valid_to"] = row.values["valid_to"]
    if current is None:
        result.new.append(values)
        result.created.append(values["code"])
        action = "new"
    elif values != current:
        result.changed.append(values)
        result.updated.append(values["code"])
        action = "updated"
    else:
        result.unchanged += 1
        action = "unchanged"
    add_preview(result, UNIT_COLUMNS, row, action, values)


def _unit(values: dict[str, Any]) -> Unit:
    unit = Unit(
        id=values.get("id"),
        code=values["code"],
        name=values["name"],
        kind=values["kind"],
        valid_from=values["valid_from"],
        valid_to=values["valid_to"],
    )
    services.fill_unit_derived(unit)
    return unit


def write_units(result: CheckResult) -> None:
    """Create the new units, update the changed ones, link parents, rebuild every path.

    Runs in the caller's transaction. Raises OrganisationError if parents form a cycle
    (checked before, so only when the data changed meanwhile).
    """
    for chunk in in_chunks(result.new):
        Unit.objects.bulk_create([_unit(values) for values in chunk])
    ids = dict(Unit.objects.values_list("code", "id"))
    changed = []
    for values in result.changed:
        unit = _unit(values)
        unit.parent_id = ids.get(values["parent"])
        changed.append(unit)
    update_rows(Unit, changed, UPDATED_FIELDS)
    linked = [
        Unit(id=ids[values["code"]], parent_id=ids[values["parent"]])
        for values in result.new
        if values["parent"]
    ]
    update_rows(Unit, linked, ["parent"])
    services.rebuild_unit_paths()
