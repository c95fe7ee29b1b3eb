"""What the work side tells the apps above it, which it may not import (the layers run one
way): `tasks_changed`, sent by every task write that changes what a month counts.

Sent inside the write's transaction, so a receiver's writes (evaluations rescores the sheets
the tasks count on) commit or roll back with it. Keyword arguments: `task_ids`, `before` (the
`TaskPlace` of each task before the write when its owner, unit or deadline moved) and `by`
(the user who wrote, or None for the system).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.dispatch import Signal

from danhgia.accounts.models import User
from danhgia.work.models import Task

tasks_changed = Signal()


@dataclass(frozen=True)
class TaskPlace:
    """Where a task counts: its owner's month (by the deadline in force) and its unit."""

    owner_id: int
    unit_id: int
    deadline: datetime.date


def place_of(task: Task) -> TaskPlace:
    return TaskPlace(task.owner_id, task.unit_id, task.deadline)


def send_tasks_changed(
    tasks: Iterable[Task], *, by: User | None, before: Iterable[TaskPlace] = ()
) -> None:
    """Tell the receivers that `tasks` changed (call inside the write's transaction)."""
    tasks_changed.send(
        sender=Task, task_ids=[task.pk for task in tasks], before=list(before), by=by
    )
