"""The data version of a period's figures (`PeriodDataVersion`): what the dashboards compare
with the version they were built from to know what to rebuild, instead of the audit log."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from danhgia.core import clock
from danhgia.evaluations.models import Period, PeriodDataVersion
from danhgia.evaluations.signals import figures_changed as figures_changed_signal


def figures_changed(periods: Iterable[Period | int]) -> None:
    """Bump the data version of each period, in the caller's transaction: call it beside
    every write that changes what the dashboards count of a period (its sheets, their status,
    levels and totals, their task lines). Writes no audit row (the caller writes its own).
    Then tells the apps above (`signals.figures_changed`): the dashboards rebuild their
    summaries in the worker once the write commits, never in a viewer's GET."""
    now = clock.now()
    period_ids = sorted({item if isinstance(item, int) else item.pk for item in periods})
    for period in period_ids:
        bumped = PeriodDataVersion.objects.filter(period_id=period).update(
            version=F("version") + 1, changed_at=now
        )
        if bumped:
            continue
        try:
            with transaction.atomic():
                PeriodDataVersion.objects.create(period_id=period, version=1, changed_at=now)
        except IntegrityError:  # created meanwhile by another transaction: bump it
            PeriodDataVersion.objects.filter(period_id=period).update(
                version=F("version") + 1, changed_at=now
            )
    if period_ids:
        figures_changed_signal.send(sender=Period, period_ids=period_ids)
