"""What re-scoring past periods under the current code would change: a read-only report.

Periods keep the rulebook version they were opened with, and a stored sheet is never
rescored by a change of code. This report recomputes, in memory, every sheet of the given
periods with the current scoring code and the period's OWN rulebook version, the way the
services would (`score_sheets`: staff first, then leaders' d from their staff's levels; a
submitted, reviewed or decided sheet from its frozen task lines, a sheet still with its owner
from its tasks), and lists the sheets whose criteria, task points, total or band would differ,
with the reasons. Nothing is saved: any INSERT, UPDATE or DELETE while it runs is refused.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from django.db import connection

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OWNER_STATUSES
from danhgia.evaluations.services.common import config_of, snapshot
from danhgia.evaluations.services.sheets import frozen_lines, score_sheets

# The figures compared, and which reason each criterion's difference gives.
CRITERIA: Final = {
    "quantity_pct": "abc",
    "quality_pct": "abc",
    "timeliness_pct": "abc",
    "unit_result_pct": "d",
    "organising_pct": "dd_e",
    "uniting_pct": "dd_e",
}
COMPARED: Final = [*CRITERIA, "task_points", "total", "band"]
# Reasons, in the order they are listed: a, b, c; d; đ, e; the same criteria but other task
# points (how the exact result is rounded); the same task points but another total (general
# points); the same total but another band (the levels' thresholds).
REASONS: Final = ("abc", "d", "dd_e", "rounding", "general", "band")
_WRITES: Final = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class Change:
    """One sheet whose result would differ: the stored and recomputed figures that differ."""

    sheet_id: int
    period: str
    person: str
    status: str
    reasons: tuple[str, ...]
    before: dict[str, Any]
    after: dict[str, Any]


def reasons_for(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """Why the recomputed figures `after` differ from the stored `before` (see REASONS)."""
    differ = {name for name in COMPARED if before[name] != after[name]}
    found = {CRITERIA[name] for name in differ & CRITERIA.keys()}
    if "task_points" in differ and not found:
        found.add("rounding")
    if "total" in differ and "task_points" not in differ:
        found.add("general")
    if differ == {"band"}:
        found.add("band")
    return tuple(reason for reason in REASONS if reason in found)


def rescore_report(periods: Iterable[Period]) -> list[Change]:
    """The sheets of `periods` whose result would change if rescored now, with the reasons.
    Reads only (writes raise `RuntimeError`); safe from a GET or an auditor's command."""
    found: list[Change] = []
    with refuse_writes():
        for period in periods:
            found += _period_changes(period)
    return found


def _period_changes(period: Period) -> list[Change]:
    sheets = list(
        Sheet.objects.filter(period=period)
        .select_related("period__rulebook", "period__organisation", "person", "unit", "rulebook")
        .order_by("pk")
    )
    if not sheets:
        return []
    stored = {sheet.pk: snapshot(sheet, COMPARED) for sheet in sheets}
    frozen = frozen_lines([sheet for sheet in sheets if sheet.status not in OWNER_STATUSES])
    score_sheets(period, config_of(period), sheets, organisation_wide=True, frozen_lines=frozen)
    found = []
    for sheet in sheets:
        before, after = stored[sheet.pk], snapshot(sheet, COMPARED)
        differ = [name for name in COMPARED if before[name] != after[name]]
        if differ:
            found.append(
                Change(
                    sheet_id=sheet.pk,
                    period=period.label,
                    person=sheet.person.full_name,
                    status=sheet.status,
                    reasons=reasons_for(before, after),
                    before={name: before[name] for name in differ},
                    after={name: after[name] for name in differ},
                )
            )
    return found


@contextmanager
def refuse_writes() -> Iterator[None]:
    """Any INSERT, UPDATE or DELETE on the default connection raises while inside."""

    def guard(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(_WRITES):
            raise RuntimeError("the re-score report must not write: " + sql[:80])
        return execute(sql, *args)

    with connection.execute_wrapper(guard):
        yield
