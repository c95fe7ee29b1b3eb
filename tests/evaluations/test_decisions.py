"""The head's decision: who, when, reasons, vetoes, the quota, accepting all proposals, and
that a decided sheet never changes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Discipline, Finding, Period, Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.periods import change_deadlines
from danhgia.evaluations.services.sheets import (
    recompute_sheet,
    return_sheet,
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, UnitRole
from danhgia.work.services.assessment import assess_task
from tests.conftest import World
from tests.evaluations.conftest import (
    FULL_SCORES,
    MakeTask,
    OpenOctober,
    oct_,
    scores,
    sheet_of,
)
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")

GOOD = scores(5, 5, 5)  # 15 + 70 task points = 85: "good"
EXCELLENT = FULL_SCORES  # 30 + 70 = 100: "excellent"


def _colleagues(world: World, make_task: MakeTask, count: int) -> list[str]:
    """`count` more people in the staff member's division; everyone there (the staff member
    too) gets one task done on time meeting quality: 70 task points each."""
    keys = []
    for number in range(count):
        key = f"cv{number}"
        user = UserFactory(username=key)
        world.people[key] = PersonFactory(
            full_name=f"Chuyên Viên {number}", unit=world.division, user=user
        )
        world.users[key] = user
        keys.append(key)
    for key in ["staff", *keys]:
        make_task(key, done_on=oct_(10), meets_quality=True)
    return keys


def _reviewed(
    world: World, period: Period, key: str, general: dict[str, Decimal], level: str = ""
) -> Sheet:
    """Self-evaluated and reviewed with the same scores; the manager proposes `level`, by
    default the band those scores give with 70 task points."""
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=general, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=owner)
    level = level or ("excellent" if general == EXCELLENT else "good")
    return submit_review(sheet, by=world.users["manager"], scores=general, proposed_level=level)


# Who and when


@pytest.mark.django_db
def test_the_head_decides_a_reviewed_sheet(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period, "staff", GOOD)
    assert sheet.band == "good"
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=world.users["manager"], level="good")
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=world.users["head_other"], level="good")
    with pytest.raises(EvaluationError, match="not a level"):
        decide_sheet(sheet, by=world.users["head"], level="best")
    sheet = decide_sheet(sheet, by=world.users["head"], level="good")
    assert (sheet.status, sheet.decided_level, sheet.decided_by) == (
        Sheet.Status.DECIDED,
        "good",
        world.users["head"],
    )
    assert sheet.decided_at is not None
    entry = AuditLog.objects.get(action="sheet.decided")
    assert entry.data["before"]["status"] == "reviewed"
    assert entry.data["after"]["decided_level"] == "good"
    assert entry.data["after"]["decided_by"] == world.users["head"].pk
    notice = Notification.objects.get(recipient=world.users["staff"], kind="sheet.decided")
    assert "Hoàn thành tốt nhiệm vụ" in notice.message


@pytest.mark.django_db
def test_a_sheet_is_decided_only_after_review(world: World, open_october: OpenOctober) -> None:
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    with pytest.raises(EvaluationError, match="once the manager has reviewed it"):
        decide_sheet(sheet, by=world.users["head"], level="not_completed")
    save_self_evaluation(sheet, by=world.users["staff"], scores=GOOD, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=world.users["staff"])
    with pytest.raises(EvaluationError, match="once the manager has reviewed it"):
        decide_sheet(sheet, by=world.users["head"], level="not_completed")


@pytest.mark.django_db
def test_the_head_decides_a_submitted_sheet_when_nobody_else_reviews(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    sheet = sheet_of(period, world.people["manager"])
    assert sheet.reviewer == sheet.decider == world.users["head"]
    save_self_evaluation(sheet, by=world.users["manager"], scores=GOOD, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=world.users["manager"])
    sheet = decide_sheet(sheet, by=world.users["head"], level="not_completed")
    assert sheet.status == Sheet.Status.DECIDED


@pytest.mark.django_db
def test_deciding_after_the_deadline_is_refused(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period, "staff", GOOD)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    change_deadlines(
        period,
        by=world.users["hr"],
        deadlines={
            "self_evaluation_due": yesterday,
            "review_due": yesterday,
            "decision_due": yesterday,
        },
    )
    with pytest.raises(EvaluationError, match="The deadline for the decision was"):
        decide_sheet(sheet, by=world.users["head"], level="good")
    with pytest.raises(EvaluationError, match="The deadline for the decision was"):
        accept_all_proposals(period, world.dept, by=world.users["head"])
    assert Sheet.objects.get(pk=sheet.pk).status == Sheet.Status.REVIEWED


@pytest.mark.django_db
def test_an_acting_head_stands_in_when_the_head_is_gone(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period, "staff", GOOD)
    acting = UserFactory(username="quyen")
    PersonFactory(full_name="Quyền Giám Đốc", unit=world.dept, user=acting)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    UnitRole.objects.create(
        user=acting, unit=world.dept, role=Role.HEAD, acting=True, valid_from=yesterday
    )
    with pytest.raises(EvaluationError, match="Only the head who decides"):
        decide_sheet(sheet, by=acting, level="good")
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=yesterday)
    sheet = decide_sheet(sheet, by=acting, level="good")
    assert sheet.decided_by == acting


# Reasons and vetoes


@pytest.mark.django_db
def test_a_level_other_than_the_band_needs_a_reason(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = _reviewed(world, period, "staff", GOOD)
    with pytest.raises(EvaluationError, match="Give the reason for the difference"):
        decide_sheet(sheet, by=world.users["head"], level="completed")
    sheet = decide_sheet(
        sheet, by=world.users["head"], level="completed", reason="Chậm báo cáo nhiều lần"
    )
    assert (sheet.decided_level, sheet.decision_reason) == ("completed", "Chậm báo cáo nhiều lần")


@pytest.mark.django_db
def test_a_discipline_forces_not_completed(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    Discipline.objects.create(
        person=world.people["staff"],
        form=Discipline.Form.REPRIMAND,
        channel=Discipline.Channel.ADMINISTRATIVE,
        decision_number="12/QĐ-KL",
        decided_on=datetime.date(2026, 3, 1),
        effective_from=datetime.date(2026, 3, 2),
    )
    sheet = _reviewed(world, period, "staff", EXCELLENT)
    with pytest.raises(EvaluationError, match="whatever the score"):
        decide_sheet(sheet, by=world.users["head"], level="excellent")
    with pytest.raises(EvaluationError, match="whatever the score"):
        decide_sheet(sheet, by=world.users["head"], level="good", reason="Vẫn tốt")
    sheet = decide_sheet(sheet, by=world.users["head"], level="not_completed")
    assert (sheet.decided_level, sheet.veto) == ("not_completed", "discipline_reprimand_or_higher")
    assert "reprimand" in sheet.veto_reason


@pytest.mark.django_db
def test_a_finding_of_corruption_vetoes_only_a_leader(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    for key in ("staff", "manager"):
        Finding.objects.create(
            person=world.people[key],
            kind=Finding.Kind.CORRUPTION_IN_LED_UNIT,
            concluded_on=oct_(5),
            reference="KL 5/UBKT",
        )
    world.people["manager"].is_leader = True
    world.people["manager"].save(update_fields=["is_leader"])
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    staff = _reviewed(world, period, "staff", GOOD)
    assert decide_sheet(staff, by=world.users["head"], level="good").veto == ""
    manager = sheet_of(period, world.people["manager"])
    save_self_evaluation(manager, by=world.users["manager"], scores=GOOD, proposed_level="good")
    manager = submit_self_evaluation(manager, by=world.users["manager"])
    manager = decide_sheet(manager, by=world.users["head"], level="not_completed")
    assert manager.veto == "corruption_in_led_unit"


# The quota


@pytest.mark.django_db
def test_quota_is_judged_on_how_the_round_can_end_not_on_the_order(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    """An "excellent" decided before any "good" passes: the round can still end within the
    quota (every open level could be "good"). The decision that makes it impossible is the
    one refused, naming the "excellent" to lower."""
    keys = _colleagues(world, make_task, 5)
    period = open_october()
    head = world.users["head"]
    first = decide_sheet(_reviewed(world, period, keys[3], EXCELLENT), by=head, level="excellent")
    assert (first.decided_level, first.quota_exception) == ("excellent", False)
    # At best staff, cv0-cv2, the manager and the HR officer end "good": 6 allow one.
    other = _reviewed(world, period, keys[4], EXCELLENT)
    with pytest.raises(EvaluationError, match="Over the quota: not allowed") as refused:
        decide_sheet(other, by=head, level="excellent", use_exception=True, reason="Giỏi")
    assert "Chuyên Viên 3" in str(refused.value)  # the "excellent" to reopen and lower
    # The head may still decide the level below, with the reason it departs from the band.
    other = decide_sheet(other, by=head, level="good", reason="Vượt tỷ lệ")
    for key in ["staff", *keys[:3]]:
        assert decide_sheet(_reviewed(world, period, key, GOOD), by=head, level="good")


@pytest.mark.django_db
def test_quota_allows_the_exception_with_a_reason(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    keys = _colleagues(world, make_task, 2)
    period = open_october()
    for key in ["staff", keys[0]]:
        decide_sheet(_reviewed(world, period, key, GOOD), by=world.users["head"], level="good")
    # At best 4 "good" (2 decided, the manager's and the HR officer's open sheets): 20 % is
    # 0.8, rounded down to 0; the exception share 25 % gives 1.
    sheet = _reviewed(world, period, keys[1], EXCELLENT)
    with pytest.raises(EvaluationError, match="use the exception"):
        decide_sheet(sheet, by=world.users["head"], level="excellent")
    with pytest.raises(EvaluationError, match="reason for using the exception"):
        decide_sheet(sheet, by=world.users["head"], level="excellent", use_exception=True)
    sheet = decide_sheet(
        sheet,
        by=world.users["head"],
        level="excellent",
        use_exception=True,
        reason="Đơn vị có thành tích xuất sắc trong tháng",
    )
    assert (sheet.decided_level, sheet.quota_exception) == ("excellent", True)


@pytest.mark.django_db
def test_quota_allows_within_the_share(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    keys = _colleagues(world, make_task, 5)
    period = open_october()
    for key in ["staff", *keys[:4]]:
        decide_sheet(_reviewed(world, period, key, GOOD), by=world.users["head"], level="good")
    sheet = decide_sheet(
        _reviewed(world, period, keys[4], EXCELLENT), by=world.users["head"], level="excellent"
    )
    assert (sheet.decided_level, sheet.quota_exception) == ("excellent", False)


# Accepting all proposals


@pytest.mark.django_db
def test_accept_all_proposals_decides_the_plain_ones_and_reports_the_rest(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    keys = _colleagues(world, make_task, 8)
    Discipline.objects.create(
        person=world.people[keys[5]],
        form=Discipline.Form.WARNING,
        channel=Discipline.Channel.PARTY,
        decision_number="3-QĐ/UBKT",
        decided_on=oct_(1),
        effective_from=oct_(1),
    )
    period = open_october()
    plain = [_reviewed(world, period, key, GOOD) for key in ("staff", *keys[:4])]
    over = _reviewed(world, period, keys[4], GOOD, level="excellent")  # band "good"
    vetoed = _reviewed(world, period, keys[5], GOOD)
    second_best = _reviewed(world, period, keys[6], scores(10, 10, 9), level="excellent")
    best = _reviewed(world, period, keys[7], EXCELLENT)
    waiting = sheet_of(period, world.people["manager"])  # still a draft
    result = accept_all_proposals(period, world.dept, by=world.users["head"])
    decided = {sheet.pk for sheet in result.decided}
    skipped = {item.sheet.pk: item.reason for item in result.skipped}
    # 5 "good" allow one "excellent" (20 % rounded down): the higher score gets it.
    assert (second_best.total, best.total) == (Decimal("99.00"), Decimal("100.00"))
    assert decided == {sheet.pk for sheet in plain} | {best.pk}
    assert set(skipped) == {over.pk, vetoed.pk, second_best.pk}
    assert "cannot be above the band of the score" in skipped[over.pk]  # Art. 20
    assert "A veto applies" in skipped[vetoed.pk]
    assert "Over the quota" in skipped[second_best.pk]
    assert Sheet.objects.get(pk=waiting.pk).status == Sheet.Status.DRAFT
    assert AuditLog.objects.filter(action="sheet.decided").count() == len(decided)
    # Nothing is left for a second pass but what needs the head's own decision.
    again = accept_all_proposals(period, world.dept, by=world.users["head"])
    assert again.decided == []


@pytest.mark.django_db
def test_accept_all_touches_only_the_users_own_sheets(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    _reviewed(world, period, "staff", GOOD)
    result = accept_all_proposals(period, world.province, by=world.users["head_other"])
    assert (result.decided, result.skipped) == ([], [])


# A decided sheet never changes


@pytest.mark.django_db
def test_a_decided_sheet_is_immutable(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = decide_sheet(
        _reviewed(world, period, "staff", GOOD), by=world.users["head"], level="good"
    )
    frozen = {field.attname: getattr(sheet, field.attname) for field in Sheet._meta.concrete_fields}
    lines = list(sheet.task_lines.values())
    attempts = [
        lambda: save_self_evaluation(sheet, by=world.users["staff"], scores=FULL_SCORES),
        lambda: submit_self_evaluation(sheet, by=world.users["staff"]),
        lambda: return_sheet(sheet, by=world.users["manager"], reason="Sửa lại"),
        lambda: submit_review(
            sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="excellent"
        ),
        lambda: decide_sheet(sheet, by=world.users["head"], level="completed", reason="Đổi ý"),
    ]
    for attempt in attempts:
        with pytest.raises(EvaluationError, match="has been decided"):
            attempt()
    assess_task(task, by=world.users["manager"], meets_quality=False)
    recompute_sheet(sheet)
    sheet = Sheet.objects.get(pk=sheet.pk)
    assert {
        field.attname: getattr(sheet, field.attname) for field in Sheet._meta.concrete_fields
    } == frozen
    assert list(sheet.task_lines.values()) == lines


@pytest.mark.django_db
def test_accept_all_lists_the_sheets_the_head_reviews_themself(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    sheet = sheet_of(period, world.people["manager"])
    assert (sheet.reviewer, sheet.decider) == (world.users["head"], world.users["head"])
    save_self_evaluation(sheet, by=world.users["manager"], scores=GOOD, proposed_level="good")
    submit_self_evaluation(sheet, by=world.users["manager"])

    result = accept_all_proposals(period, world.dept, by=world.users["head"])

    assert [(skipped.sheet.pk, skipped.reason) for skipped in result.skipped] == [
        (sheet.pk, "You review this sheet yourself: open it and decide it on its own.")
    ]
    assert Sheet.objects.get(pk=sheet.pk).status == Sheet.Status.SUBMITTED
