"""The `Transfer` table: every path that changes a person's unit records the move in the same
transaction (the transfer form, the person's page, the people import), the facts read it, and
the migration rebuilds it from the audit rows written before the table existed."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.models import AuditLog
from danhgia.evaluations.facts_transfers import moves_of
from danhgia.evaluations.services.transfers import transfer_person
from danhgia.organisations.models import Person, Transfer, TransferSource
from danhgia.organisations.services import OrganisationError, save_person
from tests.conftest import World
from tests.factories import PersonFactory
from tests.organisations.test_import_helpers import (
    PEOPLE_HEADER,
    confirm,
    person_row,
    uploaded,
    xlsx,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MOVED_ON = D(2026, 11, 16)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _rows(person: Person) -> list[tuple[int, int, datetime.date, int | None, str]]:
    return [
        (row.from_unit_id, row.to_unit_id, row.effective_on, row.recorded_by_id, row.source)
        for row in Transfer.objects.filter(person=person)
    ]


def test_the_transfer_form_records_the_move_from_its_day(world: World) -> None:
    staff, hr = world.people["staff"], world.users["hr"]
    transfer_person(staff, world.division_other, on=MOVED_ON, by=hr)
    assert _rows(staff) == [
        (world.division.pk, world.division_other.pk, MOVED_ON, hr.pk, TransferSource.FORM)
    ]
    entry = AuditLog.objects.get(action="person.transferred")  # the audit row is still written
    assert entry.data["transfer_id"] == Transfer.objects.get(person=staff).pk


def test_a_unit_changed_on_the_person_page_records_a_move_that_day(world: World, login) -> None:  # type: ignore[no-untyped-def]
    staff, hr = world.people["staff"], world.users["hr"]
    data = {
        "full_name": staff.full_name,
        "employee_code": staff.employee_code,
        "staff_category": staff.staff_category,
        "unit": world.division_other.pk,
        "active_from": staff.active_from.strftime("%d/%m/%Y"),
    }
    response = login(hr).post(reverse("organisations:person_edit", args=[staff.pk]), data)
    assert response.status_code == 302
    assert _rows(staff) == [
        (world.division.pk, world.division_other.pk, clock.today(), hr.pk, TransferSource.FORM)
    ]


def test_a_people_import_that_moves_someone_records_it_and_the_facts_see_it(
    world: World, login
) -> None:  # type: ignore[no-untyped-def]
    staff, hr = world.people["staff"], world.users["hr"]
    client = login(hr)
    rows = [
        PEOPLE_HEADER,
        person_row(staff.employee_code, staff.full_name, unit="STC-NS"),  # moves
        person_row("NV-NEW", "Lê Thị Mới", unit="STC-NS"),  # joins: not a move
    ]
    batch = confirm(client, uploaded(client, xlsx(rows)))

    assert batch.status == "committed"
    assert _rows(staff) == [
        (world.division.pk, world.division_other.pk, clock.today(), hr.pk, TransferSource.IMPORT)
    ]
    assert not Transfer.objects.filter(person__employee_code="NV-NEW").exists()
    moves = moves_of([staff.pk])[staff.pk]
    assert [(move.on, move.from_unit, move.to_unit) for move in moves] == [
        (clock.today(), "Phòng Công chức", "Phòng Ngân sách")
    ]
    entry = AuditLog.objects.get(action="import.committed")
    assert entry.data["moved_codes"] == [staff.employee_code]
    # Imported again unchanged: no new move.
    confirm(client, uploaded(client, xlsx(rows)))
    assert Transfer.objects.filter(person=staff).count() == 1


def test_saves_that_keep_the_unit_record_no_move(world: World) -> None:
    hr = world.users["hr"]
    person = save_person(
        PersonFactory.build(unit=world.division, employee_code="NV-77"), by=hr
    )  # created: joins, does not move
    person.title = "Chuyên viên chính"
    save_person(person, by=hr)
    assert not Transfer.objects.filter(person=person).exists()


def test_a_failed_save_leaves_no_move(world: World) -> None:
    staff = world.people["staff"]
    staff.unit = world.division_other
    staff.employee_code = world.people["manager"].employee_code  # taken: the save fails
    with pytest.raises(OrganisationError):
        save_person(staff, by=world.users["hr"])
    assert not Transfer.objects.exists()


def test_the_migration_rebuilds_the_moves_from_the_audit_rows(world: World) -> None:
    """Audit rows as written before the table: a transfer (its `person.updated` paired by
    `update_id`) and an edit of the person's page that changed the unit."""
    staff, other, hr = world.people["staff"], world.people["manager"], world.users["hr"]
    update = log_action(
        staff, "person.updated", by=hr, data={"changes": {"unit": ["SNV-CC", "STC-NS"]}}
    )
    log_action(
        staff,
        "person.transferred",
        by=hr,
        data={
            "on": MOVED_ON,
            "update_id": update.pk,
            "before": {"unit": "SNV-CC", "unit_id": world.division.pk},
            "after": {"unit": "STC-NS", "unit_id": world.division_other.pk},
        },
    )
    edit = log_action(other, "person.updated", by=hr, data={"changes": {"unit": ["SNV-CC", "SNV"]}})
    log_action(other, "person.updated", by=hr, data={"changes": {"title": ["", "Trưởng phòng"]}})
    migration = importlib.import_module("danhgia.organisations.migrations.0005_backfill_transfers")

    migration.backfill(apps, None)

    assert _rows(staff) == [
        (world.division.pk, world.division_other.pk, MOVED_ON, hr.pk, TransferSource.FORM)
    ]
    assert _rows(other) == [
        (
            world.division.pk,
            world.dept.pk,
            timezone.localdate(edit.created_at),
            hr.pk,
            TransferSource.FORM,
        )
    ]
