"""Opening a month inserts its sheets with COPY on PostgreSQL (danhgia/core/bulk.py): the rows
read back exactly as bulk_create would have written them, and the sequence moves on."""

from django.db import connection

from danhgia.core.bulk import copy_insert
from danhgia.evaluations.models import Sheet, SheetTaskLine
from danhgia.evaluations.services.sheets import current_lines
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_, sheet_of


def test_opened_sheets_read_back_as_written(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    task = make_task(due=oct_(20), done_on=oct_(15), meets_quality=True)
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    # Values, not enum names; JSON objects, not JSON strings.
    raw = Sheet.objects.filter(pk=sheet.pk).values("status", "self_scores").get()
    assert raw == {"status": "draft", "self_scores": {}}
    # No line is stored at opening; the draft shows it computed from the task.
    assert not SheetTaskLine.objects.filter(sheet=sheet).exists()
    assert [line.task_id for line in current_lines(sheet)] == [task.pk]
    assert sheet.task_points > 0


def test_copy_insert_assigns_ids_the_sequence_keeps(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    template = sheet_of(period, world.people["staff"])
    Sheet.objects.filter(pk=template.pk).delete()
    copies = [Sheet(period=period, person=template.person, unit=template.unit)]
    copy_insert(copies, with_ids=True)
    assert copies[0].pk is not None
    assert not copies[0]._state.adding
    assert Sheet.objects.get(pk=copies[0].pk).person == template.person
    other = sheet_of(period, world.people["manager"])
    Sheet.objects.filter(pk=other.pk).delete()
    later = Sheet.objects.create(period=period, person=other.person, unit=other.unit)
    assert later.pk > copies[0].pk or connection.vendor != "postgresql"
