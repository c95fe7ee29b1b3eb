"""The month-end load test, with faults: gunicorn on a fresh copy of the seeded province,
locust playing everyone, and optionally the application server killed or the database cut.

    .venv/bin/python bench/load/seed.py                    # once: danhgia_load_template
    .venv/bin/python bench/load/month_end.py               # everyone, no fault
    .venv/bin/python bench/load/month_end.py --kill-at 60 --cut-db-at 120 --cut-for 5

What it does:
1. copies the template into a fresh database (`danhgia_load` by default; names must contain
   "load"), so every run starts from the same open month;
2. starts a small TCP proxy (asyncio, in this process) between the application and
   PostgreSQL, so the database can be cut: `--cut-db-at S --cut-for 5` drops every
   connection through it at second S and refuses new ones for 5 seconds;
3. starts gunicorn with deploy/gunicorn.conf.py and `--workers` sync workers (4) in its own
   process group, on that database through the proxy; `--kill-at S` SIGKILLs the whole group
   at second S and starts it again about 2 seconds later;
4. runs `locust --headless` (bench/load/locustfile.py) with everyone seeded (staff, managers,
   heads) or `--users N`, until every simulated person has done their part;
5. prints one table: throughput, latency percentiles, what users met (failures, retries),
   acknowledged writes, and the database check: every acknowledged submission's sheet is
   submitted or later with exactly one `sheet.self_submitted` audit row, no sheet has two
   such rows, and likewise for reviews (`sheet.reviewed`) and decisions (`sheet.decided`).

Exit status 1 on any lost or duplicated write, a write without its audit row, or a server
error other than the 503 answers during the cut and the connection errors during the kill
(each window extended by `GRACE` seconds); timeouts (60 s) are counted and retried but are
slowness, not errors. Logs (gunicorn, locust) and the raw figures go to
`--out` (var/load/<time>/). The seconds of the faults count from locust's start.
"""

import argparse
import asyncio
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import database  # noqa: E402
import seed  # noqa: E402

GRACE = 5.0  # seconds after a fault during which its errors are still expected
RESTART_AFTER = 2.0
READY_TIMEOUT = 90.0


# The database proxy.


class DatabaseProxy:
    """Forwards 127.0.0.1:<port> to the PostgreSQL server; `cut` breaks it for a while."""

    def __init__(self, upstream: database.Server) -> None:
        self.upstream = upstream
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.connections: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self.server: asyncio.base_events.Server | None = None
        self.accepted = 0
        self.restoring: asyncio.Future | None = None
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self._call(self._listen())

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        self.accepted += 1
        try:
            up_reader, upstream = await asyncio.open_connection(
                self.upstream.host, self.upstream.port
            )
        except OSError:
            client.transport.abort()
            return
        pair = (client, upstream)
        self.connections.add(pair)
        try:
            await asyncio.gather(self._pipe(client_reader, upstream), self._pipe(up_reader, client))
        finally:
            self.connections.discard(pair)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()

    async def _cut(self) -> int:
        assert self.server is not None
        self.server.close()
        pairs = list(self.connections)
        for client, upstream in pairs:
            client.transport.abort()
            upstream.transport.abort()
        return len(pairs)

    async def _cut_for(self, seconds: float) -> int:
        dropped = await self._cut()

        async def restore() -> None:
            await asyncio.sleep(seconds)
            await self._listen()

        self.restoring = asyncio.ensure_future(restore())
        return dropped

    def cut(self, seconds: float) -> int:
        """Drop every connection and refuse new ones for `seconds` (in the background);
        return how many connections were dropped."""
        return int(self._call(self._cut_for(seconds)))

    async def _stop(self) -> None:
        if self.restoring is not None:
            self.restoring.cancel()
        await self._cut()

    def stop(self) -> None:
        self._call(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)


# The application server.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class AppServer:
    database_url: str
    port: int
    workers: int
    log: Path
    var_dir: Path
    process: subprocess.Popen | None = None
    answered: float = 0.0
    pin: tuple[str, ...] = ()  # a command prefix, e.g. ("taskset", "-c", "0"): its cores

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST", "REDIS_", "GUNICORN_"))
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=self.database_url,
            DANHGIA_VAR_DIR=str(self.var_dir),
            DEBUG="0",
            SECRET_KEY="month-end-load-test-" + "k" * 50,
            ALLOWED_HOSTS="127.0.0.1",
            AXES_ENABLED="0",
            PYTHONUNBUFFERED="1",
        )
        return environment

    def start(self) -> float:
        """Start gunicorn; return when it listens (requests then wait in its backlog
        instead of failing). `answered` is set when it first answers a page."""
        self.answered = 0.0
        with self.log.open("a") as log:
            log.write(f"\n=== start {datetime.datetime.now():%H:%M:%S}\n")
            log.flush()
            self.process = subprocess.Popen(  # noqa: S603
                [
                    *self.pin,  # taskset execs gunicorn: the same pid, the same group
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "deploy/gunicorn.conf.py",
                    "config.wsgi:application",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--log-level",
                    "warning",
                ],
                cwd=REPO,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killed as a whole
            )
        listening = self._wait(self._listens)
        threading.Thread(target=self._note_first_answer, daemon=True).start()
        return listening

    def _wait(self, ready: Any) -> float:
        deadline = time.time() + READY_TIMEOUT
        while time.time() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}): see {self.log}")
            if ready():
                return time.time()
            time.sleep(0.05)
        raise SystemExit(f"gunicorn did not start within {READY_TIMEOUT:.0f} s: see {self.log}")

    def _listens(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/tai-khoan/dang-nhap/", timeout=120) as r:  # noqa: S310
                return bool(r.status == 200)
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
            return False

    def _note_first_answer(self) -> None:
        process = self.process
        while process is self.process and process is not None and process.poll() is None:
            if self._answers():
                self.answered = time.time()
                return

    def wait_answering(self) -> None:
        self._wait(lambda: self.answered > 0)

    def kill(self) -> float:
        """SIGKILL the whole process group (master and workers); return when."""
        assert self.process is not None
        killed = time.time()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return killed

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# The people of the run, from the copied database.


def people(server: database.Server, name: str, limit: int | None) -> dict[str, Any]:
    """Staff (username), managers (username, their staff) and heads (username, their
    managers) for locust; with `limit`, every manager and head and the first staff up to it."""
    with server.connect(name) as connection:
        staff = connection.execute(
            "SELECT u.username, p.unit_id FROM organisations_person p "
            "JOIN accounts_user u ON u.id = p.user_id WHERE u.username LIKE %s ORDER BY 1",
            [seed.STAFF_PREFIX + "%"],
        ).fetchall()
        roles = connection.execute(
            "SELECT u.username, r.role, r.unit_id, un.path FROM organisations_unitrole r "
            "JOIN accounts_user u ON u.id = r.user_id "
            "JOIN organisations_unit un ON un.id = r.unit_id "
            "WHERE r.role IN ('manager', 'head') ORDER BY 1"
        ).fetchall()
    managers = [row for row in roles if row[1] == "manager"]
    heads = [row for row in roles if row[1] == "head"]
    if limit is not None:
        staff = staff[: max(limit - len(managers) - len(heads), 0)]
    return {
        "password": seed.PASSWORD,
        "staff": [username for username, _ in staff],
        "managers": [
            {"username": username, "staff": [s for s, unit in staff if unit == unit_id]}
            for username, _, unit_id, _ in managers
        ],
        "heads": [
            {
                "username": username,
                "managers": [m for m, _, _, m_path in managers if m_path.startswith(path)],
            }
            for username, _, _, path in heads
        ],
    }


# The database check.


@dataclass
class Check:
    acknowledged: Counter = field(default_factory=Counter)  # kind -> distinct sheets
    lost: Counter = field(default_factory=Counter)
    duplicated: Counter = field(default_factory=Counter)
    unlogged: Counter = field(default_factory=Counter)
    in_database: Counter = field(default_factory=Counter)

    @property
    def failed(self) -> bool:
        return bool(
            sum(self.lost.values()) + sum(self.duplicated.values()) + sum(self.unlogged.values())
        )


ACTIONS = {"submit": "sheet.self_submitted", "review": "sheet.reviewed", "decide": "sheet.decided"}
AFTER = {
    "submit": {"submitted", "reviewed", "decided"},
    "review": {"reviewed", "decided"},
    "decide": {"decided"},
}


def check_database(server: database.Server, name: str, acks: list[dict[str, Any]]) -> Check:
    with server.connect(name) as connection:
        statuses = dict(connection.execute("SELECT id, status FROM evaluations_sheet").fetchall())
        rows = connection.execute(
            "SELECT object_id::bigint, action, count(*) FROM core_auditlog "
            "WHERE object_type = 'evaluations.sheet' AND action = ANY(%s) GROUP BY 1, 2",
            [list(ACTIONS.values())],
        ).fetchall()
    logged: dict[str, Counter] = {action: Counter() for action in ACTIONS.values()}
    for sheet_id, action, count in rows:
        logged[action][sheet_id] = count
    check = Check()
    for kind, action in ACTIONS.items():
        sheets = {ack["sheet"] for ack in acks if ack["kind"] == kind}
        check.acknowledged[kind] = len(sheets)
        check.lost[kind] = sum(
            1 for s in sheets if statuses.get(s) not in AFTER[kind] or logged[action][s] == 0
        )
        check.duplicated[kind] = sum(1 for count in logged[action].values() if count > 1)
        check.in_database[kind] = sum(1 for s in statuses.values() if s in AFTER[kind])
        # Every sheet in the state has its audit row: the change and its log are one transaction.
        check.unlogged[kind] = sum(
            1 for s, status in statuses.items() if status in AFTER[kind] and logged[action][s] == 0
        )
    return check


def check_audit_chain(server: database.Server, name: str, app: Any) -> dict[str, Any]:
    """The audit chain after the run: rows still unchained (a worker killed between a COMMIT
    and its chaining leaves some; the verifier chains them), then `verify_audit_log`."""
    with server.connect(name) as connection:
        unchained = connection.execute(
            "SELECT count(*) FROM core_auditlog WHERE seq IS NULL"
        ).fetchone()[0]
    environment = app.environment()
    environment["DATABASE_URL"] = server.url(name)  # not through the cut-able proxy
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "verify_audit_log"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    with server.connect(name) as connection:
        rows, chained, last = connection.execute(
            "SELECT count(*), count(seq), coalesce(max(seq), 0) FROM core_auditlog"
        ).fetchone()
    return {
        "unchained_after_run": unchained,
        "rows": rows,
        "verified": done.returncode == 0 and rows == chained == last,
        "verifier": (done.stdout + done.stderr).strip()[-500:],
    }


# The run.


@dataclass
class Faults:
    kill: tuple[float, float] | None = None  # killed, listening again (epoch seconds)
    answered_after_kill: float = 0.0  # first page answered after the restart
    cut: tuple[float, float] | None = None  # cut, restored
    dropped: int = 0


def classify(events: list[dict[str, Any]], faults: Faults) -> tuple[Counter, list[dict[str, Any]]]:
    """Count the errors users met by kind; return the server errors no fault explains (a
    timeout is the server being slow, not failing: it is counted, and retried, but not here)."""
    seen: Counter = Counter(event["kind"] for event in events)
    unexplained = []
    for event in events:
        at, kind = event["time"], event["kind"]
        in_kill = faults.kill is not None and faults.kill[0] <= at <= faults.kill[1] + GRACE
        in_cut = faults.cut is not None and faults.cut[0] <= at <= faults.cut[1] + GRACE
        if kind in {"connection", "502"} and in_kill:
            continue
        if (kind == "503" and in_cut) or kind == "timeout":
            continue
        unexplained.append(event)
    return seen, unexplained


def machine_cpu() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (0 once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def contention() -> str:
    found = subprocess.run(  # noqa: S603
        ["pgrep", "-af", "bench/(province|suite)"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return "yes: " + found.splitlines()[0][:60] if found else "none"


def locust_environment(args: argparse.Namespace, out: Path, users_file: Path) -> dict[str, str]:
    """What the locustfile reads: the people, where to write, and the scenario's pace."""
    return {
        **os.environ,
        "LOAD_USERS": str(users_file),
        "LOAD_ACKS": str(out / "acks.jsonl"),
        "LOAD_SUMMARY": str(out / "summary.json"),
        "LOAD_DOUBLE_SHARE": str(args.double_share),
        "LOAD_THINK": args.think,
        "LOAD_PATIENCE": str(args.patience),
        "LOAD_POLL": args.poll,
    }


def run(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
    server = database.server_from_environment()
    database.check_name(args.database)
    if not database.exists(server, args.template):
        raise SystemExit(f"{args.template} does not exist: run bench/load/seed.py first.")
    out = Path(args.out or REPO / "var" / "load" / f"{datetime.datetime.now():%Y%m%d-%H%M%S}")
    out.mkdir(parents=True, exist_ok=True)
    database.create(server, args.database, template=args.template)
    crowd = people(server, args.database, args.users)
    users_file = out / "users.json"
    users_file.write_text(json.dumps(crowd), encoding="utf-8")
    everyone = len(crowd["staff"]) + len(crowd["managers"]) + len(crowd["heads"])
    before = contention()

    proxy = DatabaseProxy(server)
    app = AppServer(
        database_url=server.url(args.database, port=proxy.port),
        port=free_port(),
        workers=args.workers,
        log=out / "gunicorn.log",
        var_dir=out / "var",
    )
    faults = Faults()
    app.start()
    app.wait_answering()
    environment = locust_environment(args, out, users_file)
    with (out / "locust.log").open("w") as log:
        locust = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(everyone),
                "--spawn-rate",
                str(args.spawn_rate),
                "--host",
                app.url,
                "--run-time",
                f"{args.max_time}s",
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        began = time.time()
        machine_before = machine_cpu()
        try:
            faulting = _inject_faults(args, app, proxy, faults, began)
            locust_cpu = 0.0
            while locust.poll() is None:  # its CPU time, read while it still exists
                locust_cpu = process_cpu(locust.pid) or locust_cpu
                time.sleep(0.5)
            machine_after = machine_cpu()
            for thread in faulting:
                thread.join(timeout=READY_TIMEOUT)
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait()
            app.stop()
            proxy.stop()
    after = contention()
    summary_path = out / "summary.json"
    if not summary_path.exists():
        raise SystemExit(f"locust wrote no summary: see {out / 'locust.log'}")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    acks = [json.loads(line) for line in (out / "acks.jsonl").read_text().splitlines() if line]
    check = check_database(server, args.database, acks)
    chain = check_audit_chain(server, args.database, app)
    seen, unexplained = classify(summary["events"], faults)
    report = {
        "users": everyone,
        "workers": args.workers,
        "summary": summary,
        "faults": {"kill": faults.kill, "cut": faults.cut, "dropped": faults.dropped},
        "errors_seen": dict(seen),
        "unexplained_errors": unexplained,
        "acknowledged": dict(check.acknowledged),
        "lost": dict(check.lost),
        "duplicated": dict(check.duplicated),
        "unlogged": dict(check.unlogged),
        "in_database": dict(check.in_database),
        "audit_chain": chain,
        "contention": before if before != "none" else after,
        "cpu": {
            "cores": os.cpu_count(),
            "machine_busy": (machine_after[0] - machine_before[0])
            / max(machine_after[1] - machine_before[1], 1),
            "locust_seconds": locust_cpu,
        },
        "out": str(out),
    }
    (out / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print_table(report, faults, began, summary)
    failed = check.failed or bool(unexplained) or not chain["verified"]
    return report, failed


def _inject_faults(
    args: argparse.Namespace, app: AppServer, proxy: DatabaseProxy, faults: Faults, began: float
) -> list[threading.Thread]:
    """Each fault on its own timer (seconds from `began`), so a slow restart delays nothing."""

    def kill() -> None:
        time.sleep(max(args.kill_at - (time.time() - began), 0))
        killed = app.kill()
        time.sleep(RESTART_AFTER)
        faults.kill = (killed, app.start())
        app.wait_answering()
        faults.answered_after_kill = app.answered

    def cut() -> None:
        time.sleep(max(args.cut_db_at - (time.time() - began), 0))
        started = time.time()
        faults.dropped = proxy.cut(args.cut_for)
        faults.cut = (started, started + args.cut_for)

    threads = []
    if args.kill_at is not None:
        threads.append(threading.Thread(target=kill, daemon=True))
    if args.cut_db_at is not None:
        threads.append(threading.Thread(target=cut, daemon=True))
    for thread in threads:
        thread.start()
    return threads


def _ms(value: Any) -> str:
    return f"{value:,.0f}" if isinstance(value, int | float) else "—"


def _latency(entry: dict[str, Any]) -> str:
    if not entry.get("requests"):
        return "—"
    figures = " / ".join(_ms(entry[p]) for p in ("p50", "p95", "p99"))
    return f"{figures}  ({entry['requests']:,} req)"


KINDS = ("submit", "review", "decide")


def _three(figures: dict[str, int]) -> str:
    return " / ".join(f"{figures[kind]:,}" for kind in KINDS)


def _faults_text(faults: Faults, began: float) -> str:
    text = []
    if faults.kill:
        answered = (
            f", a page served {faults.answered_after_kill - faults.kill[0]:.1f} s after the kill"
            if faults.answered_after_kill
            else ""
        )
        text.append(
            f"gunicorn SIGKILLed at {faults.kill[0] - began:.0f} s, restarted and listening "
            f"{faults.kill[1] - faults.kill[0]:.1f} s later{answered}"
        )
    if faults.cut:
        text.append(
            f"database cut at {faults.cut[0] - began:.0f} s for "
            f"{faults.cut[1] - faults.cut[0]:.0f} s ({faults.dropped} connections dropped)"
        )
    return "; ".join(text) or "none"


def print_table(
    report: dict[str, Any], faults: Faults, began: float, summary: dict[str, Any]
) -> None:
    total, groups, duration = summary["total"], summary["groups"], summary["duration"]
    seen = ", ".join(f"{kind} × {n}" for kind, n in sorted(report["errors_seen"].items()))
    retries = f"{summary['retries']:,}"
    if summary["retries"]:
        by_kind = sorted(summary["retries_by_kind"].items())
        retries += " (" + ", ".join(f"{kind} {n}" for kind, n in by_kind) + ")"
    other = sum(1 for event in summary["unexpected"] if not event["kind"].startswith("5"))
    responses = summary["acknowledged"]
    cpu = report["cpu"]
    rows = [
        (
            "simulated users (staff + managers + heads)",
            f"{report['users']:,} ({summary['finished']:,} finished, "
            f"{len(summary['gave_up'])} gave up)",
        ),
        ("gunicorn sync workers", str(report["workers"])),
        ("faults", _faults_text(faults, began)),
        ("other benchmarks running", report["contention"]),
        ("duration", f"{duration:.0f} s"),
        (
            "CPU busy, whole machine (of which locust itself)",
            f"{cpu['machine_busy']:.0%} of {cpu['cores']} cores "
            f"({cpu['locust_seconds'] / duration / cpu['cores']:.0%})",
        ),
        ("requests", f"{total['requests']:,}"),
        ("throughput", f"{total['requests'] / duration:.1f} req/s"),
        ("latency p50 / p95 / p99 (ms), all", _latency(total)),
        ("… submit", _latency(groups["submit"])),
        ("… review", _latency(groups["review"])),
        ("… decide (one row, htmx)", _latency(groups["decide"])),
        ("… accept all", _latency(groups["accept all"])),
        ("failures seen by users", seen or "0"),
        ("… server errors no fault explains", str(len(report["unexplained_errors"]))),
        ("… other unexpected answers (4xx, refusals)", str(other)),
        ("retries by users", retries),
        ("double submissions (two concurrent POSTs)", str(summary["double_submitters"])),
        (
            "acknowledged submissions (responses / sheets)",
            f"{responses.get('submit', 0):,} / {report['acknowledged']['submit']:,}",
        ),
        (
            "acknowledged reviews / decisions (sheets)",
            f"{report['acknowledged']['review']:,} / {report['acknowledged']['decide']:,} "
            f"(+ {responses.get('accept all', 0)} accept all)",
        ),
        ("submitted / reviewed / decided in the database", _three(report["in_database"])),
        ("lost (submit / review / decide)", _three(report["lost"])),
        ("duplicated (submit / review / decide)", _three(report["duplicated"])),
        ("state without its audit row", _three(report["unlogged"])),
        (
            "audit chain (rows; unchained after the run, chained by the verifier)",
            f"{report['audit_chain']['rows']:,}; {report['audit_chain']['unchained_after_run']}; "
            + ("verified" if report["audit_chain"]["verified"] else "BROKEN"),
        ),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"\nMonth-end load test ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)")
    print(f"{'figure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    print(f"logs and raw figures: {report['out']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default=seed.DEFAULT_DATABASE)
    parser.add_argument("--database", default="danhgia_load")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=None, help="default: everyone seeded")
    parser.add_argument("--spawn-rate", type=float, default=1.2, help="users started per second")
    parser.add_argument("--kill-at", type=float, default=None, help="second to SIGKILL gunicorn")
    parser.add_argument("--cut-db-at", type=float, default=None, help="second to cut the database")
    parser.add_argument("--cut-for", type=float, default=5.0)
    parser.add_argument("--double-share", type=float, default=0.05)
    parser.add_argument("--think", default="1,3", help="seconds between two steps: low,high")
    parser.add_argument("--poll", default="10,20", help="seconds between two looks: low,high")
    parser.add_argument(
        "--patience", type=float, default=600.0, help="longest wait of a manager or head"
    )
    parser.add_argument("--max-time", type=int, default=1800, help="locust's --run-time cap")
    parser.add_argument("--out", default=None, help="directory for logs and raw figures")
    args = parser.parse_args(argv)
    _, failed = run(args)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
