"""Print the instants at which .ci/run runs the date-sensitive tests, one a line.

Each line is `<ISO instant in Vietnam time> <the same instant in UTC for faketime>`. The dates are
the ones that break date code, taken near today so that fixed data of the tests stays realistic:
the 1st, the 15th and the last day of the current month (in December: 1 January 00:30 and
31 December 23:30 stand for the 1st and the last day),
31 December 23:30 and 1 January 00:30 Vietnam time (the UTC date is still the day before), and
the next 29 February.
"""

import calendar
import datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def next_leap_day(after: datetime.date) -> datetime.date:
    year = after.year
    while not (calendar.isleap(year) and datetime.date(year, 2, 29) >= after):
        year += 1
    return datetime.date(year, 2, 29)


def instants(today: datetime.date) -> list[datetime.datetime]:
    last = calendar.monthrange(today.year, today.month)[1]
    days = [
        (today.replace(day=1), datetime.time(8, 0)),
        (today.replace(day=15), datetime.time(14, 0)),
        (today.replace(day=last), datetime.time(16, 0)),
        (datetime.date(today.year, 12, 31), datetime.time(23, 30)),
        (datetime.date(today.year + 1, 1, 1), datetime.time(0, 30)),
        (next_leap_day(today), datetime.time(10, 0)),
    ]
    # In December the month's last day is 31 December, already run at 23:30, and 1 January
    # 00:30 is a 1st of a month as well as the night when the UTC date is still the day before:
    # each once is enough.
    if today.month == 12:
        days.pop(2)
        days.pop(0)
    return [datetime.datetime.combine(day, time, tzinfo=VIETNAM) for day, time in days]


if __name__ == "__main__":
    for moment in instants(datetime.datetime.now(VIETNAM).date()):
        utc = moment.astimezone(datetime.UTC)
        print(moment.isoformat(timespec="minutes"), utc.strftime("%Y-%m-%d %H:%M:%S"))
