"""Huey task of the dashboards (`python manage.py run_huey`): rebuild the summaries of the
periods whose data changed, queued when the write that changed them commits (`receivers.py`);
under pytest or with HUEY_IMMEDIATE=1 it runs inline at that commit."""

from huey.contrib.djhuey import db_task

from danhgia.reports.dashboards.summaries import ensure_fresh


@db_task()
def refresh_summaries() -> None:
    """Rebuild what is stale (one query when another run already did)."""
    ensure_fresh()
