"""The one name of an evaluation period, used by every page, document, export, notification
and API: "Tháng 10/2025", "Quý IV/2025", "Năm 2025" ("October 2025", "Q4 2025", "2025").

A period is known by its kind and its first day (a quarter by the first day of its first
month). Core holds it because the work app names months of plans too, and it sits below the
evaluations app. Each label is one translatable entry, so translators see whole phrases.
"""

import datetime
from collections.abc import Iterable

from django.utils.translation import pgettext_lazy

from danhgia.core import clock

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"

_MONTHS = (
    pgettext_lazy("period label", "January %(year)d"),
    pgettext_lazy("period label", "February %(year)d"),
    pgettext_lazy("period label", "March %(year)d"),
    pgettext_lazy("period label", "April %(year)d"),
    pgettext_lazy("period label", "May %(year)d"),
    pgettext_lazy("period label", "June %(year)d"),
    pgettext_lazy("period label", "July %(year)d"),
    pgettext_lazy("period label", "August %(year)d"),
    pgettext_lazy("period label", "September %(year)d"),
    pgettext_lazy("period label", "October %(year)d"),
    pgettext_lazy("period label", "November %(year)d"),
    pgettext_lazy("period label", "December %(year)d"),
)
_QUARTERS = (
    pgettext_lazy("period label", "Q1 %(year)d"),
    pgettext_lazy("period label", "Q2 %(year)d"),
    pgettext_lazy("period label", "Q3 %(year)d"),
    pgettext_lazy("period label", "Q4 %(year)d"),
)
_YEAR = pgettext_lazy("period label", "%(year)d")


def period_label(kind: str, start: datetime.date) -> str:
    """The name of the period of `kind` ("month", "quarter" or "year") starting on `start`."""
    if kind == QUARTER:
        return str(_QUARTERS[(start.month - 1) // 3]) % {"year": start.year}
    if kind == YEAR:
        return year_label(start.year)
    return month_label(start)


def month_label(day: datetime.date) -> str:
    """The name of the month of `day`: "Tháng 10/2025"."""
    return str(_MONTHS[day.month - 1]) % {"year": day.year}


def year_label(year: int) -> str:
    return str(_YEAR) % {"year": year}


def kind_between(start: datetime.date, end: datetime.date) -> str:
    """The kind of the period from `start` to `end` (for records that keep only the dates)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months >= 12:
        return YEAR
    if months >= 3:
        return QUARTER
    return MONTH


def label_between(start: datetime.date, end: datetime.date) -> str:
    return period_label(kind_between(start, end), start)


def default_start(starts: Iterable[datetime.date]) -> datetime.date | None:
    """The period a page shows when the user has not chosen one: the latest that has started
    (first day on or before today), so that a period opened ahead of time does not hide the
    current one; when none has started yet, the earliest. None without periods."""
    starts = sorted(set(starts))
    if not starts:
        return None
    today = clock.today()
    started = [start for start in starts if start <= today]
    return started[-1] if started else starts[0]
