"""Task-result scoring: named strategies with typed parameters, chosen by the rulebook.

A strategy reads its own parameters (`parse_params`, raising `RuleError`) and turns task facts
into a `TaskResult`. Arithmetic is exact (fractions of the converted quantities): a, b, c, the
task percentage and the points are each ONE exact quotient, rounded once for display and
storage (percentages 3 decimals, points 2, half up). No intermediate value is ever rounded or
truncated, so (a + b + c) / 3 × 70 % worth 60.375 shows 60.38, never 60.37.

Per task (Nghị định 335, Art. 14; docs/domain.md §5): a done task credits its converted quantity to
quantity; to quality if it meets quality, less `error_deduction` × coefficient per major error
(one error concerns one product item); to timeliness, less `delay_deduction` × coefficient per
delay. Credits never go below 0 and an objective cause confirmed by the competent person
removes both deductions. a, b, c are the credits as percentages of the converted assigned.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, Rounded, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from .codes import NOT_COMPLETED
from .facts import LeaderFacts, TaskFact
from .reading import PERCENT_PLACES, POINT_PLACES, Reader, round_points, to_decimal

if TYPE_CHECKING:
    from .schema import RulebookConfig

HUNDRED: Final = Decimal(100)
NO_TASKS_CHOICES: Final = ("zero", "full")
ROUNDINGS: Final = ("half_up",)
# Who assesses a leader's đ and e (Nghị định 335, Art. 15 cl. 3): the person who reviews the
# leader's sheet, or the one who decides it.
ASSESSORS: Final = ("reviewer", "decider")
P = TypeVar("P", bound="StrategyParams")
# Decimal arithmetic that raises instead of rounding (`exact_sum`).
_EXACT: Final = Context(prec=60, traps=[Inexact, Rounded])


@dataclass(frozen=True)
class LineResult:
    """How one task counts, with the reason in words (`note`, translated)."""

    task_id: int
    title: str
    converted_assigned: Decimal
    converted_done: Decimal
    quality_credit: Decimal
    timeliness_credit: Decimal
    note: str


@dataclass(frozen=True)
class TaskResult:
    """a, b, c (and for leaders d, đ = `dd`, e) in %, the task percentage and points, rounded."""

    a: Decimal
    b: Decimal
    c: Decimal
    d: Decimal | None
    dd: Decimal | None
    e: Decimal | None
    task_pct: Decimal
    task_points: Decimal
    lines: tuple[LineResult, ...]
    # No assigned work in the period: a, b, c follow the rulebook's `no_tasks` rule.
    no_tasks: bool = False
    # For leaders: đ and e were not assessed yet and count at the rulebook's provisional value.
    dd_pending: bool = False
    e_pending: bool = False


@dataclass(frozen=True)
class CreditSums:
    """What a, b, c are computed from: a person's task lines added up (`credit_sums`), or the
    same sums computed by the database over the tasks (`facts.credit_sums_by_owner`, opening
    a month set-based). `count`: the number of lines (0: no task in the period)."""

    count: int
    assigned: Fraction
    done: Fraction
    quality: Fraction
    timeliness: Fraction


NO_CREDITS: Final = CreditSums(0, Fraction(0), Fraction(0), Fraction(0), Fraction(0))


@dataclass(frozen=True)
class StrategyParams:
    """What every strategy has: the split of 100 points between general criteria and tasks."""

    general_share: Decimal
    task_share: Decimal


@dataclass(frozen=True)
class CreditRules:
    """The per-task credit rules shared by the a/b/c strategies."""

    error_deduction: Decimal
    delay_deduction: Decimal
    cap_pct: Decimal
    unassessed_meets_quality: bool
    no_tasks: str
    rounding: str = "half_up"


@dataclass(frozen=True)
class AssessedCriterion:
    """A leader's criterion assessed by a person (đ, e of Nghị định 335, Art. 15 cl. 3): who
    assesses it, the values allowed (%), and the value it counts at until assessed."""

    assessed_by: str
    values: tuple[Decimal, ...]
    until_assessed: Decimal


@dataclass(frozen=True)
class LeaderParams:
    weight_own: Decimal
    weight_d: Decimal
    weight_dd: Decimal
    weight_e: Decimal
    d_full_pct: Decimal
    d_reduced_pct: Decimal
    e_default_pct: Decimal
    # Rulebooks of 2026 on: đ and e assessed; None (version 1): đ is the share of the led
    # units' tasks done on time meeting quality, e the assessed value or `e_default_pct`.
    dd: AssessedCriterion | None = None
    e: AssessedCriterion | None = None


@dataclass(frozen=True)
class ND335Params(StrategyParams):
    credit: CreditRules
    weight_a: Decimal
    weight_b: Decimal
    weight_c: Decimal
    leader: LeaderParams


@dataclass(frozen=True)
class QN2022Params(StrategyParams):
    credit: CreditRules
    weight_quantity: Decimal
    weight_quality: Decimal
    weight_timeliness: Decimal


class Strategy(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def label(self) -> Promise: ...

    def parse_params(self, raw: object) -> StrategyParams:
        """The typed parameters; `RuleError` naming the field on anything invalid."""
        ...

    def score(
        self, params: StrategyParams, facts: Sequence[TaskFact], leader: LeaderFacts | None
    ) -> TaskResult: ...

    def score_lines(
        self, params: StrategyParams, lines: Sequence[LineResult], leader: LeaderFacts | None
    ) -> TaskResult:
        """The result from task lines already credited (a submitted sheet's frozen lines)."""
        ...

    def score_sums(
        self, params: StrategyParams, sums: CreditSums, leader: LeaderFacts | None
    ) -> TaskResult:
        """The result from the sums of the credits (no lines in the result)."""
        ...


# Shared pieces ------------------------------------------------------------------------------


def _shown(value: Decimal) -> str:
    return formats.number_format(round_points(value), decimal_pos=2)


_PHRASES = (
    gettext_noop("not done"),
    gettext_noop("does not meet quality"),
    gettext_noop("not yet assessed: counted as meeting quality"),
    gettext_noop("not yet assessed: counted as not meeting quality"),
    gettext_noop("objective cause confirmed: no deduction"),
    gettext_noop("on time, meets quality"),
)


@functools.lru_cache(maxsize=8)
def _phrases_in(language: str | None) -> dict[str, str]:
    return {phrase: gettext(phrase) for phrase in _PHRASES}


def line_phrases() -> dict[str, str]:
    """The words of the task lines in the active language, looked up once per sheet: a
    province's month scores a million lines, and each gettext costs a context lookup."""
    return _phrases_in(get_language())


def credit_line(
    fact: TaskFact, rules: CreditRules, words: dict[str, str] | None = None
) -> LineResult:
    """The credits of one task and why, in words (`words`: line_phrases(), passed in by callers
    scoring many lines)."""
    say = words if words is not None else line_phrases()
    if not fact.done:
        zero = Decimal(0)
        return LineResult(
            fact.task_id,
            fact.title,
            fact.converted_assigned,
            zero,
            zero,
            zero,
            say["not done"],
        )
    done = fact.converted_assigned
    notes: list[str] = []
    if fact.assessed and fact.meets_quality is not None:
        meets = fact.meets_quality
        if not meets:
            notes.append(say["does not meet quality"])
    else:
        meets = rules.unassessed_meets_quality
        notes.append(
            say["not yet assessed: counted as meeting quality"]
            if meets
            else say["not yet assessed: counted as not meeting quality"]
        )
    quality = done if meets else Decimal(0)
    timeliness = done
    excused = fact.objective_cause and (fact.major_errors > 0 or fact.delays > 0)
    if meets and fact.major_errors and not fact.objective_cause:
        deduction = rules.error_deduction * fact.coefficient * fact.major_errors
        quality = max(Decimal(0), quality - deduction)
        notes.append(
            ngettext(
                "%(count)d major error −%(points)s",
                "%(count)d major errors −%(points)s",
                fact.major_errors,
            )
            % {"count": fact.major_errors, "points": _shown(deduction)}
        )
    if fact.delays and not fact.objective_cause:
        deduction = rules.delay_deduction * fact.coefficient * fact.delays
        timeliness = max(Decimal(0), timeliness - deduction)
        notes.append(
            ngettext("late −%(points)s", "late %(count)d times −%(points)s", fact.delays)
            % {"count": fact.delays, "points": _shown(deduction)}
        )
    if excused:
        notes.append(say["objective cause confirmed: no deduction"])
    if not notes:
        notes.append(say["on time, meets quality"])
    return LineResult(fact.task_id, fact.title, done, done, quality, timeliness, "; ".join(notes))


def exact(value: Decimal | int) -> Fraction:
    return Fraction(value)


def round_exact(value: Fraction, places: Decimal) -> Decimal:
    """`value` rounded once to `places` (Decimal("0.01")), half up, from its exact value."""
    digits = -int(places.as_tuple().exponent)
    scaled = value * 10**digits
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return (Decimal(whole).scaleb(-digits)).quantize(places)


def credit_sums(lines: Sequence[LineResult]) -> CreditSums:
    """The exact sums of credited task lines."""
    if not lines:
        return NO_CREDITS
    return CreditSums(
        count=len(lines),
        assigned=exact_sum(line.converted_assigned for line in lines),
        done=exact_sum(line.converted_done for line in lines),
        quality=exact_sum(line.quality_credit for line in lines),
        timeliness=exact_sum(line.timeliness_credit for line in lines),
    )


def abc_of(sums: CreditSums, no_tasks: str) -> tuple[Fraction, Fraction, Fraction]:
    """Exact a, b, c in % from the sums. Without any assigned task all three are 0 ("zero")
    or 100 ("full")."""
    assigned = sums.assigned
    if assigned == 0:
        value = Fraction(100) if no_tasks == "full" else Fraction(0)
        return value, value, value
    return (
        sums.done * 100 / assigned,
        sums.quality * 100 / assigned,
        sums.timeliness * 100 / assigned,
    )


def abc_percentages(
    lines: Sequence[LineResult], no_tasks: str
) -> tuple[Fraction, Fraction, Fraction]:
    """Exact a, b, c in %. Without any assigned task all three are 0 ("zero") or 100 ("full")."""
    return abc_of(credit_sums(lines), no_tasks)


def exact_sum(values: Iterable[Decimal]) -> Fraction:
    """The exact sum of `values`: added as Decimals with every rounding trapped (a sum of
    a month's credits, 4 decimals each, never needs one; it is 20 times faster than adding
    Fractions), as Fractions if a sum ever would round."""
    items = list(values)
    try:
        with localcontext(_EXACT) as context:
            total = sum(items, context.create_decimal(0))
    except (Inexact, Rounded):
        return sum((exact(value) for value in items), Fraction(0))
    return Fraction(total)


def weighted_mean(pairs: Sequence[tuple[Fraction | Decimal, Decimal]]) -> Fraction:
    """Σ weight × value ÷ Σ weight, exact (weights are checked non-negative with a positive
    sum)."""
    total_weight = sum((exact(weight) for _value, weight in pairs), Fraction(0))
    total = sum((Fraction(value) * exact(weight) for value, weight in pairs), Fraction(0))
    return total / total_weight


def _pct(value: Fraction) -> Decimal:
    return round_exact(value, PERCENT_PLACES)


def rounded_result(
    abc: tuple[Fraction, Fraction, Fraction],
    leader_parts: tuple[Fraction, Fraction, Fraction] | None,
    task_pct: Fraction,
    params: StrategyParams,
    lines: Sequence[LineResult],
    *,
    no_tasks: bool = False,
    pending: tuple[bool, bool] = (False, False),
) -> TaskResult:
    """The result rounded once per figure from the exact values."""
    a, b, c = abc
    d, dd, e = leader_parts if leader_parts is not None else (None, None, None)
    return TaskResult(
        a=_pct(a),
        b=_pct(b),
        c=_pct(c),
        d=None if d is None else _pct(d),
        dd=None if dd is None else _pct(dd),
        e=None if e is None else _pct(e),
        task_pct=_pct(task_pct),
        task_points=round_exact(task_pct * exact(params.task_share) / 100, POINT_PLACES),
        lines=tuple(lines),
        no_tasks=no_tasks,
        dd_pending=pending[0],
        e_pending=pending[1],
    )


def _read_weights(reader: Reader, key: str, names: Sequence[str], default: int) -> list[Decimal]:
    weights_reader = reader.child(key, {})
    weights = [weights_reader.decimal(name, default, low=0, high=1000) for name in names]
    weights_reader.done()
    if sum(weights) <= 0:
        raise reader.error(gettext("%(field)s must not all be 0.") % {"field": reader.field(key)})
    return weights


def _read_shares(reader: Reader) -> tuple[Decimal, Decimal]:
    general = reader.decimal("general_share", 30, low=0, high=100)
    task = reader.decimal("task_share", 70, low=0, high=100, positive=True)
    if general + task != HUNDRED:
        raise reader.error(
            gettext("%(general)s and %(task)s must add up to 100.")
            % {"general": reader.field("general_share"), "task": reader.field("task_share")}
        )
    return general, task


def _read_credit(reader: Reader) -> CreditRules:
    return CreditRules(
        # At most 2 decimals: × a coefficient of 2 decimals, a credit keeps the 4 a sheet stores.
        error_deduction=reader.decimal("error_deduction", "0.25", low=0, high=1, places=2),
        delay_deduction=reader.decimal("delay_deduction", "0.25", low=0, high=1, places=2),
        cap_pct=reader.decimal("cap_pct", 100, low=0, high=100, positive=True),
        unassessed_meets_quality=reader.boolean("unassessed_meets_quality", True),
        no_tasks=reader.choice("no_tasks", NO_TASKS_CHOICES, "zero"),
        rounding=reader.choice("rounding", ROUNDINGS, "half_up"),
    )


def _read_assessed(reader: Reader, key: str) -> AssessedCriterion | None:
    """An assessed criterion ({"assessed_by", "values", "until_assessed"}), or None when the
    rulebook leaves it out (version 1 rulebooks)."""
    if key not in reader.data:
        reader.seen.add(key)
        return None
    child = reader.child(key)
    assessed_by = child.choice("assessed_by", ASSESSORS)
    raw_values = child.raw("values")
    values = (
        tuple(to_decimal(value) for value in raw_values or ())
        if isinstance(raw_values, list)
        else ()
    )
    if not values or any(value is None or not 0 <= value <= 100 for value in values):
        raise child.error(
            gettext("%(field)s must be a non-empty list of numbers between 0 and 100.")
            % {"field": child.field("values")}
        )
    until = child.decimal("until_assessed", low=0, high=100)
    child.done()
    if len(set(values)) != len(values):
        raise child.error(
            gettext("%(field)s must not repeat a value.") % {"field": child.field("values")}
        )
    if until not in values:
        raise child.error(
            gettext("%(field)s must be one of the allowed values.")
            % {"field": child.field("until_assessed")}
        )
    allowed = tuple(sorted((value for value in values if value is not None), reverse=True))
    return AssessedCriterion(assessed_by=assessed_by, values=allowed, until_assessed=until)


def _expect(params: StrategyParams, kind: type[P]) -> P:
    if not isinstance(params, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(params).__name__}")
    return params


# Strategies ---------------------------------------------------------------------------------


class ND335ABC:
    """Nghị định 335/2025, Art. 14–15: the weighted mean of a, b, c (leaders: with d, đ, e).

    The decree prints how a, b, c combine as an image; the default `(a + b + c) / 3`, capped
    at 100 %, is what several implementations use [L, for legal review].
    """

    name = "nd335_abc"
    label = _("Nghị định 335: quantity, quality and timeliness (a, b, c; leaders d, đ, e)")

    def parse_params(self, raw: object) -> ND335Params:
        reader = Reader("task_scoring", raw, "params")
        general_share, task_share = _read_shares(reader)
        credit = _read_credit(reader)
        weight_a, weight_b, weight_c = _read_weights(reader, "weights", ("a", "b", "c"), 1)
        leader_reader = reader.child("leader", {})
        own, d, dd, e = _read_weights(leader_reader, "weights", ("own", "d", "dd", "e"), 1)
        leader = LeaderParams(
            weight_own=own,
            weight_d=d,
            weight_dd=dd,
            weight_e=e,
            d_full_pct=leader_reader.decimal("d_full_pct", 100, low=0, high=100),
            d_reduced_pct=leader_reader.decimal("d_reduced_pct", 50, low=0, high=100),
            e_default_pct=leader_reader.decimal("e_default_pct", 100, low=0, high=100),
            dd=_read_assessed(leader_reader, "dd"),
            e=_read_assessed(leader_reader, "e"),
        )
        leader_reader.done()
        reader.done()
        return ND335Params(
            general_share=general_share,
            task_share=task_share,
            credit=credit,
            weight_a=weight_a,
            weight_b=weight_b,
            weight_c=weight_c,
            leader=leader,
        )

    def score(
        self, params: StrategyParams, facts: Sequence[TaskFact], leader: LeaderFacts | None
    ) -> TaskResult:
        p = _expect(params, ND335Params)
        words = line_phrases()
        return self.score_lines(p, [credit_line(fact, p.credit, words) for fact in facts], leader)

    def score_lines(
        self, params: StrategyParams, lines: Sequence[LineResult], leader: LeaderFacts | None
    ) -> TaskResult:
        return self._scored(_expect(params, ND335Params), credit_sums(lines), lines, leader)

    def score_sums(
        self, params: StrategyParams, sums: CreditSums, leader: LeaderFacts | None
    ) -> TaskResult:
        return self._scored(_expect(params, ND335Params), sums, (), leader)

    def _scored(
        self,
        p: ND335Params,
        sums: CreditSums,
        lines: Sequence[LineResult],
        leader: LeaderFacts | None,
    ) -> TaskResult:
        a, b, c = abc_of(sums, p.credit.no_tasks)
        no_tasks = sums.count == 0
        cap = exact(p.credit.cap_pct)
        own = min(cap, weighted_mean([(a, p.weight_a), (b, p.weight_b), (c, p.weight_c)]))
        if leader is None:
            return rounded_result((a, b, c), None, own, p, lines, no_tasks=no_tasks)
        lp = p.leader
        d = exact(lp.d_reduced_pct if NOT_COMPLETED in leader.staff_bands else lp.d_full_pct)
        dd, dd_pending = _organising(lp, leader, p.credit.no_tasks)
        e, e_pending = _uniting(lp, leader)
        task_pct = min(
            cap,
            weighted_mean(
                [(own, lp.weight_own), (d, lp.weight_d), (dd, lp.weight_dd), (e, lp.weight_e)]
            ),
        )
        return rounded_result(
            (a, b, c),
            (d, dd, e),
            task_pct,
            p,
            lines,
            no_tasks=no_tasks,
            pending=(dd_pending, e_pending),
        )


def _organising(lp: LeaderParams, leader: LeaderFacts, no_tasks: str) -> tuple[Fraction, bool]:
    """đ and whether it is still provisional. Assessed (rulebooks of 2026 on): the assessed
    value, else `until_assessed`; version 1: the led units' share of tasks done on time with
    quality, and for units without tasks the `no_tasks` rule (as version 1 scored it)."""
    if lp.dd is not None:
        if leader.organising_pct is None:
            return exact(lp.dd.until_assessed), True
        return exact(leader.organising_pct), False
    share = leader.planned_on_time_with_quality_pct
    if share is None:
        return Fraction(100 if no_tasks == "full" else 0), False
    return Fraction(share), False


def _uniting(lp: LeaderParams, leader: LeaderFacts) -> tuple[Fraction, bool]:
    """e and whether it is still provisional (`until_assessed`, or version 1's default)."""
    if leader.uniting_pct is not None:
        return exact(leader.uniting_pct), False
    if lp.e is not None:
        return exact(lp.e.until_assessed), True
    return exact(lp.e_default_pct), False


class QN2022Weighted:
    """The Quảng Nam 2022 template: fixed weights of quantity, quality and timeliness that add
    up to 100 (local defaults 40 / 40 / 20 [L]); no separate leader part (leader facts are
    ignored), as the text of QĐ 2208 could not be obtained."""

    name = "qn2022_weighted"
    label = _("Quảng Nam 2022: weighted quantity, quality and timeliness")

    def parse_params(self, raw: object) -> QN2022Params:
        reader = Reader("task_scoring", raw, "params")
        general_share, task_share = _read_shares(reader)
        credit = _read_credit(reader)
        weights_reader = reader.child("weights", {})
        weights = [
            weights_reader.decimal(name, default, low=0, high=100)
            for name, default in (("quantity", 40), ("quality", 40), ("timeliness", 20))
        ]
        weights_reader.done()
        if sum(weights) != HUNDRED:
            raise reader.error(
                gettext("%(field)s must add up to 100.") % {"field": reader.field("weights")}
            )
        reader.done()
        return QN2022Params(
            general_share=general_share,
            task_share=task_share,
            credit=credit,
            weight_quantity=weights[0],
            weight_quality=weights[1],
            weight_timeliness=weights[2],
        )

    def score(
        self, params: StrategyParams, facts: Sequence[TaskFact], leader: LeaderFacts | None
    ) -> TaskResult:
        p = _expect(params, QN2022Params)
        words = line_phrases()
        return self.score_lines(p, [credit_line(fact, p.credit, words) for fact in facts], leader)

    def score_lines(
        self, params: StrategyParams, lines: Sequence[LineResult], leader: LeaderFacts | None
    ) -> TaskResult:
        return self._scored(_expect(params, QN2022Params), credit_sums(lines), lines)

    def score_sums(
        self, params: StrategyParams, sums: CreditSums, leader: LeaderFacts | None
    ) -> TaskResult:
        return self._scored(_expect(params, QN2022Params), sums, ())

    def _scored(self, p: QN2022Params, sums: CreditSums, lines: Sequence[LineResult]) -> TaskResult:
        a, b, c = abc_of(sums, p.credit.no_tasks)
        pairs = [(a, p.weight_quantity), (b, p.weight_quality), (c, p.weight_timeliness)]
        task_pct = min(exact(p.credit.cap_pct), weighted_mean(pairs))
        return rounded_result((a, b, c), None, task_pct, p, lines, no_tasks=sums.count == 0)


STRATEGIES: Final[dict[str, Strategy]] = {
    strategy.name: strategy for strategy in (ND335ABC(), QN2022Weighted())
}


def score_tasks(
    config: "RulebookConfig", facts: Sequence[TaskFact], leader: LeaderFacts | None = None
) -> TaskResult:
    """Score a person's tasks of the period by the rulebook's strategy. No side effects."""
    scoring = config.task_scoring
    return STRATEGIES[scoring.strategy].score(scoring.parsed, facts, leader)


def rescore_lines(
    config: "RulebookConfig", lines: Sequence[LineResult], leader: LeaderFacts | None = None
) -> TaskResult:
    """Score task lines already credited (a submitted leader's frozen lines, when only d, đ or
    e changed). No side effects."""
    scoring = config.task_scoring
    return STRATEGIES[scoring.strategy].score_lines(scoring.parsed, lines, leader)


def score_sums(
    config: "RulebookConfig", sums: CreditSums, leader: LeaderFacts | None = None
) -> TaskResult:
    """Score a person's tasks of the period from the sums of their credits (computed by the
    database when a month opens): the same result as `score_tasks` without the lines. No side
    effects."""
    scoring = config.task_scoring
    return STRATEGIES[scoring.strategy].score_sums(scoring.parsed, sums, leader)


def credit_rules(config: "RulebookConfig") -> CreditRules:
    """The per-task credit rules of the rulebook's strategy (every strategy has them)."""
    credit = getattr(config.task_scoring.parsed, "credit", None)
    if not isinstance(credit, CreditRules):
        raise TypeError(f"{config.task_scoring.strategy} has no credit rules")
    return credit
