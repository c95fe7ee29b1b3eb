"""Task-result scoring: named strategies with typed parameters, chosen by the rulebook.

A strategy reads its own parameters (`parse_params`, raising `RuleError`) and turns task facts
into a `TaskResult`. Arithmetic is exact (Decimal); only the result is rounded for display and
storage (percentages 3 decimals, points 2, half up), so the points come from the exact
percentages, not from the rounded ones.

Per task (Nghị định 335, Art. 14; docs/domain.md §5): a done task credits its converted quantity to
quantity; to quality if it meets quality, less `error_deduction` × coefficient per major error
(one error concerns one product item); to timeliness, less `delay_deduction` × coefficient per
delay. Credits never go below 0 and an objective cause confirmed by the competent person
removes both deductions. a, b, c are the credits as percentages of the converted assigned.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from .codes import NOT_COMPLETED
from .facts import LeaderFacts, TaskFact
from .reading import Reader, round_pct, round_points

if TYPE_CHECKING:
    from .schema import RulebookConfig

HUNDRED: Final = Decimal(100)
NO_TASKS_CHOICES: Final = ("zero", "full")
P = TypeVar("P", bound="StrategyParams")


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


@dataclass(frozen=True)
class LeaderParams:
    weight_own: Decimal
    weight_d: Decimal
    weight_dd: Decimal
    weight_e: Decimal
    d_full_pct: Decimal
    d_reduced_pct: Decimal
    e_default_pct: Decimal


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


def abc_percentages(lines: Sequence[LineResult], no_tasks: str) -> tuple[Decimal, Decimal, Decimal]:
    """Exact a, b, c in %. Without any assigned task all three are 0 ("zero") or 100 ("full")."""
    assigned = sum((line.converted_assigned for line in lines), Decimal(0))
    if assigned == 0:
        value = HUNDRED if no_tasks == "full" else Decimal(0)
        return value, value, value
    done = sum((line.converted_done for line in lines), Decimal(0))
    quality = sum((line.quality_credit for line in lines), Decimal(0))
    timeliness = sum((line.timeliness_credit for line in lines), Decimal(0))
    return done * HUNDRED / assigned, quality * HUNDRED / assigned, timeliness * HUNDRED / assigned


def weighted_mean(pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ weight × value ÷ Σ weight (weights are checked non-negative with a positive sum)."""
    total_weight = sum((weight for _value, weight in pairs), Decimal(0))
    return sum((value * weight for value, weight in pairs), Decimal(0)) / total_weight


def rounded_result(
    abc: tuple[Decimal, Decimal, Decimal],
    leader_parts: tuple[Decimal, Decimal, Decimal] | None,
    task_pct: Decimal,
    params: StrategyParams,
    lines: Sequence[LineResult],
) -> TaskResult:
    a, b, c = abc
    d, dd, e = leader_parts if leader_parts is not None else (None, None, None)
    return TaskResult(
        a=round_pct(a),
        b=round_pct(b),
        c=round_pct(c),
        d=None if d is None else round_pct(d),
        dd=None if dd is None else round_pct(dd),
        e=None if e is None else round_pct(e),
        task_pct=round_pct(task_pct),
        task_points=round_points(task_pct * params.task_share / HUNDRED),
        lines=tuple(lines),
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
    )


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
        lines = [credit_line(fact, p.credit, words) for fact in facts]
        a, b, c = abc_percentages(lines, p.credit.no_tasks)
        own = min(
            p.credit.cap_pct, weighted_mean([(a, p.weight_a), (b, p.weight_b), (c, p.weight_c)])
        )
        if leader is None:
            return rounded_result((a, b, c), None, own, p, lines)
        lp = p.leader
        d = lp.d_reduced_pct if NOT_COMPLETED in leader.staff_bands else lp.d_full_pct
        dd = leader.planned_on_time_with_quality_pct
        e = lp.e_default_pct if leader.uniting_pct is None else leader.uniting_pct
        task_pct = min(
            p.credit.cap_pct,
            weighted_mean(
                [(own, lp.weight_own), (d, lp.weight_d), (dd, lp.weight_dd), (e, lp.weight_e)]
            ),
        )
        return rounded_result((a, b, c), (d, dd, e), task_pct, p, lines)


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
        lines = [credit_line(fact, p.credit, words) for fact in facts]
        a, b, c = abc_percentages(lines, p.credit.no_tasks)
        pairs = [(a, p.weight_quantity), (b, p.weight_quality), (c, p.weight_timeliness)]
        task_pct = min(p.credit.cap_pct, weighted_mean(pairs))
        return rounded_result((a, b, c), None, task_pct, p, lines)


STRATEGIES: Final[dict[str, Strategy]] = {
    strategy.name: strategy for strategy in (ND335ABC(), QN2022Weighted())
}


def score_tasks(
    config: "RulebookConfig", facts: Sequence[TaskFact], leader: LeaderFacts | None = None
) -> TaskResult:
    """Score a person's tasks of the period by the rulebook's strategy. No side effects."""
    scoring = config.task_scoring
    return STRATEGIES[scoring.strategy].score(scoring.parsed, facts, leader)
