"""backup_database / restore_database on the engine under test (SQLite or PostgreSQL): a backup
restores the data as it was, the restored audit chain verifies, and an edited chain is named."""

import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from danhgia.core.audit import log_action
from danhgia.core.models import AuditLog
from danhgia.organisations.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def audited_unit():  # type: ignore[no-untyped-def]
    user = UserFactory(username="sao_luu")
    unit = UnitFactory(code="SAO-LUU", name="Sở Sao lưu")
    for step in range(3):
        log_action(unit, f"unit.step{step}", by=user, data={"step": step})
    return unit


def test_backup_change_restore_verifies(audited_unit: Unit, tmp_path: Path) -> None:
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    assert backup.stat().st_size > 0
    assert not (tmp_path / "danhgia.backup.partial").exists()

    # Changes after the backup: a rename, a new unit, more audit rows.
    Unit.objects.filter(pk=audited_unit.pk).update(name="Đổi tên sau sao lưu")
    UnitFactory(code="SAU-SAO-LUU", name="Sinh sau sao lưu")
    log_action(audited_unit, "unit.after_backup")

    call_command("restore_database", str(backup), "--noinput")

    assert Unit.objects.get(pk=audited_unit.pk).name == "Sở Sao lưu"
    assert not Unit.objects.filter(code="SAU-SAO-LUU").exists()
    assert AuditLog.objects.count() == 3
    call_command("verify_audit_log")  # raises CommandError (exit 1) when broken


def test_a_tampered_backup_is_reported_broken(audited_unit: Unit, tmp_path: Path) -> None:
    backup = tmp_path / "danhgia.backup"
    middle = AuditLog.objects.order_by("id")[1]
    if connection.vendor == "sqlite":
        call_command("backup_database", str(backup))
        # Someone edits the backup file itself.
        with sqlite3.connect(backup) as edited:
            edited.execute(
                "UPDATE core_auditlog SET data = ? WHERE id = ?", ['{"step": 99}', middle.pk]
            )
        edited.close()
    else:
        # The custom format is compressed: the edit is made before the dump instead.
        AuditLog.objects.filter(pk=middle.pk).update(data={"step": 99})
        call_command("backup_database", str(backup))
        AuditLog.objects.filter(pk=middle.pk).update(data={"step": 1})

    with pytest.raises(CommandError, match=f"broken at row id={middle.pk}"):
        call_command("restore_database", str(backup), "--noinput")
    with pytest.raises(CommandError, match=f"row id={middle.pk}"):
        call_command("verify_audit_log")


def test_not_a_backup_is_refused_and_nothing_changes(audited_unit: Unit, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-backup.bin"
    bogus.write_bytes(b"hello, this is not a database")
    with pytest.raises(CommandError, match="not-a-backup.bin"):
        call_command("restore_database", str(bogus), "--noinput")
    with translation.override("en"), pytest.raises(CommandError, match="No backup file"):
        call_command("restore_database", str(tmp_path / "missing"), "--noinput")
    assert Unit.objects.filter(code="SAO-LUU").exists()
    call_command("verify_audit_log")


def test_restore_checks_the_anchors(audited_unit: Unit, tmp_path: Path) -> None:
    """Issue 15: a backup taken after the newest anchor restores and matches it."""
    call_command("anchor_audit_log")
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    out = StringIO()
    call_command("restore_database", str(backup), "--noinput", stdout=out)
    assert "3 rows verified, 1 anchors matched" in out.getvalue()


def test_restoring_an_older_backup_says_so(audited_unit: Unit, tmp_path: Path) -> None:
    """The anchor is newer than the restored chain: the restore names the rows it lacks."""
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    last = AuditLog.objects.order_by("-id").first()
    assert last is not None
    after = [log_action(audited_unit, "unit.after_backup") for _ in range(2)]
    call_command("anchor_audit_log")
    out, err = StringIO(), StringIO()
    call_command("restore_database", str(backup), "--noinput", stdout=out, stderr=err)
    assert f"Restored an older backup: rows after {last.pk} are not in it" in err.getvalue()
    assert f"records row {after[-1].pk}, 5 rows" in err.getvalue()
    assert "3 rows verified" in out.getvalue()


def test_a_recomputed_chain_in_a_backup_is_caught_by_the_anchor(
    audited_unit: Unit, tmp_path: Path
) -> None:
    """Someone edits a row and recomputes every later hash before the dump: the chain alone
    verifies, the anchor written before does not match."""
    call_command("anchor_audit_log")
    rows = list(AuditLog.objects.order_by("id"))
    AuditLog.objects.filter(pk=rows[1].pk).update(data={"step": 99})
    prev_hash = rows[0].hash
    for entry in AuditLog.objects.filter(id__gte=rows[1].pk).order_by("id"):
        entry.prev_hash = prev_hash
        entry.hash = entry.compute_hash()
        AuditLog.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
        prev_hash = entry.hash
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    with pytest.raises(CommandError, match=f"recomputed.*from row {rows[0].pk}"):
        call_command("restore_database", str(backup), "--noinput")
