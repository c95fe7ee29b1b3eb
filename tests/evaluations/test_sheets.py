"""A sheet before the decision: computed from real tasks, self-evaluated, reviewed, returned."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.facts import task_facts_by_owner
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import (
    can_decide,
    can_manage_periods,
    can_review,
    can_self_evaluate,
    can_view_sheet,
)
from danhgia.evaluations.queries import periods_visible_to, sheets_to_review, sheets_visible_to
from danhgia.evaluations.rules.facts import fact_from_task
from danhgia.evaluations.rules.schema import parse_rulebook
from danhgia.evaluations.rules.scoring import score_tasks
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.periods import change_deadlines
from danhgia.evaluations.services.sheets import (
    current_lines,
    recompute_open_sheets_for_tasks,
    recompute_sheet,
    return_sheet,
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, UnitRole
from danhgia.work.models import Task
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.tasks import cancel_task
from danhgia.work.signals import place_of
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


def _actions(sheet: Sheet) -> list[str]:
    return list(
        AuditLog.objects.filter(object_type="evaluations.sheet", object_id=str(sheet.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# Computing from tasks


@pytest.mark.django_db
def test_the_domain_worked_example_from_real_tasks(
    world: World, open_october: OpenOctober, worked_example: list[Task]
) -> None:
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    assert (sheet.quantity_pct, sheet.quality_pct, sheet.timeliness_pct) == (
        Decimal("93.750"),
        Decimal("90.625"),
        Decimal("87.500"),
    )
    assert sheet.task_points == Decimal("63.44")
    assert sheet.unit_result_pct is None
    sheet = save_self_evaluation(
        sheet, by=world.users["staff"], scores=scores(9, 9, 9), proposed_level="excellent"
    )
    assert (sheet.self_general, sheet.total, sheet.band) == (
        Decimal("27.00"),
        Decimal("90.44"),
        "excellent",
    )
    lines = {line.title: line for line in current_lines(sheet)}
    assert lines["Văn bản tham mưu"].quality_credit == Decimal("3.75")
    assert lines["Báo cáo chuyên đề"].timeliness_credit == Decimal("1.5")
    assert lines["Hồ sơ thẩm định 4"].converted_done == 0
    assert len(lines) == 6


@pytest.mark.django_db
def test_sheet_figures_equal_the_engines_on_a_realistic_month(
    world: World, open_october: OpenOctober, make_task: MakeTask, worked_example: list[Task]
) -> None:
    extra = [
        make_task(due=oct_(3), done_on=oct_(9), meets_quality=True, major_errors=2),
        make_task(due=oct_(5), done_on=oct_(8), meets_quality=True, objective_cause=True),
        make_task(due=oct_(6), done_on=oct_(6), meets_quality=False),
        make_task(due=oct_(7), done_on=oct_(7)),  # not assessed yet
        make_task(due=oct_(30)),  # open
    ]
    cancelled = make_task(due=oct_(12))
    cancel_task(cancelled, by=world.users["manager"], reason="Không còn cần thiết")
    make_task(due=datetime.date(2026, 11, 5))  # due next month: not October's
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    tasks = Task.objects.filter(pk__in=[task.pk for task in worked_example + extra])
    expected = score_tasks(
        parse_rulebook(period.rulebook), [fact_from_task(task) for task in tasks]
    )
    assert (sheet.quantity_pct, sheet.quality_pct, sheet.timeliness_pct) == (
        expected.a,
        expected.b,
        expected.c,
    )
    assert sheet.task_points == expected.task_points
    assert sheet.total == expected.task_points
    assert sorted(line.task_id for line in current_lines(sheet)) == sorted(
        task.pk for task in tasks
    )
    # The bulk facts read the tasks exactly as the engine's own reader.
    facts = task_facts_by_owner(period, [world.people["staff"].pk])[world.people["staff"].pk]
    assert sorted(facts, key=lambda fact: fact.task_id) == sorted(
        (fact_from_task(task) for task in tasks), key=lambda fact: fact.task_id
    )


@pytest.mark.django_db
def test_a_task_whose_deadline_moved_out_of_the_period_stops_counting(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(due=oct_(30))
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    assert [line.task_id for line in current_lines(sheet)] == [task.pk]
    # An approved extension moves the deadline in force and says where the task was (as
    # `answer_extension` does): a draft stores no lines to find it by.
    before = place_of(task)
    Task.objects.filter(pk=task.pk).update(deadline=datetime.date(2026, 11, 10))
    assert recompute_open_sheets_for_tasks([task.pk], before=[before]) == 1
    assert current_lines(sheet) == []
    entry = AuditLog.objects.get(action="sheet.recomputed")
    assert (entry.data["before"], entry.data["after"]) == ({"no_tasks": False}, {"no_tasks": True})


@pytest.mark.django_db
def test_scores_follow_task_assessments_until_submission(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    assert sheet.quality_pct == Decimal("100.000")
    assess_task(task, by=world.users["manager"], meets_quality=False)
    # The assessment rescored the sheet in its own write, the assigner as actor.
    sheet.refresh_from_db()
    assert sheet.quality_pct == Decimal("0.000")
    recomputed = AuditLog.objects.get(action="sheet.recomputed")
    assert recomputed.actor == world.users["manager"]
    assert recomputed.data["before"]["quality_pct"] == "100.000"
    assert recomputed.data["after"]["quality_pct"] == "0.000"
    # Recomputing again with nothing changed logs nothing.
    recompute_sheet(sheet)
    assert AuditLog.objects.filter(action="sheet.recomputed").count() == 1
    save_self_evaluation(sheet, by=world.users["staff"], scores=FULL_SCORES, proposed_level="good")
    assess_task(task, by=world.users["manager"], meets_quality=True)
    # Submitting refreshes one last time ...
    sheet = submit_self_evaluation(sheet, by=world.users["staff"])
    assert sheet.quality_pct == Decimal("100.000")
    # ... and the results freeze there.
    assess_task(task, by=world.users["manager"], meets_quality=False)
    assert recompute_open_sheets_for_tasks([task.pk]) == 0
    sheet = recompute_sheet(sheet)
    assert sheet.quality_pct == Decimal("100.000")


@pytest.mark.django_db
def test_recompute_open_sheets_for_tasks(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(done_on=oct_(10), meets_quality=True)
    other = make_task("staff_other", by="head_other", done_on=oct_(10), meets_quality=True)
    period = open_october()
    # Changed behind the services' back (a task write would have rescored them itself).
    Task.objects.filter(pk__in=[task.pk, other.pk]).update(meets_quality=False)
    assert recompute_open_sheets_for_tasks([task.pk, other.pk]) == 2
    assert sheet_of(period, world.people["staff"]).quality_pct == 0
    assert sheet_of(period, world.people["staff_other"]).quality_pct == 0


# Self-evaluation


@pytest.mark.django_db
def test_save_checks_owner_ranges_criteria_and_levels(
    world: World, open_october: OpenOctober
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    with pytest.raises(EvaluationError, match="Only Nguyễn Văn An"):
        save_self_evaluation(sheet, by=world.users["manager"], scores=FULL_SCORES)
    with pytest.raises(EvaluationError, match="from 0 to 10"):
        save_self_evaluation(sheet, by=world.users["staff"], scores=scores(11, 1, 1))
    with pytest.raises(EvaluationError, match="from 0 to 10"):
        save_self_evaluation(sheet, by=world.users["staff"], scores=scores(-1, 1, 1))
    with pytest.raises(EvaluationError, match="not a criterion"):
        save_self_evaluation(sheet, by=world.users["staff"], scores={"charm": Decimal(5)})
    with pytest.raises(EvaluationError, match="not a level"):
        save_self_evaluation(sheet, by=world.users["staff"], scores={}, proposed_level="heroic")
    assert _actions(sheet) == []
    sheet = save_self_evaluation(
        sheet,
        by=world.users["staff"],
        scores={"ethics": Decimal("9.5")},
        strengths="Chủ động",
        proposed_level="good",
    )
    assert (sheet.self_scores, sheet.self_general, sheet.total) == (
        {"ethics": "9.5"},
        Decimal("9.50"),
        Decimal("9.50"),
    )
    entry = AuditLog.objects.get(action="sheet.self_saved")
    assert entry.data["before"]["strengths"] == ""
    assert entry.data["after"]["strengths"] == "Chủ động"
    assert set(entry.data["after"]) == {
        "self_scores",
        "self_general",
        "strengths",
        "self_level",
        "total",
    }


@pytest.mark.django_db
def test_submit_needs_every_criterion_and_a_level_and_happens_once(
    world: World, open_october: OpenOctober
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    staff = world.users["staff"]
    save_self_evaluation(sheet, by=staff, scores={"ethics": 9})
    with pytest.raises(EvaluationError, match="Score every criterion"):
        submit_self_evaluation(sheet, by=staff)
    save_self_evaluation(sheet, by=staff, scores=FULL_SCORES)
    with pytest.raises(EvaluationError, match="Propose a level"):
        submit_self_evaluation(sheet, by=staff)
    save_self_evaluation(sheet, by=staff, scores=FULL_SCORES, proposed_level="good")
    with pytest.raises(EvaluationError, match="Only Nguyễn Văn An"):
        submit_self_evaluation(sheet, by=world.users["manager"])
    sheet = submit_self_evaluation(sheet, by=staff)
    assert sheet.status == Sheet.Status.SUBMITTED
    assert sheet.self_submitted_at is not None
    with pytest.raises(EvaluationError, match="already submitted"):
        submit_self_evaluation(sheet, by=staff)
    with pytest.raises(EvaluationError, match="already submitted"):
        save_self_evaluation(sheet, by=staff, scores=FULL_SCORES)
    entry = AuditLog.objects.get(action="sheet.self_submitted")
    assert (entry.data["before"], entry.data["after"]["status"]) == (
        {"status": "draft"},
        "submitted",
    )
    assert Notification.objects.filter(
        recipient=world.users["manager"], kind="sheet.self_submitted"
    ).exists()


@pytest.mark.django_db
def test_submission_after_the_deadline_names_it_and_who_to_ask(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    change_deadlines(period, by=world.users["hr"], deadlines={"self_evaluation_due": yesterday})
    sheet = sheet_of(period, world.people["staff"])
    save_self_evaluation(sheet, by=world.users["staff"], scores=FULL_SCORES, proposed_level="good")
    with pytest.raises(EvaluationError) as error:
        submit_self_evaluation(sheet, by=world.users["staff"])
    message = str(error.value)
    assert yesterday.strftime("%d/%m/%Y") in message or yesterday.strftime("%m/%d/%Y") in message
    assert "Đặng Thu Hà" in message
    assert message.startswith("The deadline for self-evaluation was")


# Review and return


def _submitted(world: World, period: Period, key: str = "staff") -> Sheet:
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=scores(8, 8, 8), proposed_level="good")
    return submit_self_evaluation(sheet, by=owner)


@pytest.mark.django_db
def test_return_needs_the_reviewer_and_a_reason_and_notifies(
    world: World, open_october: OpenOctober
) -> None:
    sheet = _submitted(world, open_october())
    with pytest.raises(EvaluationError, match="Only the manager who reviews"):
        return_sheet(sheet, by=world.users["head_other"], reason="Sai")
    with pytest.raises(EvaluationError, match="Only the manager who reviews"):
        return_sheet(sheet, by=world.users["staff"], reason="Sai")
    with pytest.raises(EvaluationError, match="Say what must be corrected"):
        return_sheet(sheet, by=world.users["manager"], reason="  ")
    sheet = return_sheet(sheet, by=world.users["manager"], reason="Bổ sung minh chứng")
    assert (sheet.status, sheet.return_reason) == (Sheet.Status.RETURNED, "Bổ sung minh chứng")
    notice = Notification.objects.get(recipient=world.users["staff"], kind="sheet.returned")
    assert "Bổ sung minh chứng" in notice.message
    with pytest.raises(EvaluationError, match="Only a submitted sheet"):
        return_sheet(sheet, by=world.users["manager"], reason="Lần nữa")
    # The owner corrects and submits again.
    save_self_evaluation(sheet, by=world.users["staff"], scores=FULL_SCORES, proposed_level="good")
    sheet = submit_self_evaluation(sheet, by=world.users["staff"])
    assert sheet.status == Sheet.Status.SUBMITTED
    assert _actions(sheet) == [
        "sheet.self_saved",
        "sheet.self_submitted",
        "sheet.returned",
        "sheet.self_saved",
        "sheet.self_submitted",
    ]


@pytest.mark.django_db
def test_review_scores_every_criterion_and_replaces_the_self_scores(
    world: World, open_october: OpenOctober
) -> None:
    sheet = _submitted(world, open_october())
    assert sheet.total == Decimal("24.00")
    with pytest.raises(EvaluationError, match="Only the manager who reviews"):
        submit_review(
            sheet, by=world.users["staff_other"], scores=FULL_SCORES, proposed_level="good"
        )
    with pytest.raises(EvaluationError, match="Score every criterion"):
        submit_review(sheet, by=world.users["manager"], scores={"ethics": 5}, proposed_level="good")
    with pytest.raises(EvaluationError, match="Propose a level"):
        submit_review(sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="")
    sheet = submit_review(
        sheet,
        by=world.users["manager"],
        scores=scores(7, "7.5", 6),
        comment="Cần chủ động hơn",
        proposed_level="not_completed",
    )
    assert sheet.status == Sheet.Status.REVIEWED
    assert (sheet.manager_general, sheet.total, sheet.manager_level) == (
        Decimal("20.50"),
        Decimal("20.50"),
        "not_completed",
    )
    entry = AuditLog.objects.get(action="sheet.reviewed")
    assert entry.data["before"]["status"] == "submitted"
    assert entry.data["after"]["manager_general"] == "20.50"
    with pytest.raises(EvaluationError, match="Only a submitted sheet"):
        submit_review(sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="good")


@pytest.mark.django_db
def test_a_draft_cannot_be_reviewed(world: World, open_october: OpenOctober) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    with pytest.raises(EvaluationError, match="Only a submitted sheet"):
        submit_review(sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="good")


@pytest.mark.django_db
def test_review_after_its_deadline_is_refused(world: World, open_october: OpenOctober) -> None:
    period = open_october()
    sheet = _submitted(world, period)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    change_deadlines(
        period,
        by=world.users["hr"],
        deadlines={"self_evaluation_due": yesterday, "review_due": yesterday},
    )
    with pytest.raises(EvaluationError, match="The deadline for the review was"):
        submit_review(sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="good")


@pytest.mark.django_db
def test_another_manager_stands_in_when_the_reviewer_is_gone(
    world: World, open_october: OpenOctober
) -> None:
    sheet = _submitted(world, open_october())
    successor = UserFactory(username="truongphong_moi")
    PersonFactory(full_name="Trưởng Phòng Mới", unit=world.division, user=successor)
    UnitRole.objects.create(
        user=successor, unit=world.division, role=Role.MANAGER, valid_from=oct_(1)
    )
    # While the named reviewer is still in office, nobody else reviews.
    with pytest.raises(EvaluationError, match="Only the manager who reviews"):
        submit_review(sheet, by=successor, scores=FULL_SCORES, proposed_level="good")
    UnitRole.objects.filter(user=world.users["manager"]).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    sheet = submit_review(sheet, by=successor, scores=FULL_SCORES, proposed_level="good")
    assert sheet.status == Sheet.Status.REVIEWED
    assert AuditLog.objects.get(action="sheet.reviewed").actor == successor


# Who sees a sheet and who may act on it


@pytest.mark.django_db
def test_sheets_visible_to_the_person_and_the_scopes_above(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    staff_sheet = sheet_of(period, world.people["staff"])
    other_sheet = sheet_of(period, world.people["staff_other"])
    no_role = UserFactory(username="khach")

    def visible(key: str) -> set[int]:
        return set(sheets_visible_to(world.users[key]).values_list("pk", flat=True))

    assert visible("staff") == {staff_sheet.pk}
    assert staff_sheet.pk in visible("manager") and other_sheet.pk not in visible("manager")
    assert staff_sheet.pk in visible("head") and other_sheet.pk not in visible("head")
    assert {staff_sheet.pk, other_sheet.pk} <= visible("hr")
    assert {staff_sheet.pk, other_sheet.pk} <= visible("supervisor")
    assert not sheets_visible_to(no_role).exists()
    for key in ("staff", "manager", "head", "hr", "supervisor"):
        assert can_view_sheet(world.users[key], staff_sheet), key
        assert (staff_sheet.pk in visible(key)) == can_view_sheet(world.users[key], staff_sheet)
    assert not can_view_sheet(world.users["staff_other"], staff_sheet)
    assert not can_view_sheet(world.users["head_other"], staff_sheet)
    assert set(periods_visible_to(world.users["staff"])) == {period}
    assert not periods_visible_to(no_role).exists()


@pytest.mark.django_db
def test_predicates_follow_the_sheet_through_its_life(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    users = world.users

    def who(predicate) -> set[str]:  # type: ignore[no-untyped-def]
        fresh = sheet_of(period, world.people["staff"])
        return {key for key, user in users.items() if predicate(user, fresh)}

    assert who(can_self_evaluate) == {"staff"}
    assert who(can_review) == who(can_decide) == set()
    save_self_evaluation(sheet, by=users["staff"], scores=FULL_SCORES, proposed_level="good")
    submit_self_evaluation(sheet, by=users["staff"])
    assert (who(can_self_evaluate), who(can_review), who(can_decide)) == (
        set(),
        {"manager"},
        set(),
    )
    submit_review(sheet, by=users["manager"], scores=FULL_SCORES, proposed_level="good")
    assert (who(can_review), who(can_decide)) == (set(), {"head"})
    assert {key for key, user in users.items() if can_manage_periods(user, world.dept)} == {
        "hr",
        "admin",
    }
    assert sheets_to_review(users["manager"]).count() == 0
