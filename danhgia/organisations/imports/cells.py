"""One raw cell (from openpyxl or csv) to a Python value, or `CellError` saying why not.

openpyxl gives str, int, float, bool, datetime or None; csv gives str. Every text comes back
in NFC with whitespace collapsed, so "Nguyễn" typed in NFD is the same person.
"""

import datetime
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from danhgia.core import dates
from danhgia.core.text import fold, nfc

# Exports put a single quote before text starting with one of these (formula injection guard);
# reading strips it again so an export imports back unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")
TRUE_WORDS = {"co", "x", "1", "yes", "true", "dung"}
FALSE_WORDS = {"khong", "0", "no", "false", "sai", ""}


class CellError(ValueError):
    """The cell's value cannot be used; the message, already translated, tells the user why."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def choice_key(value: str) -> str:
    """The form headers and labels are compared in: no accents, lower case, words only."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(value)).split())


def raw_text(value: object) -> str:
    """Any cell as NFC text. Integral floats lose ".0" (Excel turns codes into numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    result = nfc(str(value))
    if result.startswith("="):
        raise CellError(_("This cell holds a formula; copy the column and paste values instead."))
    if result.startswith("'") and result[1:2] in FORMULA_STARTS:
        result = result[1:]
    return result


def text(max_length: int) -> Callable[[object], str]:
    """A parser for free text of at most `max_length` characters."""

    def parse(value: object) -> str:
        result = raw_text(value)
        if len(result) > max_length:
            raise CellError(
                _("At most %(limit)d characters are allowed; this cell has %(length)d.")
                % {"limit": max_length, "length": len(result)}
            )
        return result

    return parse


def day(value: object) -> datetime.date | None:
    """A real Excel date, or text as dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd, within
    the window of the date policy for people's and units' dates (danhgia.core.dates)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return _in_window(value)
    written = raw_text(value)
    if not written:
        return None
    readings = []
    for pattern in DATE_FORMATS:
        try:
            readings.append(datetime.datetime.strptime(written, pattern).date())
        except ValueError:
            continue
    for parsed in readings:
        if 1900 <= parsed.year <= 2100:
            return _in_window(parsed)
    if readings:  # a real date, far outside the window: say which dates are allowed
        return _in_window(readings[0])
    raise CellError(
        _("“%(value)s” is not a valid date; write it as dd/mm/yyyy.") % {"value": written}
    )


def _in_window(parsed: datetime.date) -> datetime.date:
    if not dates.is_allowed(parsed, dates.DateKind.HISTORY):
        raise CellError(dates.out_of_window_message(dates.DateKind.HISTORY))
    return parsed


def boolean(value: object) -> bool:
    """có/không, x or empty, 1/0, yes/no, true/false, or an Excel TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    written = raw_text(value)
    key = choice_key(written)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” is not understood; write “có” or “không”.") % {"value": written})


def email(value: object) -> str:
    written = text(254)(value)
    if written:
        try:
            validate_email(written)
        except ValidationError as error:
            raise CellError(
                _("“%(value)s” is not a valid email address.") % {"value": written}
            ) from error
    return written


def choice(labels: dict[str, tuple[str, ...]], message: str) -> Callable[[object], str]:
    """A parser for a choice written as any of its labels, accents and case optional.

    `labels` maps a stored value to its accepted labels, canonical (exported) label first;
    `message` is a msgid with %(value)s and %(allowed)s, translated when a cell fails.
    """
    lookup = {choice_key(value): value for value in labels}
    for value, names in labels.items():
        lookup.update({choice_key(name): value for name in names})
    allowed = ", ".join(names[0] for names in labels.values())

    def parse(value: object) -> str:
        written = raw_text(value)
        if not written:
            return ""
        found = lookup.get(choice_key(written))
        if found is None:
            raise CellError(_(message) % {"value": written, "allowed": allowed})
        return found

    return parse
