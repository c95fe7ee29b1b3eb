"""Demo of reopening and appeals on last month of Sở Nội vụ, through the services.

`seed_demo_appeals(today)` runs after `seed_demo` has built the months (danhgia/evaluations/
demo.py): HR reopens the closed month M-1 with a new decision deadline, reopens one decided
sheet ("good" → decided again "completed" with a reason) and closes the month again; then a
person decided below "good" whose score allows "good" (the month's lowered sheet) appeals with
a text and the head changes the level to "good". Done
once: a second call changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from danhgia.accounts.models import User
from danhgia.evaluations.demo import HR_USERNAME, ORGANISATION
from danhgia.evaluations.models import Period, Sheet, SheetVersion
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.rounds.scope import Scopes
from danhgia.evaluations.rules.ceiling import above_band_refusal
from danhgia.evaluations.services.appeals import answer_appeal, submit_appeal
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.common import config_of
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import close_period
from danhgia.evaluations.services.reopen import reopen_period, reopen_sheet

PERIOD_REASON = "Rà soát lại kết quả tháng theo kiến nghị của Ban Giám đốc Sở."
SHEET_REASON = "Phát hiện sai sót trong hồ sơ trình chưa được xem xét khi quyết định."
REDECISION_REASON = "Hồ sơ trình trong tháng có sai sót phải trả lại, chưa đạt mức tốt."
APPEAL_TEXT = (
    "Tôi đã hoàn thành đúng hạn các nhiệm vụ được giao trong tháng, có văn bản xác nhận của "
    "phòng; đề nghị xem xét lại mức xếp loại."
)
ANSWER = "Đã đối chiếu văn bản xác nhận của phòng: đồng ý nâng lên mức Hoàn thành tốt nhiệm vụ."


@dataclass
class AppealDemo:
    reopened: Sheet | None = None
    appealed: Sheet | None = None


def _previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _candidates(period: Period, level: str) -> list[Sheet]:
    """Decided sheets at `level` of people with a login, not vetoed, with a decider."""
    return list(
        period.sheets.filter(
            status=Sheet.Status.DECIDED,
            decided_level=level,
            veto="",
            person__user__isnull=False,
            decider__isnull=False,
        )
        .select_related("person__user", "decider", "period", "unit")
        .order_by("pk")
    )


@transaction.atomic
def seed_demo_appeals(today: datetime.date) -> AppealDemo:
    """Reopen and re-decide one sheet of M-1 and answer one appeal there (see the module)."""
    result = AppealDemo()
    period = (
        Period.objects.filter(organisation__code=ORGANISATION, start=_previous_month(today))
        .select_related("organisation")
        .first()
    )
    if period is None or SheetVersion.objects.filter(sheet__period=period).exists():
        return result
    hr = User.objects.get(username=HR_USERNAME)
    # One whose lowering keeps the round within the quota (the decision would be refused else).
    scopes = Scopes(MONTH, period, config_of(period))
    good = [
        sheet
        for sheet in _candidates(period, "good")
        if scopes.judge(sheet, "completed").outcome == "allowed"
    ]
    if good:
        due = max(today, period.review_due) + datetime.timedelta(days=7)
        period = reopen_period(period, by=hr, reason=PERIOD_REASON, decision_due=due)
        sheet = reopen_sheet(good[0], by=hr, reason=SHEET_REASON)
        assert sheet.decider is not None
        result.reopened = decide_sheet(
            sheet, by=sheet.decider, level="completed", reason=REDECISION_REASON
        )
        close_period(period, by=hr)
    # A person decided below "good" appeals: "completed" when the month has one, else "not
    # completed" (in some months everyone below "good" is the sheet just reopened).
    # Only a level the rulebook allows on appeal: not above the band when it is a ceiling
    # (the month's lowered sheet, "good" by its score).
    below = [*_candidates(period, "completed"), *_candidates(period, "not_completed")]
    below = [
        sheet
        for sheet in below
        if sheet != result.reopened
        and not above_band_refusal(sheet_config(sheet), "good", sheet.band)
    ]
    if below:
        sheet = below[0]
        appeal = submit_appeal(sheet, by=sheet.person.user, text=APPEAL_TEXT)  # type: ignore[arg-type]
        answer_appeal(
            appeal, by=appeal.answerer or hr, outcome="changed", new_level="good", answer=ANSWER
        )
        result.appealed = sheet
    return result
