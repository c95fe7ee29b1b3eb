"""The instants of CI's dated runs (scripts/test_dates.py): a 1st, a 15th, 31 December 23:30,
1 January 00:30 (the UTC date still the day before) and the next 29 February, each once."""

import datetime
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def _script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "test_dates.py"
    spec = importlib.util.spec_from_file_location("test_dates_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _days(today: datetime.date) -> list[tuple[int, int, int, int, int]]:
    moments = _script().instants(today)
    local = [moment.astimezone(VIETNAM) for moment in moments]
    return [(m.year, m.month, m.day, m.hour, m.minute) for m in local]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            datetime.date(2026, 12, 6),
            [
                (2026, 12, 15, 14, 0),
                (2026, 12, 31, 23, 30),
                (2027, 1, 1, 0, 30),
                (2028, 2, 29, 10, 0),
            ],
        ),
        (
            datetime.date(2027, 3, 10),
            [
                (2027, 3, 1, 8, 0),
                (2027, 3, 15, 14, 0),
                (2027, 3, 31, 16, 0),
                (2027, 12, 31, 23, 30),
                (2028, 1, 1, 0, 30),
                (2028, 2, 29, 10, 0),
            ],
        ),
    ],
)
def test_every_date_that_breaks_date_code_once(
    today: datetime.date, expected: list[tuple[int, ...]]
) -> None:
    days = _days(today)
    assert days == expected
    assert any(day[2] == 1 for day in days) and any(day[2] == 15 for day in days)
    assert (12, 31, 23, 30) in [day[1:] for day in days]
    assert any(day[1:3] == (2, 29) for day in days)
    assert len(set(days)) == len(days)


def test_the_night_of_1_january_is_still_31_december_in_utc() -> None:
    first = _script().instants(datetime.date(2026, 12, 6))[2]
    assert first.astimezone(datetime.UTC).date() == datetime.date(2026, 12, 31)
