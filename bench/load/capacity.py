"""How many people one core serves at month end: the month-end scenario (bench/load/locustfile.py)
with gunicorn pinned to one core and locust to another, stepped up in arrival rate until the
server no longer answers in time.

    .venv/bin/python bench/load/capacity.py                      # 500 people, rates found
    .venv/bin/python bench/load/capacity.py --rates 0.5,1,1.5    # these rates only
    .venv/bin/python bench/load/capacity.py --people 100 --start 1 --max-steps 2   # quick

Each step:
1. copies the template (seeded here once: `--people` logins, staff with their managers and
   heads, by bench/load/seed.py) into a fresh database, so each step starts from the same
   open month;
2. starts gunicorn as month_end.py does (deploy/gunicorn.conf.py, sync workers) under
   `taskset -c <core 0>`, and locust under `taskset -c <core 1>`; on a machine with one core,
   or without taskset, nothing is pinned and the table says so (server and generator then share
   the cores, and the figures measure both);
3. lets everyone arrive at `rate` people a second (locust's spawn rate) and do their part once;
4. reads the CPU time (utime + stime, /proc/<pid>/stat) of gunicorn's process group (the master,
   its workers, and the workers it reaped) and of locust over the step's wall time: their
   *CPU share* of the one core each may use; also the PostgreSQL backends of the step's database
   (PostgreSQL is not pinned: it runs on either core, beside one of them);
5. checks the database as month_end.py does: every acknowledged submission, review and decision
   is there once with its audit row (lost, doubled).

A step passes when the p95 of all requests is <= `--p95` ms (500), no user met an error or gave
up, and nothing was lost, doubled or left without its audit row. The search starts at `--start`
people a second and multiplies by `--factor` while steps pass, then bisects `--bisect` times
between the last pass and the first failure (or runs exactly `--rates`). It prints one row per
step and the people per hour one core sustains: the highest passing rate × 3,600. Exit status 1
when any step lost or doubled a write. Logs and raw figures: `--out` (var/load/capacity-<time>/).

A bench, not a test: a step of 500 people lasts 500 / rate seconds and more (about 10 minutes at
one person a second). tests/deploy/test_month_end.py keeps the CI run small.
"""

import argparse
import datetime
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import database  # noqa: E402
import month_end  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
PEAK_WINDOW = 30.0  # seconds: the busiest such window of the server is reported too


# Where each side runs.


@dataclass(frozen=True)
class Pinning:
    server: tuple[str, ...]
    locust: tuple[str, ...]
    note: str
    server_core: int = 0


def pinning(cores: list[int] | None = None, taskset: str | None = "") -> Pinning:
    """gunicorn on the first core this process may use, locust on the second; nothing pinned
    (with the reason) when there is one core or no taskset."""
    cores = sorted(os.sched_getaffinity(0)) if cores is None else cores
    taskset = shutil.which("taskset") if taskset == "" else taskset
    if taskset is None:
        return Pinning((), (), "NOT pinned: taskset is missing; server and locust share the cores")
    if len(cores) < 2:
        return Pinning((), (), "NOT pinned: one core; server and locust share it")
    server, locust = cores[0], cores[1]
    return Pinning(
        (taskset, "-c", str(server)),
        (taskset, "-c", str(locust)),
        f"gunicorn on core {server}, locust on core {locust} (taskset)",
        server,
    )


# CPU time from /proc.


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def group_cpu(leader: int) -> float:
    """CPU seconds (user + system) of the process group led by `leader` (gunicorn's master, in
    its own session): every live member, plus the members the leader has reaped (its cutime and
    cstime: workers replaced after max_requests)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None or int(fields[2]) != leader:  # fields[2]: the process group
            continue
        total += int(fields[11]) + int(fields[12])
        if int(entry.name) == leader:
            total += int(fields[13]) + int(fields[14])
    return total / TICK


def backends_cpu(server: database.Server, name: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to database `name` (the server must be
    on this machine for /proc to see them; else empty)."""
    with server.connect() as connection:
        pids = [
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchall()
        ]
    return {pid: month_end.process_cpu(pid) for pid in pids if _stat(pid) is not None}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def core_cpu(core: int) -> tuple[int, int]:
    """(busy, total) clock ticks of one core since boot, from /proc/stat's `cpu<core>` line."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{core} "):
            fields = [int(x) for x in line.split()[1:]]
            idle = fields[3] + fields[4]  # idle + iowait
            return sum(fields) - idle, sum(fields)
    return 0, 0


class Sampler:
    """Samples every second the CPU seconds of the server's process group, of locust and of
    each PostgreSQL backend of the step's database (a backend's last reading is kept after it
    ends), for the step's shares and the server's busiest window."""

    def __init__(self, leader: int, locust: int, backends: Any) -> None:
        self.leader, self.locust, self.backends = leader, locust, backends
        self.samples: list[tuple[float, float, float]] = []
        self.backend_first: dict[int, float] = {}  # pid -> CPU seconds when first seen
        self.backend_last: dict[int, float] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[float, float, float]:
        point = (time.time(), group_cpu(self.leader), month_end.process_cpu(self.locust))
        self.samples.append(point)
        first = not self.backend_first and not self.backend_last
        for pid, cpu in self.backends().items():
            # A backend opened during the step counts from zero; one open before, from now.
            self.backend_first.setdefault(pid, cpu if first else 0.0)
            self.backend_last[pid] = max(cpu, self.backend_last.get(pid, 0.0))
        return point

    def _run(self) -> None:
        while not self.stopped.wait(1.0):
            self.sample()

    def start(self) -> tuple[float, float, float]:
        first = self.sample()
        self.thread.start()
        return first

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sample()

    def database_seconds(self) -> float:
        return sum(cpu - self.backend_first[pid] for pid, cpu in self.backend_last.items())

    def locust_seconds(self) -> float:
        """Locust's CPU is readable only while it runs: its largest reading."""
        return max(sample[2] for sample in self.samples)

    def peak_server_share(self) -> float:
        best = 0.0
        for i, (began, cpu, _) in enumerate(self.samples):
            for later, later_cpu, _ in self.samples[i + 1 :]:
                if later - began >= PEAK_WINDOW:
                    best = max(best, (later_cpu - cpu) / (later - began))
                    break
        return best


# One step.


@dataclass
class Step:
    rate: float
    people: int
    finished: int
    gave_up: int
    duration: float
    requests: int
    p50: float | None
    p95: float | None
    p99: float | None
    errors: int
    lost: int
    doubled: int
    unlogged: int
    server_share: float
    server_peak: float
    locust_share: float
    database_share: float
    core_busy: float  # the server's core, whoever used it (other processes too)
    machine_busy: float
    load_before: str
    load_after: str
    capped: bool
    out: str

    @property
    def server_seconds_a_person(self) -> float:
        return self.server_share * self.duration / self.people

    def passed(self, p95_limit: float) -> bool:
        return (
            self.p95 is not None
            and self.p95 <= p95_limit
            and self.errors == 0
            and self.gave_up == 0
            and self.lost == 0
            and self.doubled == 0
            and self.unlogged == 0
            and not self.capped
            and self.finished == self.people
        )


def errors_of(summary: dict[str, Any]) -> int:
    """Every error users met (connection, timeout, 4xx, 5xx: each attempt) and every person
    who found no sheet or no unit to act on."""
    missing = sum(1 for e in summary["unexpected"] if e["kind"] in {"no sheet", "no unit"})
    return len(summary["events"]) + missing


def run_step(args: argparse.Namespace, pins: Pinning, rate: float, out: Path) -> Step:
    server = database.server_from_environment()
    out.mkdir(parents=True, exist_ok=True)
    database.create(server, args.database, template=args.template)
    crowd = month_end.people(server, args.database, None)
    users_file = out / "users.json"
    users_file.write_text(json.dumps(crowd), encoding="utf-8")
    everyone = len(crowd["staff"]) + len(crowd["managers"]) + len(crowd["heads"])
    app = month_end.AppServer(
        database_url=server.url(args.database),
        port=month_end.free_port(),
        workers=args.workers,
        log=out / "gunicorn.log",
        var_dir=out / "var",
        pin=pins.server,
    )
    environment = month_end.locust_environment(args, out, users_file)
    run_time = math.ceil(everyone / rate + args.tail)
    load_before = load_average()
    app.start()
    try:
        app.wait_answering()
        assert app.process is not None
        with (out / "locust.log").open("w") as log:
            locust = subprocess.Popen(  # noqa: S603
                [
                    *pins.locust,
                    str(Path(sys.executable).parent / "locust"),
                    *["-f", str(HERE / "locustfile.py"), "--headless"],
                    *["--users", str(everyone), "--spawn-rate", str(rate)],
                    *["--host", app.url, "--run-time", f"{run_time}s", "--stop-timeout", "10"],
                    *["--only-summary", "--loglevel", "WARNING"],
                ],
                cwd=REPO,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            sampler = Sampler(
                app.process.pid, locust.pid, lambda: backends_cpu(server, args.database)
            )
            began, server_before, _ = sampler.start()  # gunicorn's boot is left out
            machine_before = month_end.machine_cpu()
            core_before = core_cpu(pins.server_core)
            while locust.poll() is None:
                time.sleep(0.5)
            ended = time.time()
            server_after = group_cpu(app.process.pid)
            sampler.stop()
            machine_after = month_end.machine_cpu()
            core_after = core_cpu(pins.server_core)
    finally:
        app.stop()
    summary_path = out / "summary.json"
    if not summary_path.exists():
        raise SystemExit(f"locust wrote no summary: see {out / 'locust.log'}")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    acks = [json.loads(line) for line in (out / "acks.jsonl").read_text().splitlines() if line]
    check = month_end.check_database(server, args.database, acks)
    database.drop(server, args.database)
    wall = max(ended - began, 1e-9)
    total = summary["total"]
    step = Step(
        rate=rate,
        people=everyone,
        finished=summary["finished"],
        gave_up=len(summary["gave_up"]),
        duration=wall,
        requests=total.get("requests", 0),
        p50=total.get("p50"),
        p95=total.get("p95"),
        p99=total.get("p99"),
        errors=errors_of(summary),
        lost=sum(check.lost.values()),
        doubled=sum(check.duplicated.values()),
        unlogged=sum(check.unlogged.values()),
        server_share=(server_after - server_before) / wall,
        server_peak=sampler.peak_server_share(),
        locust_share=sampler.locust_seconds() / wall,
        database_share=sampler.database_seconds() / wall,
        core_busy=(core_after[0] - core_before[0]) / max(core_after[1] - core_before[1], 1),
        machine_busy=(machine_after[0] - machine_before[0])
        / max(machine_after[1] - machine_before[1], 1),
        load_before=load_before,
        load_after=load_average(),
        capped=summary["duration"] >= run_time - 1 and summary["finished"] < everyone,
        out=str(out),
    )
    (out / "step.json").write_text(json.dumps(asdict(step), indent=1), encoding="utf-8")
    return step


# The search.


def next_rate(steps: list[Step], args: argparse.Namespace) -> float | None:
    """The next arrival rate to try, or None when the search is over: up by `factor` while
    every step passes, then halfway between the highest pass and the lowest failure above it,
    `bisect` times."""
    if args.rates:
        tried = {step.rate for step in steps}
        remaining = [rate for rate in args.rates if rate not in tried]
        return remaining[0] if remaining else None
    if len(steps) >= args.max_steps:
        return None
    if not steps:
        return float(args.start)
    passed = [s.rate for s in steps if s.passed(args.p95)]
    failed = [s.rate for s in steps if not s.passed(args.p95)]
    if not failed:
        return round(max(passed) * args.factor, 3)
    low = max((r for r in passed if r < min(failed)), default=0.0)
    if low == 0.0:  # the first step failed: go down
        return round(min(failed) / args.factor, 3) if min(failed) > 0.05 else None
    if sum(1 for k in range(len(steps)) if _bracketed(steps[:k], args.p95)) >= args.bisect:
        return None
    return round((low + min(r for r in failed if r > low)) / 2, 3)


def _bracketed(steps: list[Step], p95_limit: float) -> bool:
    """Whether some passing rate lies below some failing one: the next step bisects."""
    failed = [s.rate for s in steps if not s.passed(p95_limit)]
    return any(s.passed(p95_limit) and s.rate < max(failed) for s in steps) if failed else False


def best_rate(steps: list[Step], p95_limit: float) -> float | None:
    """The highest passing rate below every failing one (a pass above a failure is noise)."""
    failures = [s.rate for s in steps if not s.passed(p95_limit)]
    ceiling = min(failures, default=math.inf)
    return max((s.rate for s in steps if s.passed(p95_limit) and s.rate < ceiling), default=None)


# The output.


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


COLUMNS = (
    "rate/s",
    "p50 ms",
    "p95 ms",
    "errors",
    "lost",
    "doubled",
    "server CPU",
    "(peak 30 s)",
    "core-s/person",
    "locust CPU",
    "PG CPU",
    "server's core busy",
    "machine",
    "load avg before→after",
    "s",
    "result",
)


def table(steps: list[Step], p95_limit: float) -> list[str]:
    rows = [COLUMNS]
    for s in sorted(steps, key=lambda step: step.rate):
        result = "pass" if s.passed(p95_limit) else "FAIL"
        if s.capped or s.finished < s.people:
            result += f" ({s.finished}/{s.people} finished)"
        rows.append(
            (
                f"{s.rate:g}",
                _ms(s.p50),
                _ms(s.p95),
                str(s.errors),
                str(s.lost),
                str(s.doubled + s.unlogged),
                f"{s.server_share:.0%}",
                f"{s.server_peak:.0%}",
                f"{s.server_seconds_a_person:.2f}",
                f"{s.locust_share:.0%}",
                f"{s.database_share:.0%}",
                f"{s.core_busy:.0%}",
                f"{s.machine_busy:.0%}",
                f"{s.load_before.split()[0]}→{s.load_after.split()[0]}",
                f"{s.duration:.0f}",
                result,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def report(steps: list[Step], args: argparse.Namespace, pins: Pinning, seconds: float) -> str:
    best = best_rate(steps, args.p95)
    lines = [
        f"Month-end capacity ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC), "
        f"{steps[0].people if steps else args.people} people a step, {args.workers} gunicorn "
        f"sync workers; {pins.note}; {os.cpu_count()} cores; pass: p95 <= {args.p95:g} ms, "
        f"no error, nothing lost or doubled; {seconds / 60:.0f} min",
        "CPU columns: share of one core over the step (gunicorn's process group, its peak 30 s "
        "and its CPU seconds per simulated person; locust; the PostgreSQL backends of the step, "
        "not pinned); the server's core busy, by anyone (other work on the machine too); the "
        "machine: both cores busy, by anyone",
        *table(steps, args.p95),
    ]
    if best is None:
        lines.append("No rate passed: one core sustains less than the lowest rate tried.")
    else:
        at = next(s for s in steps if s.rate == best)
        lines.append(
            f"One core sustains {best:g} people a second with p95 <= {args.p95:g} ms: "
            f"{best * 3600:,.0f} people an hour (the server used {at.server_share:.0%} of its "
            f"core at that rate, {at.server_peak:.0%} in its busiest {PEAK_WINDOW:.0f} s)."
        )
    if steps:
        cost = statistics.median(s.server_seconds_a_person for s in steps)
        lines.append(
            f"CPU ceiling: the server spent {cost:.2f} core-seconds a person (median of the "
            f"steps), so one core fully busy would serve {3600 / cost:,.0f} people an hour "
            "at any latency."
        )
    return "\n".join(lines)


def people_to_staff(people: int, per_division: int, divisions: int) -> int:
    """The staff count whose seeded province has `people` logins in the scenario (staff, a
    manager per division, a head per department), or just below."""
    staff = people
    while staff > 1:
        division_count = math.ceil(staff / per_division)
        if staff + division_count + math.ceil(division_count / divisions) <= people:
            return staff
        staff -= 1
    return 1


def seed_template(args: argparse.Namespace) -> None:
    server = database.server_from_environment()
    if database.exists(server, args.template) and not args.reseed:
        return
    staff = people_to_staff(args.people, 10, 10)
    subprocess.run(  # noqa: S603
        [sys.executable, str(HERE / "seed.py"), "--users", str(staff)]
        + ["--database", args.template],
        cwd=REPO,
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500, help="simulated people a step")
    parser.add_argument("--template", default="danhgia_load_capacity_template")
    parser.add_argument("--database", default="danhgia_load_capacity")
    parser.add_argument("--reseed", action="store_true", help="seed the template again")
    parser.add_argument("--workers", type=int, default=3, help="2 × 1 core + 1 (deploy's rule)")
    parser.add_argument("--p95", type=float, default=500.0, help="ms, all requests")
    parser.add_argument("--rates", type=lambda text: [float(r) for r in text.split(",")])
    parser.add_argument("--start", type=float, default=1.0, help="people a second, first step")
    parser.add_argument("--factor", type=float, default=1.5)
    parser.add_argument("--bisect", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=6)
    parser.add_argument("--double-share", type=float, default=0.05)
    parser.add_argument("--think", default="1,3", help="seconds between two steps: low,high")
    parser.add_argument("--poll", default="10,20", help="seconds between two looks: low,high")
    parser.add_argument("--patience", type=float, default=600.0, help="as month_end.py")
    parser.add_argument("--tail", type=float, default=300.0, help="s after the last arrival")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    database.check_name(args.template)
    database.check_name(args.database)
    seed_template(args)
    pins = pinning()
    print(pins.note, flush=True)
    out = Path(
        args.out or REPO / "var" / "load" / f"capacity-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    )
    began = time.time()
    steps: list[Step] = []
    while (rate := next_rate(steps, args)) is not None:
        print(f"step at {rate:g} people a second, load average {load_average()}", flush=True)
        steps.append(run_step(args, pins, rate, out / f"rate-{rate:g}"))
        print(table(steps[-1:], args.p95)[-1], flush=True)
    text = report(steps, args, pins, time.time() - began)
    (out / "capacity.txt").write_text(text + "\n", encoding="utf-8")
    print("\n" + text + f"\nlogs and raw figures: {out}")
    return 1 if any(s.lost or s.doubled or s.unlogged for s in steps) else 0


if __name__ == "__main__":
    sys.exit(main())
