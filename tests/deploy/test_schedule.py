"""Every scheduled job is in one table (docs/deploy.md, "Scheduled jobs"), and the table is
what runs: each huey row is a periodic task registered with that schedule, each timer row a
unit of deploy/systemd with that OnCalendar running that command, and nothing registered or
installed is missing from it. Then the order of the nightly audit jobs (issue 15): the anchor,
then the state check, then the backup."""

import configparser
import datetime
import os
import re
import runpy
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"
GUIDE = ROOT / "docs" / "deploy.md"
ZONE = "Asia/Ho_Chi_Minh"
COLUMNS = ["job", "what it does", "when", "how", "if it fails"]
DAILY = re.compile(r"daily (\d\d):(\d\d)")
EVERY = re.compile(r"every (\d+) minutes")
HOW = re.compile(r"(huey|timer) `([^`]+)`")


class Row(NamedTuple):
    job: str
    when: str
    mechanism: str  # "huey" or "timer"
    target: str  # the huey task's registered name, or the timer's file name


def _unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def schedule_table(text: str) -> list[Row]:
    """The rows of the table under "## Scheduled jobs"."""
    section = text.split("\n## Scheduled jobs\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == COLUMNS, header
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == len(COLUMNS), line
        how = HOW.match(cells[3])
        assert how, f"'how' must start with huey `<task>` or timer `<unit>.timer`: {line}"
        assert cells[1] and cells[4], f"say what the job does and what a failure means: {line}"
        rows.append(Row(cells[0].strip("`"), cells[2], how.group(1), how.group(2)))
    return rows


def minutes_of_day(when: str) -> set[int]:
    """The minutes after midnight at which a job documented as `when` runs."""
    if daily := DAILY.fullmatch(when):
        return {int(daily.group(1)) * 60 + int(daily.group(2))}
    if every := EVERY.fullmatch(when):
        return set(range(0, 24 * 60, int(every.group(1))))
    raise AssertionError(f"'when' must be 'daily HH:MM' or 'every N minutes', not {when!r}")


def on_calendar(when: str) -> str:
    """The systemd OnCalendar expression that `when` stands for."""
    if daily := DAILY.fullmatch(when):
        return f"*-*-* {daily.group(1)}:{daily.group(2)}:00 {ZONE}"
    if every := EVERY.fullmatch(when):
        return f"*:0/{every.group(1)}"
    raise AssertionError(f"'when' must be 'daily HH:MM' or 'every N minutes', not {when!r}")


def huey_schedules() -> dict[str, set[tuple[int, int]]]:
    """Every periodic task huey registers (as `run_huey` finds them), with the (weekday,
    minute of day) pairs of one week at which it would run."""
    autodiscover_modules("tasks")
    registry = HUEY._registry
    runs: dict[str, set[tuple[int, int]]] = {
        registry.task_to_string(type(task)): set() for task in registry.periodic_tasks
    }
    monday = datetime.datetime(2026, 11, 16)  # noqa: DTZ001 (huey reads naive local times)
    for minute in range(7 * 24 * 60):
        moment = monday + datetime.timedelta(minutes=minute)
        for task in HUEY.read_periodic(moment):
            runs[registry.task_to_string(type(task))].add((minute // 1440, minute % 1440))
    return runs


ROWS = schedule_table(GUIDE.read_text())


def test_the_table_lists_each_job_once_with_both_mechanisms() -> None:
    assert len({row.target for row in ROWS}) == len(ROWS)
    assert {row.mechanism for row in ROWS} == {"huey", "timer"}
    # The deadline notices, described as daily since the start, are on the schedule.
    assert any(row.job == "notify_deadlines" for row in ROWS)


def test_huey_reads_its_schedule_in_vietnam_time() -> None:
    assert settings.TIME_ZONE == ZONE
    assert HUEY.utc is False
    assert os.environ["TZ"] == ZONE  # set by Django: huey's local clock is Vietnam's


@pytest.mark.parametrize("row", [row for row in ROWS if row.mechanism == "huey"], ids=str)
def test_each_documented_huey_job_is_registered_with_its_schedule(row: Row) -> None:
    schedules = huey_schedules()
    assert row.target in schedules, f"{row.target} is not a registered periodic task"
    expected = {(day, minute) for day in range(7) for minute in minutes_of_day(row.when)}
    assert schedules[row.target] == expected


@pytest.mark.parametrize("row", [row for row in ROWS if row.mechanism == "timer"], ids=str)
def test_each_documented_timer_is_installed_with_its_schedule_and_command(row: Row) -> None:
    assert row.target.endswith(".timer") and (SYSTEMD / row.target).is_file(), row.target
    timer = _unit(row.target)
    assert timer["Timer"]["OnCalendar"] == on_calendar(row.when)
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = _unit(row.target.removesuffix(".timer") + ".service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["EnvironmentFile"] == "/etc/danhgia/danhgia.env"
    assert f"manage.py {row.job}" in service["ExecStart"]
    assert row.job in get_commands()


def test_nothing_scheduled_is_missing_from_the_table() -> None:
    documented = {row.target for row in ROWS}
    registered = set(huey_schedules())
    installed = {path.name for path in SYSTEMD.glob("*.timer")}
    assert registered - documented == set(), "huey periodic tasks missing from docs/deploy.md"
    assert installed - documented == set(), "systemd timers missing from docs/deploy.md"


def test_the_deployment_guide_enables_every_timer() -> None:
    enabled = " ".join(
        line for line in GUIDE.read_text().splitlines() if line.startswith("systemctl enable --now")
    )
    for row in ROWS:
        if row.mechanism == "timer":
            assert row.target.replace("@.", "@QNM.") in enabled, row.target


def test_the_scanner_reads_a_table_and_refuses_a_malformed_one() -> None:
    text = (
        "\n## Scheduled jobs\n\n| " + " | ".join(COLUMNS) + " |\n|---|---|---|---|---|\n"
        "| `a` | does a | daily 06:05 | huey `x.tasks.a` | retried |\n"
        "| `b` | does b | every 15 minutes | timer `danhgia-b.timer` | fails |\n\n## Next\n"
    )
    assert schedule_table(text) == [
        Row("a", "daily 06:05", "huey", "x.tasks.a"),
        Row("b", "every 15 minutes", "timer", "danhgia-b.timer"),
    ]
    assert minutes_of_day("daily 06:05") == {365}
    assert on_calendar("every 15 minutes") == "*:0/15"
    with pytest.raises(AssertionError):
        schedule_table(text.replace("huey `x.tasks.a`", "by hand"))
    with pytest.raises(AssertionError):
        minutes_of_day("at night")


# The nightly audit jobs (issue 15): anchor, then the state check, then the backup.


def _time(timer: str) -> str:
    return _unit(timer)["Timer"]["OnCalendar"].split()[1]


def test_the_anchor_and_the_state_check_run_before_the_backup() -> None:
    anchor, state = _time("danhgia-anchor.timer"), _time("danhgia-verify-state.timer")
    assert anchor < state < _time("danhgia-backup.timer")
    assert "danhgia-anchor.service" in _unit("danhgia-verify-state.service")["Unit"]["After"]
    for name in ("danhgia-anchor.service", "danhgia-verify-state.service"):
        assert _unit(name)["Unit"]["Before"] == "danhgia-backup.service"


def test_the_anchor_commands_live_where_the_layers_put_them() -> None:
    assert get_commands()["anchor_audit_log"] == "danhgia.core"
    assert get_commands()["verify_state"] == "danhgia.reports.dashboards"
    env = (ROOT / "deploy" / "danhgia.env.example").read_text()
    assert "\nAUDIT_ANCHOR_KEY_FILE=/etc/danhgia/" in env


# The services that run all the time (issue 15: the audit chainer beside the huey worker).


def _services_without_timer() -> set[str]:
    timers = {path.name.removesuffix(".timer") for path in SYSTEMD.glob("*.timer")}
    return {
        path.name
        for path in SYSTEMD.glob("*.service")
        if path.name.removesuffix(".service") not in timers
    }


def test_every_long_running_service_is_documented_and_enabled() -> None:
    text = GUIDE.read_text()
    files = text.split("\n## What runs where\n", 1)[1].split("\n## ", 1)[0]
    enabled = " ".join(
        line for line in text.splitlines() if line.startswith("systemctl enable --now")
    )
    services = _services_without_timer()
    assert {
        "danhgia.service",
        "danhgia-worker.service",
        "danhgia-audit-chainer.service",
    } <= services
    for name in services:
        assert f"| `deploy/systemd/{name}` |" in files, name
        assert name in enabled, name
        unit = _unit(name)
        assert unit["Service"]["EnvironmentFile"] == "/etc/danhgia/danhgia.env"
        assert unit["Service"]["Restart"] == "always"
        assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_audit_chainer_runs_its_command_in_production_mode() -> None:
    service = _unit("danhgia-audit-chainer.service")
    assert service["Service"]["ExecStart"].endswith("manage.py run_audit_chainer")
    assert "postgresql.service" in service["Unit"]["After"]
    assert get_commands()["run_audit_chainer"] == "danhgia.core"
    env = (ROOT / "deploy" / "danhgia.env.example").read_text()
    assert "\nDANHGIA_AUDIT_CHAINER=process\n" in env
    guide = GUIDE.read_text()
    assert "| `DANHGIA_AUDIT_CHAINER` | `inline`" in guide  # the variable, with its default
    assert settings.AUDIT_CHAINER == "inline"  # tests, development and the demo chain inline


@pytest.mark.parametrize(("value", "expected"), [(None, "inline"), ("process", "process")])
def test_the_chainer_setting_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str
) -> None:
    if value is None:
        monkeypatch.delenv("DANHGIA_AUDIT_CHAINER", raising=False)
    else:
        monkeypatch.setenv("DANHGIA_AUDIT_CHAINER", value)
    loaded = runpy.run_path(str(ROOT / "config" / "settings.py"), run_name="settings_under_test")
    assert loaded["AUDIT_CHAINER"] == expected


def test_an_unknown_chainer_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANHGIA_AUDIT_CHAINER", "thread")
    with pytest.raises(RuntimeError, match="DANHGIA_AUDIT_CHAINER"):
        runpy.run_path(str(ROOT / "config" / "settings.py"), run_name="settings_under_test")
