"""A sheet with its owner is rescored by the task write that made it stale, in that write's
transaction and with its writer as actor; opening the sheet's page writes nothing (issue 16)."""

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.services.sheets import current_lines
from danhgia.organisations.models import Person
from danhgia.work.models import Task
from danhgia.work.services import tasks as task_services
from danhgia.work.services.assessment import assess_task
from danhgia.work.services.extensions import answer_extension, request_extension
from danhgia.work.services.tasks import cancel_task, complete_task, reassign_task
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_, sheet_of
from tests.factories import PersonFactory
from tests.test_get_never_writes import writes_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOVEMBER_10 = datetime.date(2026, 11, 10)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _recomputed(sheet: Sheet) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(
            action="sheet.recomputed", object_type="evaluations.sheet", object_id=str(sheet.pk)
        ).order_by("id")
    )


def _lines(sheet: Sheet) -> list[int]:
    """The task lines the sheet shows (computed: a sheet with its owner stores none)."""
    return sorted(line.task_id for line in current_lines(sheet))


def test_completing_a_task_rescores_the_owners_draft_with_the_owner_as_actor(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(due=oct_(20))
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    assert sheet.quantity_pct == 0
    complete_task(task, by=world.users["staff"], on=oct_(18))
    sheet.refresh_from_db()
    assert sheet.quantity_pct == Decimal("100.000")
    (entry,) = _recomputed(sheet)
    assert entry.actor == world.users["staff"]
    assert entry.data["after"]["quantity_pct"] == "100.000"


def test_assessing_a_task_rescores_the_owners_draft_with_the_assigner_as_actor(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    assert sheet.quality_pct == Decimal("100.000")
    assess_task(task, by=world.users["manager"], meets_quality=False)
    sheet.refresh_from_db()
    assert sheet.quality_pct == 0
    (entry,) = _recomputed(sheet)
    assert entry.actor == world.users["manager"]


def test_reassigning_a_task_moves_its_line_between_the_two_owners_sheets(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    # The new owner must be in the manager's scope: a second person of the division.
    other = PersonFactory(full_name="Bùi Văn Cường", unit=world.division)
    task = make_task(due=oct_(20))
    period = open_october()
    old, new = sheet_of(period, world.people["staff"]), sheet_of(period, other)
    assert (_lines(old), _lines(new)) == ([task.pk], [])
    reassign_task(task, by=world.users["manager"], new_owner=other, reason="Điều chỉnh")
    assert (_lines(old), _lines(new)) == ([], [task.pk])
    assert [entry.actor for entry in _recomputed(old) + _recomputed(new)] == [
        world.users["manager"]
    ] * 2


def test_cancelling_a_task_takes_it_off_the_owners_draft(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(due=oct_(20))
    sheet = sheet_of(open_october(), world.people["staff"])
    cancel_task(task, by=world.users["manager"], reason="Không còn cần thiết")
    sheet.refresh_from_db()
    assert (_lines(sheet), sheet.no_tasks) == ([], True)


def test_an_approved_extension_out_of_the_month_takes_the_task_off_it(
    world: World, open_october: OpenOctober, make_task: MakeTask, time_machine: Any
) -> None:
    time_machine.move_to(datetime.datetime(2026, 10, 28, 9, 0, tzinfo=HANOI), tick=False)
    task = make_task(due=oct_(30))
    sheet = sheet_of(open_october(), world.people["staff"])
    assert _lines(sheet) == [task.pk]
    extension = request_extension(
        task, by=world.users["staff"], proposed_deadline=NOVEMBER_10, reason="Chờ số liệu"
    )
    assert _lines(sheet) == [task.pk]  # asking changes nothing counted
    answer_extension(extension, by=world.users["manager"], approve=True)
    sheet.refresh_from_db()
    assert (_lines(sheet), sheet.no_tasks) == ([], True)
    assert _recomputed(sheet)[-1].actor == world.users["manager"]


def test_a_task_write_that_fails_rolls_the_rescoring_back(
    world: World, open_october: OpenOctober, make_task: MakeTask, monkeypatch: Any
) -> None:
    task = make_task(due=oct_(20))
    sheet = sheet_of(open_october(), world.people["staff"])

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("mail down")

    monkeypatch.setattr(task_services, "notify", broken)  # after the rescoring, same write
    with pytest.raises(RuntimeError):
        complete_task(task, by=world.users["staff"], on=oct_(18))
    sheet.refresh_from_db()
    assert sheet.quantity_pct == 0
    assert _recomputed(sheet) == []
    assert Task.objects.get(pk=task.pk).status != Task.Status.DONE


def test_a_task_of_the_unit_rescores_its_leaders_draft(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    Person.objects.filter(pk=world.people["manager"].pk).update(is_leader=True)
    # Nghị định 335 version 1: đ is the led units' share of tasks done on time with quality.
    period = open_october(rulebook=Rulebook.objects.get(code="ND335-2025", version=1))
    manager = sheet_of(period, world.people["manager"])
    assert manager.organising_pct == 0  # no task in the division yet
    make_task(due=oct_(20), done_on=oct_(18), meets_quality=True)  # assign, complete, assess
    manager.refresh_from_db()
    assert manager.organising_pct == Decimal("100.000")
    make_task(due=oct_(25))  # not done
    manager.refresh_from_db()
    assert manager.organising_pct == Decimal("50.000")
    # Completing alone changed nothing counted (not assessed yet): the manager's writes did.
    assert {entry.actor for entry in _recomputed(manager)} == {world.users["manager"]}


def test_a_viewers_get_of_a_draft_sheet_writes_nothing(
    world: World, open_october: OpenOctober, make_task: MakeTask, client: Any
) -> None:
    task = make_task(due=oct_(20))
    period: Period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    # A change behind the services' back (no task write): the page shows what is stored.
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, completed_on=oct_(18))
    for user in (world.users["supervisor"], world.users["staff"]):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("evaluations:sheet_detail", args=[sheet.pk]))
        assert response.status_code == 200
        assert writes_in(captured.captured_queries) == []
    sheet.refresh_from_db()
    assert sheet.quantity_pct == 0
    assert _recomputed(sheet) == []
