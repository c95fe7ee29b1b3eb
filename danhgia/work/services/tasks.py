"""Task writes: assign, and (see below) the whole life of a task. Guard, change, log."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import DeadlineExtension, EvidenceFile, ProductType, Task, TaskUpdate
from danhgia.work.permissions import can_assign_in, can_comment, can_manage_task
from danhgia.work.services import WorkError
from danhgia.work.services.evidence import CheckedFile, check_evidence, store_evidence

MAX_FILES_PER_UPDATE = 10
DAYS_BEFORE_REMINDER = 2


def _event(task: Task, text: str, *, by: User | None) -> TaskUpdate:
    return TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.EVENT, text=text, created_at=timezone.now()
    )


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
    _event(task, _("Assigned to %(name)s.") % {"name": owner.full_name}, by=by)
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
    "task.assigned": _lazy("task assigned"),
    "task.progress_reported": _lazy("progress reported"),
    "task.commented": _lazy("comment added"),
    "task.completed": _lazy("task completed"),
    "task.extension_requested": _lazy("extension requested"),
    "task.extension_answered": _lazy("extension answered"),
    "task.assessed": _lazy("task assessed"),
    "task.reassigned": _lazy("task reassigned"),
    "task.cancelled": _lazy("task cancelled"),
}


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _task_url(task: Task) -> str:
    return reverse("work:task_detail", args=[task.pk])


def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",)).select_related("owner", "unit").get(pk=task.pk)
    )


def _is_owner(task: Task, user: User) -> bool:
    return task.owner.user_id is not None and task.owner.user_id == user.pk


def _require_owner(task: Task, by: User) -> None:
    if not _is_owner(task, by):
        raise WorkError(
            _("Only %(name)s, who is accountable for this task, can do this.")
            % {"name": task.owner.full_name}
        )


def _require_open(task: Task) -> None:
    if task.status == Task.Status.CANCELLED:
        raise WorkError(_("This task was cancelled: nothing more can be done on it."))
    if task.status == Task.Status.DONE:
        raise WorkError(_("This task is already done. Add a comment if something must change."))


def _require_assigner(task: Task, by: User) -> None:
    if task.assigned_by_id != by.pk:
        raise WorkError(_("Only the person who assigned this task can do this."))


def _require_manager(task: Task, by: User) -> None:
    if not can_manage_task(by, task):
        raise WorkError(
            _("Only the assigner or a leader over this unit can reassign or cancel the task.")
        )


def _state(task: Task) -> dict[str, Any]:
    return {
        "status": task.status,
        "progress": task.progress,
        "deadline": task.deadline,
        "owner": task.owner.employee_code,
        "completed_on": task.completed_on,
    }


def _check_files(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    if len(files) > MAX_FILES_PER_UPDATE:
        raise WorkError(
            _("Attach at most %(count)d files at a time.") % {"count": MAX_FILES_PER_UPDATE}
        )
    return [check_evidence(upload) for upload in files]


def _file_data(stored: list[EvidenceFile]) -> list[dict[str, Any]]:
    return [
        {"id": item.pk, "name": item.original_name, "size": item.size, "sha256": item.sha256}
        for item in stored
    ]


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
    task = _locked(task)
    _require_owner(task, by)
    _require_open(task)
    if not 0 <= progress <= 100:
        raise WorkError(_("Give the progress as a whole number from 0 to 100."))
    checked = _check_files(files)
    before = _state(task)
    task.status = Task.Status.IN_PROGRESS
    task.progress = progress
    task.save(update_fields=["status", "progress"])
    update = TaskUpdate.objects.create(
        task=task,
        author=by,
        kind=TaskUpdate.Kind.PROGRESS,
        text=text.strip(),
        progress=progress,
        created_at=timezone.now(),
    )
    stored = [store_evidence(task, item, update=update, by=by) for item in checked]
    log_action(
        task,
        "task.progress_reported",
        by=by,
        data={"before": before, "after": _state(task), "files": _file_data(stored)},
    )
    return update


@transaction.atomic
def comment(task: Task, *, by: User, text: str) -> TaskUpdate:
    """The owner, a coordinator or the assigner adds a comment. Logs `task.commented`.

    Allowed on closed tasks too (a done task is discussed before it is assessed). Raises
    WorkError for anyone else or an empty text.
    """
    task = _locked(task)
    if not can_comment(by, task):
        raise WorkError(
            _("Only the owner, the coordinators and the assigner can comment on this task.")
        )
    text = text.strip()
    if not text:
        raise WorkError(_("Write the comment first."))
    update = TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.COMMENT, text=text, created_at=timezone.now()
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
    task = _locked(task)
    _require_owner(task, by)
    _require_open(task)
    if on > timezone.localdate():
        raise WorkError(_("The completion date cannot be in the future."))
    if on < task.start_date:
        raise WorkError(
            _("The completion date cannot be before the task started (%(date)s).")
            % {"date": _day(task.start_date)}
        )
    checked = _check_files(files)
    before = _state(task)
    task.status = Task.Status.DONE
    task.progress = 100
    task.completed_on = on
    task.save(update_fields=["status", "progress", "completed_on"])
    update = TaskUpdate.objects.create(
        task=task,
        author=by,
        kind=TaskUpdate.Kind.PROGRESS,
        text=text.strip() or _("Completed on %(date)s.") % {"date": _day(on)},
        progress=100,
        created_at=timezone.now(),
    )
    stored = [store_evidence(task, item, update=update, by=by) for item in checked]
    log_action(
        task,
        "task.completed",
        by=by,
        data={
            "before": before,
            "after": _state(task),
            "days_late": task.days_late,
            "files": _file_data(stored),
        },
    )
    notify(
        task.assigned_by,
        _("%(name)s completed: %(title)s. Assess it.")
        % {"name": task.owner.full_name, "title": task.title},
        url=_task_url(task),
        kind="task.completed",
    )
    return task


@transaction.atomic
def request_extension(
    task: Task, *, by: User, proposed_deadline: datetime.date, reason: str
) -> DeadlineExtension:
    """The owner asks the assigner for a later deadline, before the current one has passed.

    Creates a pending DeadlineExtension, logs `task.extension_requested` and notifies the
    assigner. Raises WorkError for anyone but the owner, a closed task, a deadline already
    passed, a request already pending, a proposed date not later than the deadline, or no
    reason.
    """
    task = _locked(task)
    _require_owner(task, by)
    _require_open(task)
    if timezone.localdate() > task.deadline:
        raise WorkError(
            _(
                "The deadline (%(date)s) has passed: an extension must be asked before the "
                "deadline. Complete the task and explain the delay in your report."
            )
            % {"date": _day(task.deadline)}
        )
    if task.extensions.filter(status=DeadlineExtension.Status.PENDING).exists():
        raise WorkError(_("An extension is already waiting for an answer. Wait for it first."))
    if proposed_deadline <= task.deadline:
        raise WorkError(
            _("Propose a date after the current deadline (%(date)s).")
            % {"date": _day(task.deadline)}
        )
    reason = reason.strip()
    if not reason:
        raise WorkError(_("Explain why you need more time."))
    extension = DeadlineExtension.objects.create(
        task=task,
        requested_by=by,
        requested_at=timezone.now(),
        previous_deadline=task.deadline,
        proposed_deadline=proposed_deadline,
        reason=reason,
    )
    _event(
        task,
        _("Asked to move the deadline from %(old)s to %(new)s: %(reason)s")
        % {"old": _day(task.deadline), "new": _day(proposed_deadline), "reason": reason},
        by=by,
    )
    log_action(
        task,
        "task.extension_requested",
        by=by,
        data={
            "extension": extension.pk,
            "deadline": task.deadline,
            "proposed_deadline": proposed_deadline,
            "reason": reason,
        },
    )
    notify(
        task.assigned_by,
        _("%(name)s asks to extend “%(title)s” to %(date)s.")
        % {"name": task.owner.full_name, "title": task.title, "date": _day(proposed_deadline)},
        url=_task_url(task),
        kind="task.extension_requested",
    )
    return extension


@transaction.atomic
def answer_extension(
    extension: DeadlineExtension, *, by: User, approve: bool, note: str = ""
) -> DeadlineExtension:
    """The assigner approves or refuses a pending extension; approval moves `deadline`.

    `due_date` never moves, and the request stays as history. Logs `task.extension_answered`
    and notifies the owner. Raises WorkError for anyone but the assigner, an extension
    already answered, or a cancelled task.
    """
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    task = _locked(extension.task)
    _require_assigner(task, by)
    if extension.status != DeadlineExtension.Status.PENDING:
        raise WorkError(_("This request has already been answered."))
    if task.status == Task.Status.CANCELLED:
        raise WorkError(_("This task was cancelled: nothing more can be done on it."))
    before = task.deadline
    extension.status = (
        DeadlineExtension.Status.APPROVED if approve else DeadlineExtension.Status.REFUSED
    )
    extension.answered_by = by
    extension.answered_at = timezone.now()
    extension.answer_note = note.strip()
    extension.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    if approve:
        task.deadline = extension.proposed_deadline
        task.save(update_fields=["deadline"])
        text = _("Deadline moved from %(old)s to %(new)s.") % {
            "old": _day(before),
            "new": _day(task.deadline),
        }
    else:
        text = _("Extension to %(date)s refused.") % {"date": _day(extension.proposed_deadline)}
    _event(task, f"{text} {extension.answer_note}".strip(), by=by)
    log_action(
        task,
        "task.extension_answered",
        by=by,
        data={
            "extension": extension.pk,
            "approved": approve,
            "before": {"deadline": before},
            "after": {"deadline": task.deadline},
            "note": extension.answer_note,
        },
    )
    notify(
        task.owner.user,
        (
            _("Extension approved: “%(title)s” is now due %(date)s.")
            if approve
            else _("Extension refused: “%(title)s” is still due %(date)s.")
        )
        % {"title": task.title, "date": _day(task.deadline)},
        url=_task_url(task),
        kind="task.extension_answered",
    )
    return extension


@transaction.atomic
def assess_task(
    task: Task,
    *,
    by: User,
    meets_quality: bool,
    major_errors: int = 0,
    objective_cause: bool = False,
    note: str = "",
) -> Task:
    """The assigner records quality: meets it or not, major content errors, objective cause.

    May be repeated; each time logs `task.assessed` with the assessment before and after,
    and notifies the owner. Raises WorkError for anyone but the assigner, a task not done,
    a negative error count, or an objective cause without a note.
    """
    task = _locked(task)
    _require_assigner(task, by)
    if task.status != Task.Status.DONE:
        raise WorkError(_("Only a done task is assessed. The owner completes it first."))
    if major_errors < 0:
        raise WorkError(_("The number of major errors cannot be negative."))
    note = note.strip()
    if objective_cause and not note:
        raise WorkError(
            _("Describe the objective cause: without it the deductions cannot be waived.")
        )
    before = _assessment(task) if task.is_assessed else None
    task.meets_quality = meets_quality
    task.major_errors = major_errors
    task.objective_cause = objective_cause
    task.objective_cause_note = note if objective_cause else ""
    task.assessed_by = by
    task.assessed_at = timezone.now()
    task.save(
        update_fields=[
            "meets_quality",
            "major_errors",
            "objective_cause",
            "objective_cause_note",
            "assessed_by",
            "assessed_at",
        ]
    )
    summary = (
        _("Assessed: meets quality; %(count)d major errors.")
        if meets_quality
        else _("Assessed: does not meet quality; %(count)d major errors.")
    ) % {"count": major_errors}
    _event(task, f"{summary} {note}".strip(), by=by)
    log_action(
        task,
        "task.assessed",
        by=by,
        data={"before": before, "after": _assessment(task), "note": note},
    )
    notify(
        task.owner.user,
        _("Your task “%(title)s” was assessed.") % {"title": task.title},
        url=_task_url(task),
        kind="task.assessed",
    )
    return task


def _assessment(task: Task) -> dict[str, Any]:
    return {
        "meets_quality": task.meets_quality,
        "major_errors": task.major_errors,
        "objective_cause": task.objective_cause,
        "objective_cause_note": task.objective_cause_note,
        "assessed_by": task.assessed_by_id,
    }


@transaction.atomic
def reassign_task(task: Task, *, by: User, new_owner: Person, reason: str) -> Task:
    """Hand an open task to another owner (still one): the task moves to their unit.

    Logs `task.reassigned` with the old and new owner, notifies both. Raises WorkError for
    anyone but the assigner or a leader over the unit, a closed task, the same owner, an
    owner outside `by`'s scope, or no reason.
    """
    task = _locked(task)
    _require_manager(task, by)
    _require_open(task)
    if new_owner.pk == task.owner_id:
        raise WorkError(_("%(name)s already owns this task.") % {"name": new_owner.full_name})
    if not can_assign_in(by, new_owner.unit):
        raise WorkError(_("Choose a new owner within the units where you assign tasks."))
    reason = reason.strip()
    if not reason:
        raise WorkError(_("Give the reason for changing the owner."))
    old_owner = task.owner
    old_unit = task.unit
    task.owner = new_owner
    task.unit = new_owner.unit
    task.save(update_fields=["owner", "unit"])
    task.coordinators.remove(new_owner)
    _event(
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
    url = _task_url(task)
    notify(
        new_owner.user,
        _("Task handed to you: %(title)s (due %(date)s).")
        % {"title": task.title, "date": _day(task.deadline)},
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
    task = _locked(task)
    _require_manager(task, by)
    _require_open(task)
    reason = reason.strip()
    if not reason:
        raise WorkError(_("Give the reason for cancelling the task."))
    before = _state(task)
    task.status = Task.Status.CANCELLED
    task.cancelled_reason = reason
    task.save(update_fields=["status", "cancelled_reason"])
    closed = list(
        task.extensions.filter(status=DeadlineExtension.Status.PENDING).values_list("pk", flat=True)
    )
    task.extensions.filter(pk__in=closed).update(
        status=DeadlineExtension.Status.REFUSED,
        answered_by=by,
        answered_at=timezone.now(),
        answer_note=_("The task was cancelled."),
    )
    _event(task, _("Cancelled: %(reason)s") % {"reason": reason}, by=by)
    log_action(
        task,
        "task.cancelled",
        by=by,
        data={
            "before": before,
            "after": _state(task),
            "reason": reason,
            "extensions_closed": closed,
        },
    )
    notify(
        task.owner.user,
        _("Task cancelled: %(title)s.") % {"title": task.title},
        url=_task_url(task),
        kind="task.cancelled",
    )
    return task


def notify_deadlines(today: datetime.date) -> tuple[int, int]:
    """Remind owners of open tasks due in two days and tell them of tasks now overdue.

    Each notice has a key (task, deadline, kind), so running this twice a day, or every day,
    never sends the same notice twice; a moved deadline earns new ones. Writes notifications
    only. Returns (reminders sent, overdue notices sent).
    """
    soon = today + datetime.timedelta(days=DAYS_BEFORE_REMINDER)
    reminders = overdue = 0
    for task in Task.objects.open().filter(deadline=soon).select_related("owner__user"):
        reminders += notify(
            task.owner.user,
            ngettext(
                "“%(title)s” is due in %(days)d day (%(date)s).",
                "“%(title)s” is due in %(days)d days (%(date)s).",
                DAYS_BEFORE_REMINDER,
            )
            % {"title": task.title, "days": DAYS_BEFORE_REMINDER, "date": _day(task.deadline)},
            url=_task_url(task),
            kind="task.due_soon",
            key=f"task.due_soon:{task.pk}:{task.deadline.isoformat()}",
        )
    for task in Task.objects.overdue_on(today).select_related("owner__user"):
        overdue += notify(
            task.owner.user,
            _("“%(title)s” is overdue: it was due %(date)s.")
            % {"title": task.title, "date": _day(task.deadline)},
            url=_task_url(task),
            kind="task.overdue",
            key=f"task.overdue:{task.pk}:{task.deadline.isoformat()}",
        )
    return reminders, overdue
