"""What the task services share: fetching a task for update, guards, snapshots, labels."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.work.models import EvidenceFile, Task, TaskUpdate
from danhgia.work.permissions import can_manage_task
from danhgia.work.services import WorkError
from danhgia.work.services.evidence import CheckedFile, check_evidence

MAX_FILES_PER_UPDATE = 10


def event(task: Task, text: str, *, by: User | None) -> TaskUpdate:
    return TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.EVENT, text=text, created_at=clock.now()
    )


def day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def task_url(task: Task) -> str:
    return reverse("work:task_detail", args=[task.pk])


def locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",)).select_related("owner", "unit").get(pk=task.pk)
    )


def is_owner(task: Task, user: User) -> bool:
    return task.owner.user_id is not None and task.owner.user_id == user.pk


def require_owner(task: Task, by: User) -> None:
    if not is_owner(task, by):
        raise WorkError(
            _("Only %(name)s, who is accountable for this task, can do this.")
            % {"name": task.owner.full_name}
        )


def require_open(task: Task) -> None:
    if task.status == Task.Status.CANCELLED:
        raise WorkError(_("This task was cancelled: nothing more can be done on it."))
    if task.status == Task.Status.DONE:
        raise WorkError(_("This task is already done. Add a comment if something must change."))


def require_assigner(task: Task, by: User) -> None:
    if task.assigned_by_id != by.pk:
        raise WorkError(_("Only the person who assigned this task can do this."))


def require_manager(task: Task, by: User) -> None:
    if not can_manage_task(by, task):
        raise WorkError(
            _("Only the assigner or a leader over this unit can reassign or cancel the task.")
        )


def state(task: Task) -> dict[str, Any]:
    return {
        "status": task.status,
        "progress": task.progress,
        "deadline": task.deadline,
        "owner": task.owner.employee_code,
        "completed_on": task.completed_on,
    }


def check_files(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    if len(files) > MAX_FILES_PER_UPDATE:
        raise WorkError(
            _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES_PER_UPDATE}
        )
    return [check_evidence(upload) for upload in files]


def file_data(stored: list[EvidenceFile]) -> list[dict[str, Any]]:
    return [
        {"id": item.pk, "name": item.original_name, "size": item.size, "sha256": item.sha256}
        for item in stored
    ]
