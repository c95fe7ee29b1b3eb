"""Issue 15: the audit log is anchored every night, before the backup, by a systemd timer
(docs/deploy.md, "Audit anchors"), and the command the unit runs exists."""

import configparser
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "deploy" / "systemd"


def _unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def test_the_anchor_timer_runs_daily_before_the_backup() -> None:
    anchor = _unit("danhgia-anchor.timer")["Timer"]["OnCalendar"]
    backup = _unit("danhgia-backup.timer")["Timer"]["OnCalendar"]
    assert anchor.startswith("*-*-* ") and backup.startswith("*-*-* ")
    assert anchor.split()[1] < backup.split()[1]  # HH:MM:SS, same time zone
    assert anchor.split()[2] == backup.split()[2] == "Asia/Ho_Chi_Minh"
    assert _unit("danhgia-anchor.timer")["Timer"]["Persistent"] == "true"
    assert _unit("danhgia-anchor.timer")["Install"]["WantedBy"] == "timers.target"


def test_the_anchor_service_runs_the_command_with_the_environment() -> None:
    service = _unit("danhgia-anchor.service")["Service"]
    assert service["ExecStart"].split()[1:] == ["manage.py", "anchor_audit_log"]
    assert service["EnvironmentFile"] == "/etc/danhgia/danhgia.env"
    assert get_commands()["anchor_audit_log"] == "danhgia.core"
    env = (ROOT / "deploy" / "danhgia.env.example").read_text()
    assert "\nAUDIT_ANCHOR_KEY_FILE=/etc/danhgia/" in env


def test_the_deployment_guide_enables_the_timer() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert any(
        line.startswith("systemctl enable --now") and "danhgia-anchor.timer" in line
        for line in guide.splitlines()
    )


def test_the_state_check_runs_nightly_after_the_anchor_and_before_the_backup() -> None:
    timer = _unit("danhgia-verify-state.timer")["Timer"]
    anchor = _unit("danhgia-anchor.timer")["Timer"]["OnCalendar"].split()
    backup = _unit("danhgia-backup.timer")["Timer"]["OnCalendar"].split()
    when = timer["OnCalendar"].split()
    assert when[0] == "*-*-*" and anchor[1] < when[1] < backup[1]
    assert when[2] == "Asia/Ho_Chi_Minh" and timer["Persistent"] == "true"
    service = _unit("danhgia-verify-state.service")["Service"]
    assert service["ExecStart"].split()[1:] == ["manage.py", "verify_state"]
    assert service["EnvironmentFile"] == "/etc/danhgia/danhgia.env"
    assert get_commands()["verify_state"] == "danhgia.reports.dashboards"
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert any(
        line.startswith("systemctl enable --now") and "danhgia-verify-state.timer" in line
        for line in guide.splitlines()
    )
