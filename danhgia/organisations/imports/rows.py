"""The shapes shared by both import kinds: a read table, parsed rows, problems, the result."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from danhgia.organisations.imports.cells import CellError, is_blank
from danhgia.organisations.imports.columns import Column

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class Problem:
    """Why the file cannot be imported. `row` is the Excel row number (None: the whole file)."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, missing columns)."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = list(problems)


@dataclass
class Table:
    """A read file: the columns found (spec and position) and the non-empty data rows."""

    columns: list[Column]
    rows: list[tuple[int, tuple[object, ...]]]  # (Excel row number, cells in `columns` order)


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]  # column key -> parsed value, for the cells that parsed
    failed: bool = False


@dataclass
class CheckResult:
    """Everything a check found, and the rows a commit would write (when `problems` is empty).

    `new` holds field dicts for rows to create, `changed` for existing rows that differ
    (with "id"); `created`/`updated` are the codes of those rows, for counts and the audit log.
    """

    kind: str
    row_count: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    new_job_positions: dict[str, str] = field(default_factory=dict)

    def add(self, row: int | None, column: Column | None, message: str) -> None:
        self.problems.append(Problem(row, column.header if column else "", message))

    def sorted_problems(self, columns: Sequence[Column]) -> list[Problem]:
        """Whole-file problems first, then by row and by the column's place in the file."""
        place = {column.header: index for index, column in enumerate(columns)}
        return sorted(self.problems, key=lambda p: (p.row or 0, place.get(p.column, -1)))


def parse_rows(table: Table, result: CheckResult) -> list[ParsedRow]:
    """Parse every cell with its column's parser; failures and empty required cells become
    problems in `result`. Whole-row checks are left to the kind."""
    parsed: list[ParsedRow] = []
    for number, raw_cells in table.rows:
        row = ParsedRow(number, {})
        for column, raw in zip(table.columns, raw_cells, strict=True):
            if column.required and is_blank(raw):
                result.add(number, column, _("This cell is required."))
                row.failed = True
                continue
            try:
                row.values[column.key] = column.parse(raw)
            except CellError as error:
                result.add(number, column, str(error))
                row.failed = True
        parsed.append(row)
    result.row_count = len(parsed)
    return parsed


def flag_repeats(rows: list[ParsedRow], column: Column, result: CheckResult, message: str) -> None:
    """Mark second and later rows repeating a value of `column` (message: %(code)s, %(row)s)."""
    first_row: dict[str, int] = {}
    for row in rows:
        value = row.values.get(column.key)
        if not value:
            continue
        if value in first_row:
            result.add(row.number, column, message % {"code": value, "row": first_row[value]})
            row.failed = True
        else:
            first_row[value] = row.number


def require_for_new(
    row: ParsedRow, column: Column, in_file: set[str], result: CheckResult, message: str
) -> None:
    """A value a new row cannot do without (a start date): empty, or its column left out of
    the file, is a problem on the row naming the column (`message` is a msgid). A cell that
    failed to parse was already reported."""
    if row.values.get(column.key) is None and (
        column.key in row.values or column.key not in in_file
    ):
        result.add(row.number, column, _(message))
        row.failed = True


def check_dates(
    row: ParsedRow, start: Column, end: Column, result: CheckResult, start_default: Any = None
) -> None:
    first = row.values.get(start.key) or start_default
    last = row.values.get(end.key)
    if first and last and last < first:
        result.add(row.number, end, _("The end date must not be before the start date."))
        row.failed = True


def preview_cells(columns: Sequence[Column], values: dict[str, Any]) -> list[str]:
    """The row as the user will see it saved: labels for choices, dd/mm/yyyy for dates."""
    shown = []
    for column in columns:
        value = values.get(column.key)
        cell = column.to_cell(value) if value not in (None, "") else ""
        if isinstance(cell, datetime.date):
            cell = cell.strftime("%d/%m/%Y")
        shown.append(str(cell))
    return shown


def add_preview(
    result: CheckResult, columns: Sequence[Column], row: ParsedRow, action: str, values: dict
) -> None:
    if len(result.preview) < PREVIEW_ROWS:
        result.preview.append(
            {"row": row.number, "action": action, "cells": preview_cells(columns, values)}
        )
