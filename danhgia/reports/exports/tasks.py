"""Background exports for the huey consumer (`python manage.py run_huey`); under pytest or
with HUEY_IMMEDIATE=1 they run inline when the request's transaction commits."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from danhgia.reports.exports.services import purge_old_exports, run_export


@db_task()
def export_task(job_id: int) -> None:
    """Build the file of one queued export job."""
    run_export(job_id)


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_exports() -> None:
    """Every night: delete export files older than EXPORT_KEEP_DAYS."""
    purge_old_exports()
