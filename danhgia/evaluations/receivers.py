"""What evaluations does when the work side writes: the sheets a task write makes stale are
rescored in that write, by its writer (docs/decisions.md, "A GET never writes")."""

from collections.abc import Sequence
from typing import Any

from danhgia.accounts.models import User
from danhgia.evaluations.services.sheets import recompute_open_sheets_for_tasks
from danhgia.work.signals import TaskPlace, tasks_changed


def sheets_follow_tasks(
    sender: Any, *, task_ids: Sequence[int], before: Sequence[TaskPlace], by: User | None, **_: Any
) -> None:
    recompute_open_sheets_for_tasks(task_ids, by=by, before=before)


def connect() -> None:
    tasks_changed.connect(sheets_follow_tasks, dispatch_uid="evaluations.sheets_follow_tasks")
