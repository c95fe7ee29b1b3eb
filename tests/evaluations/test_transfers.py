"""Transfers: a person who moves in the middle of the year keeps their monthly sheets with the
unit of each month; the sheet of the month under way stays with the old unit, its reviewer and
decider; from the next period on, the new unit evaluates them; the person's record lists it
all."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.evaluations.facts_transfers import moves_of
from danhgia.evaluations.models import Period
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.transfers import transfer_person
from danhgia.organisations.models import Person
from danhgia.organisations.services import save_person
from tests.conftest import World
from tests.evaluations.conftest import future_deadlines, sheet_of

pytestmark = pytest.mark.usefixtures("english", "english_pages")

D = datetime.date
MOVED_ON = D(2026, 11, 16)


def _open(world: World, month: datetime.date) -> Period:
    days = (month - timezone.localdate()).days + 70
    return open_period(
        world.province, month, by=world.users["hr"], deadlines=future_deadlines(max(days, 10))
    )


@pytest.mark.django_db
def test_a_transfer_mid_period_leaves_the_sheet_with_the_old_unit(
    world: World, nd335: object, login: object
) -> None:
    staff = world.people["staff"]
    october = _open(world, D(2026, 10, 1))
    november = _open(world, D(2026, 11, 1))
    before = sheet_of(november, staff)

    transfer = transfer_person(staff, world.division_other, on=MOVED_ON, by=world.users["hr"])

    staff.refresh_from_db()
    assert staff.unit == world.division_other
    assert transfer.open_sheets == [before]
    after = sheet_of(november, staff)
    assert (after.unit, after.reviewer_id, after.decider_id) == (
        world.division,
        world.users["manager"].pk,
        world.users["head"].pk,
    )
    assert sheet_of(october, staff).unit == world.division
    entry = AuditLog.objects.get(action="person.transferred")
    assert entry.data["on"] == "2026-11-16"
    assert entry.data["before"]["unit"] == "SNV-CC"
    assert entry.data["after"]["unit"] == "STC-NS"
    assert entry.data["sheets_kept"] == [before.pk]
    assert AuditLog.objects.filter(action="person.updated").count() == 1
    # From the next period on, the new unit evaluates the person.
    december = sheet_of(_open(world, D(2026, 12, 1)), staff)
    assert december.unit == world.division_other
    assert december.decider_id == world.users["head_other"].pk


@pytest.mark.django_db
def test_the_old_manager_keeps_the_old_sheets_and_the_record_shows_the_history(
    world: World, nd335: object, login: object
) -> None:
    staff = world.people["staff"]
    november = _open(world, D(2026, 11, 1))
    transfer_person(staff, world.division_other, on=MOVED_ON, by=world.users["hr"])
    december = _open(world, D(2026, 12, 1))
    sheet = sheet_of(november, staff)

    manager = login(world.users["manager"])  # type: ignore[operator]
    page = manager.get(reverse("evaluations:sheet_detail", args=[sheet.pk]))
    assert page.status_code == 200
    assert "Moved on 16/11/2026 to Phòng Ngân sách" in page.content.decode()
    # The person is no longer in the manager's scope.
    record_url = reverse("evaluations:person_record", args=[staff.pk])
    assert manager.get(record_url).status_code == 404

    html = login(world.users["head_other"]).get(record_url).content.decode()  # type: ignore[operator]
    assert "16/11/2026: Phòng Công chức → <strong>Phòng Ngân sách</strong>" in html
    rows = html.split('<table class="list person-sheets">')[1].split("</table>")[0]
    assert rows.index("December 2026") < rows.index("Phòng Ngân sách") < rows.index("November 2026")
    assert rows.index("November 2026") < rows.index("Phòng Công chức")
    assert sheet_of(december, staff).unit == world.division_other


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "on", "message"),
    [
        ("division", MOVED_ON, "already works in"),
        ("division_other", D(2099, 1, 1), "on or after the day it takes effect"),
        ("division_other", D(2019, 12, 31), "a transfer cannot come before that"),
    ],
)
def test_transfers_are_checked(world: World, unit: str, on: datetime.date, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        transfer_person(world.people["staff"], getattr(world, unit), on=on, by=world.users["hr"])
    assert Person.objects.get(pk=world.people["staff"].pk).unit == world.division
    assert not AuditLog.objects.filter(action="person.transferred").exists()


@pytest.mark.django_db
def test_only_hr_over_both_units_transfers(world: World) -> None:
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        transfer_person(
            world.people["staff"], world.division_other, on=MOVED_ON, by=world.users["head"]
        )


@pytest.mark.django_db
def test_a_transfer_cannot_come_before_the_last_one(world: World) -> None:
    staff, hr = world.people["staff"], world.users["hr"]
    transfer_person(staff, world.division_other, on=MOVED_ON, by=hr)
    with pytest.raises(EvaluationError, match="last moved on 16/11/2026"):
        transfer_person(staff, world.dept, on=D(2026, 11, 10), by=hr)
    transfer_person(staff, world.dept, on=D(2026, 11, 20), by=hr)
    moves = moves_of([staff.pk])[staff.pk]
    assert [(move.on, move.from_unit, move.to_unit) for move in moves] == [
        (MOVED_ON, "Phòng Công chức", "Phòng Ngân sách"),
        (D(2026, 11, 20), "Phòng Ngân sách", "Sở Nội vụ"),
    ]


@pytest.mark.django_db
def test_a_unit_changed_on_the_person_page_counts_as_a_move_that_day(world: World) -> None:
    staff = world.people["staff"]
    staff.unit = world.division_other
    save_person(staff, by=world.users["hr"])

    moves = moves_of([staff.pk])[staff.pk]

    assert [(move.on, move.to_unit) for move in moves] == [
        (timezone.localdate(), "Phòng Ngân sách")
    ]


@pytest.mark.django_db
def test_hr_transfers_from_the_page(world: World, login: object) -> None:
    staff = world.people["staff"]
    client = login(world.users["hr"])  # type: ignore[operator]
    url = reverse("evaluations:person_transfer", args=[staff.pk])

    ahead = clock.today() + datetime.timedelta(days=30)
    refused = client.post(
        url, {"to_unit": world.division_other.pk, "on": ahead.strftime("%d/%m/%Y")}
    )
    assert refused.status_code == 200
    assert "on or after the day it takes effect" in refused.content.decode()
    assert f'value="{ahead.isoformat()}"' in refused.content.decode()  # kept, in ISO

    done = client.post(url, {"to_unit": world.division_other.pk, "on": "16/11/2026"})
    assert done.status_code == 302
    assert done["Location"] == reverse("evaluations:person_record", args=[staff.pk])
    staff.refresh_from_db()
    assert staff.unit == world.division_other
