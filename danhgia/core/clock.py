"""The one place the code reads the time.

Every module asks `clock.now()` for the current instant and `clock.today()` for today's date in
Vietnam (settings.TIME_ZONE), never `timezone.now()`, `date.today()` or `datetime.now()`
directly (tests/core/test_clock.py fails on such a call). Tests set the clock with the `clock`
fixture of tests/conftest.py (time-machine), and CI runs the date-sensitive tests at the dates
that break date code: the 1st, the 15th, the last day of a month, 31 December 23:30 and
1 January 00:30 Vietnam time (when the UTC date is still the day before) and 29 February.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def today() -> datetime.date:
    """Today's date in Vietnam: at 00:30 on 1 January in Hà Nội it is still 31 December in UTC."""
    return timezone.localdate(now())
