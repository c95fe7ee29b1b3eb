"""The sheets of a unit in a period are counted the same on the dashboard, the supervision
page and the public page (`evaluations.queries.in_unit`), and the supervision page lists each
unit once.

The case that made them differ: sibling departments each run their own month, the heads'
own sheets are decided at the province (by its chairman), a person is transferred between the
departments during the month and a newcomer joins. Supervision grouped sheets by where they
were decided and by period (the province twice, the department without its head's sheet);
the newcomer step gave the transferred person a second sheet for the month.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.queries import sheets_in
from danhgia.evaluations.services.newcomers import add_missing_sheets
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.transfers import transfer_person
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Role, UnitRole
from danhgia.reports.dashboards.summaries import ensure_fresh
from danhgia.reports.dashboards.supervision import flags_for_month
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import publish_period
from tests.conftest import SINCE, World
from tests.factories import PersonFactory, UserFactory

OCTOBER = datetime.date(2026, 10, 1)
DEADLINES = {
    "self_evaluation_due": datetime.date(2026, 11, 5),
    "review_due": datetime.date(2026, 11, 10),
    "decision_due": datetime.date(2026, 11, 15),
}


@pytest.fixture
def october_20(time_machine: Any) -> None:
    time_machine.move_to(
        datetime.datetime(2026, 10, 20, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    )


@pytest.fixture
def months(world: World, october_20: None) -> dict[str, Period]:
    ensure_shipped_rulebooks()
    chairman = UserFactory(username="chairman")
    PersonFactory(full_name="Chủ Tịch", unit=world.province, user=chairman, title="Chủ tịch")
    UnitRole.objects.create(user=chairman, unit=world.province, role=Role.HEAD, valid_from=SINCE)
    hr = world.users["hr"]
    periods = {
        key: open_period(unit, OCTOBER, by=hr, deadlines=DEADLINES)
        for key, unit in (("dept", world.dept), ("dept_other", world.dept_other))
    }
    # Lê Thị Bình moves from Sở Tài chính to Sở Nội vụ on 10 October: her October sheet
    # stays with Sở Tài chính. A newcomer joins Sở Nội vụ on 12 October.
    transfer_person(
        world.people["staff_other"], world.division, on=datetime.date(2026, 10, 10), by=hr
    )
    PersonFactory(
        full_name="Người Mới",
        unit=world.division,
        user=UserFactory(username="newcomer"),
        active_from=datetime.date(2026, 10, 12),
    )
    for period in periods.values():
        add_missing_sheets(period, by=hr)
    # Every sheet decided, the months closed (the figures, not the workflow, are tested).
    Sheet.objects.update(status=Sheet.Status.DECIDED, decided_level="good", band="good")
    Period.objects.update(state=Period.State.CLOSED)
    for period in periods.values():
        publish_period(
            period, by=hr, audience=Publication.Audience.PUBLIC, privacy=Privacy.COUNTS_ONLY
        )
    return periods


@pytest.mark.django_db
def test_one_sheet_a_month_for_the_transferred_person_and_the_newcomer(
    world: World, months: dict[str, Period]
) -> None:
    moved = Sheet.objects.filter(person=world.people["staff_other"], period__start=OCTOBER)
    assert [(sheet.unit, sheet.period) for sheet in moved] == [
        (world.division_other, months["dept_other"])
    ]
    newcomer = Sheet.objects.get(person__full_name="Người Mới")
    assert (newcomer.unit, newcomer.period) == (world.division, months["dept"])


@pytest.mark.django_db
def test_three_pages_count_the_same_sheets(
    world: World, months: dict[str, Period], login: Any
) -> None:
    entries = flags_for_month(world.users["supervisor"], OCTOBER)
    units = [entry.unit for entry in entries]
    assert len(units) == len(set(units))  # no unit listed twice
    supervision = {entry.unit.pk: (entry.sheets, entry.decided) for entry in entries}
    ensure_fresh()  # the worker's run queued at the writes' commit
    dashboard = login(world.users["hr"])
    public = Client()
    for key in ("dept", "dept_other"):
        unit, period = getattr(world, key), months[key]
        expected = sheets_in([period], unit).count()
        figures = dashboard.get(
            reverse("dashboards:unit", args=[unit.pk]), {"thang": "2026-10"}
        ).context["figures"]
        total = public.get(
            reverse("publication:public_month_json", args=[unit.code, OCTOBER])
        ).json()["total"]
        assert (figures.sheets, figures.decided, total) == (expected, expected, expected), key
        assert supervision[unit.pk] == (expected, expected), key
    # Sở Nội vụ: head, hr, manager, staff and the newcomer (not the person who moved in).
    assert sheets_in([months["dept"]], world.dept).count() == 5
    # The province: everything below it, in both departments' months.
    province = Sheet.objects.filter(period__start=OCTOBER).count()
    assert supervision[world.province.pk] == (province, province)
