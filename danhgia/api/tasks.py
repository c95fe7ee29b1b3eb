"""Events out, for the huey consumer (`python manage.py run_huey`): each event's deliveries
right after the commit that wrote them, and every minute the retries that are due. Under
pytest or with HUEY_IMMEDIATE=1 the first runs inline when the transaction commits."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from danhgia.api.delivery import deliver_due


@db_task()
def deliver_event_task(event_id: int) -> None:
    """First attempt of one event's deliveries."""
    deliver_due(event_id=event_id)


@db_periodic_task(crontab(minute="*"))
def deliver_due_task() -> None:
    """Every minute: the deliveries whose next attempt is due."""
    deliver_due()
