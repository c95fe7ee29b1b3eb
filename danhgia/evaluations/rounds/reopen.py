"""The quota when a decided row is reopened: the row waits for a decision again, counted at
its standing proposal; the exception share it carried goes with its decision.

A reopening that leaves the round unable to end within the quota (it took away the exception
share the unit needs) is refused, naming the rows to reopen first. One that leaves the
proposals over the quota goes through and says so: the head must decide the reopened row at
a level that restores it (the decision is judged as every decision is), and the round cannot
be closed or published before."""

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from danhgia.evaluations.rounds.kind import RoundKind
from danhgia.evaluations.rounds.quota import best_case, names, over_rows, standing, uses_exception
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.levels import level_name
from danhgia.evaluations.rules.quota import quota_status


def reopen_note(kind: RoundKind, period: Any, sheet: Any) -> str:
    """Judge reopening `sheet`: raises `kind.error` when the round could no longer end within
    the quota; returns what the head must do when the proposals would stand over it ("" when
    within)."""
    config = kind.config(period)
    rows = [
        replace(row, decided="", exception=False) if row.pk == sheet.pk else row
        for row in Scopes(kind, period, config).of(sheet)
    ]
    granted = uses_exception(rows)
    best = best_case(config, rows)
    status = quota_status(config, best, granted)
    top = level_name(config, config.quota.top_level)
    if status.exceeded:
        raise kind.error(
            _(
                "Reopening %(name)s's sheet takes away the quota exception it carries, and "
                "without it the unit is over the quota: %(explanation)s Reopen first one of "
                "these “%(top)s”: %(names)s."
            )
            % {
                "name": sheet.person.full_name,
                "explanation": status.explanation,
                "top": top,
                "names": names(over_rows(config, rows, status, best)),
            }
        )
    now = standing(config, rows)
    if not now.over:
        return ""
    return _(
        "As the proposals stand, the unit is over the quota (%(explanation)s): decide "
        "%(name)s's level so that it ends within it (at most %(allowed)d “%(top)s”, over: "
        "%(names)s). The period cannot be closed or published before."
    ) % {
        "explanation": now.status.explanation,
        "name": sheet.person.full_name,
        "allowed": now.status.allowed,
        "top": top,
        "names": names(now.over),
    }
