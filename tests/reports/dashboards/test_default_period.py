"""Which period a page shows when the user has not chosen one: the latest that has started
(first day on or before today), never a period opened ahead of time (`core.periods.
default_start`), on the dashboards (unit, home, person) and the supervision page."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from danhgia.core import clock
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.reports.dashboards.summaries import ensure_fresh
from tests.conftest import World

SEPTEMBER = datetime.date(2026, 9, 1)
OCTOBER = datetime.date(2026, 10, 1)
NEXT_YEAR = datetime.date(2027, 3, 1)  # opened far ahead


@pytest.fixture
def october_15(time_machine: Any) -> None:
    time_machine.move_to(
        datetime.datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    )


def _period(world: World, start: datetime.date, *, decided: bool) -> Period:
    ensure_shipped_rulebooks()
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end -= datetime.timedelta(days=1)
    period = Period.objects.create(
        organisation=world.province,
        start=start,
        end=end,
        rulebook=Rulebook.objects.get(code="ND335-2025", version=1),
        state=Period.State.CLOSED if decided else Period.State.OPEN,
        self_evaluation_due=end,
        review_due=end,
        decision_due=end,
        opened_at=clock.now(),
    )
    for key in ("staff", "manager", "head"):
        person = world.people[key]
        Sheet.objects.create(
            period=period,
            person=person,
            unit=person.unit,
            status=Sheet.Status.DECIDED if decided else Sheet.Status.DRAFT,
            decided_level="good" if decided else "",
            decided_by=world.users["head"] if decided else None,
        )
    return period


@pytest.mark.django_db
@pytest.mark.parametrize("september_decided", [False, True])
def test_pages_default_to_the_latest_period_started(
    world: World, october_15: None, login: Any, september_decided: bool
) -> None:
    _period(world, SEPTEMBER, decided=september_decided)
    _period(world, OCTOBER, decided=False)
    _period(world, NEXT_YEAR, decided=False)
    ensure_fresh()  # the worker's run queued at the writes' commit

    hr = login(world.users["hr"])
    assert hr.get(reverse("dashboards:home")).context["month"] == OCTOBER
    head = login(world.users["head"])
    assert head.get(reverse("dashboards:unit", args=[world.dept.pk])).context["month"] == OCTOBER
    staff = login(world.users["staff"])
    person = staff.get(reverse("dashboards:person", args=[world.people["staff"].pk]))
    assert person.context["chosen"].period.start == OCTOBER
    supervisor = login(world.users["supervisor"])
    page = supervisor.get(reverse("dashboards:supervision"))
    assert page.context["month"] == OCTOBER
    # The period opened ahead is still there to choose.
    assert NEXT_YEAR in [month for month, _label in page.context["month_options"]]
    chosen = supervisor.get(reverse("dashboards:supervision"), {"thang": "2027-03"})
    assert chosen.context["month"] == NEXT_YEAR


@pytest.mark.django_db
def test_before_any_period_has_started_the_first_one_is_shown(
    world: World, october_15: None, login: Any
) -> None:
    _period(world, NEXT_YEAR, decided=False)
    _period(world, datetime.date(2027, 1, 1), decided=False)
    page = login(world.users["supervisor"]).get(reverse("dashboards:supervision"))
    assert page.context["month"] == datetime.date(2027, 1, 1)
