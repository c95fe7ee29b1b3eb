"""Nghị định 335, Art. 15 cl. 3 for leaders: d judged on the staff's final levels and rescored
until the leader's own decision; đ and e assessed by the reviewer among the rulebook's values;
a unit without tasks is never given 0 % silently."""

from decimal import Decimal

import pytest

from danhgia.evaluations.models import Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Person
from tests.conftest import World
from tests.evaluations.conftest import FULL_SCORES, MakeTask, OpenOctober, oct_, scores, sheet_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _seventy_percent(make_task: MakeTask) -> None:
    """The staff member's month: 7 of 10 converted units done on time meeting quality, so
    a = b = c = 70 % and 49 task points."""
    make_task(quantity=Decimal(7), done_on=oct_(10), meets_quality=True)
    make_task(quantity=Decimal(3), title="Báo cáo chưa xong")


def _leader(world: World) -> None:
    Person.objects.filter(pk=world.people["manager"].pk).update(is_leader=True)


def test_d_is_not_cut_by_staff_sheets_not_scored_yet(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    _leader(world)
    _seventy_percent(make_task)
    period = open_october()
    staff = sheet_of(period, world.people["staff"])
    manager = sheet_of(period, world.people["manager"])

    assert (staff.task_points, staff.band) == (Decimal("49.00"), "not_completed")
    assert manager.unit_result_pct == Decimal("100.000")
    assert manager.unit_result_staff == [
        {
            "person_id": world.people["staff"].pk,
            "name": "Nguyễn Văn An",
            "level": "",
            "level_name": "",
            "basis": "not_scored",
        }
    ]


def test_d_follows_the_staff_until_the_leader_is_decided(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    _leader(world)
    _seventy_percent(make_task)
    period = open_october()
    staff = sheet_of(period, world.people["staff"])
    manager = sheet_of(period, world.people["manager"])
    # The leader submits: their own task lines freeze, d still follows the staff.
    save_self_evaluation(
        manager, by=world.users["manager"], scores=FULL_SCORES, proposed_level="good"
    )
    submit_self_evaluation(manager, by=world.users["manager"])

    save_self_evaluation(
        staff, by=world.users["staff"], scores=scores(0, 0, 0), proposed_level="completed"
    )
    manager.refresh_from_db()
    assert manager.status == Sheet.Status.SUBMITTED
    assert manager.unit_result_pct == Decimal("50.000")
    assert manager.unit_result_staff[0]["basis"] == "estimate"

    save_self_evaluation(
        staff, by=world.users["staff"], scores=scores(9, 9, 9), proposed_level="good"
    )
    manager.refresh_from_db()
    assert manager.unit_result_pct == Decimal("100.000")
    assert manager.unit_result_staff[0]["level_name"] == "Hoàn thành tốt nhiệm vụ"

    submit_self_evaluation(staff, by=world.users["staff"])
    submit_review(staff, by=world.users["manager"], scores=scores(9, 9, 9), proposed_level="good")
    decide_sheet(
        staff,
        by=world.users["head"],
        level="not_completed",
        reason="Chưa hoàn thành báo cáo được giao",
    )
    manager.refresh_from_db()
    assert manager.unit_result_pct == Decimal("50.000")
    assert manager.unit_result_staff[0]["basis"] == "decided"
    # Task points: mean(own 0 (no own work), d 50, đ 100, e 100) = 62.5 % of 70.
    assert manager.task_points == Decimal("43.75")


def test_the_reviewer_assesses_dd_and_e_among_the_rulebook_values(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    _leader(world)
    Person.objects.filter(pk=world.people["head"].pk).update(is_leader=True)
    period = open_october()  # the division has no task at all this month
    manager = sheet_of(period, world.people["manager"])
    assert manager.organising_pct == Decimal("100.000")  # provisional, not 0 %
    save_self_evaluation(
        manager, by=world.users["manager"], scores=FULL_SCORES, proposed_level="good"
    )
    submit_self_evaluation(manager, by=world.users["manager"])
    reviewer = manager.reviewer
    assert reviewer is not None

    for organising, uniting in ((None, None), (80, 100), (100, 0)):
        with pytest.raises(EvaluationError, match="choose one of 100 %, 50 %"):
            submit_review(
                manager,
                by=reviewer,
                scores=FULL_SCORES,
                proposed_level="good",
                organising=organising,
                uniting=uniting,
            )
    submit_review(
        manager,
        by=reviewer,
        scores=FULL_SCORES,
        proposed_level="good",
        organising=50,
        uniting=100,
    )
    manager.refresh_from_db()
    assert (manager.organising_assessed, manager.uniting_assessed) == (50, 100)
    assert (manager.organising_pct, manager.uniting_pct) == (Decimal("50.000"), Decimal("100.000"))
    # own 0 (no work assigned), d 100, đ 50, e 100: 62.5 % of 70.
    assert manager.no_tasks
    assert manager.task_points == Decimal("43.75")
