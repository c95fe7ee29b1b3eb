"""The capacity bench's own logic (bench/load/capacity.py), without running it: where each side is
pinned, how the CPU of gunicorn's process group is read, what passes, and how the arrival rate is
searched. The bench itself runs for many minutes and is not part of CI."""

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("load_capacity", REPO / "bench/load/capacity.py")
assert _spec is not None and _spec.loader is not None
capacity: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(capacity)


def step(rate: float, **changes: Any) -> Any:
    passing = {
        "rate": rate,
        "people": 500,
        "finished": 500,
        "gave_up": 0,
        "duration": 500 / rate,
        "requests": 5000,
        "p50": 100.0,
        "p95": 400.0,
        "p99": 900.0,
        "errors": 0,
        "lost": 0,
        "doubled": 0,
        "unlogged": 0,
        "server_share": 0.5,
        "server_peak": 0.7,
        "locust_share": 0.1,
        "database_share": 0.1,
        "core_busy": 0.6,
        "machine_busy": 0.4,
        "load_before": "0.50 0.40 0.30",
        "load_after": "1.00 0.60 0.40",
        "capped": False,
        "out": "/tmp/x",
    }
    return capacity.Step(**{**passing, **changes})


def options(**changes: Any) -> argparse.Namespace:
    defaults = {"rates": None, "start": 1.0, "factor": 2.0, "bisect": 1, "max_steps": 6}
    return argparse.Namespace(**{**defaults, "p95": 500.0, **changes})


def test_the_server_and_locust_get_a_core_each_when_there_are_two() -> None:
    pins = capacity.pinning(cores=[0, 1], taskset="/usr/bin/taskset")
    assert pins.server == ("/usr/bin/taskset", "-c", "0")
    assert pins.locust == ("/usr/bin/taskset", "-c", "1")


def test_nothing_is_pinned_on_one_core_or_without_taskset_and_the_note_says_so() -> None:
    one_core = capacity.pinning(cores=[0], taskset="/usr/bin/taskset")
    no_taskset = capacity.pinning(cores=[0, 1], taskset=None)
    assert (one_core.server, one_core.locust) == ((), ())
    assert one_core.note.startswith("NOT pinned: one core")
    assert (no_taskset.server, no_taskset.locust) == ((), ())
    assert no_taskset.note.startswith("NOT pinned: taskset is missing")


def test_a_process_groups_cpu_counts_its_members_and_its_reaped_children() -> None:
    # A group leader that burns CPU in a child it reaps, then in itself, then sleeps.
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    script = (
        "import subprocess, sys, time\n"
        f"subprocess.run([sys.executable, '-c', {burn!r}])\n"
        f"exec({burn!r})\n"
        "time.sleep(30)\n"
    )
    leader = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.time() + 20
        while capacity.group_cpu(leader.pid) < 0.6 and time.time() < deadline:
            time.sleep(0.05)
        measured = capacity.group_cpu(leader.pid)
    finally:
        leader.kill()
        leader.wait()
    assert 0.6 <= measured < 3.0
    assert capacity.group_cpu(leader.pid) == 0.0  # gone: nothing left in its group


def test_a_step_passes_only_in_time_and_with_nothing_lost_doubled_or_failed() -> None:
    assert step(1.0).passed(500.0)
    assert not step(1.0, p95=510.0).passed(500.0)
    assert not step(1.0, errors=1).passed(500.0)
    assert not step(1.0, lost=1).passed(500.0)
    assert not step(1.0, doubled=1).passed(500.0)
    assert not step(1.0, unlogged=1).passed(500.0)
    assert not step(1.0, gave_up=1, finished=499).passed(500.0)
    assert not step(1.0, capped=True).passed(500.0)
    assert not step(1.0, p95=None).passed(500.0)


def test_the_search_goes_up_while_steps_pass_then_bisects_once() -> None:
    args = options()
    assert capacity.next_rate([], args) == 1.0
    assert capacity.next_rate([step(1.0)], args) == 2.0
    tried = [step(1.0), step(2.0), step(4.0, p95=900.0)]
    assert capacity.next_rate(tried, args) == 3.0
    assert capacity.next_rate([*tried, step(3.0)], args) is None
    assert capacity.best_rate([*tried, step(3.0)], 500.0) == 3.0


def test_the_search_goes_down_when_the_first_step_fails() -> None:
    args = options()
    assert capacity.next_rate([step(1.0, p95=900.0)], args) == 0.5
    tried = [step(1.0, p95=900.0), step(0.5)]
    assert capacity.next_rate(tried, args) == 0.75


def test_given_rates_are_run_as_given_and_a_pass_above_a_failure_does_not_count() -> None:
    args = options(rates=[1.0, 2.0, 3.0])
    assert capacity.next_rate([step(1.0)], args) == 2.0
    noisy = [step(1.0), step(2.0, errors=3), step(3.0)]
    assert capacity.next_rate(noisy, args) is None
    assert capacity.best_rate(noisy, 500.0) == 1.0


def test_the_report_gives_the_people_an_hour_at_the_best_rate() -> None:
    steps = [
        step(1.0, server_share=0.4),
        step(2.0, server_share=0.8),
        step(3.0, server_share=1.0, p95=2000.0),
    ]
    pins = capacity.pinning(cores=[0, 1], taskset="/usr/bin/taskset")
    text = capacity.report(steps, options(people=500, workers=3), pins, 600.0)
    assert "One core sustains 2 people a second with p95 <= 500 ms: 7,200 people an hour" in text
    assert "(the server used 80% of its core" in text
    # 500 people a step: 0.4 core-seconds a person at 1/s and 2/s, 0.33 at 3/s; the median 0.4.
    assert "spent 0.40 core-seconds a person" in text
    assert "would serve 9,000 people an hour at any latency" in text
    rows = [line.split() for line in text.splitlines() if line.lstrip()[:1].isdigit()]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert [row[-1] for row in rows] == ["pass", "pass", "FAIL"]


def test_the_seeded_province_has_at_most_the_people_asked_for() -> None:
    # 450 staff in 45 divisions under 5 departments: 500 logins in the scenario.
    assert capacity.people_to_staff(500, 10, 10) == 450
    staff = capacity.people_to_staff(60, 10, 10)
    divisions = -(-staff // 10)
    assert staff + divisions + -(-divisions // 10) <= 60
