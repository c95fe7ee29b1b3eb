"""Monthly work plans: every transition and guard of the plan services, with audit rows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from danhgia.core.models import Notification
from danhgia.organisations.models import Role, UnitRole
from danhgia.work.models import PlanItem, Task, WorkPlan
from danhgia.work.services import WorkError
from danhgia.work.services import plans as services
from danhgia.work.services.catalogue import revise_product_type
from danhgia.work.services.tasks import complete_task
from tests.conftest import World
from tests.factories import JobPositionFactory, PersonFactory, UserFactory
from tests.work.test_plan_helpers import (
    FIRST_OF_MONTH,
    actions,
    approved_plan,
    first_item,
    product,
    staff_plan,
    submitted_plan,
)

pytestmark = pytest.mark.usefixtures("english")

DUE = FIRST_OF_MONTH + datetime.timedelta(days=20)


# Creating


@pytest.mark.django_db
def test_a_person_creates_one_plan_per_month_and_it_is_logged(world: World) -> None:
    staff = world.people["staff"]
    plan = services.create_plan(
        world.division, staff, FIRST_OF_MONTH + datetime.timedelta(days=9), by=staff.user
    )
    assert (plan.month, plan.status, plan.person, plan.unit) == (
        FIRST_OF_MONTH,
        WorkPlan.Status.DRAFT,
        staff,
        world.division,
    )
    assert actions(plan) == ["plan.created"]
    with pytest.raises(WorkError, match="There is already a plan for"):
        services.create_plan(world.division, staff, FIRST_OF_MONTH, by=staff.user)
    assert WorkPlan.objects.count() == 1


@pytest.mark.django_db
def test_nobody_creates_a_plan_for_someone_else(world: World) -> None:
    with pytest.raises(WorkError, match="You cannot create this plan"):
        services.create_plan(
            world.division, world.people["staff"], FIRST_OF_MONTH, by=world.users["manager"]
        )
    with pytest.raises(WorkError, match="own unit"):
        services.create_plan(
            world.dept, world.people["staff"], FIRST_OF_MONTH, by=world.users["staff"]
        )
    assert WorkPlan.objects.count() == 0


@pytest.mark.django_db
def test_unit_plans_are_for_leaders_one_per_unit_and_month(world: World) -> None:
    with pytest.raises(WorkError, match="You cannot create this plan"):
        services.create_plan(world.division, None, FIRST_OF_MONTH, by=world.users["staff"])
    plan = services.create_plan(world.division, None, FIRST_OF_MONTH, by=world.users["manager"])
    assert plan.person is None
    with pytest.raises(WorkError, match="There is already a plan"):
        services.create_plan(world.division, None, FIRST_OF_MONTH, by=world.users["head"])


# Items of a draft


@pytest.mark.django_db
def test_items_of_a_personal_plan_belong_to_its_person(world: World) -> None:
    plan = staff_plan(world, items=0)
    item = services.add_item(
        plan, by=world.users["staff"], title="  Báo cáo   tháng ", due_date=DUE
    )
    assert (item.owner, item.title, item.quantity) == (
        world.people["staff"],
        "Báo cáo tháng",
        Decimal(1),
    )
    with pytest.raises(WorkError, match="belongs to that person"):
        services.add_item(
            plan, by=world.users["staff"], title="X", due_date=DUE, owner=world.people["manager"]
        )
    with pytest.raises(WorkError, match="must not be before the month"):
        services.add_item(
            plan,
            by=world.users["staff"],
            title="X",
            due_date=FIRST_OF_MONTH - datetime.timedelta(days=1),
        )
    with pytest.raises(WorkError, match="quantity must be greater than zero"):
        services.add_item(plan, by=world.users["staff"], title="X", due_date=DUE, quantity=0)
    with pytest.raises(WorkError, match="You cannot change this plan"):
        services.add_item(plan, by=world.users["manager"], title="X", due_date=DUE)
    assert list(plan.items.values_list("title", flat=True)) == ["Báo cáo tháng"]


@pytest.mark.django_db
def test_an_item_takes_products_of_the_units_catalogue_and_the_owners_position(
    world: World,
) -> None:
    plan = staff_plan(world, items=0)
    foreign = product(world, code="NS", unit=world.dept_other)
    with pytest.raises(WorkError, match="is not in the product catalogue of"):
        services.add_item(
            plan, by=world.users["staff"], title="X", due_date=DUE, product_type=foreign
        )
    other_position = product(world, code="KT", job_position=JobPositionFactory(code="KT"))
    with pytest.raises(WorkError, match="another job position"):
        services.add_item(
            plan, by=world.users["staff"], title="X", due_date=DUE, product_type=other_position
        )
    province_wide = product(world, code="TINH-1", unit=world.province)
    item = services.add_item(
        plan, by=world.users["staff"], title="X", due_date=DUE, product_type=province_wide
    )
    assert item.product_type == province_wide


@pytest.mark.django_db
def test_unit_plan_items_need_one_owner_of_the_unit(world: World) -> None:
    plan = services.create_plan(world.division, None, FIRST_OF_MONTH, by=world.users["manager"])
    with pytest.raises(WorkError, match="Choose the one person"):
        services.add_item(plan, by=world.users["manager"], title="X", due_date=DUE)
    with pytest.raises(WorkError, match="does not work in"):
        services.add_item(
            plan,
            by=world.users["manager"],
            title="X",
            due_date=DUE,
            owner=world.people["staff_other"],
        )
    item = services.add_item(
        plan, by=world.users["manager"], title="X", due_date=DUE, owner=world.people["staff"]
    )
    assert item.owner == world.people["staff"]


@pytest.mark.django_db
def test_a_draft_item_is_deleted_by_the_author_only(world: World) -> None:
    plan = staff_plan(world, items=2)
    with pytest.raises(WorkError, match="You cannot change this plan"):
        services.delete_item(first_item(plan), by=world.users["manager"])
    services.delete_item(first_item(plan), by=world.users["staff"])
    assert list(plan.items.values_list("title", flat=True)) == ["Văn bản số 2"]


# Submitting, returning


@pytest.mark.django_db
def test_submit_needs_an_item_and_happens_once(world: World) -> None:
    empty = staff_plan(world, items=0)
    with pytest.raises(WorkError, match="Add at least one item"):
        services.submit_plan(empty, by=world.users["staff"])
    plan = staff_plan(world, items=1, month=FIRST_OF_MONTH.replace(year=FIRST_OF_MONTH.year + 1))
    services.submit_plan(plan, by=world.users["staff"])
    with pytest.raises(WorkError, match="already been submitted"):
        services.submit_plan(plan, by=world.users["staff"])
    plan.refresh_from_db()
    assert (plan.status, plan.submitted_by) == (WorkPlan.Status.SUBMITTED, world.users["staff"])
    assert actions(plan) == ["plan.created", "plan.submitted"]
    notices = Notification.objects.filter(recipient=world.users["manager"], kind="plan.submitted")
    assert [notice.message.startswith("Nguyễn Văn An submitted") for notice in notices] == [True]


@pytest.mark.django_db
def test_only_the_author_submits(world: World) -> None:
    plan = staff_plan(world)
    with pytest.raises(WorkError, match="You cannot submit this plan"):
        services.submit_plan(plan, by=world.users["manager"])


@pytest.mark.django_db
def test_a_submitted_plan_cannot_be_edited(world: World) -> None:
    plan = submitted_plan(world)
    with pytest.raises(WorkError, match="Only a draft plan can be changed"):
        services.add_item(plan, by=world.users["staff"], title="X", due_date=DUE)
    with pytest.raises(WorkError, match="Only a draft plan can be changed"):
        services.delete_item(first_item(plan), by=world.users["staff"])


@pytest.mark.django_db
def test_return_sends_the_plan_back_to_draft_with_a_reason(world: World) -> None:
    plan = submitted_plan(world)
    with pytest.raises(WorkError, match="Say why"):
        services.return_plan(plan, by=world.users["manager"], reason="  ")
    with pytest.raises(WorkError, match="You cannot approve or return"):
        services.return_plan(plan, by=world.users["staff"], reason="Thiếu việc")
    services.return_plan(plan, by=world.users["manager"], reason="Thiếu báo cáo quý")
    plan.refresh_from_db()
    assert (plan.status, plan.return_reason, plan.submitted_by) == (
        WorkPlan.Status.DRAFT,
        "Thiếu báo cáo quý",
        None,
    )
    assert actions(plan)[-1] == "plan.returned"
    assert (
        Notification.objects.filter(recipient=world.users["staff"], kind="plan.returned").count()
        == 1
    )
    services.add_item(plan, by=world.users["staff"], title="Báo cáo quý", due_date=DUE)
    services.submit_plan(plan, by=world.users["staff"])
    with pytest.raises(WorkError, match="Only a submitted plan can be returned"):
        services.return_plan(
            services.approve_plan(plan, by=world.users["manager"]),
            by=world.users["manager"],
            reason="x",
        )


# Approving


@pytest.mark.django_db
def test_approval_turns_every_item_into_a_task_of_its_owner(world: World) -> None:
    plan = submitted_plan(world, items=2)
    services.approve_plan(plan, by=world.users["manager"])
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.is_locked) == (
        WorkPlan.Status.APPROVED,
        world.users["manager"],
        True,
    )
    items = list(plan.items.select_related("task", "product_type").order_by("pk"))
    tasks = [item.task for item in items]
    assert [
        (t.title, t.owner, t.unit, t.assigned_by, t.source, t.quantity, t.coefficient, t.due_date)
        for t in tasks  # type: ignore[union-attr]
    ] == [
        (
            item.title,
            world.people["staff"],
            world.division,
            world.users["manager"],
            Task.Source.PLAN,
            Decimal(2),
            Decimal("1.5"),
            DUE,
        )
        for item in items
    ]
    assert [t.product_type for t in tasks] == [item.product_type for item in items]  # type: ignore[union-attr]
    assert actions(plan) == ["plan.created", "plan.submitted", "plan.approved"]
    assert [actions(t) for t in tasks] == [["task.assigned"], ["task.assigned"]]


@pytest.mark.django_db
def test_nobody_approves_their_own_plan(world: World) -> None:
    manager = world.people["manager"]
    plan = services.create_plan(world.division, manager, FIRST_OF_MONTH, by=manager.user)
    services.add_item(plan, by=manager.user, title="Tổng hợp báo cáo", due_date=DUE)
    services.submit_plan(plan, by=manager.user)
    with pytest.raises(WorkError, match="You cannot approve or return"):
        services.approve_plan(plan, by=manager.user)
    assert services.approve_plan(plan, by=world.users["head"]).status == WorkPlan.Status.APPROVED


@pytest.mark.django_db
def test_a_unit_plan_is_not_approved_by_who_submitted_it(world: World) -> None:
    plan = services.create_plan(world.division, None, FIRST_OF_MONTH, by=world.users["manager"])
    services.add_item(
        plan, by=world.users["manager"], title="X", due_date=DUE, owner=world.people["staff"]
    )
    services.submit_plan(plan, by=world.users["manager"])
    with pytest.raises(WorkError, match="You cannot approve or return"):
        services.approve_plan(plan, by=world.users["manager"])
    services.approve_plan(plan, by=world.users["head"])
    assert Task.objects.get().assigned_by == world.users["head"]


@pytest.mark.parametrize("persona", ["staff", "staff_other", "head_other", "hr", "supervisor"])
@pytest.mark.django_db
def test_approval_outside_a_leading_scope_is_refused(world: World, persona: str) -> None:
    plan = submitted_plan(world)
    with pytest.raises(WorkError, match="You cannot approve or return"):
        services.approve_plan(plan, by=world.users[persona])
    plan.refresh_from_db()
    assert (plan.status, Task.objects.count()) == (WorkPlan.Status.SUBMITTED, 0)


@pytest.mark.django_db
def test_a_draft_is_not_approved(world: World) -> None:
    with pytest.raises(WorkError, match="Only a submitted plan can be approved"):
        services.approve_plan(staff_plan(world), by=world.users["manager"])


@pytest.mark.django_db
def test_a_task_is_scored_with_the_catalogue_version_in_force_on_its_due_date(
    world: World,
) -> None:
    plan = submitted_plan(world)
    item = first_item(plan)
    assert item.product_type is not None
    revise_product_type(
        item.product_type, by=world.users["hr"], valid_from=DUE, coefficient=Decimal("3")
    )
    services.approve_plan(plan, by=world.users["manager"])
    task = Task.objects.get()
    assert (task.coefficient, task.product_type.valid_from) == (Decimal("3"), DUE)  # type: ignore[union-attr]


# After approval


@pytest.mark.django_db
def test_an_approved_plan_is_locked_for_its_author(world: World) -> None:
    plan = approved_plan(world)
    with pytest.raises(WorkError, match="Only a draft plan can be changed"):
        services.add_item(plan, by=world.users["staff"], title="X", due_date=DUE)
    with pytest.raises(WorkError, match="Only the approver or the head"):
        services.add_item_after_approval(plan, by=world.users["staff"], title="X", due_date=DUE)
    with pytest.raises(WorkError, match="Only the approver or the head"):
        services.remove_item(first_item(plan), by=world.users["staff"], reason="x")


@pytest.mark.django_db
def test_the_approver_adds_an_item_with_its_task_at_once(world: World) -> None:
    plan = approved_plan(world)
    item = services.add_item_after_approval(
        plan,
        by=world.users["manager"],
        title="Báo cáo đột xuất",
        due_date=DUE,
        quantity=Decimal(1),
    )
    assert item.added_after_approval
    assert item.task is not None
    assert (item.task.owner, item.task.assigned_by, item.task.source, item.task.title) == (
        world.people["staff"],
        world.users["manager"],
        Task.Source.PLAN,
        "Báo cáo đột xuất",
    )
    assert actions(plan)[-1] == "plan.item_added"
    assert (
        services.add_item_after_approval(
            plan, by=world.users["head"], title="Việc của Giám đốc giao", due_date=DUE
        ).task.assigned_by  # type: ignore[union-attr]
        == world.users["head"]
    )
    with pytest.raises(WorkError, match="not approved yet"):
        services.add_item_after_approval(
            staff_plan(world, items=0, month=FIRST_OF_MONTH.replace(year=2040)),
            by=world.users["manager"],
            title="X",
            due_date=datetime.date(2040, 1, 20),
        )


@pytest.mark.django_db
def test_another_manager_of_the_unit_does_not_change_an_approved_plan(world: World) -> None:
    deputy = PersonFactory(unit=world.division, user=UserFactory(username="deputy"))
    UnitRole.objects.create(user=deputy.user, unit=world.division, role=Role.MANAGER)
    plan = approved_plan(world)
    with pytest.raises(WorkError, match="Only the approver or the head"):
        services.add_item_after_approval(plan, by=deputy.user, title="X", due_date=DUE)


@pytest.mark.django_db
def test_removing_an_item_after_approval_cancels_its_task_and_is_logged(world: World) -> None:
    plan = approved_plan(world, items=2)
    item = first_item(plan)
    with pytest.raises(WorkError, match="Say why"):
        services.remove_item(item, by=world.users["manager"], reason=" ")
    services.remove_item(item, by=world.users["manager"], reason="Chuyển sang tháng sau")
    item.refresh_from_db()
    task = Task.objects.get(pk=item.task_id)
    assert (item.removed_reason, item.removed_at is not None) == ("Chuyển sang tháng sau", True)
    assert (task.status, task.cancelled_reason) == (
        Task.Status.CANCELLED,
        "Chuyển sang tháng sau",
    )
    assert actions(plan)[-1] == "plan.item_removed"
    assert actions(task) == ["task.assigned", "task.cancelled"]
    with pytest.raises(WorkError, match="already been removed"):
        services.remove_item(item, by=world.users["manager"], reason="again")
    assert PlanItem.objects.filter(plan=plan).count() == 2


@pytest.mark.django_db
def test_a_done_task_stays_in_the_plan(world: World) -> None:
    plan = approved_plan(world)
    item = first_item(plan)
    complete_task(item.task, by=world.users["staff"], on=timezone.localdate())  # type: ignore[arg-type]
    with pytest.raises(WorkError, match="is done; it stays in the plan"):
        services.remove_item(item, by=world.users["manager"], reason="x")
