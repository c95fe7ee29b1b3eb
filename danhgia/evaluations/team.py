"""The team's month: for a manager or a head, the sheets of the open periods whose review or
decision they hold (`holders.holds_review`, `holds_decision`), each with the step it waits
for and that step's deadline (`deadlines.next_due`), so that they see at a glance who has not
submitted yet and who is late. Reads only."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danhgia.accounts.models import User
from danhgia.evaluations.deadlines import next_due
from danhgia.evaluations.holders import OPEN_PERIOD_STATES, holds_decision, holds_review
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OWNER_STATUSES

# The steps a sheet of the team waits for, in the order the page lists them.
STEPS: dict[str, str | Promise] = {
    "owner": _("Not submitted yet"),
    "review": _("Waiting for review"),
    "decision": _("Waiting for decision"),
    "decided": _("Level decided"),
}
STEP_OF_STATUS: dict[str, str] = {
    **dict.fromkeys(OWNER_STATUSES, "owner"),
    Sheet.Status.SUBMITTED: "review",
    Sheet.Status.REVIEWED: "decision",
    Sheet.Status.DECIDED: "decided",
}


@dataclass(frozen=True)
class TeamRow:
    sheet: Sheet
    step: str
    due: datetime.date | None
    late: bool


@dataclass
class TeamPeriod:
    period: Period
    rows: list[TeamRow] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def steps(self) -> list[tuple[str, str, int]]:
        """(code, name, how many) of every step, in order, zeros included."""
        return [(code, str(name), self.counts[code]) for code, name in STEPS.items()]


def team_sheets(user: User) -> Q:
    """The sheets of open periods whose review or decision the user holds."""
    held = holds_review(user) | holds_decision(user)
    return held & Q(period__state__in=sorted(OPEN_PERIOD_STATES))


def team_month(user: User, today: datetime.date, step: str | None = None) -> list[TeamPeriod]:
    """The team's sheets by period (oldest first), late and waiting ones first; `step` keeps
    only the rows of that step (the counts stay whole)."""
    sheets = (
        Sheet.objects.filter(team_sheets(user))
        .select_related("period__organisation", "person", "unit")
        .order_by("period__start", "period__pk", "person__sort_key", "pk")
    )
    periods: dict[int, TeamPeriod] = {}
    for sheet in sheets:
        due = next_due(sheet)
        row = TeamRow(sheet, STEP_OF_STATUS[sheet.status], due, due is not None and due < today)
        group = periods.setdefault(sheet.period_id, TeamPeriod(sheet.period))
        group.counts[row.step] += 1
        if step is None or row.step == step:
            group.rows.append(row)
    order = list(STEPS)
    for group in periods.values():
        group.rows.sort(key=lambda row: (not row.late, order.index(row.step)))
    return list(periods.values())
