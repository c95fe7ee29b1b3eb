"""The chainer process (`manage.py run_audit_chainer`), used when `AUDIT_CHAINER = "process"`.

Writers only insert their audit row (with `AUDIT_CHAINER_NOTIFY`, they also notify the channel
`CHAINER_CHANNEL` once their transaction has committed). This process polls every
`POLL_SECONDS` (one indexed query) and listens, and after each poll or notification chains
every pending row (`chain_pending`, waiting for the chain's lock). It is the only chainer on
the writers' side; the verifier, the anchor job and the restore still chain what is pending
first, serialised by the same lock.
On SQLite there is no LISTEN: the loop polls.
"""

import time
from collections.abc import Callable

from django.db import connection

from danhgia.core.audit import CHAIN_BATCH, CHAINER_CHANNEL, chain_pending

POLL_SECONDS = 0.25  # how long a committed row waits at most before its chaining starts
# After a notification, let the next commits gather for this long: one chaining then takes
# many rows (a chaining per commit would cost the database about as much as the writes).
GATHER_SECONDS = 0.1


def listen() -> None:
    """Subscribe this process's connection to the writers' notifications (PostgreSQL). The
    connection is in autocommit mode: the LISTEN takes effect at once."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHAINER_CHANNEL}")


def wait_for_commits(timeout: float) -> bool:
    """Wait up to `timeout` seconds for a writer's commit; True when a notification came
    (False: the poll). SQLite: sleep, then poll."""
    if connection.vendor != "postgresql":
        time.sleep(timeout)
        return False
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None  # noqa: S101 (ensure_connection opened it)
    return any(True for _notify in raw.notifies(timeout=timeout, stop_after=1))


def _forget_notifications() -> None:
    """Read what has arrived without waiting: one notification a commit would otherwise wake
    as many turns."""
    if connection.vendor == "postgresql" and connection.connection is not None:
        for _notify in connection.connection.notifies(timeout=0):
            pass


def chain_turn(timeout: float, gather: float = GATHER_SECONDS) -> int:
    """One turn of the chainer's loop: wait (at most `timeout` seconds) for a commit, let
    others gather (`gather` seconds), then chain what is pending, one batch a pass, until a
    pass finds less than a batch (rows committed meanwhile have notified: the next turn takes
    them). Its COMMITs do not wait for the disk (`durable=False`, as the after-commit
    chainings: the anchor job and the verifier chain durably first). Returns how many rows it
    chained."""
    if wait_for_commits(timeout):
        time.sleep(gather)
        _forget_notifications()  # the gathered commits' own: this turn chains their rows
    total = 0
    while True:
        chained = len(
            chain_pending(wait=True, durable=False, until_done=False, batch_size=CHAIN_BATCH)
        )
        total += chained
        if chained < CHAIN_BATCH:
            return total


def run_chainer(
    poll_seconds: float = POLL_SECONDS,
    should_stop: Callable[[], bool] = lambda: False,
    on_turn: Callable[[int], None] = lambda chained: None,
) -> None:
    """The loop of `run_audit_chainer`: listen first, then chain what committed while no
    chainer ran (a row committed before the LISTEN sends no notification we could hear), then
    turn until `should_stop()`."""
    listen()
    on_turn(len(chain_pending(wait=True, durable=False)))
    while not should_stop():
        on_turn(chain_turn(poll_seconds))
