"""Closing or publishing a round is refused while a quota scope is over the quota: the
message names the people whose level must change and what to do."""

from typing import Any

from django.utils.translation import gettext as _

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
