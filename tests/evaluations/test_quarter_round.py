"""A year evaluated by quarter, through the services: for each quarter of 2026 HR opens the
period of Sở Nội vụ, everyone self-evaluates, the manager reviews Nguyễn Văn An, the head
decides (An one by one, the others by accepting every proposal; the head's own sheet by the
provincial chair) and HR closes it; then the annual classification of 2026 is computed from
the four quarters (each weighs three months), decided and closed.

The helpers also serve the browser test (tests/e2e/test_quarter_round.py), which takes one
quarter through the pages and the other three through `close_quarter_by_services`.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

import pytest
import time_machine

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import accept_all_annual, close_annual, decide_annual, open_annual
from danhgia.core import clock
from danhgia.core.periods import period_label
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rules.reading import round_points
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.periods import close_period, open_period, period_bounds
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Role
from danhgia.work.models import Task
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.tasks import assign_task, complete_task
from tests.conftest import VIETNAM, World, _person_with_login, _role

YEAR = 2026  # Nghị định 335 applies from 1/1/2026
GENERAL = {"ethics": 9, "competence": 9, "innovation": 9}
# The manager's scores of An for each quarter: general points 18, 15, 12, 9 (of 30); with the
# quarter's one task done on time (70 of 70) the totals are 88, 85, 82 and 79.
MANAGER_SCORES = (
    {"ethics": 6, "competence": 6, "innovation": 6},
    {"ethics": 5, "competence": 5, "innovation": 5},
    {"ethics": 4, "competence": 4, "innovation": 4},
    {"ethics": 3, "competence": 3, "innovation": 3},
)
QUARTER_TOTALS = (Decimal(88), Decimal(85), Decimal(82), Decimal(79))


def quarter_starts(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in (1, 4, 7, 10)]


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of the quarter containing `day`."""
    return period_bounds(day, Period.Kind.QUARTER)[0]


def inside(first: datetime.date) -> datetime.datetime:
    """An instant on the quarter's last day (its tasks are done, every deadline is ahead)."""
    last = period_bounds(first, Period.Kind.QUARTER)[1]
    return datetime.datetime.combine(last, datetime.time(10), tzinfo=VIETNAM)


def add_chair(world: World) -> None:
    """The provincial chair, who decides the head's own sheet."""
    chair = _person_with_login("chair", "Lê Văn Chủ", world.province, "Chủ tịch UBND tỉnh")
    world.users["chair"] = chair.user
    world.people["chair"] = chair
    _role(chair.user, world.province, Role.HEAD)


def quarter_task(world: World, first: datetime.date) -> Task:
    """An's one task of the quarter, assigned by the manager, done today (on time) and
    assessed as meeting quality: 70 of the 70 task points."""
    staff, manager = world.people["staff"], world.users["manager"]
    today = clock.today()
    task = assign_task(
        title=f"Thẩm định hồ sơ {period_label(Period.Kind.QUARTER, first)}",
        unit=staff.unit,
        owner=staff,
        by=manager,
        source=Task.Source.ASSIGNMENT,
        start_date=first,
        due_date=today,
    )
    task = complete_task(task, by=staff.user, on=today)
    return assess_task(task, by=manager, meets_quality=True, major_errors=0, note="")


def self_evaluate(world: World, period: Period, keys: tuple[str, ...]) -> None:
    for key in keys:
        user = world.users[key]
        sheet = Sheet.objects.get(period=period, person=world.people[key])
        sheet = save_self_evaluation(sheet, by=user, scores=GENERAL, proposed_level="good")
        submit_self_evaluation(sheet, by=user)


def decide_the_others(world: World, period: Period) -> None:
    """The department's sheets other than An's: the head accepts what can be accepted and
    decides the rest (the sheets they review themself) at the band; the chair decides the
    head's own sheet."""
    result = accept_all_proposals(period, world.dept, by=world.users["head"])
    for skipped in result.skipped:
        if skipped.sheet.person_id != world.people["staff"].pk:
            decide_sheet(skipped.sheet, by=world.users["head"], level=skipped.sheet.band)
    head_sheet = Sheet.objects.get(period=period, person=world.people["head"])
    decide_sheet(head_sheet, by=world.users["chair"], level=head_sheet.band)


def close_quarter_by_services(
    world: World, first: datetime.date, manager_scores: Mapping[str, int]
) -> Period:
    """The quarter starting on `first`, from opening to closing, at an instant inside it."""
    with time_machine.travel(inside(first), tick=False):
        quarter_task(world, first)
        period = open_period(world.dept, first, kind=Period.Kind.QUARTER, by=world.users["hr"])
        self_evaluate(world, period, ("staff", "manager", "hr", "head"))
        staff_sheet = Sheet.objects.get(period=period, person=world.people["staff"])
        submit_review(
            staff_sheet,
            by=world.users["manager"],
            scores=manager_scores,
            comment="Hoàn thành đúng hạn.",
            proposed_level="good",
        )
        staff_sheet.refresh_from_db()
        decide_sheet(staff_sheet, by=world.users["head"], level=staff_sheet.band)
        decide_the_others(world, period)
        return close_period(period, by=world.users["hr"])


@pytest.mark.django_db
def test_a_year_by_quarter_from_opening_to_the_annual_result(world: World) -> None:
    ensure_shipped_rulebooks()
    add_chair(world)
    staff = world.people["staff"]
    periods = [
        close_quarter_by_services(world, first, scores)
        for first, scores in zip(quarter_starts(YEAR), MANAGER_SCORES, strict=True)
    ]

    for period, first in zip(periods, quarter_starts(YEAR), strict=True):
        assert (period.kind, period.start, period.end) == (
            Period.Kind.QUARTER,
            first,
            period_bounds(first, Period.Kind.QUARTER)[1],
        )
        assert period.state == Period.State.CLOSED
        # deadlines follow the quarter's end, not its first month's
        assert period.self_evaluation_due > period.end
    assert [period.label for period in periods] == [
        "Quý I/2026",
        "Quý II/2026",
        "Quý III/2026",
        "Quý IV/2026",
    ]
    staff_sheets = [Sheet.objects.get(period=period, person=staff) for period in periods]
    assert [sheet.total for sheet in staff_sheets] == list(QUARTER_TOTALS)
    assert [sheet.decided_level for sheet in staff_sheets] == ["good"] * 4
    assert all(sheet.task_lines.count() == 1 for sheet in staff_sheets)

    with time_machine.travel(datetime.datetime(YEAR, 12, 10, 10, tzinfo=VIETNAM), tick=False):
        annual = open_annual(world.dept, YEAR, by=world.users["hr"])
        sheet = AnnualSheet.objects.get(annual_period=annual, person=staff)
        assert [(item["start"], item["end"], item["counted"]) for item in sheet.months] == [
            (period.start.isoformat(), period.end.isoformat(), True) for period in periods
        ]
        assert [Decimal(item["total"]) for item in sheet.months] == list(QUARTER_TOTALS)
        assert (sheet.months_worked, sheet.extra_days_worked) == (12, 0)
        assert sheet.score == round_points(sum(QUARTER_TOTALS) / 4) == Decimal("83.5")
        assert (sheet.band, sheet.proposed_level, sheet.status) == (
            "good",
            "good",
            AnnualSheet.Status.PENDING,
        )

        decide_annual(sheet, by=world.users["head"], level="good")
        accept_all_annual(annual, world.dept, by=world.users["head"])
        accept_all_annual(annual, world.dept, by=world.users["chair"])
        annual = close_annual(annual, by=world.users["hr"])

    assert annual.state == AnnualPeriod.State.CLOSED
    sheet.refresh_from_db()
    assert (sheet.decided_level, sheet.decided_by) == ("good", world.users["head"])
