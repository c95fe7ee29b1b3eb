"""The precomputed monthly figures (`UnitMonth`) and keeping them current.

Why precomputed: a province of 50,000 people over 12 months holds 600,000 sheets and millions
of task lines; the dashboard must answer in well under a second. A period's figures are
aggregated once per leaf unit (two GROUP BY queries) and rolled up to every unit above, so a
unit's dashboard reads at most (1 + its sub-units) × 12 rows.

Why data versions decide when: the evaluation app may not call the reports (layers run one
way, and signals for domain flow are banned), but every write that changes what is counted
here bumps the period's `evaluations.PeriodDataVersion` in the same transaction.
`ensure_fresh()` rebuilds the periods whose version is ahead of the one their rows were built
from (`PeriodSummary`), and those never built: one query when nothing changed. It runs in the
worker, queued when the write that bumped a version commits (`receivers.py`, `tasks.py`), and
in `refresh_dashboards` (a command for a timer); never in a page view (a GET never writes).
The summaries are derived data, so rebuilding them writes no audit row.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from danhgia.core import clock
from danhgia.evaluations.facts import period_tasks
from danhgia.evaluations.models import Period, PeriodDataVersion, Sheet, SheetTaskLine
from danhgia.evaluations.permissions import OWNER_STATUSES
from danhgia.evaluations.rules.codes import LEVEL_CODES
from danhgia.organisations.models import Unit
from danhgia.reports.dashboards.models import PeriodSummary, SummaryState, UnitMonth
from danhgia.work.models import Task

COUNT_FIELDS = (
    "sheets",
    "decided",
    *LEVEL_CODES,
    *(f"self_{code}" for code in LEVEL_CODES),
    *(f"manager_{code}" for code in LEVEL_CODES),
    "agree_all",
    "tasks",
    "tasks_done",
    "tasks_on_time",
)
SUM_FIELDS = (*COUNT_FIELDS, "score_sum")


def _sheet_figures(period: Period) -> dict[int, dict[str, Any]]:
    """Figures of the period's sheets per leaf unit (the unit as it was when it opened)."""
    decided = Q(status=Sheet.Status.DECIDED)
    aggregates: dict[str, Any] = {
        "sheets": Count("pk"),
        "decided": Count("pk", filter=decided),
        "agree_all": Count(
            "pk",
            # self = manager = decided; no manager's proposal when the decider reviewed
            filter=decided
            & Q(self_level=F("decided_level"))
            & (Q(manager_level=F("decided_level")) | Q(manager_level="")),
        ),
        "score_sum": Sum("total", filter=decided),
    }
    for code in LEVEL_CODES:
        aggregates[code] = Count("pk", filter=decided & Q(decided_level=code))
        aggregates[f"self_{code}"] = Count("pk", filter=decided & Q(self_level=code))
        aggregates[f"manager_{code}"] = Count("pk", filter=decided & Q(manager_level=code))
    rows = Sheet.objects.filter(period=period).values("unit_id").annotate(**aggregates)
    result: dict[int, dict[str, Any]] = {}
    for row in rows.order_by():
        values: dict[str, Any] = dict(row)
        result[values.pop("unit_id")] = values
    return result


def _task_figures(period: Period) -> dict[int, dict[str, int]]:
    """Tasks per leaf unit: assigned, done, done on time as scored (a delay excused by an
    objective cause counts as on time, as it does in c). A submitted sheet counts its frozen
    task lines; a sheet still with its owner has none stored (`current_lines`), so its owner's
    tasks of the period count as they stand."""
    done = Q(converted_done__gt=0)
    rows = (
        SheetTaskLine.objects.filter(sheet__period=period)
        .exclude(sheet__status__in=OWNER_STATUSES)
        .values("sheet__unit_id")
        .annotate(
            tasks=Count("pk"),
            tasks_done=Count("pk", filter=done),
            tasks_on_time=Count("pk", filter=done & Q(timeliness_credit__gte=F("converted_done"))),
        )
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TASK_FIELDS, 0))
    for row in rows:
        values: dict[str, Any] = dict(row)
        result[values.pop("sheet__unit_id")] = values
    for unit_id, values in _live_task_figures(period).items():
        for name in TASK_FIELDS:
            result[unit_id][name] += values[name]
    return dict(result)


TASK_FIELDS = ("tasks", "tasks_done", "tasks_on_time")


def _live_task_figures(period: Period) -> dict[int, dict[str, int]]:
    """The task figures of the sheets with their owner, per the sheet's unit, from the tasks."""
    unit_of = dict(
        Sheet.objects.filter(period=period, status__in=OWNER_STATUSES).values_list(
            "person_id", "unit_id"
        )
    )
    if not unit_of:
        return {}
    done = Q(status=Task.Status.DONE)
    on_time = done & (Q(completed_on__lte=F("deadline")) | Q(objective_cause=True))
    rows = (
        period_tasks(period)
        .filter(
            owner_id__in=Sheet.objects.filter(period=period, status__in=OWNER_STATUSES).values(
                "person_id"
            )
        )
        .values("owner_id")
        .annotate(
            tasks=Count("pk"),
            tasks_done=Count("pk", filter=done),
            tasks_on_time=Count("pk", filter=on_time),
        )
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TASK_FIELDS, 0))
    for found in rows:
        row: dict[str, Any] = dict(found)
        figures = result[unit_of[row["owner_id"]]]
        for name in TASK_FIELDS:
            figures[name] += row[name]
    return result


def _rolled_up(period: Period) -> dict[int, dict[str, Any]]:
    """Figures per unit with everything below it: each leaf unit's figures added to the unit
    itself and every unit above it."""
    leaves: dict[int, dict[str, Any]] = defaultdict(dict)
    for unit_id, row in _sheet_figures(period).items():
        leaves[unit_id].update(row)
    for unit_id, row in _task_figures(period).items():
        leaves[unit_id].update(row)
    paths = dict(Unit.objects.filter(pk__in=list(leaves)).values_list("pk", "path"))
    totals: dict[int, dict[str, Any]] = {}
    for unit_id, row in leaves.items():
        chain = [int(part) for part in paths[unit_id].strip("/").split("/") if part] or [unit_id]
        for ancestor in chain:
            total = totals.setdefault(ancestor, dict.fromkeys(COUNT_FIELDS, 0))
            total.setdefault("score_sum", Decimal(0))
            for name in COUNT_FIELDS:
                total[name] += row.get(name) or 0
            total["score_sum"] += row.get("score_sum") or Decimal(0)
    return totals


def refresh_period(period: Period) -> int:
    """Rebuild the period's rows (in the caller's transaction). Returns the number of rows."""
    totals = _rolled_up(period)
    now = clock.now()
    UnitMonth.objects.filter(period=period).delete()
    UnitMonth.objects.bulk_create(
        [
            UnitMonth(period=period, unit_id=unit_id, month=period.start, computed_at=now, **row)
            for unit_id, row in totals.items()
        ],
        batch_size=1000,
    )
    return len(totals)


def _state() -> SummaryState:
    state = SummaryState.objects.filter(pk=1).first()
    if state is None:
        try:
            with transaction.atomic():
                state = SummaryState.objects.create(pk=1)
        except IntegrityError:
            state = SummaryState.objects.get(pk=1)
    return state


def stale_periods() -> dict[int, int]:
    """The periods whose figures must be rebuilt, with their current data version: never
    built, or built from an older version (one query)."""
    current = PeriodDataVersion.objects.filter(period_id=OuterRef("pk")).values("version")[:1]
    built = PeriodSummary.objects.filter(period_id=OuterRef("pk")).values("version")[:1]
    rows = (
        Period.objects.annotate(current=Coalesce(Subquery(current), 0), built=Subquery(built))
        .filter(Q(built__isnull=True) | Q(built__lt=F("current")))
        .order_by("pk")
        .values_list("pk", "current")
    )
    return dict(rows)


def _rebuild(versions: dict[int, int]) -> None:
    """Rebuild these periods and record the data version each was built from (in the
    caller's transaction). A change committed while rebuilding bumps the version past the
    recorded one, so the next call rebuilds that period again."""
    now = clock.now()
    for period in Period.objects.filter(pk__in=list(versions)).order_by("pk"):
        refresh_period(period)
        PeriodSummary.objects.update_or_create(
            period=period, defaults={"version": versions[period.pk], "built_at": now}
        )


def ensure_fresh() -> int:
    """Bring the summaries up to the periods' data versions; return the number of periods
    rebuilt. One query when nothing changed; otherwise the state row is locked so that two
    viewers do not rebuild the same period.
    """
    if not stale_periods():
        return 0
    _state()
    with transaction.atomic():
        state = SummaryState.objects.select_for_update().get(pk=1)
        versions = stale_periods()  # another request may have rebuilt meanwhile
        if not versions:
            return 0
        _rebuild(versions)
        state.refreshed_at = clock.now()
        state.save(update_fields=["refreshed_at"])
    return len(versions)


def refresh_all() -> int:
    """Rebuild every period's figures (after a bulk load or a repair)."""
    _state()
    with transaction.atomic():
        state = SummaryState.objects.select_for_update().get(pk=1)
        current = dict(PeriodDataVersion.objects.values_list("period_id", "version"))
        versions = {pk: current.get(pk, 0) for pk in Period.objects.values_list("pk", flat=True)}
        _rebuild(versions)
        state.refreshed_at = clock.now()
        state.save(update_fields=["refreshed_at"])
    return len(versions)


def months_back(last: datetime.date, count: int) -> list[datetime.date]:
    """The first days of `count` months ending with `last`'s month, oldest first."""
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))
