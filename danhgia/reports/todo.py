"""What the signed-in user has to do today, for the home page ("Việc cần làm").

One read per concern, each from the rule that owns it: the person's sheets of open periods
(what each waits for and by when), their tasks (`work.queries.my_task_counts`), the sheets
waiting for their review or decision (`evaluations.holders`, as "my sheets" and the decision
list count them), the plans waiting for their approval, and for HR the open periods they
manage with their deadlines. Reads only.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from danhgia.accounts.models import User
from danhgia.evaluations.deadlines import next_due
from danhgia.evaluations.holders import OPEN_PERIOD_STATES, decidable_by, reviewable_by
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OWNER_STATUSES, can_follow_team, can_manage_periods
from danhgia.evaluations.queries import periods_visible_to
from danhgia.evaluations.team import team_sheets
from danhgia.work.queries import my_task_counts, plans_waiting_for

DUE_SOON_DAYS = 7  # as "my tasks" counts them
HR_PERIODS_SHOWN = 6


@dataclass(frozen=True)
class MySheet:
    """One of the person's sheets in an open period: what it waits for and by when."""

    sheet: Sheet
    mine_to_do: bool  # the person must act (self-evaluate, or correct what came back)
    due: datetime.date | None


@dataclass
class Todo:
    sheets: list[MySheet] = field(default_factory=list)
    tasks: dict[str, int] = field(default_factory=dict)
    to_review: int = 0
    to_decide: int = 0
    team_not_submitted: int = 0
    plans: int = 0
    periods: list[Period] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (
            any(item.mine_to_do for item in self.sheets)
            or self.tasks.get("overdue")
            or self.tasks.get("due_soon")
            or self.to_review
            or self.to_decide
            or self.plans
            or self.periods
        )


def todo_for(user: User, today: datetime.date) -> Todo:
    todo = Todo()
    person = getattr(user, "person", None)
    open_states = sorted(OPEN_PERIOD_STATES)
    if person is not None:
        sheets = (
            Sheet.objects.filter(person=person, period__state__in=open_states)
            .select_related("period__organisation")
            .order_by("period__start", "pk")
        )
        todo.sheets = [
            MySheet(sheet, sheet.status in OWNER_STATUSES, next_due(sheet)) for sheet in sheets
        ]
        todo.tasks = my_task_counts(person, today, today + datetime.timedelta(days=DUE_SOON_DAYS))
    todo.to_review = Sheet.objects.filter(reviewable_by(user)).count()
    todo.to_decide = Sheet.objects.filter(decidable_by(user)).count()
    todo.plans = plans_waiting_for(user).count()
    if can_follow_team(user):
        not_submitted = team_sheets(user) & Q(status__in=sorted(OWNER_STATUSES))
        todo.team_not_submitted = Sheet.objects.filter(not_submitted).count()
    if can_manage_periods(user):
        periods = (
            periods_visible_to(user)
            .filter(state__in=open_states)
            .select_related("organisation")
            .order_by("self_evaluation_due", "start", "pk")
        )
        todo.periods = [
            period
            for period in periods[: HR_PERIODS_SHOWN * 4]
            if can_manage_periods(user, period.organisation)
        ][:HR_PERIODS_SHOWN]
    return todo
