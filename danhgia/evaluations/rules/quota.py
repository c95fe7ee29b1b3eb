"""The quota of "excellent": at most a share of the number rated "good" (docs/domain.md §10).

Counted within the unit and, with scope "unit_and_group", within each group with similar tasks
as well; both must hold. The base is the number at the base level itself ("good"), so moving
someone from "good" to "excellent" also lowers the base. The allowance is share × base,
rounded as the rulebook says (default down) and shown in the explanation.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Final, Literal, NamedTuple

from django.utils import formats
from django.utils.translation import gettext

from .levels import level_name
from .reading import plain
from .schema import RulebookConfig

# (person id, level code, group with similar tasks): the current levels of everyone in the unit.
Decision = tuple[int, str, str]

_ROUNDING_MODES: Final = {"down": ROUND_FLOOR, "nearest": ROUND_HALF_UP, "up": ROUND_CEILING}


class GroupCount(NamedTuple):
    allowed: int
    used: int
    base: int


@dataclass(frozen=True)
class QuotaStatus:
    allowed: int
    used: int
    base_count: int
    share: Decimal
    rounding: str
    by_group: dict[str, GroupCount]
    exceeded: bool
    explanation: str
    top_name: str = ""  # the rulebook's names of the top level and of the base it counts on
    base_name: str = ""

    @property
    def sentence(self) -> str:
        """The count in one plain sentence (`quota_sentence`)."""
        return quota_sentence(self)


@dataclass(frozen=True)
class QuotaCheck:
    """Whether one more top level may be decided: "allowed", "exception" (only by using the
    exception share, with a reason) or "blocked"; `status` is the count with it included."""

    outcome: Literal["allowed", "exception", "blocked"]
    status: QuotaStatus
    explanation: str

    @property
    def allowed(self) -> bool:
        return self.outcome != "blocked"


def allowance(share: Decimal, base: int, rounding: str) -> int:
    """share × base rounded "down", to the "nearest" (half up) or "up"."""
    return int((share * base).quantize(Decimal(1), rounding=_ROUNDING_MODES[rounding]))


def quota_status(
    config: RulebookConfig, decisions: Sequence[Decision], exception: bool = False
) -> QuotaStatus:
    """Count the top level against the quota; `exception`: the unit may use the exception share."""
    quota = config.quota
    share = quota.exception_share if exception else quota.share

    def count(rows: Sequence[Decision]) -> GroupCount:
        base = sum(1 for _person, code, _group in rows if code == quota.base_level)
        used = sum(1 for _person, code, _group in rows if code == quota.top_level)
        return GroupCount(allowance(share, base, quota.rounding), used, base)

    unit = count(decisions)
    by_group: dict[str, GroupCount] = {}
    if quota.scope == "unit_and_group":
        for group in sorted({group for _person, _code, group in decisions}):
            by_group[group] = count([row for row in decisions if row[2] == group])
    exceeded = unit.used > unit.allowed or any(g.used > g.allowed for g in by_group.values())
    lines = [_explain(config, share, unit, exception)]
    if len(by_group) > 1:  # one group is the unit itself: saying it twice helps no one
        lines += [
            gettext("Group “%(group)s”: %(line)s")
            % {
                "group": group or gettext("no job position"),
                "line": _explain(config, share, counts, exception),
            }
            for group, counts in by_group.items()
        ]
    return QuotaStatus(
        allowed=unit.allowed,
        used=unit.used,
        base_count=unit.base,
        share=share,
        rounding=quota.rounding,
        by_group=by_group,
        exceeded=exceeded,
        explanation=" ".join(lines),
        top_name=level_name(config, quota.top_level),
        base_name=level_name(config, quota.base_level),
    )


def quota_sentence(status: QuotaStatus) -> str:
    """The count in one plain sentence, what a decision page's meter leads with: the places
    of the top level used of those allowed, the share and the base it is counted on, then,
    when the quota also holds within each group with similar tasks, each group's count by its
    name. The explanation (`quota_status`) gives the rounding and the exception share."""
    if status.allowed == 0 and status.used == 0:  # "0/0 used" says nothing
        line = gettext(
            "No “%(top)s” can be given yet (%(share)s %% of the %(base)d rated “%(base_level)s”)"
        )
    else:
        line = gettext(
            "%(used)d/%(allowed)d places for “%(top)s” used (%(share)s %% of the %(base)d rated "
            "“%(base_level)s”)"
        )
    text = line % {
        "used": status.used,
        "allowed": status.allowed,
        "top": status.top_name,
        "share": formats.number_format(plain(status.share * 100)),
        "base": status.base_count,
        "base_level": status.base_name,
    }
    if len(status.by_group) > 1:  # one group is the unit itself
        groups = ", ".join(
            gettext("%(group)s %(used)d/%(allowed)d")
            % {
                "group": group or gettext("no job position"),
                "used": counts.used,
                "allowed": counts.allowed,
            }
            for group, counts in status.by_group.items()
        )
        text = gettext("%(count)s; by group: %(groups)s") % {"count": text, "groups": groups}
    return text + "."


def check_decision(
    config: RulebookConfig,
    decisions: Sequence[Decision],
    person_id: int,
    group: str,
    exception: bool = False,
) -> QuotaCheck:
    """May `person_id` be given the top level now? Counts the unit with that change made.

    Over the quota, enforcement "exception_with_reason" lets the decider use the exception
    share (with a reason, recorded on the sheet) if that share is enough; "block" refuses.
    `exception`: the unit has already been granted the exception share.

    The explanation of a refusal counts the decisions already made, as the decision page's
    meter shows them (`quota_status` of the same `decisions`), then says what one more would
    make: never a count that includes the decision being refused.
    """
    top = config.quota.top_level
    after = [row for row in decisions if row[0] != person_id] + [(person_id, top, group)]
    status = quota_status(config, after, exception)
    if not status.exceeded:
        return QuotaCheck("allowed", status, status.explanation)
    current = quota_status(config, decisions, exception).explanation
    if config.quota.enforcement == "exception_with_reason" and not exception:
        with_exception = quota_status(config, after, exception=True)
        if not with_exception.exceeded:
            return QuotaCheck(
                "exception",
                with_exception,
                " ".join(
                    [
                        gettext("Over the quota: allowed only as an exception, with a reason."),
                        current,
                        _one_more(config, status),
                        gettext(
                            "With the exception share for outstanding achievements "
                            "(%(share)s%%), %(allowed)d are allowed."
                        )
                        % {
                            "share": formats.number_format(plain(with_exception.share * 100)),
                            "allowed": with_exception.allowed,
                        },
                    ]
                ),
            )
    return QuotaCheck(
        "blocked",
        status,
        " ".join([gettext("Over the quota: not allowed."), current, _one_more(config, status)]),
    )


def _one_more(config: RulebookConfig, after: QuotaStatus) -> str:
    """What the refused decision would make, where the quota breaks (the unit, else a group)."""
    values: dict[str, object] = {
        "top": level_name(config, config.quota.top_level),
        "used": after.used,
        "allowed": after.allowed,
    }
    if after.used <= after.allowed:
        group, counts = next(
            (name, counts)
            for name, counts in after.by_group.items()
            if counts.used > counts.allowed
        )
        values.update(
            used=counts.used, allowed=counts.allowed, group=group or gettext("no job position")
        )
        return (
            gettext(
                "With this decision, group “%(group)s” would have %(used)d “%(top)s”, where "
                "%(allowed)d are allowed."
            )
            % values
        )
    return (
        gettext(
            "With this decision there would be %(used)d “%(top)s”, where %(allowed)d are allowed."
        )
        % values
    )


def _explain(config: RulebookConfig, share: Decimal, counts: GroupCount, exception: bool) -> str:
    quota = config.quota
    rounding = {
        "down": gettext("rounded down"),
        "nearest": gettext("rounded to the nearest"),
        "up": gettext("rounded up"),
    }[quota.rounding]
    text = gettext(
        "“%(top)s” at most %(share)s%% of the %(base)d rated “%(base_level)s”: "
        "%(exact)s, %(rounding)s to %(allowed)d; %(used)d given."
    ) % {
        "top": level_name(config, quota.top_level),
        "share": formats.number_format(plain(share * 100)),
        "base": counts.base,
        "base_level": level_name(config, quota.base_level),
        "exact": formats.number_format(plain(share * counts.base)),
        "rounding": rounding,
        "allowed": counts.allowed,
        "used": counts.used,
    }
    if exception:
        text += " " + gettext("(exception share for outstanding achievements)")
    return text
