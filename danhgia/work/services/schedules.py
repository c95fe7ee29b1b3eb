"""Weekly schedules (lịch tuần công tác): create one for a week, add and delete entries, publish.

The unit's office, head and deputies keep the schedule. Until it is published only they see
it, and its entry edits are not logged one by one (a draft is a working copy). Once published,
every added or deleted entry writes an audit row on the schedule, and the pages say the
schedule changed after publication.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.text import nfc
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import ScheduleChange, ScheduleEntry, Task, WeeklySchedule
from danhgia.work.permissions import can_edit_schedule
from danhgia.work.services import WorkError

CHANGE_ACTIONS = ("schedule.entry_added", "schedule.entry_deleted")
SCHEDULE_ACTION_LABELS: dict[str, Any] = {
    "schedule.created": gettext_lazy("schedule created"),
    "schedule.published": gettext_lazy("schedule published"),
    "schedule.entry_added": gettext_lazy("entry added after publication"),
    "schedule.entry_deleted": gettext_lazy("entry deleted after publication"),
}


def week_days(week_start: datetime.date) -> list[datetime.date]:
    return [week_start + datetime.timedelta(days=offset) for offset in range(7)]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _guard(by: User, unit: Unit) -> None:
    if not can_edit_schedule(by, unit):
        raise WorkError(
            _("Only the office, the head and the deputies of %(unit)s keep its weekly schedule.")
            % {"unit": unit.name}
        )


def _lock(schedule: WeeklySchedule) -> WeeklySchedule:
    return (
        WeeklySchedule.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=schedule.pk)
    )


@transaction.atomic
def create_schedule(unit: Unit, week_start: datetime.date, *, by: User) -> WeeklySchedule:
    """Start the (unpublished) schedule of `unit` for the week starting on `week_start`.

    Logs `schedule.created`. Raises WorkError when `week_start` is not a Monday, `by` does not
    keep the unit's schedule, or the unit already has one for that week.
    """
    if week_start.weekday() != 0:
        raise WorkError(_("A weekly schedule starts on a Monday."))
    _guard(by, unit)
    if WeeklySchedule.objects.filter(unit=unit, week_start=week_start).exists():
        raise WorkError(
            _("%(unit)s already has a schedule for the week of %(date)s.")
            % {"unit": unit.name, "date": week_start.strftime("%d/%m/%Y")}
        )
    schedule = WeeklySchedule.objects.create(unit=unit, week_start=week_start)
    log_action(
        schedule, "schedule.created", by=by, data={"unit": unit.code, "week_start": week_start}
    )
    return schedule


def _in_unit(person: Person, unit: Unit) -> bool:
    return person.unit.path.startswith(unit.path)


def _entry_record(entry: ScheduleEntry) -> dict[str, Any]:
    return {
        "entry": entry.pk,
        "title": entry.title,
        "starts_at": timezone.localtime(entry.starts_at).strftime("%d/%m/%Y %H:%M"),
        "place": entry.place,
        "chair": entry.chair.full_name if entry.chair else None,
    }


def _record_change(
    schedule: WeeklySchedule, entry: ScheduleEntry, kind: str, by: User
) -> ScheduleChange:
    """What the published schedule shows as changed after publication."""
    return ScheduleChange.objects.create(
        schedule=schedule,
        kind=kind,
        at=clock.now(),
        by=by,
        starts_at=entry.starts_at,
        title=entry.title,
        place=entry.place,
    )


@transaction.atomic
def add_entry(
    schedule: WeeklySchedule,
    *,
    by: User,
    starts_at: datetime.datetime,
    title: str,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    kind: str = ScheduleEntry.Kind.MEETING,
    chair: Person | None = None,
    participants: Iterable[Person] = (),
    participants_note: str = "",
    task: Task | None = None,
) -> ScheduleEntry:
    """Add a meeting, event or task slot to the schedule. After publication, logs
    `schedule.entry_added`.

    Raises WorkError when `by` does not keep the schedule, the time is outside the week or
    ends before it starts, or a person or the task is not of the unit.
    """
    schedule = _lock(schedule)
    _guard(by, schedule.unit)
    title = nfc(title)
    if not title:
        raise WorkError(_("Say what the entry is about."))
    day = timezone.localtime(starts_at).date()
    if not schedule.week_start <= day <= schedule.week_start + datetime.timedelta(days=6):
        raise WorkError(_("The entry must fall within the week of the schedule."))
    if ends_at is not None and ends_at < starts_at:
        raise WorkError(_("The end time must not be before the start time."))
    people = list(participants)
    outsiders = [p.full_name for p in [chair, *people] if p and not _in_unit(p, schedule.unit)]
    if outsiders:
        raise WorkError(
            _("Not in %(unit)s: %(names)s. Write other participants under “others taking part”.")
            % {"unit": schedule.unit.name, "names": ", ".join(outsiders)}
        )
    if task is not None and not task.unit.path.startswith(schedule.unit.path):
        raise WorkError(_("The task is not a task of %(unit)s.") % {"unit": schedule.unit.name})
    entry = ScheduleEntry.objects.create(
        schedule=schedule,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        place=nfc(place),
        chair=chair,
        participants_note=nfc(participants_note),
        task=task,
    )
    entry.participants.set(people)
    if schedule.is_published:
        _record_change(schedule, entry, ScheduleChange.Kind.ADDED, by)
        log_action(schedule, "schedule.entry_added", by=by, data=_entry_record(entry))
    return entry


@transaction.atomic
def delete_entry(entry: ScheduleEntry, *, by: User) -> None:
    """Delete an entry. After publication, logs `schedule.entry_deleted` with what it was.

    Raises WorkError when `by` does not keep the schedule.
    """
    schedule = _lock(entry.schedule)
    _guard(by, schedule.unit)
    entry = ScheduleEntry.objects.select_related("chair").get(pk=entry.pk, schedule=schedule)
    record = _entry_record(entry)
    if schedule.is_published:
        _record_change(schedule, entry, ScheduleChange.Kind.DELETED, by)
    entry.delete()
    if schedule.is_published:
        log_action(schedule, "schedule.entry_deleted", by=by, data=record)


@transaction.atomic
def publish_schedule(schedule: WeeklySchedule, *, by: User) -> WeeklySchedule:
    """Show the schedule to the unit's people. Logs `schedule.published`.

    Raises WorkError when `by` does not keep the schedule, it is already published, or it
    has no entry.
    """
    schedule = _lock(schedule)
    _guard(by, schedule.unit)
    if schedule.is_published:
        raise WorkError(
            _(
                "This schedule is already published; later changes are shown as changes "
                "after publication."
            )
        )
    count = schedule.entries.count()
    if not count:
        raise WorkError(_("Add at least one entry before publishing the schedule."))
    schedule.published_at = clock.now()
    schedule.published_by = by
    schedule.save(update_fields=["published_at", "published_by"])
    log_action(
        schedule,
        "schedule.published",
        by=by,
        data={"unit": schedule.unit.code, "week_start": schedule.week_start, "entries": count},
    )
    return schedule
