"""The demo evaluation: `seed_demo` builds three decided months and one open month of Sở Nội
vụ through the services, once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from danhgia.core import clock
from danhgia.core.audit import verify_chain
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_has_three_closed_months_and_one_open_and_seeding_again_changes_nothing() -> None:
    output = seed()

    assert "Đã tạo đánh giá mô phỏng của Sở Nội vụ" in output
    # The monthly demo's four months are the last ones. The annual demo adds last year's
    # quarters, and in February and March the months of last year's last quarter that the
    # monthly demo does not hold (all closed).
    every_month = list(
        Period.objects.filter(organisation__code="SNV", kind=Period.Kind.MONTH).order_by("start")
    )
    periods, earlier = every_month[-4:], every_month[:-4]
    assert [period.state for period in periods] == [Period.State.CLOSED] * 3 + [Period.State.OPEN]
    assert {period.state for period in earlier} <= {Period.State.CLOSED}
    assert periods[3].start == clock.today().replace(day=1)
    for period in periods[:3]:
        statuses = set(period.sheets.values_list("status", flat=True))
        assert statuses == {Sheet.Status.DECIDED}
        assert period.sheets.count() > 30
    current = periods[3].sheets
    assert current.filter(status=Sheet.Status.SUBMITTED).exists()
    assert current.filter(status=Sheet.Status.REVIEWED).count() == 1
    assert current.filter(status=Sheet.Status.DRAFT).exists()
    deviations = Sheet.objects.filter(status=Sheet.Status.DECIDED).exclude(decided_level=F("band"))
    assert deviations.exclude(decision_reason="").exists()
    assert not deviations.filter(decision_reason="").exists()
    assert AuditLog.objects.filter(action="sheet.returned").exists()
    closed = AuditLog.objects.filter(action="period.closed")
    assert {str(period.pk) for period in periods[:3]} <= set(
        closed.values_list("object_id", flat=True)
    )
    checked, broken, _why = verify_chain()
    assert broken is None and checked > 0
    call_command("verify_audit_log", stdout=StringIO())

    counts = (Sheet.objects.count(), AuditLog.objects.count(), Period.objects.count())
    again = seed()
    assert "Đánh giá mô phỏng đã có sẵn: không thay đổi gì." in again
    assert (Sheet.objects.count(), AuditLog.objects.count(), Period.objects.count()) == counts
