"""People who join after a period opened get their sheet: the daily `open_period` run, or HR's
button on the periods page; decided and closed periods get none; nobody gets two."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.newcomers import add_missing_sheets, people_without_sheet
from danhgia.organisations.models import Person
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english", "english_pages")


def _newcomer(world: World, key: str = "moi", **extra: object) -> Person:
    extra.setdefault("active_from", oct_(20))
    person = PersonFactory(unit=world.division, user=UserFactory(username=key), **extra)
    world.people[key] = person
    world.users[key] = person.user
    return person


@pytest.mark.django_db
def test_the_sheets_of_newcomers_are_added_computed_and_logged(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = open_october()
    assert add_missing_sheets(period, by=world.users["hr"]) == []
    newcomer = _newcomer(world)
    make_task("moi", done_on=oct_(25), meets_quality=True)
    _newcomer(world, "later", active_from=datetime.date(2026, 11, 2))  # not in October
    assert list(people_without_sheet(period)) == [newcomer]
    added = add_missing_sheets(period, by=world.users["hr"])
    assert [sheet.person for sheet in added] == [newcomer]
    sheet = added[0]
    assert (sheet.reviewer, sheet.decider) == (world.users["manager"], world.users["head"])
    assert sheet.task_points == Decimal("70.00")
    entry = AuditLog.objects.get(action="period.sheets_added")
    assert entry.data["people"] == [newcomer.employee_code]
    assert entry.data["sheets"] == 1
    notice = Notification.objects.get(recipient=newcomer.user, kind="sheet.created")
    assert "Your sheet for" in notice.message
    assert add_missing_sheets(period, by=world.users["hr"]) == []
    assert Sheet.objects.filter(period=period, person=newcomer).count() == 1


@pytest.mark.django_db
def test_only_hr_adds_sheets_and_not_once_the_month_is_decided(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    _newcomer(world)
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        add_missing_sheets(period, by=world.users["head"])
    Period.objects.filter(pk=period.pk).update(state=Period.State.DECIDED)
    with pytest.raises(EvaluationError, match="no sheet can be added"):
        add_missing_sheets(period, by=world.users["hr"])


@pytest.mark.django_db
def test_the_daily_command_adds_the_newcomers(world: World, open_october: OpenOctober) -> None:
    period = open_october(organisation=world.dept)
    newcomer = _newcomer(world)
    out = StringIO()
    call_command("open_period", "--organisation", "SNV", "--month", "2026-10", stdout=out)
    assert "Added 1 sheet(s)" in out.getvalue()
    assert Sheet.objects.filter(period=period, person=newcomer).exists()
    entry = AuditLog.objects.get(action="period.sheets_added")
    assert entry.actor is None


@pytest.mark.django_db
def test_the_periods_page_offers_the_newcomers_sheets(
    world: World, open_october: OpenOctober, client: Client
) -> None:
    period = open_october()
    client.force_login(world.users["hr"])
    page = client.get(reverse("evaluations:period_list")).content.decode()
    add_url = reverse("evaluations:period_add_missing", args=[period.pk])
    assert add_url not in page
    newcomer = _newcomer(world)
    _newcomer(world, "moi2")
    page = client.get(reverse("evaluations:period_list")).content.decode()
    assert add_url in page
    assert "Add the sheets of 2 newcomers" in page
    response = client.post(add_url, follow=True)
    assert "2 sheet(s) added" in response.content.decode()
    assert Sheet.objects.filter(period=period, person=newcomer).exists()
