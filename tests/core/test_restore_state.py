"""Issue 15: `restore_database` checks the restored state against the restored audit log
(`verify_state`) after the chain and its anchors, names the values changed outside the
application, and still recognises an older backup. SQLite and PostgreSQL (DATABASE_URL)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from danhgia.core.audit import log_action
from danhgia.evaluations.models import Period
from danhgia.reports.dashboards.models import IntegrityCheck
from tests.conftest import World
from tests.evaluations.conftest import (  # noqa: F401 (fixtures)
    MakeTask,
    OpenOctober,
    english,
    make_task,
    nd335,
    open_october,
)
from tests.evaluations.test_reopen import decided_department

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


@pytest.fixture
def anchors(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    settings.AUDIT_ANCHOR_KEY = "test-anchor-key-" + "k" * 32
    return Path(settings.AUDIT_ANCHOR_DIR)


@pytest.fixture
def decided(world: World, open_october: OpenOctober, make_task: MakeTask) -> Period:  # noqa: F811
    return decided_department(world, open_october, make_task)


def restore(backup: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("restore_database", str(backup), "--noinput", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_restore_checks_the_state_after_the_chain(
    decided: Period, anchors: Path, tmp_path: Path
) -> None:
    call_command("anchor_audit_log")
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    out, _err = restore(backup)
    assert "1 anchors matched" in out
    assert out.index("Audit log intact") < out.index("State matches the audit log")
    assert IntegrityCheck.objects.get().ok  # the run is recorded, as the nightly one


def test_a_value_changed_outside_the_application_in_the_backup_is_named(
    world: World, decided: Period, anchors: Path, tmp_path: Path
) -> None:
    sheet = decided.sheets.get(person=world.people["staff"])
    call_command("anchor_audit_log")
    with connection.cursor() as cursor:  # raw SQL: the chain stays intact, the state does not
        cursor.execute(
            "UPDATE evaluations_sheet SET decided_level='excellent' WHERE id=%s", [sheet.pk]
        )
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="state does not match its audit log") as caught:
        call_command("restore_database", str(backup), "--noinput", stdout=out, stderr=err)
    assert "Audit log intact" in out.getvalue()  # the chain and anchors were checked first
    assert "1 mismatches" in str(caught.value)
    assert f" {sheet.pk} ({world.people['staff'].full_name}" in err.getvalue()
    assert "decided_level is «excellent" in err.getvalue()
    assert not IntegrityCheck.objects.get().ok


def test_an_older_backup_is_recognised_and_its_state_checked(
    world: World, decided: Period, anchors: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "danhgia.backup"
    call_command("backup_database", str(backup))
    for step in range(2):
        log_action(decided, "period.noted", data={"step": step})
    call_command("anchor_audit_log")
    out, err = restore(backup)
    assert "Restored an older backup: rows after" in err
    assert "Audit log of the backup intact" in out
    assert "State matches the audit log" in out
