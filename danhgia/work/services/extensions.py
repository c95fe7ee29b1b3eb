"""Deadline extensions: the owner asks before the deadline, the assigner answers."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.work.models import DeadlineExtension, Task
from danhgia.work.services import WorkError
from danhgia.work.services.task_common import (
    day,
    event,
    locked,
    require_assigner,
    require_open,
    require_owner,
    task_url,
)
from danhgia.work.signals import place_of, send_tasks_changed


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
    task = locked(task)
    require_owner(task, by)
    require_open(task)
    if clock.today() > task.deadline:
        raise WorkError(
            _(
                "The deadline (%(date)s) has passed: an extension must be asked before the "
                "deadline. Complete the task and explain the delay in your report."
            )
            % {"date": day(task.deadline)}
        )
    if task.extensions.filter(status=DeadlineExtension.Status.PENDING).exists():
        raise WorkError(_("An extension is already waiting for an answer. Wait for it first."))
    if proposed_deadline <= task.deadline:
        raise WorkError(
            _("Propose a date after the current deadline (%(date)s).")
            % {"date": day(task.deadline)}
        )
    reason = reason.strip()
    if not reason:
        raise WorkError(_("Explain why you need more time."))
    extension = DeadlineExtension.objects.create(
        task=task,
        requested_by=by,
        requested_at=clock.now(),
        previous_deadline=task.deadline,
        proposed_deadline=proposed_deadline,
        reason=reason,
    )
    event(
        task,
        _("Asked to move the deadline from %(old)s to %(new)s: %(reason)s")
        % {"old": day(task.deadline), "new": day(proposed_deadline), "reason": reason},
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
        % {"name": task.owner.full_name, "title": task.title, "date": day(proposed_deadline)},
        url=task_url(task),
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
    task = locked(extension.task)
    require_assigner(task, by)
    if extension.status != DeadlineExtension.Status.PENDING:
        raise WorkError(_("This request has already been answered."))
    if task.status == Task.Status.CANCELLED:
        raise WorkError(_("This task was cancelled: nothing more can be done on it."))
    before = task.deadline
    extension.status = (
        DeadlineExtension.Status.APPROVED if approve else DeadlineExtension.Status.REFUSED
    )
    extension.answered_by = by
    extension.answered_at = clock.now()
    extension.answer_note = note.strip()
    extension.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    if approve:
        before_place = place_of(task)
        task.deadline = extension.proposed_deadline
        task.save(update_fields=["deadline"])
        send_tasks_changed([task], by=by, before=[before_place])
        text = _("Deadline moved from %(old)s to %(new)s.") % {
            "old": day(before),
            "new": day(task.deadline),
        }
    else:
        text = _("Extension to %(date)s refused.") % {"date": day(extension.proposed_deadline)}
    event(task, f"{text} {extension.answer_note}".strip(), by=by)
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
        % {"title": task.title, "date": day(task.deadline)},
        url=task_url(task),
        kind="task.extension_answered",
    )
    return extension
