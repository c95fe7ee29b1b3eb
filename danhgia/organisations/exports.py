"""Workbooks for download: the import templates and exports of units and people.

Both use the column specs of `imports.columns`, so an export imports back unchanged.
Formula injection: text starting with = + - or @ is written with a leading single quote
(`'=...`), so Excel shows it as text and never evaluates it (openpyxl would otherwise store
"=..." as a formula). The importer removes that quote again.
"""

import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.organisations import queries
from danhgia.organisations.imports.cells import FORMULA_STARTS
from danhgia.organisations.imports.columns import Column, columns_for
from danhgia.organisations.models import ImportKind, Person

SHEET_TITLES: dict[str, str] = {ImportKind.UNITS: "Đơn vị", ImportKind.PEOPLE: "Nhân sự"}
FILE_STEMS: dict[str, str] = {ImportKind.UNITS: "don-vi", ImportKind.PEOPLE: "nhan-su"}
HELP_SHEET = "Hướng dẫn"
DATE_FORMAT = "DD/MM/YYYY"


def safe_text(value: str) -> str:
    """`value`, with a single quote in front if Excel could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _cell(sheet: WriteOnlyWorksheet, value: Any, bold: bool = False) -> Cell:
    if isinstance(value, str):
        value = safe_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
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


def template_workbook(kind: str) -> IO[bytes]:
    """The import template of `kind`: a header, one example row, and a "Hướng dẫn" sheet."""
    columns = columns_for(kind)
    workbook = Workbook(write_only=True)
    _write(
        workbook, SHEET_TITLES[kind], [c.header for c in columns], [[c.example for c in columns]]
    )
    notes: list[Sequence[object]] = [
        [_("Fill in one row per line under the header; do not change the column names.")],
        [_("The whole file is imported only when every row is correct; otherwise nothing is.")],
        [_("Importing a code that already exists updates that row instead of adding one.")],
        [_("Dates: dd/mm/yyyy or Excel dates. Type values, not formulas.")],
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
