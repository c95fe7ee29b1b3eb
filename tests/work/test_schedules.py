"""Weekly schedules: creation on Mondays only, editing by the office, publication, and what
staff see before and after it."""

import datetime

import pytest

from danhgia.organisations.models import Role, UnitRole
from danhgia.work.models import ScheduleEntry, WeeklySchedule
from danhgia.work.permissions import can_edit_schedule, can_view_schedule
from danhgia.work.services import WorkError
from danhgia.work.services import schedules as services
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory
from tests.work.test_plan_helpers import actions, add_meeting, at, monday, schedule_with

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def office(world: World):  # type: ignore[no-untyped-def]
    """A clerk of the Sở Nội vụ's office, who keeps its weekly schedule (Role.OFFICE)."""
    clerk = PersonFactory(
        full_name="Lê Văn Phòng", unit=world.dept, user=UserFactory(username="office")
    )
    UnitRole.objects.create(user=clerk.user, unit=world.dept, role=Role.OFFICE)
    return clerk.user


@pytest.mark.django_db
def test_a_schedule_starts_on_a_monday(world: World) -> None:
    tuesday = monday() + datetime.timedelta(days=1)
    with pytest.raises(WorkError, match="starts on a Monday"):
        services.create_schedule(world.dept, tuesday, by=world.users["head"])
    schedule = services.create_schedule(world.dept, monday(), by=world.users["head"])
    assert (schedule.week_start, schedule.is_published) == (monday(), False)
    assert actions(schedule) == ["schedule.created"]
    with pytest.raises(WorkError, match="already has a schedule for the week of"):
        services.create_schedule(world.dept, monday(), by=world.users["head"])


@pytest.mark.django_db
def test_the_office_keeps_the_schedule(world: World, office) -> None:  # type: ignore[no-untyped-def]
    schedule = services.create_schedule(world.dept, monday(), by=office)
    entry = services.add_entry(
        schedule,
        by=office,
        starts_at=at(monday(), 14),
        title="Họp giao ban tuần",
        chair=world.people["head"],
        participants=[world.people["manager"]],
    )
    assert (entry.chair, list(entry.participants.all())) == (
        world.people["head"],
        [world.people["manager"]],
    )
    assert can_edit_schedule(office, world.division)  # the office role covers sub-units


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff", "manager", "hr", "supervisor", "head_other"])
def test_people_outside_the_office_do_not_edit(world: World, persona: str) -> None:
    user = world.users[persona]
    with pytest.raises(WorkError, match="keep its weekly schedule"):
        services.create_schedule(world.dept, monday(), by=user)
    schedule = schedule_with(world, entries=1)
    with pytest.raises(WorkError, match="keep its weekly schedule"):
        services.add_entry(schedule, by=user, starts_at=at(monday(), 8), title="Họp")
    with pytest.raises(WorkError, match="keep its weekly schedule"):
        services.delete_entry(schedule.entries.get(), by=user)
    with pytest.raises(WorkError, match="keep its weekly schedule"):
        services.publish_schedule(schedule, by=user)
    assert (ScheduleEntry.objects.count(), WeeklySchedule.objects.get().is_published) == (1, False)


@pytest.mark.django_db
def test_entries_stay_within_the_week_and_the_unit(world: World) -> None:
    schedule = schedule_with(world, entries=0)
    head = world.users["head"]
    with pytest.raises(WorkError, match="within the week"):
        services.add_entry(schedule, by=head, starts_at=at(monday(1), 8), title="Họp tuần sau")
    with pytest.raises(WorkError, match="end time must not be before"):
        services.add_entry(
            schedule, by=head, starts_at=at(monday(), 10), ends_at=at(monday(), 9), title="Họp"
        )
    with pytest.raises(WorkError, match="Not in Sở Nội vụ: Lê Thị Bình"):
        services.add_entry(
            schedule,
            by=head,
            starts_at=at(monday(), 8),
            title="Họp",
            participants=[world.people["staff_other"]],
        )
    with pytest.raises(WorkError, match="Say what the entry is about"):
        services.add_entry(schedule, by=head, starts_at=at(monday(), 8), title="  ")
    assert ScheduleEntry.objects.count() == 0


@pytest.mark.django_db
def test_publication_is_logged_and_needs_an_entry(world: World) -> None:
    empty = schedule_with(world, entries=0)
    with pytest.raises(WorkError, match="Add at least one entry"):
        services.publish_schedule(empty, by=world.users["head"])
    add_meeting(world, empty)
    published = services.publish_schedule(empty, by=world.users["head"])
    assert (published.is_published, published.published_by) == (True, world.users["head"])
    assert actions(published) == ["schedule.created", "schedule.published"]
    with pytest.raises(WorkError, match="already published"):
        services.publish_schedule(published, by=world.users["head"])


@pytest.mark.django_db
def test_drafts_are_hidden_from_staff_until_publication(world: World) -> None:
    schedule = schedule_with(world, entries=1)
    staff, manager, head = (world.users[key] for key in ("staff", "manager", "head"))
    assert (can_view_schedule(staff, schedule), can_view_schedule(manager, schedule)) == (
        False,
        False,
    )
    assert can_view_schedule(head, schedule)
    published = services.publish_schedule(schedule, by=head)
    assert can_view_schedule(staff, published)


@pytest.mark.django_db
def test_drafts_edits_are_not_logged_but_changes_after_publication_are(world: World) -> None:
    schedule = schedule_with(world, entries=2)
    services.delete_entry(schedule.entries.first(), by=world.users["head"])  # type: ignore[arg-type]
    assert actions(schedule) == ["schedule.created"]
    services.publish_schedule(schedule, by=world.users["head"])
    add_meeting(world, schedule, day_offset=3, title="Làm việc với Sở Tài chính")
    services.delete_entry(schedule.entries.order_by("pk").first(), by=world.users["head"])  # type: ignore[arg-type]
    assert actions(schedule) == [
        "schedule.created",
        "schedule.published",
        "schedule.entry_added",
        "schedule.entry_deleted",
    ]
