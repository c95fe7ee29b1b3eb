"""The audit log: `log_action()` for services, `check_chain()` for the verifier command.

Writes scale (docs/decisions.md, "Audit rows chained after commit"): `log_action` inserts the
row in the caller's transaction without a lock; after that transaction commits,
`chain_pending` gives every committed row not chained yet its position (`seq`) and hashes,
under a lock held only for that short transaction. The chain's order is `seq`, not the id.

Who chains (`settings.AUDIT_CHAINER`, docs/decisions.md "A single chainer process"): "inline",
each writer after its own commit; "process", one chainer process
(`core/audit_chainer.py`, `manage.py run_audit_chainer`) that polls for pending rows every
0.25 s (optionally woken sooner by a notification after each commit,
`AUDIT_CHAINER_NOTIFY`); the writer only inserts.
"""

import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.dispatch import Signal

from danhgia.core import clock
from danhgia.core.models import HASHED_FIELDS, AuditLog, chain_hash

GENESIS_HASH = "0" * 64
# Sent by `log_action` after the row's INSERT, in the caller's transaction, with `entry` (the
# row) and `obj`: the apps above core may derive their own rows from an audited change and
# commit or roll back with it (the events out of `api/events.py`). Keep receivers cheap.
action_logged = Signal()
_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Each app names its audit actions for people (lazy translated strings), in ready()."""
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The human name of an audit action, or its code when none is registered."""
    return str(_ACTION_LABELS.get(action, action))


_CHAIN_LOCK_KEY = 4_242_001
CHAINER_CHANNEL = "danhgia_audit"  # LISTEN/NOTIFY channel of the chainer process
CHAIN_BATCH = 500
CHAIN_SECONDS = 2.0  # a chaining stops after this; what is left waits for the next one


def _lock_chain() -> None:
    """Serialise the chainer until this transaction ends. SQLite transactions here are
    IMMEDIATE, so already serial."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _try_lock_chain() -> bool:
    """Take the chainer's lock for this session if nobody holds it; never wait."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_CHAIN_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _unlock_chain() -> None:
    """Let go of the session lock. A persistent connection that kept it would stop every
    chaining: if the unlock fails, the connection is closed, and the lock goes with it."""
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_CHAIN_LOCK_KEY])
    except DatabaseError:
        connection.close()
        raise


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


@transaction.atomic(savepoint=False)  # one INSERT: nothing to roll back to
def log_action(
    obj: models.Model | None,
    action: str,
    *,
    by: Any = None,
    data: dict[str, Any] | None = None,
    object_type: str = "",
) -> AuditLog:
    """Write one audit row in the caller's transaction. No lock: the row is chained (its
    `seq`, `prev_hash` and `hash`) after that transaction commits (`chain_pending`); when it
    rolls back, the row never existed and nothing was chained. With the chainer process
    (`AUDIT_CHAINER = "process"`), the writer does nothing more: the chainer polls (and, with
    `AUDIT_CHAINER_NOTIFY`, the transaction also wakes it, `_notify_chainer`)."""
    entry = AuditLog(
        created_at=clock.now(),
        actor=by if by is not None and getattr(by, "pk", None) else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        data=_jsonable(data),
    )
    entry.save()
    action_logged.send(sender=AuditLog, entry=entry, obj=obj)
    if settings.AUDIT_CHAINER == "process":
        if settings.AUDIT_CHAINER_NOTIFY:
            _notify_chainer()
    else:
        _chain_after_commit(entry)
    return entry


class _NotifyChainer:
    """The on-commit callback of a transaction that wrote audit rows (chainer process): one
    NOTIFY, after the COMMIT, as a transaction of its own. Not inside the writer's transaction:
    PostgreSQL serialises the commits of notifying transactions (a database-wide lock held to
    the end of COMMIT, disk flush included), which would queue the writers again
    (docs/decisions.md, "A single chainer process"). Its own COMMIT does not wait for the disk
    (a notification is never durable anyway), so it holds that lock for microseconds."""

    def __init__(self) -> None:
        self.__qualname__ = "notify_chainer"  # named in Django's log when it fails

    def __call__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', 'off', true), pg_notify(%s, '')",
                [CHAINER_CHANNEL],
            )


def _notify_chainer() -> None:
    """Wake the chainer process once this transaction has committed: one callback per
    transaction (one registered in a savepoint still open around this row is reused; a
    savepoint rolled back takes its callback with it). Robust: a failed NOTIFY is logged, and
    the chainer's poll finds the row. SQLite has no NOTIFY: the chainer polls."""
    if connection.vendor != "postgresql":
        return
    current = transaction.get_connection()
    open_savepoints = set(current.savepoint_ids)
    for savepoints, callback, _robust in current.run_on_commit:
        if isinstance(callback, _NotifyChainer) and savepoints <= open_savepoints:
            return
    transaction.on_commit(_NotifyChainer(), robust=True)


class _ChainAfterCommit:
    """The on-commit callback of one transaction: chains what is pending, then gives the
    transaction's entries (the objects `log_action` returned) their chain fields."""

    def __init__(self) -> None:
        self.entries: list[AuditLog] = []
        self.__qualname__ = "chain_pending"  # named in Django's log when the chaining fails

    def __call__(self) -> None:
        chained = chain_pending(wait=False)
        for entry in self.entries:
            fields = chained.get(entry.pk)
            # SQLite reuses the id of a row rolled back with its savepoint: same id, other row.
            if fields is not None and fields[0] == (entry.created_at, entry.action):
                entry.seq, entry.prev_hash, entry.hash = fields[1:]


def _chain_after_commit(entry: AuditLog) -> None:
    """One callback per transaction, however many rows it writes. A callback registered in a
    savepoint that is still open around this row is reused: both survive or vanish together."""
    current = transaction.get_connection()
    open_savepoints = set(current.savepoint_ids)
    for savepoints, callback, _robust in current.run_on_commit:
        if isinstance(callback, _ChainAfterCommit) and savepoints <= open_savepoints:
            callback.entries.append(entry)
            return
    callback = _ChainAfterCommit()
    callback.entries.append(entry)
    # Robust: the change is committed already; a failed chaining is logged, and the next
    # chaining (any later audited change, or the nightly anchor job) chains the row.
    transaction.on_commit(callback, robust=True)


Chained = dict[int, tuple[tuple[Any, str], int, str, str]]


def chain_pending(
    *,
    wait: bool = True,
    batch_size: int = CHAIN_BATCH,
    seconds: float = CHAIN_SECONDS,
    durable: bool = True,
    until_done: bool = True,
) -> Chained:
    """Chain the committed rows not chained yet, after the chain's head, in id order; return
    them (id -> ((created_at, action), seq, prev_hash, hash)).

    One pass: take the chainer's lock, read the pending rows and the head, number and hash
    them, COMMIT, let go. Passes repeat while rows are pending. A row is chained once:
    chainers are serialised and each reads the pending rows after taking the lock.

    `wait=False` (after a commit): when another chainer holds the lock, return at once; that
    chainer looks for pending rows again after it lets go, and sees ours, which committed
    before we tried. It stops after `seconds` (a request must not chain forever under load):
    the next chaining takes over. Call it outside a transaction: inside one the lock is held
    until that transaction ends (`wait` is then ignored).

    `durable=False` (the chainer process): its COMMITs do not wait for the disk, like the
    after-commit chainings (`_chain_batch`); the verifier, the anchor job and the restore chain
    durably. `until_done=False` (the chainer process): one pass (at most `batch_size` rows);
    the chainer lets the next commits gather before its next one.

    Runs after every transaction that wrote audit rows (inline), or in the chainer process
    after each notification (`core/audit_chainer.py`), and first in the verifier, the anchor
    job and the restore, so that no committed row stays unchained.
    """
    chained: Chained = {}
    if not wait and not connection.in_atomic_block:
        deadline = time.monotonic() + seconds
        # Try first: most writers of a busy minute find the lock taken and are done.
        while _try_lock_chain():
            try:
                with transaction.atomic():
                    _chain_batch(batch_size, chained, durable=False)
            finally:
                _unlock_chain()  # when even this fails, the connection is closed, lock with it
            # Look again after letting go: rows whose writers found the lock taken.
            if time.monotonic() > deadline or not _pending():
                break
        return chained
    while _pending():
        with transaction.atomic():
            _lock_chain()
            _chain_batch(batch_size, chained, durable=durable)
        if not until_done:
            break
    return chained


def _pending() -> bool:
    return AuditLog.objects.filter(seq__isnull=True).exists()


@dataclass(frozen=True)
class _Link:
    """A row's place in the chain, as the chainer writes it."""

    pk: int
    seq: int
    prev_hash: str
    hash: str


def _chain_batch(batch_size: int, chained: Chained, *, durable: bool) -> None:
    """Under the lock: the pending rows read now (after it was granted), after the head.

    Not `durable` (a chaining after a commit): the COMMIT does not wait for the disk, so the
    lock is let go sooner. A crash may lose the last such chainings; their rows, committed
    durably by their own transactions, are pending again and chained by the next chaining.
    Nothing can have relied on the lost numbering: an anchor (`write_anchor`) and the
    verifier chain durably first, and a durable COMMIT writes everything committed before
    it to disk."""
    # Only the hashed columns, as tuples: no model instance per row.
    pending = AuditLog.objects.filter(seq__isnull=True).order_by("id")
    fields = list(pending.values_list("id", *HASHED_FIELDS)[:batch_size])
    if not fields:
        return
    head = AuditLog.objects.filter(seq__isnull=False).order_by("-seq")
    last = head.values_list("seq", "hash").first()
    seq, prev_hash = (int(last[0] or 0), last[1]) if last is not None else (0, GENESIS_HASH)
    rows: list[_Link] = []
    for pk, created_at, *hashed in fields:
        seq += 1
        link = _Link(pk, seq, prev_hash, chain_hash(prev_hash, created_at, *hashed))
        prev_hash = link.hash
        rows.append(link)
        chained[pk] = ((created_at, hashed[1]), link.seq, link.prev_hash, link.hash)
    if connection.vendor != "postgresql":
        # One prepared UPDATE a row: cheaper than bulk_update's CASE for the few rows of a
        # write (SQLite serialises writers anyway).
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {AuditLog._meta.db_table} SET seq = %s, prev_hash = %s, hash = %s "  # noqa: S608
                "WHERE id = %s",
                [(row.seq, row.prev_hash, row.hash, row.pk) for row in rows],
            )
        return
    values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        if not durable:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            "UPDATE core_auditlog AS entry SET seq = new.seq, prev_hash = new.prev_hash, "  # noqa: S608
            f"hash = new.hash FROM (VALUES {values}) AS new (id, seq, prev_hash, hash) "
            "WHERE entry.id = new.id",
            [field for row in rows for field in (row.pk, row.seq, row.prev_hash, row.hash)],
        )


@dataclass(frozen=True)
class Anchor:
    """A signed head of the chain, read back from an anchor file (danhgia/core/anchors.py)."""

    audit_id: int
    hash: str
    row_count: int
    at: str
    source: str = ""


@dataclass
class ChainReport:
    """What verification found. `trusted_until`: the last row proven sound (0: none);
    `untrusted_from`: the first row that can no longer be trusted (None when intact)."""

    checked: int = 0
    anchors_matched: int = 0
    trusted_until: int = 0
    untrusted_from: int | None = None
    broken: AuditLog | None = None
    why: str = ""
    # "edited", "removed", "recomputed" (an anchor no longer matches) or "truncated" (the
    # chain, sound up to its end, ends before the newest anchor: rows cut off, or an older
    # backup restored); "" when intact.
    kind: str = ""
    ends_at: int = 0  # the chain's last row (when it was walked to its end)

    @property
    def intact(self) -> bool:
        return not self.why


def check_chain(anchors: Iterable[Anchor] = (), batch_size: int = 2000) -> ChainReport:
    """Walk the chain in its order (`seq`) against itself and against the anchors (already
    checked for their HMAC). Finds an edited row, a removed row, a chain recomputed after an
    edit (an anchored row is not where it was, or its hash differs), and a truncated chain (it
    ends before an anchor). Reads only: rows not chained yet are not walked (the commands
    chain them first, `chain_pending`).

    Gaps in ids are not evidence: a rolled-back transaction consumes its id on PostgreSQL. A
    deletion shows as a broken link, or, when the later hashes were recomputed, at an anchor.
    """
    valid = [a for a in anchors if a.audit_id > 0]
    pending = deque(sorted(valid, key=lambda a: (a.row_count, a.audit_id)))
    by_row: dict[int, list[Anchor]] = {}
    for anchor in valid:
        by_row.setdefault(anchor.audit_id, []).append(anchor)
    report = ChainReport()
    expected_prev = GENESIS_HASH
    anchored_row = anchored_seq = 0  # the last row whose hash and position an anchor proves
    last_id = 0
    for entry in _iterate(batch_size):
        position = report.checked + 1
        if entry.prev_hash != expected_prev:
            return _fail(
                report,
                entry,
                last_id,
                entry.id,
                "previous hash does not match: a row before it was removed",
                "removed",
            )
        if entry.compute_hash() != entry.hash:
            return _fail(
                report,
                entry,
                last_id,
                entry.id,
                "content does not match its hash: the row was edited",
                "edited",
            )
        for anchor in by_row.get(entry.id, ()):
            if anchor.hash != entry.hash or anchor.row_count != position:
                start = _after(anchored_row, anchored_seq, entry.id)
                return _fail(
                    report,
                    entry,
                    anchored_row,
                    start,
                    f"recomputed or edited since anchor {anchor.at} ({anchor.source}): row "
                    f"{anchor.audit_id} had hash {anchor.hash[:12]}… as row {anchor.row_count}, "
                    f"it now has {entry.hash[:12]}… as row {position}; the history "
                    f"cannot be trusted from row {start}",
                    "recomputed",
                )
        if pending and pending[0].row_count == position and pending[0].audit_id != entry.id:
            anchor = pending[0]
            start = _after(anchored_row, anchored_seq, entry.id)
            return _fail(
                report,
                entry,
                anchored_row,
                start,
                f"row {anchor.audit_id}, anchored at {anchor.at} ({anchor.source}) as row "
                f"{anchor.row_count}, is missing: rows were deleted or the chain recomputed "
                f"since that anchor, from row {start}",
                "recomputed",
            )
        report.checked += 1
        # Several anchors may name the same row (no audited change between two nights).
        while pending and pending[0].row_count == position:
            pending.popleft()
            anchored_row, anchored_seq = entry.id, position
            report.anchors_matched += 1
        expected_prev = entry.hash
        last_id = entry.id
    report.ends_at = last_id
    if pending:
        anchor = pending[-1]
        return _fail(
            report,
            None,
            anchored_row,
            last_id + 1,
            f"truncated: the anchor of {anchor.at} ({anchor.source}) records row "
            f"{anchor.audit_id} ({anchor.row_count} rows), the chain ends at row {last_id} "
            f"({report.checked} rows): rows after {last_id} were deleted, or an older backup "
            f"was restored; the last row an anchor proves is {anchored_row}",
            "truncated",
        )
    report.trusted_until = last_id
    return report


def _after(anchored_row: int, anchored_seq: int, current: int) -> int:
    """The row after the last anchored one in the chain (the earliest a recomputation can
    start)."""
    later = AuditLog.objects.filter(seq__gt=anchored_seq).exclude(id=anchored_row)
    return later.order_by("seq").values_list("id", flat=True).first() or current


def _fail(
    report: ChainReport,
    entry: AuditLog | None,
    trusted_until: int,
    untrusted_from: int,
    why: str,
    kind: str,
) -> ChainReport:
    report.kind = kind
    report.broken = entry
    report.why = why
    report.trusted_until = trusted_until
    report.untrusted_from = untrusted_from
    return report


def verify_chain(batch_size: int = 2000) -> tuple[int, AuditLog | None, str]:
    """Chain what is pending, then walk the chain in order. Return (rows checked, first broken
    row or None, why). Without anchors: `check_chain` checks against them too."""
    chain_pending()
    report = check_chain((), batch_size)
    return report.checked, report.broken, report.why


def _iterate(batch_size: int) -> Iterator[AuditLog]:
    """The chained rows in chain order."""
    last_seq = 0
    while True:
        rows = list(AuditLog.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq or last_seq
