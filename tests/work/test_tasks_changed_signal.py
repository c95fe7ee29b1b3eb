"""The work side tells the apps above it which task writes change what a month counts:
`tasks_changed`, with the task, where it was before a move and the writer (issue 16; that
evaluations rescores in the same transaction: tests/evaluations/test_sheets_follow_tasks.py)."""

from collections.abc import Iterator
from typing import Any

import pytest

from danhgia.work.models import Task
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.extensions import answer_extension, request_extension
from danhgia.work.services.tasks import (
    cancel_task,
    comment,
    complete_task,
    reassign_task,
    report_progress,
)
from danhgia.work.signals import TaskPlace, place_of, tasks_changed
from tests.conftest import World
from tests.factories import PersonFactory
from tests.work.conftest import MakeTask, days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Sent = list[dict[str, Any]]


@pytest.fixture
def sent() -> Iterator[Sent]:
    """What `tasks_changed` carried."""
    found: Sent = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        kwargs.pop("signal")
        found.append(kwargs)

    tasks_changed.connect(receiver, dispatch_uid="test.sent")
    yield found
    tasks_changed.disconnect(dispatch_uid="test.sent")


def _one(sent: Sent) -> dict[str, Any]:
    assert len(sent) == 1
    return sent.pop()


def test_assign_complete_assess_and_cancel_send_the_task(
    world: World, make_task: MakeTask, sent: Sent
) -> None:
    task = make_task()
    assert _one(sent) == {
        "task_ids": [task.pk],
        "before": [],
        "by": world.users["manager"],
    }
    complete_task(task, by=world.users["staff"], on=days(0))
    assert _one(sent)["by"] == world.users["staff"]
    assess_task(task, by=world.users["manager"], meets_quality=True)
    assert _one(sent)["task_ids"] == [task.pk]
    other = make_task()
    sent.clear()
    cancel_task(other, by=world.users["manager"], reason="Không còn cần thiết")
    assert _one(sent)["task_ids"] == [other.pk]


def test_a_reassignment_says_where_the_task_was(
    world: World, make_task: MakeTask, sent: Sent
) -> None:
    task = make_task()
    where = place_of(task)
    sent.clear()
    other = PersonFactory(unit=world.division)
    reassign_task(task, by=world.users["manager"], new_owner=other, reason="Điều chỉnh")
    found = _one(sent)
    assert found["before"] == [where]
    assert where == TaskPlace(world.people["staff"].pk, world.division.pk, task.deadline)
    assert Task.objects.get(pk=task.pk).owner_id == other.pk


def test_only_an_approved_extension_moves_the_deadline_and_says_so(
    world: World, make_task: MakeTask, sent: Sent
) -> None:
    task = make_task()
    asked = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(20), reason="Chờ số liệu"
    )
    refused = days(30)
    sent.clear()
    answer_extension(asked, by=world.users["manager"], approve=False)
    assert sent == []
    asked = request_extension(
        task, by=world.users["staff"], proposed_deadline=refused, reason="Chờ số liệu"
    )
    answer_extension(asked, by=world.users["manager"], approve=True)
    assert _one(sent)["before"] == [
        TaskPlace(world.people["staff"].pk, world.division.pk, days(10))
    ]


def test_progress_and_comments_change_nothing_counted(
    world: World, make_task: MakeTask, sent: Sent
) -> None:
    task = make_task()
    sent.clear()
    report_progress(task, by=world.users["staff"], progress=40)
    comment(task, by=world.users["manager"], text="Nhanh lên")
    assert sent == []
