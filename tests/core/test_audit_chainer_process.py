"""Issue 15, the chainer process (AUDIT_CHAINER = "process"): a writer only inserts its audit
row and notifies the chainer, which PostgreSQL tells only when the writer's transaction
commits; one turn of the chainer's loop chains every pending row. The guarantees of the inline
chaining hold: a rolled-back row is never chained, a committed one is chained once, in order,
and the verifier chains what is pending first.

Real commits (transaction=True). The notification tests need PostgreSQL (DATABASE_URL)."""

import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from danhgia.core import audit_chainer
from danhgia.core.audit import GENESIS_HASH, log_action, verify_chain
from danhgia.core.audit_chainer import chain_turn, listen, run_chainer, wait_for_commits
from danhgia.core.management.commands import run_audit_chainer
from danhgia.core.models import AuditLog
from danhgia.organisations.models import Unit
from tests.core.test_audit_chainer import in_thread
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)
on_postgresql = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
postgresql_only = pytest.mark.skipif(
    not on_postgresql,
    reason="LISTEN/NOTIFY is PostgreSQL's; on SQLite the chainer polls (DATABASE_URL=postgres://…)",
)


class Rollback(Exception):
    pass


@pytest.fixture(autouse=True)
def process_chainer(settings: Any) -> Iterator[None]:
    settings.AUDIT_CHAINER = "process"
    settings.AUDIT_CHAINER_NOTIFY = True  # the notification tests; the writes are the same
    yield
    if connection.vendor == "postgresql":  # no notification left for the next test to hear
        with connection.cursor() as cursor:
            cursor.execute("UNLISTEN *")
        raw = connection.connection
        if raw is not None:
            list(raw.notifies(timeout=0.01))


def pending() -> list[AuditLog]:
    return list(AuditLog.objects.filter(seq__isnull=True).order_by("id"))


def audited_change(unit: Unit, n: int) -> AuditLog:
    with transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(name=f"{unit.code} {n}")
        return log_action(unit, "unit.renamed", data={"n": n})


def test_a_writer_only_inserts_its_row_and_one_turn_of_the_chainer_chains_it() -> None:
    unit = UnitFactory()
    first, second = audited_change(unit, 1), audited_change(unit, 2)
    # Committed, not chained: the writer did not chain, after its commit nor before.
    assert [row.pk for row in pending()] == [first.pk, second.pk]
    assert (first.seq, first.hash, second.seq) == (None, "", None)
    assert chain_turn(timeout=0.01) == 2
    rows = list(AuditLog.objects.order_by("seq"))
    assert [(row.pk, row.seq) for row in rows] == [(first.pk, 1), (second.pk, 2)]
    assert (rows[0].prev_hash, rows[1].prev_hash) == (GENESIS_HASH, rows[0].hash)
    assert chain_turn(timeout=0.01) == 0  # chained once: nothing left for the next turn
    assert verify_chain() == (2, None, "")


def test_a_rolled_back_row_is_never_chained_by_the_chainer() -> None:
    unit = UnitFactory()
    with pytest.raises(Rollback), transaction.atomic():
        log_action(unit, "unit.lost")
        raise Rollback
    kept = audited_change(unit, 1)
    assert chain_turn(timeout=0.01) == 1
    assert list(AuditLog.objects.values_list("pk", "seq")) == [(kept.pk, 1)]


def test_the_chainer_starts_by_chaining_what_committed_while_it_was_down() -> None:
    unit = UnitFactory()
    stranded = [audited_change(unit, n) for n in range(3)]  # no chainer was listening
    turns: list[int] = []
    run_chainer(0.01, should_stop=lambda: True, on_turn=turns.append)
    assert turns == [3]
    assert [row.pk for row in AuditLog.objects.order_by("seq")] == [row.pk for row in stranded]


def test_the_verifier_still_chains_what_is_pending_first() -> None:
    unit = UnitFactory()
    audited_change(unit, 1)
    call_command("verify_audit_log")
    assert not pending()


def test_the_command_runs_the_loop_with_its_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []

    def one_turn(poll: float, should_stop: Callable[[], bool]) -> None:
        calls.append(poll)
        run_chainer(0.01, should_stop=lambda: True)
        assert not should_stop()  # stops on SIGTERM or SIGINT only

    monkeypatch.setattr(run_audit_chainer, "run_chainer", one_turn)
    audited_change(UnitFactory(), 1)
    call_command("run_audit_chainer", "--poll", "2.5")
    assert calls == [2.5]
    assert not pending()


def test_without_a_notification_a_turn_is_a_poll() -> None:
    listen()
    began = time.monotonic()
    assert wait_for_commits(0.2) is False
    assert 0.15 < time.monotonic() - began < 5


@postgresql_only
def test_the_notification_arrives_only_when_the_writer_commits() -> None:
    unit = UnitFactory()
    listen()
    written, commit = threading.Event(), threading.Event()

    def writer() -> None:
        with transaction.atomic():
            audited_change(unit, 1)
            written.set()
            commit.wait(10)

    thread = in_thread(writer)
    try:
        assert written.wait(10)
        assert wait_for_commits(0.3) is False  # the row is inserted, not committed: silence
    finally:
        commit.set()
        thread.join(10)
    began = time.monotonic()
    assert wait_for_commits(10) is True  # woken by the commit, not by the poll
    assert time.monotonic() - began < 5
    assert chain_turn(timeout=0.01) == 1


@postgresql_only
def test_a_rolled_back_transaction_sends_no_notification() -> None:
    unit = UnitFactory()
    listen()

    def writer() -> None:
        with pytest.raises(Rollback), transaction.atomic():
            log_action(unit, "unit.lost")
            raise Rollback

    in_thread(writer).join(10)
    assert wait_for_commits(0.3) is False


@postgresql_only
def test_one_notification_a_transaction_and_again_after_a_rolled_back_savepoint() -> None:
    unit = UnitFactory()
    listen()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for n in range(3):
            log_action(unit, "unit.step", data={"n": n})
    assert sum("pg_notify" in query["sql"] for query in queries) == 1
    # A savepoint that rolls back takes its notification with it: the next row of the
    # transaction registers it again.
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        try:
            with transaction.atomic():
                log_action(unit, "unit.lost")
                raise Rollback
        except Rollback:
            pass
        log_action(unit, "unit.kept")
    assert sum("pg_notify" in query["sql"] for query in queries) == 1
    assert chain_turn(timeout=5) == 4
    assert not AuditLog.objects.filter(action="unit.lost").exists()
    assert verify_chain() == (4, None, "")


@postgresql_only
def test_concurrent_writers_and_the_chainer_make_one_chain_in_commit_order() -> None:
    writers, each = 4, 20
    units = [UnitFactory(code=f"CHAINER-{w}") for w in range(writers)]
    listen()
    errors: list[BaseException] = []

    def writer(w: int) -> Callable[[], None]:
        def run() -> None:
            try:
                for n in range(each):
                    audited_change(units[w], n)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        return run

    threads = [in_thread(writer(w)) for w in range(writers)]
    while any(thread.is_alive() for thread in threads):
        chain_turn(timeout=0.2)
    for thread in threads:
        thread.join(10)
    assert not errors, errors
    chain_turn(timeout=0.01)
    rows = list(AuditLog.objects.order_by("seq"))
    assert [row.seq for row in rows] == list(range(1, writers * each + 1))
    assert not pending()
    for w in range(writers):  # each writer's rows in the order it committed them
        mine = [row.data["n"] for row in rows if row.object_id == str(units[w].pk)]
        assert mine == list(range(each))
    assert verify_chain() == (writers * each, None, "")


def test_the_loop_module_is_what_the_command_runs() -> None:
    assert run_audit_chainer.run_chainer is audit_chainer.run_chainer


def test_a_turn_chains_more_than_a_batch_in_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_chainer, "CHAIN_BATCH", 2)
    unit = UnitFactory()
    rows = [audited_change(unit, n) for n in range(5)]
    assert chain_turn(timeout=0.01) == 5  # passes of 2, 2 and 1: nothing left for the poll
    assert [row.pk for row in AuditLog.objects.order_by("seq")] == [row.pk for row in rows]


@pytest.mark.django_db(transaction=True)
def test_by_default_a_writer_sends_no_notification_and_the_poll_chains_its_row(
    settings: Any,
) -> None:
    settings.AUDIT_CHAINER_NOTIFY = False
    unit = UnitFactory()
    with CaptureQueriesContext(connection) as queries:
        audited_change(unit, 1)
    assert not [query for query in queries if "pg_notify" in query["sql"]]
    assert len(pending()) == 1
    assert chain_turn(timeout=0.01) == 1
    assert pending() == []
