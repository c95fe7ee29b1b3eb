"""The quota judged on the round's outcome (pure: no database).

Two readings of the same rows:

- the *outcome*: the decided level where decided, else the standing proposal: what the page's
  meter shows, "how the proposals and decisions stand together";
- the *best case*: the decided level where decided, else the level that helps the quota most
  (the base level, "good", or the row's ceiling below it: a veto, a cap). The round can still
  end within the quota iff its best case is within it.

A change (deciding one row) is accepted iff the best case after it is within the quota, so any
order of decisions that ends within the quota is accepted, one by one or all at once, and a
round that ends over it is refused at its last decision.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext

from danhgia.evaluations.rules.levels import level_name, rank
from danhgia.evaluations.rules.quota import Decision, QuotaStatus, quota_status
from danhgia.evaluations.rules.schema import RulebookConfig


@dataclass(frozen=True)
class Row:
    """One sheet of a quota scope, as the quota reads it."""

    pk: int
    person_id: int
    name: str
    group: str
    decided: str  # the decided level, "" while undecided
    proposal: str  # the standing proposal: the manager's, else the computed level
    ceiling: str = ""  # the highest level the row may end at (a veto, a cap); "" for any
    exception: bool = False  # decided with the exception share
    score: Decimal | None = None

    def standing(self, typed: Mapping[int, str] | None = None) -> str:
        """The level the row stands at: decided, else typed on the page, else proposed."""
        return self.decided or (typed or {}).get(self.pk) or self.proposal


def outcome(rows: Sequence[Row], typed: Mapping[int, str] | None = None) -> list[Decision]:
    return [(row.person_id, row.standing(typed), row.group) for row in rows]


def best_level(config: RulebookConfig, row: Row) -> str:
    """The level an undecided row would take in the best case for the quota."""
    base = config.quota.base_level
    if row.ceiling and rank(config, row.ceiling) < rank(config, base):
        return row.ceiling
    return base


def best_case(config: RulebookConfig, rows: Sequence[Row]) -> list[Decision]:
    return [(row.person_id, row.decided or best_level(config, row), row.group) for row in rows]


def uses_exception(rows: Sequence[Row]) -> bool:
    """A decided row of the scope carries the exception share (with its reason)."""
    return any(row.decided and row.exception for row in rows)


def over_rows(
    config: RulebookConfig, rows: Sequence[Row], status: QuotaStatus, levels: list[Decision]
) -> list[Row]:
    """The rows at the top level that make `status` exceed: all of the unit's when the unit
    is over, else those of each group over its own share."""
    if not status.exceeded:
        return []
    top = config.quota.top_level
    groups = {group for group, counts in status.by_group.items() if counts.used > counts.allowed}
    unit_over = status.used > status.allowed
    return [
        row
        for row, (_person, level, group) in zip(rows, levels, strict=True)
        if level == top and (unit_over or group in groups)
    ]


def names(rows: Sequence[Row]) -> str:
    return ", ".join(row.name for row in rows)


@dataclass(frozen=True)
class Standing:
    """The meter of a scope: the outcome's count, the rows that make it exceed, and whether
    the round can still end within the quota."""

    status: QuotaStatus
    over: list[Row]
    can_end_within: bool


def standing(
    config: RulebookConfig, rows: Sequence[Row], typed: Mapping[int, str] | None = None
) -> Standing:
    levels = outcome(rows, typed)
    status = quota_status(config, levels, uses_exception(rows))
    best = quota_status(config, best_case(config, rows), uses_exception(rows))
    return Standing(status, over_rows(config, rows, status, levels), not best.exceeded)


@dataclass(frozen=True)
class Verdict:
    """Whether a change may be made: "allowed", "exception" (only with the exception share,
    and a reason) or "blocked"; the explanation says why and what to do."""

    outcome: Literal["allowed", "exception", "blocked"]
    explanation: str


def changed(rows: Sequence[Row], pk: int, level: str, exception: bool = False) -> list[Row]:
    return [
        replace(row, decided=level, exception=exception) if row.pk == pk else row for row in rows
    ]


def judge_change(config: RulebookConfig, rows: Sequence[Row], pk: int, level: str) -> Verdict:
    """May row `pk` be decided at `level`? Judged on the best case of the scope after it."""
    after = changed(rows, pk, level)
    granted = uses_exception(after)
    best = best_case(config, after)
    status = quota_status(config, best, granted)
    if not status.exceeded:
        return Verdict("allowed", status.explanation)
    quota = config.quota
    if not granted and quota.enforcement == "exception_with_reason":
        with_exception = quota_status(config, best, exception=True)
        if not with_exception.exceeded:
            return Verdict(
                "exception",
                " ".join(
                    [
                        gettext("Over the quota: allowed only as an exception, with a reason."),
                        _even_so(config, after, status, best, pk),
                        gettext(
                            "With the exception share for outstanding achievements, %(allowed)d "
                            "are allowed."
                        )
                        % {"allowed": with_exception.allowed},
                    ]
                ),
            )
    return Verdict(
        "blocked",
        " ".join(
            [gettext("Over the quota: not allowed."), _even_so(config, after, status, best, pk)]
        ),
    )


def _even_so(
    config: RulebookConfig, rows: Sequence[Row], status: QuotaStatus, best: list[Decision], pk: int
) -> str:
    """Why the best case is over, and the rows to change (the decided top levels)."""
    values = {
        "top": level_name(config, config.quota.top_level),
        "base": level_name(config, config.quota.base_level),
        "explanation": status.explanation,
    }
    text = (
        gettext(
            "Even if every level not yet decided became “%(base)s”, the unit would be over: "
            "%(explanation)s"
        )
        % values
    )
    over = [row for row in over_rows(config, rows, status, best) if row.pk != pk]
    if over:
        text += " " + (
            gettext(
                "Choose a lower level here, or have one of these “%(top)s” reopened and lowered "
                "first: %(names)s."
            )
            % {**values, "names": names(over)}
        )
    return text


def scope_over(config: RulebookConfig, rows: Sequence[Row]) -> tuple[QuotaStatus, list[Row]]:
    """The outcome of a scope and its rows over the quota (empty when within)."""
    levels = outcome(rows)
    status = quota_status(config, levels, uses_exception(rows))
    return status, over_rows(config, rows, status, levels)
