"""Deadline notices for a timer: due in two days, and overdue. Never the same one twice."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danhgia.core.notifications import notify_many
from danhgia.work.models import Task
from danhgia.work.services.task_common import day, task_url

DAYS_BEFORE_REMINDER = 2


def notify_deadlines(today: datetime.date) -> tuple[int, int]:
    """Remind owners of open tasks due in two days and tell them of tasks now overdue.

    Each notice has a key (task, deadline, kind), so running this twice a day, or every day,
    never sends the same notice twice; a moved deadline earns new ones. Writes notifications
    only. Returns (reminders sent, overdue notices sent).
    """
    soon = today + datetime.timedelta(days=DAYS_BEFORE_REMINDER)
    due_soon = Task.objects.open().filter(deadline=soon).select_related("owner__user")
    reminders = notify_many(
        (
            task.owner.user,
            ngettext(
                "“%(title)s” is due in %(days)d day (%(date)s).",
                "“%(title)s” is due in %(days)d days (%(date)s).",
                DAYS_BEFORE_REMINDER,
            )
            % {"title": task.title, "days": DAYS_BEFORE_REMINDER, "date": day(task.deadline)},
            task_url(task),
            "task.due_soon",
            f"task.due_soon:{task.pk}:{task.deadline.isoformat()}",
        )
        for task in due_soon
    )
    overdue = notify_many(
        (
            task.owner.user,
            _("“%(title)s” is overdue: it was due %(date)s.")
            % {"title": task.title, "date": day(task.deadline)},
            task_url(task),
            "task.overdue",
            f"task.overdue:{task.pk}:{task.deadline.isoformat()}",
        )
        for task in Task.objects.overdue_on(today).select_related("owner__user")
    )
    return reminders, overdue
