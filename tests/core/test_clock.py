"""The code reads the time only through danhgia.core.clock, and today is Vietnam's date."""

import ast
import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

from danhgia.core import clock

ROOT = Path(__file__).resolve().parents[2]
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Calls that read the real clock behind the clock's back: (object name, attribute).
FORBIDDEN = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
}


def _clock_reads(path: Path, root: Path = ROOT) -> list[str]:
    """Calls of FORBIDDEN functions without arguments (with an argument they only convert)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func.value
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if (name, node.func.attr) in FORBIDDEN and not node.args and not node.keywords:
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_only_the_clock_module_reads_the_time() -> None:
    sources = [
        path
        for folder in ("danhgia", "config")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts and path != ROOT / "danhgia/core/clock.py"
    ]
    assert [read for path in sources for read in _clock_reads(path)] == []


def test_the_check_catches_each_way_of_reading_the_time(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "a = timezone.now()\nb = datetime.date.today()\nc = datetime.datetime.now()\n"
        "d = timezone.localdate()\ne = timezone.localdate(a)\n"
    )
    reads = [read.rsplit(":", 1)[1] for read in _clock_reads(module, tmp_path)]
    assert reads == ["1", "2", "3", "4"]


def test_today_is_the_date_in_vietnam_when_utc_is_still_the_day_before() -> None:
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=VIETNAM), tick=False):
        assert clock.now() == datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
        assert clock.today() == datetime.date(2027, 1, 1)


def test_today_on_a_leap_day() -> None:
    with time_machine.travel(datetime.datetime(2028, 2, 29, 23, 59, tzinfo=VIETNAM), tick=False):
        assert clock.today() == datetime.date(2028, 2, 29)
