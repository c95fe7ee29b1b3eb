"""What the dashboards do when evaluations changes a period's figures: queue one rebuild of the
summaries for when the write commits (the worker's job, never a viewer's GET; docs/decisions.md,
"A GET never writes, entirely"). A write that rolls back queues nothing."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from danhgia.evaluations.signals import figures_changed

_QUEUED_ATTRIBUTE = "_dashboards_refresh_queued"


def _queue_refresh() -> None:
    from danhgia.reports.dashboards.tasks import refresh_summaries

    refresh_summaries()


def summaries_follow_figures(sender: Any, *, period_ids: Sequence[int], **_: Any) -> None:
    """Queue the rebuild once per outermost transaction, however many writes it holds."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _queue_refresh()
        return
    # One still registered is reused: a savepoint rolled back took its callbacks with it, and
    # the savepoints still open around that one are open around this write too (a stack).
    for _savepoints, queued, _robust in connection.run_on_commit:
        if getattr(queued, _QUEUED_ATTRIBUTE, False):
            return

    def callback() -> None:
        _queue_refresh()

    setattr(callback, _QUEUED_ATTRIBUTE, True)
    transaction.on_commit(callback, robust=True)


def connect() -> None:
    figures_changed.connect(
        summaries_follow_figures, dispatch_uid="reports_dashboards.summaries_follow_figures"
    )
