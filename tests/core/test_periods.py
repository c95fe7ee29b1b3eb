"""The one name of a period, in both languages, and the one default period of the pages."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from danhgia.core.periods import default_start, label_between, month_label, period_label


@pytest.mark.parametrize(
    ("kind", "start", "vi", "en"),
    [
        ("month", datetime.date(2025, 10, 1), "Tháng 10/2025", "October 2025"),
        ("month", datetime.date(2026, 1, 1), "Tháng 1/2026", "January 2026"),
        ("quarter", datetime.date(2025, 1, 1), "Quý I/2025", "Q1 2025"),
        ("quarter", datetime.date(2025, 10, 1), "Quý IV/2025", "Q4 2025"),
        ("year", datetime.date(2025, 1, 1), "Năm 2025", "2025"),
    ],
)
def test_period_labels(kind: str, start: datetime.date, vi: str, en: str) -> None:
    with translation.override("vi"):
        assert period_label(kind, start) == vi
    with translation.override("en"):
        assert period_label(kind, start) == en


def test_a_period_known_only_by_its_dates() -> None:
    with translation.override("vi"):
        assert (
            label_between(datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)) == "Quý III/2025"
        )
        assert (
            label_between(datetime.date(2025, 7, 1), datetime.date(2025, 7, 31)) == "Tháng 7/2025"
        )
        assert month_label(datetime.date(2025, 7, 19)) == "Tháng 7/2025"


@pytest.fixture
def october_15(time_machine: Any) -> None:
    time_machine.move_to(
        datetime.datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    )


def test_the_default_is_the_latest_period_started(october_15: None) -> None:
    sept, october, next_year = (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 1),
        datetime.date(2027, 3, 1),
    )
    assert default_start([sept, next_year, october]) == october
    assert default_start([datetime.date(2026, 10, 15), next_year]) == datetime.date(2026, 10, 15)
    assert default_start([next_year, datetime.date(2027, 1, 1)]) == datetime.date(2027, 1, 1)
    assert default_start([]) is None
