"""Audited writes per second with 1, 4 and 8 concurrent writers, and how long the chain's lock
is held (issue 15, "writes that scale"). PostgreSQL only; not part of CI.

    .venv/bin/python bench/bench_audit_writes.py                # 4 s per run
    .venv/bin/python bench/bench_audit_writes.py --seconds 10 --writers 1,4,8

Each writer is its own process with its own connection and runs, for `--seconds`, the same
realistic transaction: update its business row (a unit's name), write one audit row, COMMIT.

  floor   the same two writes, the audit row inserted without any chain (no lock, no hash)
  notify  the floor plus a notification after the commit, no chainer: the writer's path of
          `after` with AUDIT_CHAINER_NOTIFY on (off by default)
  before  the old `log_action`, inline here: the global chain lock
          (`pg_advisory_xact_lock`) taken at the audit row, the head read, the row hashed and
          inserted; the lock is held until COMMIT returns
  inline  `log_action` with AUDIT_CHAINER = "inline": the row inserted without a lock; after
          COMMIT the writer's on-commit chaining (`chain_pending(wait=False)`) takes the
          chainer's lock if it is free (else the holder chains the row), chains every pending
          row, lets go
  after   `log_action` with AUDIT_CHAINER = "process" (production): the writer inserts its row,
          nothing more; the chainer process (`run_chainer`, the loop of
          `manage.py run_audit_chainer`, started by this bench as one more process) polls
          every 0.25 s and chains what is pending

Lock hold: from the moment the lock is granted to its release (before: the end of the
business transaction's COMMIT; inline and after: the chainer's COMMIT). After each inline and
after run the bench waits until nothing is pending ("drain": seconds from the writers' end
until every row is chained), stops the chainer, and verifies the chain: every row written
must be in it, once, and `check_chain` must find it intact.

Target: after's 8-writer throughput ≥ min(8 × before's, floor's). The database is
`danhgia_bench_audit` (DATABASE_URL overrides it; its name must contain `bench`); every run
empties the audit log first.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, setup_django  # noqa: E402

DATABASE = "danhgia_bench_audit"
MODES = ("floor", "notify", "before", "inline", "after")


def _reset() -> list[int]:
    """An empty audit log and one business row per writer (at most 8... or more)."""
    from django.db import connection

    from danhgia.organisations.models import Unit, UnitKind

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditlog, core_auditanchor")
    units = []
    for number in range(16):
        unit, _ = Unit.objects.get_or_create(
            code=f"BENCH-AUDIT-{number}",
            defaults={"name": f"Bench {number}", "kind": UnitKind.DEPARTMENT},
        )
        units.append(unit.pk)
    return units


def _write_floor(unit_id: int, n: int) -> list[float]:
    from django.db import transaction

    with transaction.atomic():
        _write_floor_rows(unit_id, n)
    return []


def _write_floor_rows(unit_id: int, n: int) -> None:
    from danhgia.core import clock
    from danhgia.core.models import AuditLog
    from danhgia.organisations.models import Unit

    Unit.objects.filter(pk=unit_id).update(name=f"Bench {unit_id} #{n}")
    AuditLog(
        created_at=clock.now(),
        action="bench.renamed",
        object_type="organisations.unit",
        object_id=str(unit_id),
        object_repr=f"Bench {unit_id}",
        data={"n": n},
    ).save()


def _write_notify(unit_id: int, n: int) -> list[float]:
    """The floor plus the notification `after` sends: the writer's path of `after`, without
    a chainer sharing the machine."""
    from django.db import transaction

    from danhgia.core.audit import _NotifyChainer

    with transaction.atomic():
        _write_floor_rows(unit_id, n)
    _NotifyChainer()()  # what `log_action` registers to run after the commit
    return []


def _write_before(unit_id: int, n: int) -> list[float]:
    """The algorithm `log_action` had before issue 15's change, on today's table."""
    from django.db import connection, transaction

    from danhgia.core import clock
    from danhgia.core.audit import _CHAIN_LOCK_KEY, GENESIS_HASH
    from danhgia.core.models import AuditLog
    from danhgia.organisations.models import Unit

    with transaction.atomic():
        Unit.objects.filter(pk=unit_id).update(name=f"Bench {unit_id} #{n}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        granted = time.perf_counter()
        head = (
            AuditLog.objects.filter(seq__isnull=False)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = head if head is not None and head[0] is not None else (0, GENESIS_HASH)
        entry = AuditLog(
            created_at=clock.now(),
            action="bench.renamed",
            object_type="organisations.unit",
            object_id=str(unit_id),
            object_repr=f"Bench {unit_id}",
            data={"n": n},
            prev_hash=prev_hash,
            seq=seq + 1,
        )
        entry.hash = entry.compute_hash()
        entry.save()
    return [time.perf_counter() - granted]


def _write_logged(unit_id: int, n: int) -> list[float]:
    """inline and after: the application's `log_action` (AUDIT_CHAINER set by the writer)."""
    from django.db import transaction

    from danhgia.core.audit import log_action
    from danhgia.organisations.models import Unit

    unit = Unit(pk=unit_id, name=f"Bench {unit_id}", code=f"BENCH-AUDIT-{unit_id}")
    with transaction.atomic():
        Unit.objects.filter(pk=unit_id).update(name=f"Bench {unit_id} #{n}")
        log_action(unit, "bench.renamed", data={"n": n})
    return []  # the chainer's holds are recorded by the patched lock


def _time_inline_holds(holds: list[float]) -> None:
    """inline: the writers' session lock, from granted to released."""
    from danhgia.core import audit

    try_lock, unlock = audit._try_lock_chain, audit._unlock_chain
    granted: list[float] = []

    def timed_try_lock() -> bool:
        got = try_lock()
        if got:
            granted.append(time.perf_counter())
        return got

    def timed_unlock() -> None:
        unlock()
        holds.append(time.perf_counter() - granted.pop())

    audit._try_lock_chain, audit._unlock_chain = timed_try_lock, timed_unlock  # type: ignore[method-assign]


def _time_process_holds(holds: list[float]) -> None:
    """after: the chainer process's transaction lock, from granted to its COMMIT."""
    from django.db import transaction

    from danhgia.core import audit

    lock = audit._lock_chain

    def timed_lock() -> None:
        lock()
        granted = time.perf_counter()
        transaction.on_commit(lambda: holds.append(time.perf_counter() - granted))

    audit._lock_chain = timed_lock  # type: ignore[method-assign]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _writer(mode: str, unit_id: int, start_at: float, seconds: float, queue: Any) -> None:
    _django()
    from django.conf import settings
    from django.db import connection

    holds: list[float] = []
    settings.AUDIT_CHAINER = "process" if mode == "after" else "inline"
    if mode == "inline":
        _time_inline_holds(holds)
    write = {
        "floor": _write_floor,
        "notify": _write_notify,
        "before": _write_before,
        "inline": _write_logged,
        "after": _write_logged,
    }[mode]
    connection.ensure_connection()
    while time.time() < start_at:
        time.sleep(0.001)
    done = 0
    end = start_at + seconds
    while time.time() < end:
        holds += write(unit_id, done)
        done += 1
    finished = time.time()
    connection.close()
    queue.put((done, finished, holds))


def _chainer(ready: Any, stop: Any, queue: Any) -> None:
    """The chainer process of `after`: `run_chainer`, as `manage.py run_audit_chainer` runs it."""
    _django()
    from django.db import connection

    from danhgia.core.audit_chainer import POLL_SECONDS, listen, run_chainer

    holds: list[float] = []
    _time_process_holds(holds)
    turns: list[int] = []
    connection.ensure_connection()
    listen()  # run_chainer listens again: harmless; the writers start once we hear them
    ready.set()
    run_chainer(POLL_SECONDS, should_stop=stop.is_set, on_turn=turns.append)
    connection.close()
    queue.put((holds, turns))


def _drain(timeout: float = 120.0) -> float:
    """Seconds until no audit row is pending (the chainer catching up after the writers)."""
    from danhgia.core.models import AuditLog

    start = time.perf_counter()
    while AuditLog.objects.filter(seq__isnull=True).exists():
        if time.perf_counter() - start > timeout:
            break
        time.sleep(0.01)
    return time.perf_counter() - start


def run(mode: str, writers: int, seconds: float, units: list[int]) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    chainer = None
    if mode == "after":
        ready, stop, chainer_queue = context.Event(), context.Event(), context.Queue()
        chainer = context.Process(target=_chainer, args=(ready, stop, chainer_queue))
        chainer.start()
        if not ready.wait(60):
            raise RuntimeError("the chainer process did not start")
    start_at = time.time() + 1.5  # every process connected and waiting
    processes = [
        context.Process(target=_writer, args=(mode, units[w], start_at, seconds, queue))
        for w in range(writers)
    ]
    for process in processes:
        process.start()
    results = [queue.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    total = sum(done for done, _finished, _holds in results)
    elapsed = max(finished for _done, finished, _holds in results) - start_at
    holds = [hold for _done, _finished, hold_list in results for hold in hold_list]
    drain = None
    if mode in ("inline", "after"):
        drain = _drain(120.0 if mode == "after" else 5.0)
    if chainer is not None:
        stop.set()
        chainer_holds, _turns = chainer_queue.get(timeout=60)
        chainer.join(60)
        holds += chainer_holds
    return {
        "writes": total,
        "per_second": total / elapsed,
        "holds": sorted(holds),
        "drain": drain,
    }


def _check_chain(expected: int, *, catch_up: bool) -> str:
    """Every row written is chained, once, and the chain is intact. after: no catch-up (what
    is pending once the chainer stopped was left behind); inline: a row whose chaining gave
    up under load is chained by the next chaining, so one is run first."""
    from danhgia.core.audit import chain_pending, check_chain
    from danhgia.core.models import AuditLog

    if catch_up:
        chain_pending()
    left = AuditLog.objects.filter(seq__isnull=True).count()
    total = AuditLog.objects.count()
    report = check_chain()
    if left or total != expected or not report.intact or report.checked != expected:
        return (
            f"FAILED: {left} left unchained, {total} rows for {expected} writes, "
            f"{report.checked} chained, {report.why}"
        )
    return "all chained, verified"


def _ms(values: list[float], share: float) -> str:
    if not values:
        return "–"
    index = min(len(values) - 1, int(share * len(values)))
    return f"{values[index] * 1000:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--writers", default="1,4,8")
    args = parser.parse_args()
    if "DATABASE_URL" in os.environ and "bench" not in os.environ["DATABASE_URL"]:
        sys.exit("DATABASE_URL must name a benchmark database (its name contains 'bench').")
    setup_django(DATABASE)
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: concurrent writers are what is measured.")
    counts = [int(part) for part in args.writers.split(",")]
    load_before = os.getloadavg()
    figures: dict[tuple[str, int], dict[str, Any]] = {}
    rows: list[tuple[str, ...]] = []
    for writers in counts:
        for mode in MODES:
            units = _reset()
            figure = run(mode, writers, args.seconds, units)
            note = ""
            if mode in ("inline", "after"):
                note = _check_chain(figure["writes"], catch_up=mode == "inline")
            figures[mode, writers] = figure
            floor = figures[("floor", writers)]["per_second"]
            holds = figure["holds"]
            rows.append(
                (
                    mode,
                    str(writers),
                    f"{figure['per_second']:.0f}",
                    f"{figure['per_second'] / floor:.2f}",
                    str(len(holds)) if mode not in ("floor", "notify") else "–",
                    f"{statistics.median(holds) * 1000:.1f}" if holds else "–",
                    _ms(holds, 0.95),
                    f"{holds[-1] * 1000:.1f}" if holds else "–",
                    f"{figure['drain']:.2f}" if figure["drain"] is not None else "–",
                    note,
                )
            )
    header = (
        "mode",
        "writers",
        "writes/s",
        "× floor",
        "lock holds",
        "hold median ms",
        "p95 ms",
        "max ms",
        "drain s",
        "",
    )
    print_table(f"Audited writes, {args.seconds:g} s per run (PostgreSQL)", rows, header)
    load_after = os.getloadavg()
    print(
        "\nload average (1, 5, 15 min): before "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )
    most = max(counts)
    floor, _notify, before, inline, after = (figures[mode, most]["per_second"] for mode in MODES)
    target = min(8 * before, floor)
    met = after >= target
    print(
        f"{most} writers: after {after:.0f}/s ({after / floor:.2f} of the floor), inline "
        f"{inline:.0f}/s, before {before:.0f}/s (after {after / before:.1f}× before), floor "
        f"{floor:.0f}/s; target min(8 × before, floor) = {target:.0f}/s: "
        + ("met" if met else "MISSED")
    )
    failed = any("FAILED" in row[-1] for row in rows)
    return 0 if met and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
