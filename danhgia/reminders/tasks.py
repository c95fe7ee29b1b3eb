"""The daily reminder job for the huey consumer (`python manage.py run_huey`)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from danhgia.reminders.services import send_reminders


@db_periodic_task(crontab(hour="7", minute="0"))
def send_daily_reminders() -> None:
    """Every morning at 7:00 (TIME_ZONE): the reminders and escalations due today."""
    send_reminders(timezone.localdate())
