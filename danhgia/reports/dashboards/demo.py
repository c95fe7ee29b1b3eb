"""A deliberately lenient month for the supervision page: Sở Tài chính, last month.

`seed_demo_dashboards(today)` opens last month for Sở Tài chính (Sở Nội vụ has its own
months), and through the services every person evaluates themself "good" with full general
criteria, the reviewer proposes "good" and the head decides "good" for everyone, whatever the
score as far as the rulebook allows (Nghị định 335 from version 3: never above the band of the
score), one sheet after another: everyone good, no differentiation, self = manager = final and
a head who never departs from the proposals. The month is then moved on and closed. It runs
once: when Sở Tài chính has a period for that month it changes nothing. Then the dashboards'
figures are rebuilt.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from danhgia.accounts.models import User
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rules.ceiling import within_band
from danhgia.evaluations.rules.codes import GOOD
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import advance_period, close_period, open_period
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations import services as org_services
from danhgia.organisations.models import Person, Unit
from danhgia.reports.dashboards.summaries import ensure_fresh

LENIENT_UNIT = "STC"  # Sở Tài chính
HR_USERNAME = "nhansu"
DEMO_PASSWORD = "danhgia-demo-2026"
DAY = datetime.timedelta(days=1)
STRENGTHS = "Hoàn thành tốt các nhiệm vụ được giao."
COMMENT = "Thống nhất với nội dung tự đánh giá."
REASON = "Tập thể thống nhất đề nghị mức hoàn thành tốt nhiệm vụ."


@dataclass
class DashboardDemo:
    period: Period | None = None
    decided: int = 0
    periods_refreshed: int = 0


def _previous_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - DAY).replace(day=1)


def _give_logins(unit: Unit) -> None:
    """Everyone of the department signs in with the demo password (people without a login
    get one named after their employee code)."""
    hashed = make_password(DEMO_PASSWORD)
    for person in Person.objects.filter(unit__path__startswith=unit.path, user__isnull=True):
        user = org_services.create_login(person, by=None)
        User.objects.filter(pk=user.pk).update(password=hashed)


def _evaluate(sheet: Sheet, period: Period) -> Sheet:
    config = sheet_config(sheet)
    full = {criterion.code: criterion.max_points for criterion in config.criteria}
    owner = sheet.person.user
    assert owner is not None
    sheet = save_self_evaluation(
        sheet, by=owner, scores=full, strengths=STRENGTHS, proposed_level=GOOD
    )
    sheet = submit_self_evaluation(sheet, by=owner)
    if sheet.reviewer is not None and sheet.reviewer_id != sheet.decider_id:
        sheet = submit_review(
            sheet,
            by=sheet.reviewer,
            scores=full,
            comment=COMMENT,
            proposed_level=GOOD,
            organising=100,  # a leader's đ and e, when the rulebook asks for them
            uniting=100,
        )
    return sheet


def seed_demo_dashboards(today: datetime.date) -> DashboardDemo:
    """Build the lenient month once (see the module's docstring); idempotent."""
    result = DashboardDemo()
    unit = Unit.objects.filter(code=LENIENT_UNIT).first()
    hr = User.objects.filter(username=HR_USERNAME).first()
    if unit is None or hr is None:
        return result
    first = _previous_month(today)
    if Period.objects.filter(organisation=unit, start=first).exists():
        result.periods_refreshed = ensure_fresh()
        return result
    with transaction.atomic():
        _give_logins(unit)
        period = open_period(
            unit,
            first,
            by=hr,
            deadlines={
                "self_evaluation_due": today + DAY * 30,
                "review_due": today + DAY * 35,
                "decision_due": today + DAY * 40,
            },
        )
        sheets = Sheet.objects.filter(period=period).select_related(
            "person__user", "reviewer", "decider", "unit", "period"
        )
        for sheet in sheets.order_by("pk"):
            sheet = _evaluate(sheet, period)
            if sheet.decider is None:
                continue  # nobody decides for the head of the department in this demo
            # "good" whatever the score, as far as the rulebook lets a head raise a level.
            level = within_band(sheet_config(sheet), GOOD, sheet.band)
            reason = "" if sheet.band == level else REASON
            decide_sheet(sheet, by=sheet.decider, level=level, reason=reason)
            result.decided += 1
        result.period = period
        if not period.sheets.exclude(status=Sheet.Status.DECIDED).exists():
            advance_period(period, by=hr)
            advance_period(period, by=hr)
            close_period(period, by=hr)
    result.periods_refreshed = ensure_fresh()
    return result
