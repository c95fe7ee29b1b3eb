"""The date policy (danhgia.core.dates): one window per kind of date, around today."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from danhgia.core import dates
from danhgia.core.dates import DateKind

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("now", "period", "work", "history"),
    [
        (
            datetime.datetime(2026, 10, 15, 9, tzinfo=HANOI),
            ("2000-01-01", "2027-10-01"),
            ("2021-10-15", "2031-10-15"),
            ("1945-01-01", "2031-10-15"),
        ),
        (  # 00:30 on 1 January in Hà Nội is still 31 December in UTC
            datetime.datetime(2027, 1, 1, 0, 30, tzinfo=HANOI),
            ("2000-01-01", "2028-01-01"),
            ("2022-01-01", "2032-01-01"),
            ("1945-01-01", "2032-01-01"),
        ),
        (  # 29 February has no twin five years on
            datetime.datetime(2028, 2, 29, 12, tzinfo=HANOI),
            ("2000-01-01", "2029-02-01"),
            ("2023-02-28", "2033-02-28"),
            ("1945-01-01", "2033-02-28"),
        ),
    ],
)
def test_windows_around_today(time_machine, now, period, work, history) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(now, tick=False)
    got = {kind: tuple(day.isoformat() for day in dates.window(kind)) for kind in DateKind}
    assert got == {DateKind.PERIOD: period, DateKind.WORK: work, DateKind.HISTORY: history}


def test_refusal_names_the_window_in_vietnamese(time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2026, 10, 15, 9, tzinfo=HANOI), tick=False)
    with translation.override("vi"):
        with pytest.raises(ValidationError) as month:
            dates.check(datetime.date(9999, 12, 1), DateKind.PERIOD)
        with pytest.raises(ValidationError) as day:
            dates.check(datetime.date(1900, 1, 1), DateKind.WORK)
    assert month.value.messages == ["Hãy chọn tháng trong khoảng từ 01/2000 đến 10/2027."]
    assert day.value.messages == ["Hãy nhập ngày trong khoảng từ 15/10/2021 đến 15/10/2031."]


def test_the_ends_of_a_window_are_allowed() -> None:
    for kind in DateKind:
        first, last = dates.window(kind)
        assert dates.is_allowed(first, kind) and dates.is_allowed(last, kind)
        assert not dates.is_allowed(first - datetime.timedelta(days=1), kind)
        assert not dates.is_allowed(last + datetime.timedelta(days=1), kind)
