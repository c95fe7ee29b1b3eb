"""The precomputed monthly figures (`UnitMonth`) and keeping them current.

Why precomputed: a province of 50,000 people over 12 months holds 600,000 sheets and millions
of task lines; the dashboard must answer in well under a second. A period's figures are
aggregated once per leaf unit (two GROUP BY queries) and rolled up to every unit above, so a
unit's dashboard reads at most (1 + its sub-units) × 12 rows.

Why the audit log decides when: the evaluation app may not call the reports (layers run one
way, and signals for domain flow are banned), but every change of a sheet or period writes an
audit row in the same transaction. `ensure_fresh()` (called by each dashboard page) reads the
rows appended since the last refresh, finds the periods they touch and rebuilds only those:
two indexed queries when nothing changed. `refresh_dashboards` (a command for a timer) does the
same outside requests. The summaries are derived data, so rebuilding them writes no audit row.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet, SheetTaskLine
from danhgia.evaluations.rules.codes import LEVEL_CODES
from danhgia.organisations.models import Unit
from danhgia.reports.dashboards.models import SummaryState, UnitMonth

# Audit rows of these objects may change a period's figures.
WATCHED_TYPES = ("evaluations.sheet", "evaluations.period", "evaluations.appeal")
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
_CHUNK = 5000


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
    """Task lines per leaf unit: assigned, done, done on time as scored (a delay excused by an
    objective cause counts as on time, as it does in c)."""
    done = Q(converted_done__gt=0)
    rows = (
        SheetTaskLine.objects.filter(sheet__period=period)
        .values("sheet__unit_id")
        .annotate(
            tasks=Count("pk"),
            tasks_done=Count("pk", filter=done),
            tasks_on_time=Count("pk", filter=done & Q(timeliness_credit__gte=F("converted_done"))),
        )
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        result[values.pop("sheet__unit_id")] = values
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


def _chunks(values: list[int]) -> Iterable[list[int]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


def touched_periods(after: int, up_to: int) -> set[int]:
    """Ids of the periods whose sheets, appeals or own row changed in audit rows
    `after` < id ≤ `up_to`."""
    ids: dict[str, set[int]] = defaultdict(set)
    rows = AuditLog.objects.filter(
        pk__gt=after, pk__lte=up_to, object_type__in=WATCHED_TYPES
    ).values_list("object_type", "object_id")
    for object_type, object_id in rows.iterator(chunk_size=_CHUNK):
        if object_id.isdigit():
            ids[object_type].add(int(object_id))
    periods = set(ids["evaluations.period"])
    sheet_ids = set(ids["evaluations.sheet"])
    if ids["evaluations.appeal"]:
        from danhgia.evaluations.models import Appeal

        for chunk in _chunks(sorted(ids["evaluations.appeal"])):
            sheet_ids.update(Appeal.objects.filter(pk__in=chunk).values_list("sheet_id", flat=True))
    for chunk in _chunks(sorted(sheet_ids)):
        periods.update(
            Sheet.objects.filter(pk__in=chunk).values_list("period_id", flat=True).distinct()
        )
    return periods


def ensure_fresh() -> int:
    """Bring the summaries up to the latest audit row; return the number of periods rebuilt.

    The first run (no mark yet) rebuilds every period. Two queries when nothing changed;
    otherwise the state row is locked so that two viewers do not rebuild the same period.
    """
    state = _state()
    latest = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if latest <= state.audit_mark and state.refreshed_at is not None:
        return 0
    with transaction.atomic():
        state = SummaryState.objects.select_for_update().get(pk=1)
        if state.refreshed_at is None:
            period_ids = set(Period.objects.values_list("pk", flat=True))
        elif latest > state.audit_mark:
            period_ids = touched_periods(state.audit_mark, latest)
        else:
            return 0  # another request refreshed meanwhile
        for period in Period.objects.filter(pk__in=period_ids).order_by("pk"):
            refresh_period(period)
        state.audit_mark = max(latest, state.audit_mark)
        state.refreshed_at = clock.now()
        state.save(update_fields=["audit_mark", "refreshed_at"])
    return len(period_ids)


def refresh_all() -> int:
    """Rebuild every period's figures (after a bulk load or a repair)."""
    with transaction.atomic():
        state = _state()
        state = SummaryState.objects.select_for_update().get(pk=state.pk)
        latest = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        periods = list(Period.objects.order_by("pk"))
        for period in periods:
            refresh_period(period)
        state.audit_mark = latest
        state.refreshed_at = clock.now()
        state.save(update_fields=["audit_mark", "refreshed_at"])
    return len(periods)


def months_back(last: datetime.date, count: int) -> list[datetime.date]:
    """The first days of `count` months ending with `last`'s month, oldest first."""
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))
