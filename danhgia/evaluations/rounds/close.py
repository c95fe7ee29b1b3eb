"""Closing a round: refused for anyone but HR or an admin, a round already closed, sheets not
decided, or while a quota scope is over the quota (the message names the people whose level
must change and what to do). Publishing is refused on the same quota."""

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.rounds.kind import RoundKind
from danhgia.evaluations.rounds.quota import names, scope_over
from danhgia.evaluations.rounds.scope import group_by_scope
from danhgia.evaluations.rules.levels import level_name


def quota_breaches(kind: RoundKind, period: Any) -> list[str]:
    """One sentence per scope over the quota, naming its rows at the top level."""
    config = kind.config(period)
    sheets = list(kind.sheets(period).select_related("person", "unit").order_by("pk"))
    found = []
    for rows in group_by_scope(kind, period, sheets, config).values():
        status, over = scope_over(config, rows)
        if over:
            found.append(
                _("%(names)s (“%(top)s”): %(explanation)s")
                % {
                    "names": names(over),
                    "top": level_name(config, config.quota.top_level),
                    "explanation": status.explanation,
                }
            )
    return found


def require_within_quota(kind: RoundKind, period: Any, what: str) -> None:
    """Refuse `what` (closing, publishing) while a scope of the round is over the quota."""
    breaches = quota_breaches(kind, period)
    if breaches:
        raise kind.error(
            _(
                "%(what)s is refused: the quota is exceeded. %(breaches)s Reopen one of these "
                "sheets and decide it at a lower level (or with the exception share and its "
                "reason, where the rulebook allows it), then try again."
            )
            % {"what": what, "breaches": " ".join(breaches)}
        )


def close_round(kind: RoundKind, pk: int, *, by: User | None) -> Any:
    """Lock the round's period once every sheet is decided: nothing in it changes any more.
    Logs `kind.closed_action` with the count of each decided level. Raises `kind.error` for
    anyone but HR or an admin, a period already closed, sheets not decided (by count) or a
    quota scope over the quota. The caller holds the transaction."""
    period = kind.lock_period(pk)
    kind.require_manager(by, period)
    if period.state == kind.closed_state:
        raise kind.error(kind.already_closed % {"period": period})
    undecided = kind.undecided(period)
    if undecided:
        raise kind.error(kind.not_all_decided % {"count": undecided})
    require_within_quota(kind, period, _("Closing %(period)s") % {"period": period})
    before = period.state
    period.state = kind.closed_state
    period.closed_at = clock.now()
    period.save(update_fields=["state", "closed_at"])
    log_state_with_levels(period, kind.closed_action, by=by, before=before)
    return period


def log_state_with_levels(period: Any, action: str, *, by: User | None, before: str) -> None:
    """Audit the period's move from `before` to its state, with the count of each decided
    level (a year all decided, a round closed)."""
    levels = Counter(period.sheets.values_list("decided_level", flat=True))
    log_action(
        period,
        action,
        by=by,
        data={
            "before": {"state": before},
            "after": {"state": period.state},
            "levels": dict(levels),
        },
    )
