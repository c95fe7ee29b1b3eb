"""Workbooks for download: the import templates and exports of units and people.

Both use the column specs of `imports.columns`, so an export imports back unchanged. Every
cell goes through `core.spreadsheet.cell_value`, as in every workbook we write: booleans as
"Có"/"Không", and text starting with = + - or @ with a leading single quote (`'=...`), so
Excel shows it as text and never evaluates it (openpyxl would otherwise store "=..." as a
formula). The importer removes that quote again.
"""

import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import F, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.spreadsheet import cell_value
from danhgia.organisations import queries
from danhgia.organisations.imports.columns import Column, columns_for
from danhgia.organisations.models import ImportKind, JobPosition, Person, Unit, UnitKind

SHEET_TITLES: dict[str, str] = {ImportKind.UNITS: "Đơn vị", ImportKind.PEOPLE: "Nhân sự"}
FILE_STEMS: dict[str, str] = {ImportKind.UNITS: "don-vi", ImportKind.PEOPLE: "nhan-su"}
HELP_SHEET = "Hướng dẫn"
DATE_FORMAT = "DD/MM/YYYY"


def _cell(sheet: WriteOnlyWorksheet, value: Any, bold: bool = False) -> Cell:
    cell = WriteOnlyCell(sheet, value=cell_value(value))
    if isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write(
    workbook: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _save(workbook: Workbook) -> IO[bytes]:
    """Save to a temporary file (deleted when closed) and rewind it, ready to stream."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def unused_code(taken: Iterable[str], stem: str) -> str:
    """`stem`-1, `stem`-2, … : the first one not in `taken`."""
    used = set(taken)
    number = 1
    while f"{stem}-{number}" in used:
        number += 1
    return f"{stem}-{number}"


def _example_unit(user: User, *, own_first: bool) -> Unit | None:
    """The unit an example row refers to: with `own_first` the user's own unit when in scope,
    else the top unit of the scope, among those that exist today."""
    today = clock.today()
    units = queries.units_visible_to(user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), valid_from__lte=today
    )
    own = Person.objects.filter(user=user).values_list("unit_id", flat=True).first()
    mine = units.filter(pk=own).first() if own_first and own else None
    return mine or units.order_by("path").first()


def example_values(kind: str, user: User) -> dict[str, object]:
    """The template's example row for `user`, built from their own scope so that it imports
    as it is: units that exist and that they may use, codes that do not exist yet, a job
    position that exists (when there is one), dates from the first of this month."""
    columns = columns_for(kind)
    values: dict[str, object] = {column.key: column.example for column in columns}
    unit = _example_unit(user, own_first=kind == ImportKind.PEOPLE)
    first_of_month = clock.today().replace(day=1)
    if kind == ImportKind.UNITS:
        values["code"] = unused_code(Unit.objects.values_list("code", flat=True), "DV-MAU")
        values["name"] = "Phòng Tổ chức cán bộ"
        values["valid_from"] = first_of_month
        if unit is not None:
            values["parent"] = unit.code
            values["kind"] = "sở/ban/ngành" if unit.kind == UnitKind.PROVINCE else "phòng"
        return values
    values["employee_code"] = unused_code(
        Person.objects.values_list("employee_code", flat=True), "CB-MAU"
    )
    values["active_from"] = first_of_month
    if unit is not None:
        values["unit"] = unit.code
    position = JobPosition.objects.order_by("code").first()
    values["job_position"] = position.code if position is not None else ""
    values["job_position_name"] = ""  # only for a new code: the example makes none
    return values


def template_workbook(kind: str, user: User) -> IO[bytes]:
    """The import template of `kind` for `user`: a header, one example row built from the
    user's scope (`example_values`), and a "Hướng dẫn" sheet."""
    columns = columns_for(kind)
    example = example_values(kind, user)
    workbook = Workbook(write_only=True)
    _write(
        workbook,
        SHEET_TITLES[kind],
        [c.header for c in columns],
        [[example[c.key] for c in columns]],
    )
    notes: list[Sequence[object]] = [
        [_("Fill in one row per line under the header; do not change the column names.")],
        [_("The whole file is imported only when every row is correct; otherwise nothing is.")],
        [_("Importing a code that already exists updates that row instead of adding one.")],
        [_("Dates: dd/mm/yyyy or Excel dates. Type values, not formulas.")],
        [
            _(
                "Row 2 is an example made from your own units: it imports as it is. Replace it "
                "with your rows, or delete it."
            )
        ],
        [],
        [_("Column"), _("Required"), _("Allowed values"), _("Explanation")],
    ]
    notes += [
        [c.header, _("yes") if c.required else _("no"), c.allowed, str(c.help)] for c in columns
    ]
    _write(workbook, HELP_SHEET, [HELP_SHEET], notes)
    return _save(workbook)


def template_filename(kind: str) -> str:
    return f"mau-nhap-{FILE_STEMS[kind]}.xlsx"


def export_filename(kind: str) -> str:
    return f"{FILE_STEMS[kind]}-{clock.today():%Y-%m-%d}.xlsx"


def _export_rows(columns: Sequence[Column], records: Iterable[dict[str, Any]]) -> Iterator[list]:
    for record in records:
        yield [
            column.to_cell(record[column.key]) if record[column.key] not in (None, "") else None
            for column in columns
        ]


def _unit_records(user: User) -> Iterator[dict[str, Any]]:
    units = (
        queries.units_visible_to(user)
        .order_by("path")
        .values("code", "name", "kind", "valid_from", "valid_to", parent_code=F("parent__code"))
    )
    for row in units.iterator(chunk_size=2000):
        unit: dict[str, Any] = dict(row)
        unit["parent"] = unit.pop("parent_code")
        yield unit


def _person_records(user: User) -> Iterator[dict[str, Any]]:
    people = (
        Person.objects.filter(unit__in=queries.units_visible_to(user))
        .order_by("unit__path", "sort_key", "id")
        .values(
            "employee_code",
            "full_name",
            "staff_category",
            "title",
            "is_leader",
            "email",
            "phone",
            "active_from",
            "active_to",
            unit_code=F("unit__code"),
            job_position_code=F("job_position__code"),
            job_position_title=F("job_position__name"),
        )
    )
    for row in people.iterator(chunk_size=2000):
        person: dict[str, Any] = dict(row)
        person["unit"] = person.pop("unit_code")
        person["job_position"] = person.pop("job_position_code")
        person["job_position_name"] = person.pop("job_position_title")
        yield person


def export_workbook(kind: str, user: User) -> IO[bytes]:
    """The units or people in `user`'s scope, in the import template's columns. Reads only."""
    columns = columns_for(kind)
    records = _unit_records(user) if kind == ImportKind.UNITS else _person_records(user)
    workbook = Workbook(write_only=True)
    _write(
        workbook, SHEET_TITLES[kind], [c.header for c in columns], _export_rows(columns, records)
    )
    return _save(workbook)
