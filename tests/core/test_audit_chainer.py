"""Issue 15, writes that scale: an audited change inserts its row without waiting for the chain;
after its transaction commits the chainer numbers (`seq`) and hashes every committed row not
chained yet. Every committed row is chained exactly once, in commit order; a rolled-back row
never appears; a row left unchained (a crash between COMMIT and the chaining) is chained by
the next chaining, the verifier, the anchor job or the restore.

Real commits (transaction=True): on_commit callbacks run as in the application. The
concurrent tests need PostgreSQL (DATABASE_URL); SQLite serialises writers anyway."""

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Concat

from danhgia.core import audit
from danhgia.core.anchors import read_anchors
from danhgia.core.audit import GENESIS_HASH, check_chain, log_action, verify_chain
from danhgia.core.models import AuditLog
from danhgia.organisations.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="concurrent writers need PostgreSQL (DATABASE_URL=postgres://…)",
)


class Rollback(Exception):
    pass


@pytest.fixture
def anchors(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    settings.AUDIT_ANCHOR_KEY = "test-anchor-key-" + "k" * 32
    return Path(settings.AUDIT_ANCHOR_DIR)


def chain() -> list[AuditLog]:
    return list(AuditLog.objects.filter(seq__isnull=False).order_by("seq"))


def audited_change(unit: Unit, n: int, **data: Any) -> AuditLog:
    """A realistic audited write: the business row and its audit row, one transaction."""
    with transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(name=Concat(F("code"), F("pk")))
        return log_action(unit, "unit.renamed", data={"n": n, **data})


def in_thread(function: Callable[[], None]) -> threading.Thread:
    """Run `function` in a thread with its own database connection."""

    def run() -> None:
        try:
            function()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@postgresql_only
def test_concurrent_writers_produce_one_chain_without_gaps_or_duplicates_in_commit_order() -> None:
    writers, each = 8, 25
    units = [UnitFactory(code=f"GHI-{w}") for w in range(writers)]
    barrier = threading.Barrier(writers)
    done: list[tuple[int, int, float, float, bool]] = []  # writer, n, began, chained, kept
    errors: list[BaseException] = []

    def writer(w: int) -> Callable[[], None]:
        def run() -> None:
            try:
                barrier.wait(30)
                for n in range(each):
                    began = time.monotonic()
                    kept = n % 5 != 4  # every fifth transaction rolls back after its audit row
                    try:
                        with transaction.atomic():
                            audited_change(units[w], n, writer=w)
                            if not kept:
                                raise Rollback
                    except Rollback:
                        pass
                    done.append((w, n, began, time.monotonic(), kept))
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        return run

    for thread in [in_thread(writer(w)) for w in range(writers)]:
        thread.join(120)
    assert not errors, errors

    kept = {(w, n) for w, n, _b, _c, ok in done if ok}
    assert len(kept) == writers * each * 4 // 5
    rows = chain()
    # Every committed row is chained, by the writers' own chaining (no catch-up ran), once.
    assert not AuditLog.objects.filter(seq__isnull=True).exists()
    assert [row.seq for row in rows] == list(range(1, len(kept) + 1))
    assert {(row.data["writer"], row.data["n"]) for row in rows} == kept  # none rolled back
    assert len({row.hash for row in rows}) == len(rows)
    assert rows[0].prev_hash == GENESIS_HASH
    assert verify_chain() == (len(kept), None, "")
    # Commit order: a transaction chained before another began comes before it in the chain.
    position = {(row.data["writer"], row.data["n"]): row.seq for row in rows}
    timed = [(w, n, began, chained) for w, n, began, chained, ok in done if ok]
    for w1, n1, _began, chained in timed:
        for w2, n2, began, _chained in timed:
            if chained < began:
                assert position[(w1, n1)] < position[(w2, n2)]
    # Each writer's transactions are in the chain in the order it committed them.
    for w in range(writers):
        mine = [row.data["n"] for row in rows if row.data["writer"] == w]
        assert mine == sorted(mine)


@postgresql_only
def test_a_held_chain_lock_does_not_hold_back_audited_writes() -> None:
    """The old design took the chain lock in the business transaction until COMMIT: every
    audited write of the installation waited for the one before. Now only the chainer takes
    it, after the change is committed."""
    unit = UnitFactory(code="KHOA")
    locked, release = threading.Event(), threading.Event()

    def slow_chainer() -> None:
        with transaction.atomic():
            audit._lock_chain()
            locked.set()
            release.wait(30)
        audit.chain_pending()  # a chainer looks for pending rows again once it lets go

    holder = in_thread(slow_chainer)
    assert locked.wait(10)
    writer = in_thread(lambda: audited_change(unit, 1))
    try:
        deadline = time.monotonic() + 10
        while not AuditLog.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        # Committed (with its business change) while the chain lock is held; not chained yet.
        row = AuditLog.objects.get()
        assert row.seq is None and row.hash == ""
        assert Unit.objects.get(pk=unit.pk).name == f"KHOA{unit.pk}"
    finally:
        release.set()
        holder.join(10)
        writer.join(10)
    assert AuditLog.objects.get().seq == 1  # chained once the lock was free
    assert verify_chain() == (1, None, "")


def test_rolled_back_rows_are_never_chained_and_kept_rows_are_chained_at_commit() -> None:
    unit = UnitFactory()
    with pytest.raises(Rollback), transaction.atomic():
        log_action(unit, "unit.lost")
        raise Rollback
    first = audited_change(unit, 1)
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)  # chained when it committed
    with transaction.atomic():
        kept = log_action(unit, "unit.kept")
        try:
            with transaction.atomic():
                log_action(unit, "unit.lost_in_savepoint")
                raise Rollback
        except Rollback:
            pass
        try:
            with transaction.atomic():
                lost_first = log_action(unit, "unit.lost_first_in_savepoint")
                raise Rollback
        except Rollback:
            pass
        after = log_action(unit, "unit.after_savepoint")
    assert [row.action for row in chain()] == ["unit.renamed", "unit.kept", "unit.after_savepoint"]
    assert not AuditLog.objects.filter(action__startswith="unit.lost").exists()
    assert (kept.seq, kept.prev_hash, after.seq, after.prev_hash) == (2, first.hash, 3, kept.hash)
    assert lost_first.seq is None
    assert not AuditLog.objects.filter(seq__isnull=True).exists()
    assert verify_chain() == (3, None, "")


def _commit_unchained(monkeypatch: pytest.MonkeyPatch, unit: Unit, n: int) -> AuditLog:
    """The process dies between COMMIT and the chaining: the row is committed, unchained."""

    def crash(*args: object, **kwargs: object) -> int:
        raise ConnectionError("the worker was killed")

    with monkeypatch.context() as patch:
        patch.setattr(audit, "chain_pending", crash)
        entry = audited_change(unit, n)  # the failed chaining is logged, the change stays
    assert AuditLog.objects.get(pk=entry.pk).seq is None
    return entry


def test_an_unchained_committed_row_is_chained_first_by_the_next_chaining(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unit = UnitFactory()
    stranded = _commit_unchained(monkeypatch, unit, 1)
    later = audited_change(unit, 2)
    rows = chain()
    assert [(row.pk, row.seq) for row in rows] == [(stranded.pk, 1), (later.pk, 2)]
    assert rows[1].prev_hash == rows[0].hash
    assert verify_chain() == (2, None, "")


def test_the_verifier_and_the_anchor_job_chain_what_is_pending(
    monkeypatch: pytest.MonkeyPatch, anchors: Path
) -> None:
    unit = UnitFactory()
    stranded = _commit_unchained(monkeypatch, unit, 1)
    assert check_chain().checked == 0  # the check itself only reads
    call_command("verify_audit_log")
    assert AuditLog.objects.get(pk=stranded.pk).seq == 1
    again = _commit_unchained(monkeypatch, unit, 2)
    call_command("anchor_audit_log")
    head = read_anchors().anchors[-1]
    assert (head.audit_id, head.row_count) == (again.pk, 2)
    assert head.hash == AuditLog.objects.get(pk=again.pk).hash
    report = check_chain(read_anchors().anchors)
    assert report.intact and report.anchors_matched == 1


def test_the_restore_chains_what_the_backup_holds_unchained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, anchors: Path
) -> None:
    unit = UnitFactory()
    audited_change(unit, 1)
    stranded = _commit_unchained(monkeypatch, unit, 2)
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    call_command("restore_database", str(backup), "--noinput")
    assert AuditLog.objects.get(pk=stranded.pk).seq == 2
