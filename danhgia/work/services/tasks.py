"""Task writes: assign, and (see below) the whole life of a task. Guard, change, log."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import DeadlineExtension, ProductType, Task, TaskUpdate
from danhgia.work.permissions import can_assign_in, can_comment
from danhgia.work.services import WorkError
from danhgia.work.services.evidence import store_evidence
from danhgia.work.services.task_common import (
    check_files,
    day,
    event,
    file_data,
    locked,
    require_manager,
    require_open,
    require_owner,
    state,
    task_url,
)
from danhgia.work.signals import place_of, send_tasks_changed


@transaction.atomic
def assign_task(
    *,
    title: str,
    unit: Unit,
    owner: Person,
    by: User,
    source: str,
    start_date: datetime.date,
    due_date: datetime.date,
    product_type: ProductType | None = None,
    quantity: Decimal = Decimal(1),
    description: str = "",
    coordinators: Iterable[Person] = (),
    document_number: str = "",
    document_date: datetime.date | None = None,
    external_id: str = "",
) -> Task:
    """Create one task with exactly one owner; notify the owner. Logs `task.assigned`.

    The task keeps the coefficient of `product_type` as it is today, so later revisions of
    the catalogue do not change it. Raises WorkError on a missing owner or inverted dates.
    """
    if owner is None:
        raise WorkError(_("Choose the one person accountable for this task."))
    if due_date < start_date:
        raise WorkError(_("The due date must not be before the start date."))
    if quantity <= 0:
        raise WorkError(_("The quantity must be greater than zero."))
    if source == Task.Source.DOCUMENT and not document_number:
        raise WorkError(_("Give the number of the incoming document."))
    task = Task.objects.create(
        title=title.strip(),
        description=description.strip(),
        unit=unit,
        owner=owner,
        assigned_by=by,
        source=source,
        product_type=product_type,
        quantity=quantity,
        coefficient=product_type.coefficient if product_type else Decimal(1),
        start_date=start_date,
        due_date=due_date,
        deadline=due_date,
        document_number=document_number,
        document_date=document_date,
        external_id=external_id,
    )
    coordinator_list = [person for person in coordinators if person.pk != owner.pk]
    task.coordinators.set(coordinator_list)
    event(task, _("Assigned to %(name)s.") % {"name": owner.full_name}, by=by)
    send_tasks_changed([task], by=by)
    log_action(
        task,
        "task.assigned",
        by=by,
        data={
            "owner": owner.employee_code,
            "unit": unit.code,
            "due_date": due_date,
            "source": source,
            "product_type": product_type.code if product_type else None,
            "quantity": quantity,
            "coordinators": [person.employee_code for person in coordinator_list],
        },
    )
    url = reverse("work:task_detail", args=[task.pk])
    notify(
        owner.user,
        _("New task: %(title)s (due %(date)s).")
        % {"title": task.title, "date": due_date.strftime("%d/%m/%Y")},
        url=url,
        kind="task.assigned",
    )
    for person in coordinator_list:
        notify(
            person.user,
            _("You coordinate on: %(title)s.") % {"title": task.title},
            url=url,
            kind="task.coordinating",
        )
    return task


# The life of a task after assignment. Every function locks the task row first (two people
# may act on it at once), checks, changes, logs `task.<verb>` and notifies last.

TASK_ACTION_LABELS: dict[str, Any] = {
    "task.assigned": gettext_lazy("task assigned"),
    "task.progress_reported": gettext_lazy("progress reported"),
    "task.commented": gettext_lazy("comment added"),
    "task.completed": gettext_lazy("task completed"),
    "task.extension_requested": gettext_lazy("extension requested"),
    "task.extension_answered": gettext_lazy("extension answered"),
    "task.assessed": gettext_lazy("task assessed"),
    "task.reassigned": gettext_lazy("task reassigned"),
    "task.cancelled": gettext_lazy("task cancelled"),
}


@transaction.atomic
def assign_to_many(
    people: Iterable[Person], *, unit: Unit | None = None, **fields: Any
) -> list[Task]:
    """One task per person, each with that person as its only owner (never a shared task).

    Every other field is the same for all; `unit` defaults to each owner's own unit. Logs
    and notifies once per task through `assign_task`. Raises WorkError when nobody is chosen.
    """
    owners = list({person.pk: person for person in people}.values())
    if not owners:
        raise WorkError(_("Choose at least one person accountable for the task."))
    return [assign_task(owner=owner, unit=unit or owner.unit, **fields) for owner in owners]


@transaction.atomic
def report_progress(
    task: Task,
    *,
    by: User,
    progress: int,
    text: str = "",
    files: Sequence[UploadedFile] = (),
) -> TaskUpdate:
    """The owner reports how far the task is (0–100 %), with optional evidence files.

    Sets the task in progress, adds a progress update with the files, logs
    `task.progress_reported`. Raises WorkError for anyone but the owner, a closed task, a
    percentage outside 0–100 or a refused file (then nothing is stored).
    """
    task = locked(task)
    require_owner(task, by)
    require_open(task)
    if not 0 <= progress <= 100:
        raise WorkError(_("Give the progress as a whole number from 0 to 100."))
    checked = check_files(files)
    before = state(task)
    task.status = Task.Status.IN_PROGRESS
    task.progress = progress
    task.save(update_fields=["status", "progress"])
    update = TaskUpdate.objects.create(
        task=task,
        author=by,
        kind=TaskUpdate.Kind.PROGRESS,
        text=text.strip(),
        progress=progress,
        created_at=clock.now(),
    )
    stored = [store_evidence(task, item, update=update, by=by) for item in checked]
    log_action(
        task,
        "task.progress_reported",
        by=by,
        data={"before": before, "after": state(task), "files": file_data(stored)},
    )
    return update


@transaction.atomic
def comment(task: Task, *, by: User, text: str) -> TaskUpdate:
    """The owner, a coordinator or the assigner adds a comment. Logs `task.commented`.

    Allowed on closed tasks too (a done task is discussed before it is assessed). Raises
    WorkError for anyone else or an empty text.
    """
    task = locked(task)
    if not can_comment(by, task):
        raise WorkError(
            _("Only the owner, the coordinators and the assigner can comment on this task.")
        )
    text = text.strip()
    if not text:
        raise WorkError(_("Write the comment first."))
    update = TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.COMMENT, text=text, created_at=clock.now()
    )
    log_action(task, "task.commented", by=by, data={"update": update.pk, "text": text})
    return update


@transaction.atomic
def complete_task(
    task: Task,
    *,
    by: User,
    on: datetime.date,
    text: str = "",
    files: Sequence[UploadedFile] = (),
) -> Task:
    """The owner declares the task done on `on`: progress 100 %, status done.

    Adds a progress update (with optional evidence files), logs `task.completed` with the
    days late, and notifies the assigner, who assesses it next. Raises WorkError for anyone
    but the owner, a done or cancelled task, a date in the future or before the start.
    """
    task = locked(task)
    require_owner(task, by)
    require_open(task)
    if on > clock.today():
        raise WorkError(_("The completion date cannot be in the future."))
    if on < task.start_date:
        raise WorkError(
            _("The completion date cannot be before the task started (%(date)s).")
            % {"date": day(task.start_date)}
        )
    checked = check_files(files)
    before = state(task)
    task.status = Task.Status.DONE
    task.progress = 100
    task.completed_on = on
    task.save(update_fields=["status", "progress", "completed_on"])
    send_tasks_changed([task], by=by)
    update = TaskUpdate.objects.create(
        task=task,
        author=by,
        kind=TaskUpdate.Kind.PROGRESS,
        text=text.strip() or _("Completed on %(date)s.") % {"date": day(on)},
        progress=100,
        created_at=clock.now(),
    )
    stored = [store_evidence(task, item, update=update, by=by) for item in checked]
    log_action(
        task,
        "task.completed",
        by=by,
        data={
            "before": before,
            "after": state(task),
            "days_late": task.days_late,
            "files": file_data(stored),
        },
    )
    notify(
        task.assigned_by,
        _("%(name)s completed: %(title)s. Assess it.")
        % {"name": task.owner.full_name, "title": task.title},
        url=task_url(task),
        kind="task.completed",
    )
    return task


@transaction.atomic
def reassign_task(task: Task, *, by: User, new_owner: Person, reason: str) -> Task:
    """Hand an open task to another owner (still one): the task moves to their unit.

    Logs `task.reassigned` with the old and new owner, notifies both. Raises WorkError for
    anyone but the assigner or a leader over the unit, a closed task, the same owner, an
    owner outside `by`'s scope, or no reason.
    """
    task = locked(task)
    require_manager(task, by)
    require_open(task)
    if new_owner.pk == task.owner_id:
        raise WorkError(_("%(name)s already owns this task.") % {"name": new_owner.full_name})
    if not can_assign_in(by, new_owner.unit):
        raise WorkError(_("Choose a new owner within the units where you assign tasks."))
    reason = reason.strip()
    if not reason:
        raise WorkError(_("Give the reason for changing the owner."))
    old_owner = task.owner
    old_unit = task.unit
    before_place = place_of(task)
    task.owner = new_owner
    task.unit = new_owner.unit
    task.save(update_fields=["owner", "unit"])
    send_tasks_changed([task], by=by, before=[before_place])
    task.coordinators.remove(new_owner)
    event(
        task,
        _("Owner changed from %(old)s to %(new)s: %(reason)s")
        % {"old": old_owner.full_name, "new": new_owner.full_name, "reason": reason},
        by=by,
    )
    log_action(
        task,
        "task.reassigned",
        by=by,
        data={
            "before": {"owner": old_owner.employee_code, "unit": old_unit.code},
            "after": {"owner": new_owner.employee_code, "unit": new_owner.unit.code},
            "reason": reason,
        },
    )
    url = task_url(task)
    notify(
        new_owner.user,
        _("Task handed to you: %(title)s (due %(date)s).")
        % {"title": task.title, "date": day(task.deadline)},
        url=url,
        kind="task.reassigned",
    )
    notify(
        old_owner.user,
        _("“%(title)s” was handed to %(name)s.")
        % {"title": task.title, "name": new_owner.full_name},
        url=url,
        kind="task.reassigned",
    )
    return task


@transaction.atomic
def cancel_task(task: Task, *, by: User, reason: str) -> Task:
    """Cancel an open task; it stays, with its history, and counts for nobody's month.

    A pending extension is closed as refused. Logs `task.cancelled`, notifies the owner.
    Raises WorkError for anyone but the assigner or a leader over the unit, a closed task,
    or no reason.
    """
    task = locked(task)
    require_manager(task, by)
    require_open(task)
    reason = reason.strip()
    if not reason:
        raise WorkError(_("Give the reason for cancelling the task."))
    before = state(task)
    task.status = Task.Status.CANCELLED
    task.cancelled_reason = reason
    task.save(update_fields=["status", "cancelled_reason"])
    send_tasks_changed([task], by=by)
    closed = list(
        task.extensions.filter(status=DeadlineExtension.Status.PENDING).values_list("pk", flat=True)
    )
    task.extensions.filter(pk__in=closed).update(
        status=DeadlineExtension.Status.REFUSED,
        answered_by=by,
        answered_at=clock.now(),
        answer_note=_("The task was cancelled."),
    )
    event(task, _("Cancelled: %(reason)s") % {"reason": reason}, by=by)
    log_action(
        task,
        "task.cancelled",
        by=by,
        data={
            "before": before,
            "after": state(task),
            "reason": reason,
            "extensions_closed": closed,
        },
    )
    notify(
        task.owner.user,
        _("Task cancelled: %(title)s.") % {"title": task.title},
        url=task_url(task),
        kind="task.cancelled",
    )
    return task
