"""Huey tasks: the daily reminder job, and the e-mails it queues (`python manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from danhgia.core import clock
from danhgia.reminders.services import Email, deliver_emails, send_reminders


@db_periodic_task(crontab(hour="7", minute="0"))
def send_daily_reminders() -> None:
    """Every morning at 7:00 (TIME_ZONE): the reminders and escalations due today."""
    send_reminders(clock.today())


@db_task()
def send_reminder_emails(run_id: int, emails: list[Email]) -> None:
    """One batch of a run's e-mails (several workers send batches side by side)."""
    deliver_emails(run_id, emails)
