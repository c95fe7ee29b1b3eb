"""The assigner's assessment of a done task: quality, major errors, objective cause."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.work.models import Task
from danhgia.work.services import WorkError
from danhgia.work.services.task_common import event, locked, require_assigner, task_url
from danhgia.work.signals import send_tasks_changed


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
    task = locked(task)
    require_assigner(task, by)
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
    task.assessed_at = clock.now()
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
    send_tasks_changed([task], by=by)
    summary = (
        _("Assessed: meets quality; %(count)d major errors.")
        if meets_quality
        else _("Assessed: does not meet quality; %(count)d major errors.")
    ) % {"count": major_errors}
    event(task, f"{summary} {note}".strip(), by=by)
    log_action(
        task,
        "task.assessed",
        by=by,
        data={"before": before, "after": _assessment(task), "note": note},
    )
    notify(
        task.owner.user,
        _("Your task “%(title)s” was assessed.") % {"title": task.title},
        url=task_url(task),
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
