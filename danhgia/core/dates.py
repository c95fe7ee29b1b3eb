"""The date policy: which dates a user, an import or a document system may enter.

Every date typed, imported or sent must lie in a window around `clock.today()`, one window per
kind of date (docs/decisions.md, "One date policy"):

- `PERIOD`: evaluation months, from January 2000 to twelve months after this month;
- `WORK`: task, plan, schedule, extension, document and deadline dates, five years either side
  of today;
- `HISTORY`: people's, units' and roles' dates and HR records (discipline, findings, leave,
  transfers, recognition, catalogue versions), from 1 January 1945 to five years ahead.

Forms apply it through danhgia.core.forms.CleanInputMixin (HISTORY unless the form names
another kind), imports through danhgia.organisations.imports.cells.day, the API through its
serializers. A date outside its window is refused with a message naming the window.
"""

import datetime
import enum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock

HISTORY_FIRST = datetime.date(1945, 1, 1)
PERIOD_FIRST = datetime.date(2000, 1, 1)
WORK_YEARS = 5
HISTORY_YEARS_AHEAD = 5
PERIOD_MONTHS_AHEAD = 12


class DateKind(enum.Enum):
    PERIOD = "period"
    WORK = "work"
    HISTORY = "history"


def _years_from(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _months_from(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def window(
    kind: DateKind, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The first and last date allowed for `kind` (both included), around today."""
    today = today or clock.today()
    if kind is DateKind.PERIOD:
        return PERIOD_FIRST, _months_from(today.replace(day=1), PERIOD_MONTHS_AHEAD)
    if kind is DateKind.WORK:
        return _years_from(today, -WORK_YEARS), _years_from(today, WORK_YEARS)
    return HISTORY_FIRST, _years_from(today, HISTORY_YEARS_AHEAD)


def out_of_window_message(kind: DateKind) -> str:
    """The translated refusal, naming the window ("from 01/2000 to 10/2027")."""
    first, last = window(kind)
    if kind is DateKind.PERIOD:
        return str(
            _("Choose a month from %(first)s to %(last)s.")
            % {"first": f"{first:%m/%Y}", "last": f"{last:%m/%Y}"}
        )
    return str(
        _("Enter a date from %(first)s to %(last)s.")
        % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}
    )


def is_allowed(day: datetime.date, kind: DateKind) -> bool:
    first, last = window(kind)
    return first <= day <= last


def check(day: datetime.date | None, kind: DateKind) -> None:
    """Raise ValidationError (code "date_window") when `day` is outside the window of `kind`."""
    if day is not None and not is_allowed(day, kind):
        raise ValidationError(out_of_window_message(kind), code="date_window")


class DateWindowValidator:
    """A field validator for forms and serializers (both accept Django's ValidationError)."""

    def __init__(self, kind: DateKind) -> None:
        self.kind = kind

    def __call__(self, value: datetime.date | None) -> None:
        check(value, self.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateWindowValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)
