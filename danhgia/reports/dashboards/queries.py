"""Reads for the dashboards, scoped by the caller's fetch (units_visible_to / people_visible_to).

A unit's dashboard reads the precomputed `UnitMonth` rows: the unit's own 12 months, and its
sub-units' figures in the chosen month, in two queries whatever the number of people.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from danhgia.core import dates
from danhgia.core.periods import default_start, period_label
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rules.codes import LEVEL_CODES
from danhgia.evaluations.rules.scoring import LineResult
from danhgia.evaluations.services.sheets import current_lines
from danhgia.organisations.models import Person, Unit
from danhgia.reports.dashboards.models import UnitMonth
from danhgia.reports.dashboards.summaries import SUM_FIELDS, months_back

MONTHS = 12
# Names of the four levels across rulebooks (each rulebook writes its own; the codes are fixed).
LEVEL_LABELS = {
    "excellent": _("excellent"),
    "good": _("good"),
    "completed": _("completed"),
    "not_completed": _("not completed"),
}


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole in %, one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Figures:
    """The figures of a unit (with its sub-units) for one month."""

    month: datetime.date
    sums: dict[str, Any]
    unit: Unit | None = None

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["sums"][name]
        except KeyError as error:
            raise AttributeError(name) from error

    @property
    def levels(self) -> list[tuple[str, str, int, Decimal | None]]:
        """(code, label, decided count, share of decided in %) highest first."""
        return [
            (code, str(LEVEL_LABELS[code]), self.sums[code], share(self.sums[code], self.decided))
            for code in LEVEL_CODES
        ]

    @property
    def on_time_rate(self) -> Decimal | None:
        return share(self.tasks_on_time, self.tasks)

    @property
    def agreement_rate(self) -> Decimal | None:
        return share(self.agree_all, self.decided)

    @property
    def mean_score(self) -> Decimal | None:
        if not self.decided:
            return None
        return (Decimal(self.score_sum) / self.decided).quantize(Decimal("0.01"))


def _empty(month: datetime.date, unit: Unit | None = None) -> Figures:
    sums: dict[str, Any] = dict.fromkeys(SUM_FIELDS, 0)
    sums["score_sum"] = Decimal(0)
    return Figures(month, sums, unit)


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in SUM_FIELDS}


def _clean(row: Any) -> dict[str, Any]:
    return {name: row.get(name) or 0 for name in SUM_FIELDS}


def unit_months(unit: Unit) -> dict[datetime.date, Figures]:
    """Every month with figures for the unit (all periods of the month added), oldest first."""
    rows = UnitMonth.objects.filter(unit=unit).values("month").annotate(**_sums()).order_by("month")
    return {row["month"]: Figures(row["month"], _clean(row), unit) for row in rows}


def chosen_month(
    months: Iterable[datetime.date], wanted: datetime.date | None
) -> datetime.date | None:
    """The wanted month when it has figures, else the default (`core.periods.default_start`:
    the latest that has started)."""
    months = list(months)
    if wanted is not None and wanted in months:
        return wanted
    return default_start(months)


def start_labels(starts: Iterable[datetime.date]) -> dict[datetime.date, str]:
    """The name of each first day of periods, as a page's choice of month shows it: a
    quarter's when only quarters start that day, else the month's (one query)."""
    starts = sorted(set(starts))
    kinds: dict[datetime.date, set[str]] = defaultdict(set)
    rows = Period.objects.filter(start__in=starts).values_list("start", "kind").distinct()
    for start, kind in rows.order_by():
        kinds[start].add(kind)
    return {
        start: period_label(
            Period.Kind.QUARTER if kinds[start] == {Period.Kind.QUARTER} else Period.Kind.MONTH,
            start,
        )
        for start in starts
    }


def trend(months: dict[datetime.date, Figures], last: datetime.date) -> list[Figures]:
    """The 12 months ending with `last`, a month without figures shown as zeros."""
    return [months.get(month) or _empty(month) for month in months_back(last, MONTHS)]


def sub_unit_figures(unit: Unit, month: datetime.date) -> list[Figures]:
    """The figures of each direct sub-unit in the month (sub-units without sheets left out),
    in Vietnamese order of their names."""
    rows = (
        UnitMonth.objects.filter(unit__parent=unit, month=month)
        .values("unit_id")
        .annotate(**_sums())
        .order_by()
    )
    by_unit = {row["unit_id"]: _clean(row) for row in rows}
    units = Unit.objects.filter(pk__in=list(by_unit)).order_by("sort_key", "pk")
    return [Figures(month, by_unit[sub.pk], sub) for sub in units]


def direct_figures(total: Figures, subs: list[Figures]) -> Figures:
    """The people directly in the unit (not in a sub-unit): the total minus the sub-units."""
    direct = _empty(total.month, total.unit)
    for name in SUM_FIELDS:
        direct.sums[name] = total.sums[name] - sum((sub.sums[name] for sub in subs), 0)
    return direct


def sheets_of_month(unit: Unit, month: datetime.date) -> QuerySet[Sheet]:
    """The sheets of people directly in the unit in the month, in roster order."""
    return (
        Sheet.objects.filter(period__start=month, unit=unit)
        .select_related("person", "period")
        .order_by("person__sort_key", "pk")
    )


def person_sheets(person: Person, visible: QuerySet[Sheet]) -> list[Sheet]:
    """The person's sheets the viewer may see, the last 12 periods, oldest first."""
    rows = (
        visible.filter(person=person)
        .select_related("period", "unit")
        .order_by("-period__start", "-pk")[:MONTHS]
    )
    return list(reversed(list(rows)))


def task_lines(sheet: Sheet) -> list[LineResult]:
    """The sheet's task lines: computed while with its owner, frozen once submitted."""
    return current_lines(sheet)


def month_filter(text: str | None) -> datetime.date | None:
    """`2026-10` → 1 October 2026; anything else (a month outside the date policy's
    window included) → None."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.split("-", 1))
        month_start = datetime.date(year, month, 1)
    except ValueError:
        return None
    return month_start if dates.is_allowed(month_start, dates.DateKind.PERIOD) else None


def root_units(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """The visible units with no visible unit above them (the tops of the viewer's scope)."""
    return units.exclude(parent__in=units.values("pk")).order_by("sort_key", "pk")
