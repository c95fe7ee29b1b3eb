import pytest
from django.core.management import CommandError, call_command

from danhgia.core.audit import GENESIS_HASH, log_action, verify_chain
from danhgia.core.models import AuditLog
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def chain(db, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    user = UserFactory(username="nguoighi")
    unit = UnitFactory(name="Sở Thử")
    # Each row's transaction commits: the rows are chained after it, as in the application.
    with django_capture_on_commit_callbacks(execute=True):
        return [log_action(unit, f"unit.step{i}", by=user, data={"i": i}) for i in range(4)]


def test_rows_link_to_the_previous_hash(chain: list[AuditLog]) -> None:
    assert chain[0].prev_hash == GENESIS_HASH
    assert [row.prev_hash for row in chain[1:]] == [row.hash for row in chain[:-1]]
    assert chain[2].object_type == "organisations.unit"
    assert chain[2].actor.username == "nguoighi"


def test_intact_chain_verifies(chain: list[AuditLog]) -> None:
    assert verify_chain() == (4, None, "")
    call_command("verify_audit_log")


def test_edited_row_is_named(chain: list[AuditLog]) -> None:
    AuditLog.objects.filter(pk=chain[1].pk).update(data={"i": 99})
    checked, broken, why = verify_chain()
    assert (checked, broken.pk if broken else None) == (1, chain[1].pk)
    assert "edited" in why
    with pytest.raises(CommandError, match=f"row id={chain[1].pk}"):
        call_command("verify_audit_log")


def test_deleted_row_breaks_the_next_one(chain: list[AuditLog]) -> None:
    AuditLog.objects.filter(pk=chain[2].pk).delete()
    checked, broken, why = verify_chain()
    assert (checked, broken.pk if broken else None) == (2, chain[3].pk)
    assert "removed" in why


def test_data_is_stored_as_json(db, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    import datetime

    with django_capture_on_commit_callbacks(execute=True):
        entry = log_action(None, "system.test", data={"on": datetime.date(2026, 1, 31)})
    entry.refresh_from_db()
    assert entry.data == {"on": "2026-01-31"}
    assert entry.compute_hash() == entry.hash
