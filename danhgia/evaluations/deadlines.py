"""What a sheet waits for and by when: the one rule the home page ("Việc cần làm") and the
team's month read, so that both give the same deadline for the same sheet."""

import datetime

from danhgia.evaluations.models import Sheet
from danhgia.evaluations.permissions import OWNER_STATUSES


def next_due(sheet: Sheet) -> datetime.date | None:
    """The period's deadline for the step the sheet waits for; None once decided."""
    period = sheet.period
    if sheet.status in OWNER_STATUSES:
        return period.self_evaluation_due
    if sheet.status == Sheet.Status.SUBMITTED:
        return period.review_due
    if sheet.status == Sheet.Status.REVIEWED:
        return period.decision_due
    return None


def is_late(sheet: Sheet, today: datetime.date) -> bool:
    """The step the sheet waits for is past its deadline."""
    due = next_due(sheet)
    return due is not None and due < today
