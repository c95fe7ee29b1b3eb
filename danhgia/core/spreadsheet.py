"""The value of a cell in every Excel file we write: one function, `cell_value`.

Every workbook goes through it, the reports' streamed workbooks (`reports/xlsx.py`: month
export, supervision report) and the openpyxl ones (`organisations/exports.py`: unit and people
exports and import templates; the product import template), so a kind of value looks the same
in every file:

- numbers stay numbers and dates stay dates (aware datetimes in local time, as Excel has no
  time zones);
- booleans become the words "Có" and "Không", never Excel's TRUE/FALSE; like the import
  headers they are Vietnamese in every language: files are exchanged and imported back, and
  the importer reads them (docs/decisions.md, "Yes and no in Excel files");
- text that Excel or LibreOffice could read as a formula (it starts with = + - @, a tab or a
  carriage return) gets a leading single quote, and is cut at Excel's 32,767 characters
  (docs/decisions.md, "Formula injection in exports").
"""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "Có", "Không"
#: Excel's limit of characters in a cell.
MAX_CELL = 32_767


def yes_no(value: bool) -> str:
    """ "Có" or "Không": a boolean as every export writes it."""
    return YES if value else NO


def safe_text(value: str) -> str:
    """`value` as Excel must store it: quoted if it could be a formula, cut at Excel's limit."""
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value[:MAX_CELL]


def cell_value(value: Any) -> Any:
    """A Python value as a cell value: None stays empty, booleans become "Có"/"Không", numbers
    and dates keep their type (aware datetimes in local time, without zone), anything else
    becomes safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return safe_text(str(value))
