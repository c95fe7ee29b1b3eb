"""The annual classification as pure functions (docs/domain.md §17, §15): no database.

From what a person did in the year (active dates, leave, the decided results of the periods
of the year, the vetoes that apply) `classify()` computes the annual score, its band and the
level proposed to the head, with every rule that limits it in words:

- time worked: the days of the year the person was active, less leave, in calendar months
  and days (`Duration`); maternity leave counts as worked for the minimum when the rulebook
  exempts it (`maternity_exempt`);
- fewer than `min_months_worked` months worked: not classified (no level);
- absent (leave that is not exempt) `absent_cap_from_months` months or more: at most
  `absent_cap_level`;
- a veto: the lowest level, whatever the score;
- the score: the rulebook's strategy (`STRATEGIES`, by name; "average" is the mean of the
  period totals weighted by their months) over the periods actually worked — a period counts
  when the person worked at least half of its days;
- optionally (`head_not_above_unit`, Party guidance 2019) a head's level not above the level
  of the unit they lead: `cap_by_unit()`, applied once everyone's score is known.
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from danhgia.evaluations.rules.levels import band_for, level_name, lowest_level, rank
from danhgia.evaluations.rules.reading import round_points
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import Veto

DAY: Final = datetime.timedelta(days=1)
DAYS_PER_MONTH_CARRY: Final = 30  # leftover days of several spans add up to months at 30
MATERNITY: Final = "maternity"


# Time -------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Duration:
    """Calendar months and days."""

    months: int = 0
    days: int = 0

    def reaches(self, months: int) -> bool:
        return (self.months, self.days) >= (months, 0)

    def __add__(self, other: "Duration") -> "Duration":
        months, days = self.months + other.months, self.days + other.days
        return Duration(months + days // DAYS_PER_MONTH_CARRY, days % DAYS_PER_MONTH_CARRY)

    def __str__(self) -> str:
        months = ngettext("%(count)d month", "%(count)d months", self.months) % {
            "count": self.months
        }
        if not self.days:
            return months
        days = ngettext("%(count)d day", "%(count)d days", self.days) % {"count": self.days}
        return gettext("%(months)s %(days)s") % {"months": months, "days": days}


WHOLE_YEAR: Final = Duration(12, 0)


@dataclass(frozen=True)
class Span:
    """Days `first`..`last`, both included."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def span_duration(span: Span) -> Duration:
    """Whole calendar months from the first day, then the days left: 3/7–31/12 is 5 months
    and 29 days, 1/1–30/6 is 6 months."""
    first, last = span.first, span.last
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    while months > 0 and add_months(first, months) - DAY > last:
        months -= 1
    return Duration(months, (last - add_months(first, months)).days + 1)


def duration(spans: Sequence[Span]) -> Duration:
    """The spans' months and days added up; days of different spans carry into months at 30
    (a single span keeps its calendar count: 2/7–31/12 is 5 months 30 days)."""
    if len(spans) == 1:
        return span_duration(spans[0])
    total = Duration()
    for span in spans:
        total = total + span_duration(span)
    return total


def merge(spans: Sequence[Span]) -> list[Span]:
    """The spans sorted, overlapping and touching ones joined."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.first):
        if merged and span.first <= merged[-1].last + DAY:
            if span.last > merged[-1].last:
                merged[-1] = Span(merged[-1].first, span.last)
        else:
            merged.append(span)
    return merged


def clip(spans: Sequence[Span], within: Span) -> list[Span]:
    return [
        Span(max(span.first, within.first), min(span.last, within.last))
        for span in spans
        if span.first <= within.last and span.last >= within.first
    ]


def subtract(spans: Sequence[Span], removed: Sequence[Span]) -> list[Span]:
    """The days of `spans` not in `removed`."""
    result: list[Span] = []
    holes = merge(removed)
    for span in merge(spans):
        start = span.first
        for hole in holes:
            if hole.last < start or hole.first > span.last:
                continue
            if hole.first > start:
                result.append(Span(start, hole.first - DAY))
            start = max(start, hole.last + DAY)
        if start <= span.last:
            result.append(Span(start, span.last))
    return result


def total_days(spans: Sequence[Span]) -> int:
    return sum(span.days for span in merge(spans))


def overlap_days(disjoint: Sequence[Span], first: datetime.date, last: datetime.date) -> int:
    """Days of `first`..`last` covered by `disjoint` (merged spans), without building spans."""
    days = 0
    for span in disjoint:
        start, end = max(span.first, first), min(span.last, last)
        if start <= end:
            days += (end - start).days + 1
    return days


# Facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveFact:
    kind: str  # `evaluations.Leave.Kind`: sick, maternity, unpaid, study
    first: datetime.date
    last: datetime.date


@dataclass(frozen=True)
class PeriodResult:
    """One decided sheet of a period of the year (any organisation: transfers bring theirs)."""

    period_id: int
    first: datetime.date
    last: datetime.date
    unit_name: str
    total: Decimal
    level: str

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1


@dataclass(frozen=True)
class AnnualFacts:
    year: int
    active_from: datetime.date
    active_to: datetime.date | None
    leaves: Sequence[LeaveFact] = ()
    periods: Sequence[PeriodResult] = ()
    vetoes: Sequence[Veto] = ()

    @property
    def year_span(self) -> Span:
        return Span(datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31))

    def active_spans(self) -> list[Span]:
        last = self.active_to or self.year_span.last
        if last < self.active_from:
            return []
        return clip([Span(self.active_from, last)], self.year_span)


@dataclass(frozen=True)
class CountedPeriod:
    result: PeriodResult
    days_worked: int
    counted: bool


@dataclass(frozen=True)
class AnnualResult:
    worked: Duration  # for the minimum (maternity included when exempt)
    absent: Duration  # leave that is not exempt
    days_absent: dict[str, int]  # leave days in the active part of the year, by kind
    periods: tuple[CountedPeriod, ...]
    score: Decimal | None
    band: str
    cap_level: str = ""
    cap_reason: str = ""
    not_classified: bool = False
    not_classified_reason: str = ""
    veto: str = ""
    veto_reason: str = ""
    level: str = ""  # proposed to the head; "" when not classified


# Strategies -------------------------------------------------------------------------------


class AnnualStrategy(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def label(self) -> Promise: ...

    def score(self, periods: Sequence[PeriodResult]) -> Decimal | None:
        """The annual score of the counted periods (None without any)."""
        ...

    def score_of_totals(self, totals: "YearTotals") -> Decimal | None:
        """The same score from the database's sums of every period of the year."""
        ...


class Average:
    """Nghị định 335, Art. 21: the average of the period scores of the time actually worked;
    a quarter weighs three months, so months and quarters mix fairly."""

    name = "average"
    label = _("average of the period scores of the time worked")

    def score(self, periods: Sequence[PeriodResult]) -> Decimal | None:
        months = sum(period.months for period in periods)
        weighted = sum((period.total * period.months for period in periods), Decimal(0))
        return self._average(weighted, months)

    def score_of_totals(self, totals: "YearTotals") -> Decimal | None:
        return self._average(Decimal(totals.weighted_hundredths) / 100, totals.months)

    def _average(self, weighted: Decimal, months: int) -> Decimal | None:
        if not months:
            return None
        return round_points(weighted / months)


STRATEGIES: Final[dict[str, AnnualStrategy]] = {
    strategy.name: strategy for strategy in (Average(),)
}


# Classification ---------------------------------------------------------------------------


def leave_spans(facts: AnnualFacts, active: Sequence[Span]) -> dict[str, list[Span]]:
    """Each kind's leave within the active part of the year, merged."""
    by_kind: dict[str, list[Span]] = {}
    for leave in facts.leaves:
        by_kind.setdefault(leave.kind, []).append(Span(leave.first, leave.last))
    found = {}
    for kind, spans in by_kind.items():
        inside = merge([part for window in active for part in clip(spans, window)])
        if inside:
            found[kind] = inside
    return found


def classify(config: RulebookConfig, facts: AnnualFacts) -> AnnualResult:
    """The annual result of one person by the rulebook's annual rule. No side effects.

    Most people of a year were active all of it without leave or veto: their result needs
    none of the span arithmetic (`full_year`, the same result in a fraction of the time)."""
    return full_year(config, facts) or classify_spans(config, facts)


def works_whole_year(config: RulebookConfig, facts: AnnualFacts) -> bool:
    """Active the whole year without leave or veto, twelve months reaching the minimum: every
    day of a period within the year is a day worked and every such period counts."""
    year = facts.year_span
    return not (
        facts.leaves
        or facts.vetoes
        or facts.active_from > year.first
        or (facts.active_to is not None and facts.active_to < year.last)
        or not WHOLE_YEAR.reaches(config.annual.params.min_months_worked)
    )


def full_year(config: RulebookConfig, facts: AnnualFacts) -> AnnualResult | None:
    """`classify_spans`' result for someone who `works_whole_year`; None for anyone else."""
    if not works_whole_year(config, facts):
        return None
    year = facts.year_span
    periods = []
    for result in sorted(facts.periods, key=lambda period: period.first):
        length = (result.last - result.first).days + 1
        days = (min(result.last, year.last) - max(result.first, year.first)).days + 1
        periods.append(CountedPeriod(result, max(days, 0), 2 * days >= length))
    counted = [period.result for period in periods if period.counted]
    score = STRATEGIES[config.annual.strategy].score(counted)
    return replace(whole_year_result(config, facts.year, score), periods=tuple(periods))


@dataclass(frozen=True)
class YearTotals:
    """The decided results of the periods lying within a year, summed by the database:
    totals in hundredths weighted by their months, the months, and the periods as JSON."""

    weighted_hundredths: int
    months: int
    periods_json: str


def whole_year_result(config: RulebookConfig, year: int, score: Decimal | None) -> AnnualResult:
    """The result of someone who `works_whole_year` with this annual score (None: no period
    result), its periods left to the caller."""
    if score is None:
        return AnnualResult(
            worked=WHOLE_YEAR,
            absent=Duration(),
            days_absent={},
            periods=(),
            score=None,
            band="",
            not_classified=True,
            not_classified_reason=_no_result_reason(year),
        )
    band = band_for(config, score)
    return AnnualResult(
        worked=WHOLE_YEAR,
        absent=Duration(),
        days_absent={},
        periods=(),
        score=score,
        band=band,
        level=band,
    )


def _no_result_reason(year: int) -> str:
    return gettext(
        "No decided period result for the time worked in %(year)d yet: recompute once "
        "the periods are decided."
    ) % {"year": year}


def classify_spans(config: RulebookConfig, facts: AnnualFacts) -> AnnualResult:
    """The annual result of anyone, from the spans of time active, on leave and worked."""
    params = config.annual.params
    active = facts.active_spans()
    leaves = leave_spans(facts, active)
    exempt = {MATERNITY} if params.maternity_exempt else set()
    absent_spans = merge(
        [span for kind, spans in leaves.items() if kind not in exempt for span in spans]
    )
    all_leave = merge([span for spans in leaves.values() for span in spans])
    worked_for_minimum = duration(subtract(active, absent_spans))
    absent = duration(absent_spans)
    actually_worked = subtract(active, all_leave)
    periods = []
    for result in sorted(facts.periods, key=lambda period: period.first):
        days = overlap_days(actually_worked, result.first, result.last)
        half_or_more = 2 * days >= (result.last - result.first).days + 1
        periods.append(CountedPeriod(result, days, half_or_more))
    counted = [period.result for period in periods if period.counted]
    score = STRATEGIES[config.annual.strategy].score(counted)
    band = band_for(config, score) if score is not None else ""
    base = AnnualResult(
        worked=worked_for_minimum,
        absent=absent,
        days_absent={kind: total_days(spans) for kind, spans in sorted(leaves.items())},
        periods=tuple(periods),
        score=score,
        band=band,
        veto=facts.vetoes[0].code if facts.vetoes else "",
        veto_reason=" ".join(veto.reason for veto in facts.vetoes),
    )
    if not worked_for_minimum.reaches(params.min_months_worked):
        reason = gettext(
            "Worked %(worked)s in %(year)d, fewer than %(minimum)d months: not classified."
        ) % {"worked": worked_for_minimum, "year": facts.year, "minimum": params.min_months_worked}
        if MATERNITY in leaves and params.maternity_exempt:
            reason += " " + gettext("Maternity leave already counts as time worked.")
        return replace(base, not_classified=True, not_classified_reason=reason)
    if score is None:
        return replace(
            base, not_classified=True, not_classified_reason=_no_result_reason(facts.year)
        )
    if facts.vetoes:
        return replace(base, level=lowest_level(config))
    level = band
    if params.absent_cap_from_months and absent.reaches(params.absent_cap_from_months):
        cap = params.absent_cap_level
        reason = gettext(
            "Absent %(absent)s in %(year)d (%(from)d months or more): at most “%(level)s”."
        ) % {
            "absent": absent,
            "year": facts.year,
            "from": params.absent_cap_from_months,
            "level": level_name(config, cap),
        }
        base = replace(base, cap_level=cap, cap_reason=reason)
        level = lower_of(config, level, cap)
    return replace(base, level=level)


def lower_of(config: RulebookConfig, first: str, second: str) -> str:
    return first if rank(config, first) <= rank(config, second) else second


def unit_level(config: RulebookConfig, scores: Sequence[Decimal]) -> str | None:
    """The level of a unit, for `head_not_above_unit`: the band of the mean annual score of
    its classified people (no collective classification exists in the system yet [L])."""
    if not scores:
        return None
    return band_for(config, round_points(sum(scores, Decimal(0)) / len(scores)))


def cap_by_unit(
    config: RulebookConfig, result: AnnualResult, level_of_unit: str, unit_name: str
) -> AnnualResult:
    """A head's result capped at the level of the unit they lead (Party guidance 2019, a
    rulebook option); unchanged when not classified, vetoed or already at or below it."""
    if result.not_classified or result.veto or not result.level:
        return result
    if rank(config, result.level) <= rank(config, level_of_unit):
        return result
    reason = gettext(
        "Head of %(unit)s: not above the level of the unit they lead (“%(level)s”)."
    ) % {"unit": unit_name, "level": level_name(config, level_of_unit)}
    cap_reason = f"{result.cap_reason} {reason}".strip()
    return replace(result, cap_level=level_of_unit, cap_reason=cap_reason, level=level_of_unit)
