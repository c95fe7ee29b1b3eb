"""Every transition of a task and every guard, with its audit rows and notifications."""

from decimal import Decimal

import pytest

from danhgia.core.models import AuditLog, Notification
from danhgia.work.models import DeadlineExtension, Task, TaskUpdate
from danhgia.work.services import WorkError
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.extensions import answer_extension, request_extension
from danhgia.work.services.tasks import (
    assign_task,
    assign_to_many,
    cancel_task,
    comment,
    complete_task,
    reassign_task,
    report_progress,
)
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory
from tests.work.conftest import MakeTask, days

pytestmark = pytest.mark.usefixtures("english")


def _audit(task: Task) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(object_type="work.task", object_id=str(task.pk)).order_by("id")
    )


def _actions(task: Task) -> list[str]:
    return [entry.action for entry in _audit(task)]


def _notices(user, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=user, kind=kind)
        .order_by("id")
        .values_list("message", flat=True)
    )


def _colleague(world: World, name: str = "Đỗ Thị Lan"):  # type: ignore[no-untyped-def]
    """A second staff member of the division, with a login."""
    return PersonFactory(
        full_name=name, unit=world.division, user=UserFactory(username="colleague")
    )


# Assigning: one owner per task


@pytest.mark.django_db
def test_assigning_to_two_people_makes_two_tasks_each_with_one_owner(world: World) -> None:
    colleague = _colleague(world)
    tasks = assign_to_many(
        [world.people["staff"], colleague],
        by=world.users["manager"],
        title="Báo cáo chuyên đề",
        source=Task.Source.ASSIGNMENT,
        start_date=days(0),
        due_date=days(5),
        quantity=Decimal(2),
    )
    assert sorted(task.owner.full_name for task in tasks) == ["Nguyễn Văn An", "Đỗ Thị Lan"]
    assert len({task.pk for task in tasks}) == 2
    assert [task.unit for task in tasks] == [world.division, world.division]
    assert [_actions(task) for task in tasks] == [["task.assigned"], ["task.assigned"]]
    assert _notices(world.users["staff"], "task.assigned") == [
        f"New task: Báo cáo chuyên đề (due {days(5):%d/%m/%Y})."
    ]
    assert len(_notices(colleague.user, "task.assigned")) == 1


@pytest.mark.django_db
def test_assigning_the_same_person_twice_makes_one_task(world: World) -> None:
    staff = world.people["staff"]
    tasks = assign_to_many(
        [staff, staff],
        by=world.users["manager"],
        title="Một việc",
        source=Task.Source.ASSIGNMENT,
        start_date=days(0),
        due_date=days(5),
    )
    assert [task.owner for task in tasks] == [staff]


@pytest.mark.django_db
def test_a_task_needs_an_owner(world: World) -> None:
    common = {
        "by": world.users["manager"],
        "title": "Không ai làm",
        "source": Task.Source.ASSIGNMENT,
        "start_date": days(0),
        "due_date": days(5),
    }
    with pytest.raises(WorkError, match="Choose at least one person"):
        assign_to_many([], **common)
    with pytest.raises(WorkError, match="Choose the one person accountable"):
        assign_task(owner=None, unit=world.division, **common)  # type: ignore[arg-type]
    assert Task.objects.count() == 0


# Progress and comments


@pytest.mark.django_db
def test_owner_reports_progress(world: World, task: Task) -> None:
    update = report_progress(task, by=world.users["staff"], progress=40, text="Đã có dự thảo")
    task.refresh_from_db()
    assert (task.status, task.progress) == (Task.Status.IN_PROGRESS, 40)
    assert (update.kind, update.progress, update.text) == (
        TaskUpdate.Kind.PROGRESS,
        40,
        "Đã có dự thảo",
    )
    entry = _audit(task)[-1]
    assert entry.action == "task.progress_reported"
    assert entry.data["before"]["status"] == "not_started"
    assert entry.data["after"]["status"] == "in_progress"
    assert (entry.data["before"]["progress"], entry.data["after"]["progress"]) == (0, 40)
    assert entry.data["files"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "head", "staff_other"])
def test_only_the_owner_reports_progress(world: World, task: Task, persona: str) -> None:
    with pytest.raises(WorkError, match="Only Nguyễn Văn An"):
        report_progress(task, by=world.users[persona], progress=10)
    task.refresh_from_db()
    assert (task.status, task.progress) == (Task.Status.NOT_STARTED, 0)
    assert _actions(task) == ["task.assigned"]


@pytest.mark.django_db
@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_is_a_percentage(world: World, task: Task, progress: int) -> None:
    with pytest.raises(WorkError, match="from 0 to 100"):
        report_progress(task, by=world.users["staff"], progress=progress)


@pytest.mark.django_db
def test_assigner_and_coordinators_comment_others_do_not(world: World, make_task: MakeTask) -> None:
    task = make_task(coordinators=[world.people["head"]])
    comment(task, by=world.users["manager"], text="Chú ý số liệu quý III")
    comment(task, by=world.users["head"], text="Phối hợp với Sở Tài chính")
    with pytest.raises(WorkError, match="Only the owner, the coordinators and the assigner"):
        comment(task, by=world.users["hr"], text="Xem")
    with pytest.raises(WorkError, match="Write the comment first"):
        comment(task, by=world.users["staff"], text="   ")
    texts = list(task.updates.filter(kind=TaskUpdate.Kind.COMMENT).values_list("text", flat=True))
    assert texts == ["Chú ý số liệu quý III", "Phối hợp với Sở Tài chính"]
    assert _actions(task) == ["task.assigned", "task.commented", "task.commented"]
    assert _audit(task)[-1].data["text"] == "Phối hợp với Sở Tài chính"


# Completing


@pytest.mark.django_db
def test_owner_completes_and_the_assigner_is_told(world: World, task: Task) -> None:
    complete_task(task, by=world.users["staff"], on=days(0), text="Đã ban hành văn bản 12/SNV")
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == (Task.Status.DONE, 100, days(0))
    entry = _audit(task)[-1]
    assert entry.action == "task.completed"
    assert entry.data["days_late"] == 0
    assert entry.data["after"]["completed_on"] == days(0).isoformat()
    assert _notices(world.users["manager"], "task.completed") == [
        "Nguyễn Văn An completed: Tham mưu văn bản trả lời Sở Tư pháp. Assess it."
    ]


@pytest.mark.django_db
def test_late_completion_records_the_days_late(world: World, make_task: MakeTask) -> None:
    task = make_task(start_date=days(-10), due_date=days(-3))
    complete_task(task, by=world.users["staff"], on=days(-1))
    assert _audit(task)[-1].data["days_late"] == 2


@pytest.mark.django_db
def test_completing_a_cancelled_or_done_task_is_refused(world: World, make_task: MakeTask) -> None:
    cancelled = make_task()
    cancel_task(cancelled, by=world.users["manager"], reason="Sở Tư pháp đã tự trả lời")
    with pytest.raises(WorkError, match="was cancelled"):
        complete_task(cancelled, by=world.users["staff"], on=days(0))
    done = make_task()
    complete_task(done, by=world.users["staff"], on=days(0))
    with pytest.raises(WorkError, match="already done"):
        complete_task(done, by=world.users["staff"], on=days(0))
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.completed_on) == (Task.Status.CANCELLED, None)


@pytest.mark.django_db
def test_completion_date_is_not_in_the_future_nor_before_the_start(
    world: World, task: Task
) -> None:
    with pytest.raises(WorkError, match="cannot be in the future"):
        complete_task(task, by=world.users["staff"], on=days(1))
    with pytest.raises(WorkError, match="before the task started"):
        complete_task(task, by=world.users["staff"], on=days(-11))
    with pytest.raises(WorkError, match="Only Nguyễn Văn An"):
        complete_task(task, by=world.users["manager"], on=days(0))


# Deadline extensions


@pytest.mark.django_db
def test_owner_asks_for_an_extension_and_the_assigner_is_told(world: World, task: Task) -> None:
    extension = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(20), reason="Chờ số liệu"
    )
    assert (extension.status, extension.previous_deadline) == ("pending", days(10))
    entry = _audit(task)[-1]
    assert entry.action == "task.extension_requested"
    assert entry.data == {
        "extension": extension.pk,
        "deadline": days(10).isoformat(),
        "proposed_deadline": days(20).isoformat(),
        "reason": "Chờ số liệu",
    }
    assert _notices(world.users["manager"], "task.extension_requested") == [
        "Nguyễn Văn An asks to extend “Tham mưu văn bản trả lời Sở Tư pháp” to "
        f"{days(20):%d/%m/%Y}."
    ]


@pytest.mark.django_db
def test_extension_after_the_deadline_is_refused(world: World, make_task: MakeTask) -> None:
    task = make_task(start_date=days(-10), due_date=days(-1))
    with pytest.raises(WorkError, match="must be asked before the deadline"):
        request_extension(task, by=world.users["staff"], proposed_deadline=days(5), reason="Ốm")
    assert DeadlineExtension.objects.count() == 0


@pytest.mark.django_db
def test_extension_on_the_deadline_day_is_accepted(world: World, make_task: MakeTask) -> None:
    task = make_task(start_date=days(-10), due_date=days(0))
    request_extension(task, by=world.users["staff"], proposed_deadline=days(3), reason="Ốm")
    assert DeadlineExtension.objects.count() == 1


@pytest.mark.django_db
def test_extension_while_one_is_pending_is_refused(world: World, task: Task) -> None:
    request_extension(task, by=world.users["staff"], proposed_deadline=days(20), reason="Chờ")
    with pytest.raises(WorkError, match="already waiting"):
        request_extension(task, by=world.users["staff"], proposed_deadline=days(25), reason="Lại")
    assert DeadlineExtension.objects.count() == 1


@pytest.mark.django_db
def test_extension_needs_a_later_date_a_reason_and_the_owner(world: World, task: Task) -> None:
    staff = world.users["staff"]
    with pytest.raises(WorkError, match="after the current deadline"):
        request_extension(task, by=staff, proposed_deadline=days(10), reason="Chờ")
    with pytest.raises(WorkError, match="Explain why"):
        request_extension(task, by=staff, proposed_deadline=days(12), reason=" ")
    with pytest.raises(WorkError, match="Only Nguyễn Văn An"):
        request_extension(task, by=world.users["manager"], proposed_deadline=days(12), reason="x")
    assert DeadlineExtension.objects.count() == 0


@pytest.mark.django_db
def test_approved_extension_moves_the_deadline_not_the_due_date(world: World, task: Task) -> None:
    first = request_extension(task, by=world.users["staff"], proposed_deadline=days(15), reason="A")
    answer_extension(first, by=world.users["manager"], approve=True, note="Đồng ý")
    task.refresh_from_db()
    assert (task.due_date, task.deadline) == (days(10), days(15))
    entry = _audit(task)[-1]
    assert entry.action == "task.extension_answered"
    assert entry.data == {
        "extension": first.pk,
        "approved": True,
        "before": {"deadline": days(10).isoformat()},
        "after": {"deadline": days(15).isoformat()},
        "note": "Đồng ý",
    }
    assert _notices(world.users["staff"], "task.extension_answered") == [
        f"Extension approved: “Tham mưu văn bản trả lời Sở Tư pháp” is now due {days(15):%d/%m/%Y}."
    ]
    second = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(18), reason="B"
    )
    answer_extension(second, by=world.users["manager"], approve=False)
    task.refresh_from_db()
    assert task.deadline == days(15)
    history = list(task.extensions.values_list("previous_deadline", "proposed_deadline", "status"))
    assert history == [(days(10), days(15), "approved"), (days(15), days(18), "refused")]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff", "head", "hr"])
def test_only_the_assigner_answers_an_extension(world: World, task: Task, persona: str) -> None:
    extension = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(15), reason="A"
    )
    with pytest.raises(WorkError, match="Only the person who assigned"):
        answer_extension(extension, by=world.users[persona], approve=True)
    extension.refresh_from_db()
    assert extension.status == "pending"


@pytest.mark.django_db
def test_an_extension_is_answered_once(world: World, task: Task) -> None:
    extension = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(15), reason="A"
    )
    answer_extension(extension, by=world.users["manager"], approve=False)
    with pytest.raises(WorkError, match="already been answered"):
        answer_extension(extension, by=world.users["manager"], approve=True)


# Assessing


@pytest.mark.django_db
def test_assigner_assesses_a_done_task_and_may_reassess(world: World, task: Task) -> None:
    complete_task(task, by=world.users["staff"], on=days(0))
    assess_task(task, by=world.users["manager"], meets_quality=True, major_errors=1)
    task.refresh_from_db()
    assert (task.meets_quality, task.major_errors, task.assessed_by) == (
        True,
        1,
        world.users["manager"],
    )
    assert task.assessed_at is not None
    assess_task(
        task,
        by=world.users["manager"],
        meets_quality=True,
        major_errors=1,
        objective_cause=True,
        note="Văn bản gốc của Bộ sai số liệu",
    )
    first, second = [entry for entry in _audit(task) if entry.action == "task.assessed"]
    assert first.data["before"] is None
    assert first.data["after"]["major_errors"] == 1
    assert second.data["before"]["objective_cause"] is False
    assert second.data["after"]["objective_cause"] is True
    assert second.data["after"]["objective_cause_note"] == "Văn bản gốc của Bộ sai số liệu"
    assert len(_notices(world.users["staff"], "task.assessed")) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["head", "staff", "supervisor"])
def test_assessment_by_someone_who_did_not_assign_is_refused(
    world: World, task: Task, persona: str
) -> None:
    complete_task(task, by=world.users["staff"], on=days(0))
    with pytest.raises(WorkError, match="Only the person who assigned"):
        assess_task(task, by=world.users[persona], meets_quality=True)
    task.refresh_from_db()
    assert task.assessed_at is None


@pytest.mark.django_db
def test_only_done_tasks_are_assessed(world: World, task: Task) -> None:
    with pytest.raises(WorkError, match="Only a done task is assessed"):
        assess_task(task, by=world.users["manager"], meets_quality=True)


@pytest.mark.django_db
def test_objective_cause_needs_a_note(world: World, task: Task) -> None:
    complete_task(task, by=world.users["staff"], on=days(0))
    with pytest.raises(WorkError, match="Describe the objective cause"):
        assess_task(task, by=world.users["manager"], meets_quality=False, objective_cause=True)
    with pytest.raises(WorkError, match="cannot be negative"):
        assess_task(task, by=world.users["manager"], meets_quality=False, major_errors=-1)
    task.refresh_from_db()
    assert task.assessed_at is None


# Reassigning and cancelling


@pytest.mark.django_db
def test_reassign_logs_old_and_new_owner_and_tells_both(world: World, task: Task) -> None:
    colleague = _colleague(world)
    reassign_task(task, by=world.users["manager"], new_owner=colleague, reason="An nghỉ phép")
    task.refresh_from_db()
    assert task.owner == colleague
    entry = _audit(task)[-1]
    assert entry.action == "task.reassigned"
    assert entry.data == {
        "before": {"owner": "E-staff", "unit": "SNV-CC"},
        "after": {"owner": colleague.employee_code, "unit": "SNV-CC"},
        "reason": "An nghỉ phép",
    }
    assert _notices(colleague.user, "task.reassigned") == [
        f"Task handed to you: Tham mưu văn bản trả lời Sở Tư pháp (due {days(10):%d/%m/%Y})."
    ]
    assert _notices(world.users["staff"], "task.reassigned") == [
        "“Tham mưu văn bản trả lời Sở Tư pháp” was handed to Đỗ Thị Lan."
    ]


@pytest.mark.django_db
def test_head_over_the_unit_may_reassign_to_someone_in_scope(world: World, task: Task) -> None:
    reassign_task(task, by=world.users["head"], new_owner=world.people["hr"], reason="Đổi")
    task.refresh_from_db()
    assert (task.owner, task.unit) == (world.people["hr"], world.dept)


@pytest.mark.django_db
def test_reassign_guards(world: World, task: Task) -> None:
    manager = world.users["manager"]
    with pytest.raises(WorkError, match="already owns"):
        reassign_task(task, by=manager, new_owner=world.people["staff"], reason="x")
    with pytest.raises(WorkError, match="within the units where you assign"):
        reassign_task(task, by=manager, new_owner=world.people["staff_other"], reason="x")
    with pytest.raises(WorkError, match="Give the reason"):
        reassign_task(task, by=manager, new_owner=_colleague(world), reason="")
    with pytest.raises(WorkError, match="Only the assigner or a leader"):
        reassign_task(task, by=world.users["hr"], new_owner=world.people["head"], reason="x")
    complete_task(task, by=world.users["staff"], on=days(0))
    with pytest.raises(WorkError, match="already done"):
        reassign_task(task, by=manager, new_owner=world.people["head"], reason="x")
    assert "task.reassigned" not in _actions(task)


@pytest.mark.django_db
def test_cancel_keeps_the_task_and_its_history(world: World, task: Task) -> None:
    report_progress(task, by=world.users["staff"], progress=30)
    pending = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(20), reason="Chờ"
    )
    with pytest.raises(WorkError, match="Give the reason for cancelling"):
        cancel_task(task, by=world.users["manager"], reason=" ")
    cancel_task(task, by=world.users["manager"], reason="Văn bản đã bị thu hồi")
    task.refresh_from_db()
    assert (task.status, task.cancelled_reason) == ("cancelled", "Văn bản đã bị thu hồi")
    kinds = list(task.updates.values_list("kind", flat=True))
    assert kinds == ["event", "progress", "event", "event"]
    pending.refresh_from_db()
    assert (pending.status, pending.answered_by) == ("refused", world.users["manager"])
    entry = _audit(task)[-1]
    assert entry.action == "task.cancelled"
    assert entry.data["before"]["status"] == "in_progress"
    assert entry.data["after"]["status"] == "cancelled"
    assert entry.data["extensions_closed"] == [pending.pk]
    assert _actions(task) == [
        "task.assigned",
        "task.progress_reported",
        "task.extension_requested",
        "task.cancelled",
    ]
    assert _notices(world.users["staff"], "task.cancelled") == [
        "Task cancelled: Tham mưu văn bản trả lời Sở Tư pháp."
    ]
    with pytest.raises(WorkError, match="was cancelled"):
        cancel_task(task, by=world.users["manager"], reason="Lần nữa")


@pytest.mark.django_db
def test_staff_cannot_cancel(world: World, task: Task) -> None:
    with pytest.raises(WorkError, match="Only the assigner or a leader"):
        cancel_task(task, by=world.users["staff"], reason="Không muốn làm")
