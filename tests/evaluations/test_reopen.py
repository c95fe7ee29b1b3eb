"""Reopening a decided sheet (HR or the head above the decider) and a decided or closed period
(HR), with a reason; the earlier decision stays as a version; audited and notified."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from danhgia.accounts.models import User
from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Period, Sheet, SheetVersion
from danhgia.evaluations.permissions import can_reopen_sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.appeals import submit_appeal
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import close_period
from danhgia.evaluations.services.reopen import reopen_period, reopen_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import SINCE, World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_, scores, sheet_of
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("english")

GOOD = scores(5, 5, 5)  # with one task done well (70 points): 85, "good"
REASON = "Quyết định nhầm mức do nhập sai điểm tiêu chí."


def add_chair(world: World) -> User:
    """A head of the province (a login without a person: no sheet of their own)."""
    chair = UserFactory(username="chair")
    UnitRole.objects.create(user=chair, unit=world.province, role=Role.HEAD, valid_from=SINCE)
    world.users["chair"] = chair
    return chair


def decide(world: World, period: Period, key: str, level: str = "", **options: object) -> Sheet:
    """`key`'s sheet self-evaluated with GOOD scores, reviewed by the manager when the manager
    reviews it, and decided by its decider at `level` (default: the band)."""
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=GOOD, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=owner)
    if sheet.reviewer_id not in (None, sheet.decider_id):
        sheet = submit_review(sheet, by=sheet.reviewer, scores=GOOD, proposed_level=sheet.band)
    assert sheet.decider is not None
    return decide_sheet(sheet, by=sheet.decider, level=level or sheet.band, **options)  # type: ignore[arg-type]


def decided_department(world: World, open_october: OpenOctober, make_task: MakeTask) -> Period:
    """October of Sở Nội vụ (staff, manager, hr, head), every sheet decided; the chair of the
    province decides for the head. Staff has one task done well: "good"."""
    add_chair(world)
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october(world.dept)
    for key in ("staff", "manager", "hr", "head"):
        decide(world, period, key)
    return period


@pytest.mark.django_db
def test_hr_reopens_a_decided_sheet_the_decision_stays_as_a_version_and_the_head_decides_again(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = decide(world, period, "staff")
    assert (sheet.decided_level, sheet.version) == ("good", 1)
    decided_at = sheet.decided_at

    sheet = reopen_sheet(sheet, by=world.users["hr"], reason=f"  {REASON} ")

    sheet.refresh_from_db()
    assert (sheet.status, sheet.version, sheet.decided_level, sheet.decided_by) == (
        Sheet.Status.REVIEWED,
        2,
        "",
        None,
    )
    assert (sheet.decided_at, sheet.decision_reason, sheet.manager_level) == (None, "", "good")
    version = SheetVersion.objects.get(sheet=sheet)
    assert (version.number, version.cause, version.reason, version.created_by) == (
        1,
        SheetVersion.Cause.REOPENED,
        REASON,
        world.users["hr"],
    )
    assert version.data["decided_level"] == "good"
    assert version.data["decided_by"] == world.users["head"].pk
    assert version.data["decided_at"] == decided_at.isoformat()  # type: ignore[union-attr]
    assert Decimal(version.data["total"]) == sheet.total
    entry = AuditLog.objects.get(action="sheet.reopened")
    assert (entry.object_id, entry.actor, entry.data["reason"]) == (
        str(sheet.pk),
        world.users["hr"],
        REASON,
    )
    assert entry.data["before"]["decided_level"] == "good"
    assert entry.data["after"] == {
        "status": "reviewed",
        "version": 2,
        "decided_level": "",
        "decision_reason": "",
        "veto": "",
        "veto_reason": "",
        "quota_exception": False,
        "decided_by": None,
        "decided_at": None,
    }
    notified = Notification.objects.filter(kind="sheet.reopened")
    assert sorted(notified.values_list("recipient__username", flat=True)) == [
        "head",
        "manager",
        "staff",
    ]

    sheet = decide_sheet(sheet, by=world.users["head"], level="completed", reason="Xem lại")
    assert (sheet.status, sheet.decided_level, sheet.version) == ("decided", "completed", 2)


@pytest.mark.django_db
def test_reopen_by_a_person_without_the_right_is_refused(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = decide(world, period, "staff")
    for key in ("staff", "manager", "head", "head_other", "supervisor"):
        assert not can_reopen_sheet(world.users[key], sheet), key
        with pytest.raises(EvaluationError, match="Only the HR officer or the head above"):
            reopen_sheet(sheet, by=world.users[key], reason=REASON)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.version) == (Sheet.Status.DECIDED, 1)
    assert not SheetVersion.objects.exists()
    assert not AuditLog.objects.filter(action="sheet.reopened").exists()


@pytest.mark.django_db
def test_the_head_above_the_decider_reopens_and_a_reviewed_by_decider_sheet_goes_to_submitted(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    add_chair(world)
    period = open_october()
    sheet = decide(world, period, "hr")  # reviewed and decided by the head of Sở Nội vụ
    assert (sheet.reviewer, sheet.decider, sheet.reviewed_at) == (
        world.users["head"],
        world.users["head"],
        None,
    )
    assert can_reopen_sheet(world.users["chair"], sheet)
    assert can_reopen_sheet(world.users["admin"], sheet)
    sheet = reopen_sheet(sheet, by=world.users["chair"], reason=REASON)
    assert (sheet.status, sheet.version) == (Sheet.Status.SUBMITTED, 2)
    decide_sheet(sheet, by=world.users["head"], level=sheet.band)


@pytest.mark.django_db
def test_reopening_needs_a_reason_a_decided_sheet_no_pending_appeal_and_a_deadline_ahead(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    with pytest.raises(EvaluationError, match="not decided"):
        reopen_sheet(sheet_of(period, world.people["staff"]), by=world.users["hr"], reason=REASON)
    sheet = decide(world, period, "staff")
    with pytest.raises(EvaluationError, match="Give the reason"):
        reopen_sheet(sheet, by=world.users["hr"], reason="   ")

    appeal = submit_appeal(sheet, by=world.users["staff"], text="Tôi đề nghị xem lại.")
    with pytest.raises(EvaluationError, match="appeal is waiting for an answer"):
        reopen_sheet(sheet, by=world.users["hr"], reason=REASON)
    appeal.delete()

    Period.objects.filter(pk=period.pk).update(
        self_evaluation_due=oct_(31), review_due=oct_(31), decision_due=oct_(31)
    )
    with pytest.raises(EvaluationError, match="The decision deadline of .* was 31/10/2026"):
        reopen_sheet(sheet, by=world.users["hr"], reason=REASON)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.version) == (Sheet.Status.DECIDED, 1)


@pytest.mark.django_db
def test_a_closed_period_is_reopened_by_hr_with_a_new_deadline_then_a_sheet_is_reopened(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = decided_department(world, open_october, make_task)
    period = close_period(period, by=world.users["hr"])
    staff_sheet = sheet_of(period, world.people["staff"])
    with pytest.raises(EvaluationError, match="reopens the period first"):
        reopen_sheet(staff_sheet, by=world.users["hr"], reason=REASON)

    today = timezone.localdate()
    with pytest.raises(EvaluationError, match="Only the HR officer or a system administrator"):
        reopen_period(period, by=world.users["head"], reason=REASON, decision_due=today)
    with pytest.raises(EvaluationError, match="Give the reason"):
        reopen_period(period, by=world.users["hr"], reason="", decision_due=today)
    with pytest.raises(EvaluationError, match="on or after"):
        reopen_period(
            period,
            by=world.users["hr"],
            reason=REASON,
            decision_due=today - datetime.timedelta(days=1),
        )
    before_due = period.decision_due
    new_due = before_due + datetime.timedelta(days=5)
    period = reopen_period(period, by=world.users["hr"], reason=REASON, decision_due=new_due)
    period.refresh_from_db()
    assert (period.state, period.closed_at, period.decision_due) == (
        Period.State.REVIEWING,
        None,
        new_due,
    )
    assert set(period.sheets.values_list("status", flat=True)) == {Sheet.Status.DECIDED}
    entry = AuditLog.objects.get(action="period.reopened")
    assert (entry.actor, entry.data["reason"], entry.data["before"]["state"]) == (
        world.users["hr"],
        REASON,
        "closed",
    )
    assert entry.data["before"]["decision_due"] == before_due.isoformat()
    assert sorted(
        Notification.objects.filter(kind="period.reopened").values_list(
            "recipient__username", flat=True
        )
    ) == ["chair", "head"]
    with pytest.raises(EvaluationError, match="still open"):
        reopen_period(period, by=world.users["hr"], reason=REASON, decision_due=today)

    sheet = reopen_sheet(staff_sheet, by=world.users["hr"], reason=REASON)
    sheet = decide_sheet(sheet, by=world.users["head"], level="completed", reason="Xem lại")
    period = close_period(period, by=world.users["hr"])
    assert period.state == Period.State.CLOSED
    assert list(sheet.versions.values_list("number", "cause")) == [(1, "reopened")]
