"""Huey tasks of the work app (`python manage.py run_huey`): the daily deadline notices.

Every job on a schedule, huey's and the systemd timers', is listed in one table in
docs/deploy.md ("Scheduled jobs"); tests/deploy/test_schedule.py keeps the two equal.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from danhgia.core import clock
from danhgia.work.services.deadlines import notify_deadlines


@db_periodic_task(crontab(hour="6", minute="30"))
def notify_daily_deadlines() -> None:
    """Every morning at 6:30 (TIME_ZONE): tasks due in two days, and tasks now overdue."""
    notify_deadlines(clock.today())
