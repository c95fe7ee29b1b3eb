"""Streamed Excel workbooks with safe cells, for every report.

openpyxl's write-only mode writes each row to a temporary file as it is appended, so memory
stays flat whatever the number of rows (50,000 sheets of a province's month). Values go in as
their type: numbers (int, float, Decimal) as numbers, dates as dates shown dd/mm/yyyy,
aware datetimes in local time, booleans as booleans. Text that Excel or LibreOffice could read
as a formula (it starts with = + - @, a tab or a carriage return) gets a leading single quote,
so `=HYPERLINK(...)` typed as someone's name stays text (docs/decisions.md, "Formula injection
in exports").

    book = StreamedWorkbook()
    sheet = book.add_sheet("Tháng 10-2026", ["Họ và tên", "Tổng điểm"], widths=[30, 10])
    for row in rows:
        sheet.append(row)
    book.save(path_or_file)
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
#: Excel's limits: 31 characters in a sheet title, 32,767 in a cell.
MAX_TITLE = 31
MAX_CELL = 32_767
_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def safe_text(value: str) -> str:
    """`value` as Excel must store it: quoted if it could be a formula, cut at Excel's limit."""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value[:MAX_CELL]


def cell_value(value: Any) -> Any:
    """A Python value as a cell value: numbers stay numbers, dates stay dates (aware
    datetimes in local time, without zone, as Excel has none), other objects become safe text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return safe_text(str(value))


def sheet_title(title: str) -> str:
    """A valid sheet title: no [ ] : * ? / \\ and at most 31 characters."""
    return title.translate(_TITLE_FORBIDDEN)[:MAX_TITLE] or "Sheet"


class StreamedSheet:
    """One worksheet of a `StreamedWorkbook`: append rows of plain Python values."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self._sheet = sheet
        self.rows = 0

    def _cell(self, value: Any, *, bold: bool = False, wrap: bool = False) -> Cell:
        value = cell_value(value)
        cell = WriteOnlyCell(self._sheet, value=value)
        if isinstance(value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        if bold:
            cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def append(self, values: Sequence[Any]) -> None:
        """One row. Plain values are written as they are (faster); dates get their format."""
        row: list[Any] = []
        for value in values:
            if isinstance(value, str):
                row.append(safe_text(value))
            elif isinstance(value, datetime.date):
                row.append(self._cell(value))
            else:
                row.append(cell_value(value))
        self._sheet.append(row)
        self.rows += 1

    def append_bold(self, values: Sequence[Any]) -> None:
        """A heading row in bold, wrapped (e.g. the column names)."""
        self._sheet.append([self._cell(value, bold=True, wrap=True) for value in values])
        self.rows += 1


class StreamedWorkbook:
    """A write-only workbook; add sheets in order, then `save()` once."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)

    def add_sheet(
        self,
        title: str,
        header: Sequence[str] = (),
        *,
        widths: Iterable[float] = (),
        freeze_header: bool = True,
    ) -> StreamedSheet:
        """A new sheet with `header` in bold (frozen when asked) and column widths in
        characters. Widths and panes must be set before the first row, hence here."""
        raw = self._book.create_sheet(sheet_title(title))
        for index, width in enumerate(widths, start=1):
            raw.column_dimensions[get_column_letter(index)].width = width
        if header and freeze_header:
            raw.freeze_panes = "A2"
        sheet = StreamedSheet(raw)
        if header:
            sheet.append_bold(header)
        return sheet

    def save(self, target: str | Path | IO[bytes]) -> None:
        """Write the workbook to a path or a binary file opened for writing (once only)."""
        self._book.save(target)
